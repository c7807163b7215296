"""Every drift check, in one tuple, and :func:`run`, which gives each item to its checks.

The docs build (and so ``python -m runbook check``, which builds with the
``runbook`` builder) reaches the checks only through :func:`run`.  Adding a
check is one module declaring its :class:`~.check.Check`, its line below, and
its test; nothing in the Sphinx layer changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift import (
    cli_usage,
    link,
    path,
    placeholder,
    script,
    tag,
    targets,
    tool,
    version,
)
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import Item
from sphinx_release_runbook.drift.mirror import check as mirror
from sphinx_release_runbook.drift.repository import Repository

#: The checks; an item goes to each check that takes its type, in this order.
CHECKS: tuple[Check[Any], ...] = (
    placeholder.CHECK,  # TemplateRef
    tag.TAG,  # TagRef
    tag.PACKAGE,  # PackageRef
    path.PATH,  # PathRef
    path.GIT_ADD,  # CommandRef
    tool.CHECK,  # CommandRef
    cli_usage.CHECK,  # CommandRef
    link.CHECK,  # LinkRef
    mirror.CHECK,  # MirrorItem
    targets.CHECK,  # BumpRef
    version.CHECK,  # VersionItem
    script.CHECK,  # ScriptItem
)


def checks_for(item: Item, checks: Iterable[Check[Any]] | None = None) -> list[Check[Any]]:
    """The checks that take *item* (of :data:`CHECKS` unless *checks* is given)."""
    return [check for check in (CHECKS if checks is None else checks) if check.takes(item)]


#: The checks of :data:`CHECKS` by item type, and the tuple they were chosen from.
_BY_TYPE: dict[type, list[Check[Any]]] = {}
_BY_TYPE_OF: list[tuple[Check[Any], ...]] = []


def _checks_of(item: Item) -> list[Check[Any]]:
    """:func:`checks_for` *item* among :data:`CHECKS`, chosen once per item type.

    A build hands the registry several items per page and the choice depends on the
    type alone; it is chosen again when :data:`CHECKS` is another tuple (a test's).
    """
    if not _BY_TYPE_OF or _BY_TYPE_OF[0] is not CHECKS:
        _BY_TYPE.clear()
        _BY_TYPE_OF[:] = [CHECKS]
    kind = type(item)
    chosen = _BY_TYPE.get(kind)
    if chosen is None:
        chosen = _BY_TYPE[kind] = checks_for(item, CHECKS)
    return chosen


def run(
    repo: Repository, items: Iterable[Item], checks: Iterable[Check[Any]] | None = None
) -> list[Finding]:
    """The findings of every check over every item: item by item, in the order given."""
    chosen = None if checks is None else tuple(checks)
    findings: list[Finding] = []
    for item in items:
        for check in _checks_of(item) if chosen is None else checks_for(item, chosen):
            findings.extend(check.run(repo, item))
    return findings
