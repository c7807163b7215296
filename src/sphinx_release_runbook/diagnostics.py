"""The one warning helper: every runbook warning has a type, a subtype and a location."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from .findings import Finding, Subtype

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinx_release_runbook")


def repo_path(env: BuildEnvironment, docname: str) -> str:
    """The document's source path relative to the repository root (POSIX separators)."""
    root = Path(env.config.runbook_repo_root or env.srcdir)
    source = Path(env.doc2path(docname))
    try:
        return source.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(source, root)).as_posix()


def make_finding(
    env: BuildEnvironment, docname: str, line: int, subtype: Subtype, message: str, diff: str = ""
) -> Finding:
    return Finding(repo_path(env, docname), line, subtype, message, docname=docname, diff=diff)


def emit(finding: Finding) -> None:
    """Log *finding* as a located warning (``path:line: WARNING: ... [runbook.x]``)."""
    location: tuple[str, int] | str = (
        (finding.docname, finding.line) if finding.docname else f"{finding.path}:{finding.line}"
    )
    logger.warning(
        finding.text(),
        location=location,
        type="runbook",
        subtype=finding.subtype,
    )
