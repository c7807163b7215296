"""The package version; bumped by the project's own release guide."""

__version__ = "0.1.0"
__version_info__ = (0, 1, 0)
