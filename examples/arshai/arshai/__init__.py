"""arshai: a miniature package whose release guide is a runbook."""

from arshai._version import __version__, __version_info__

__all__ = ["__version__", "__version_info__", "greet"]


def greet(name: str) -> str:
    """Return a greeting that names the package version."""
    return f"Hello, {name}! (arshai {__version__})"
