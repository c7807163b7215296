"""sphinx-release-runbook: one release guide to read, to run and to check.

``setup(app)`` lives in :mod:`sphinx_release_runbook.extension`; it is imported
lazily here so that ``python -m runbook --runbook FILE`` does not import Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__, __version_info__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["__version__", "__version_info__", "setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension with Sphinx (see :mod:`sphinx_release_runbook.extension`)."""
    from .extension import setup as register

    return register(app)
