"""sphinx-release-runbook: one release guide to read, to run and to check.

``setup(app)`` lives in :mod:`sphinx_release_runbook.sphinxext.extension`; it is imported
lazily here so that ``python -m runbook --runbook FILE`` does not import Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_release_runbook._version import __version__, __version_info__

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["__version__", "__version_info__", "setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension with Sphinx (see :mod:`.sphinxext.extension`)."""
    from sphinx_release_runbook.sphinxext.extension import setup as register

    return register(app)
