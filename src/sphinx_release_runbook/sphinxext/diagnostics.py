"""The one warning helper: every runbook warning has a type, a subtype and a location.

:func:`warn` is the only place the extension calls ``logger.warning``;
:func:`emit` prints a :class:`~.core.findings.Finding` through it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinx_release_runbook.core.findings import Finding, Subtype

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_release_runbook")

#: Where a warning points: ``(docname, line)`` for a document (Sphinx prints its
#: source path), or ``"path:line"`` for any other file.
Location = tuple[str, int] | str


def warn(message: str, *, subtype: Subtype, location: Location) -> None:
    """Print a ``runbook.<subtype>`` warning at *location* (``path:line: WARNING: ...``)."""
    logger.warning(message, type="runbook", subtype=subtype, location=location)


def repo_path(env: BuildEnvironment, docname: str) -> str:
    """The document's source path relative to the repository root (POSIX separators)."""
    return relative_to_repo(env, env.doc2path(docname))


def relative_to_repo(env: BuildEnvironment, filename: str | os.PathLike[str]) -> str:
    """*filename* relative to the repository root (POSIX separators)."""
    root = os.fspath(env.config.runbook_repo_root or env.srcdir)
    source = os.fspath(filename)
    if os.path.isabs(root) and os.path.isabs(source):
        return _relative_absolute(root, source)
    return _relative(root, source)  # a relative path depends on the working directory


def _relative(root: str, source: str) -> str:
    if (
        os.sep == "/"
        and source.startswith(root + "/")
        and root != "/"
        and os.path.normpath(root) == root
        and os.path.normpath(source) == source
    ):
        # Both normal already (as Sphinx gives them): what relative_to computes, by slicing.
        return source[len(root) + 1 :]
    try:
        return Path(source).relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(source, root)).as_posix()


#: Remembered: every directive of a page asks for the page's path, and between two
#: absolute paths the answer depends on their texts alone.
_relative_absolute = lru_cache(maxsize=4096)(_relative)


def location(docname: str, path: str, line: int) -> Location:
    """Where to point for *path*:*line*, written in document *docname*.

    Sphinx prints a document's own path for ``(docname, line)``; a file the document
    includes (or any other file) is named by its repository path instead.
    """
    in_document = Path(path).with_suffix("").as_posix().endswith(docname)
    return (docname, line) if docname and in_document else f"{path}:{line}"


def emit(finding: Finding) -> None:
    """Log *finding* as a located warning (``path:line: WARNING: ... [runbook.x]``)."""
    where = location(finding.docname, finding.path, finding.line)
    warn(finding.warning_text(), subtype=finding.subtype, location=where)
