"""Drift checks: pure functions ``(repository, item) -> list[Finding]``.

One module per check.  None imports Sphinx, so the docs build (through the
directives and :mod:`sphinx_release_runbook.drift_sphinx`) and
``python -m runbook check`` run the same code.
"""

from __future__ import annotations

from sphinx_release_runbook.drift.items import (
    CommandRef,
    LinkRef,
    MirrorItem,
    PathRef,
    TemplateRef,
    VersionItem,
)
from sphinx_release_runbook.drift.repository import Repository

__all__ = [
    "CommandRef",
    "LinkRef",
    "MirrorItem",
    "PathRef",
    "Repository",
    "TemplateRef",
    "VersionItem",
]
