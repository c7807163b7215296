"""Drift checks: pure functions ``(repository, item) -> list[Finding]``.

One module per check, each declaring its :class:`~.check.Check`; :mod:`.registry`
lists them and dispatches the items (:mod:`.items`) to them.  None imports
Sphinx: the docs build hands its items to the registry through
:func:`sphinx_release_runbook.sphinxext.checking.check`, and
``python -m runbook check`` runs that build.
"""

from __future__ import annotations

from sphinx_release_runbook.drift.items import (
    BumpRef,
    CommandRef,
    Item,
    LinkRef,
    MirrorItem,
    PackageRef,
    PathRef,
    ScriptItem,
    TagRef,
    TemplateRef,
    VersionItem,
)
from sphinx_release_runbook.drift.repository import Repository

__all__ = [
    "BumpRef",
    "CommandRef",
    "Item",
    "LinkRef",
    "MirrorItem",
    "PackageRef",
    "PathRef",
    "Repository",
    "ScriptItem",
    "TagRef",
    "TemplateRef",
    "VersionItem",
]
