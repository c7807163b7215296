"""Drift checks: pure functions ``(repository, item) -> list[Finding]``.

One module per check.  None imports Sphinx, so the docs build (through the
directives and :mod:`sphinx_release_runbook.drift_sphinx`) and
``python -m runbook check`` run the same code.
"""

from __future__ import annotations

from .items import CommandRef, LinkRef, MirrorItem, PathRef, TemplateRef, VersionItem
from .repository import Repository

__all__ = [
    "CommandRef",
    "LinkRef",
    "MirrorItem",
    "PathRef",
    "Repository",
    "TemplateRef",
    "VersionItem",
]
