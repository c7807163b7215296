"""Version of demo."""

__version__ = "0.3.0"
__version_info__ = (0, 3, 0)
