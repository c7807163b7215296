__version__ = "0.3.1"
__version_info__ = (0, 3, 0)
