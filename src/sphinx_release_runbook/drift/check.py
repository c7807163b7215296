"""What a drift check is: a subtype, the item type it takes, and a pure function.

Each check module declares its :class:`Check` (``CHECK = Check(...)``);
:mod:`.registry` lists them all in one tuple.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sphinx_release_runbook.core.findings import Finding, Subtype
from sphinx_release_runbook.drift.items import Item
from sphinx_release_runbook.drift.repository import Repository

ItemT = TypeVar("ItemT", bound=Item)


@dataclass(frozen=True)
class Check(Generic[ItemT]):
    """One check: ``run(repository, item)`` for every item of type ``item``.

    ``subtype`` is the warning it reports (``runbook.<subtype>``); a check that
    must read a file first also reports ``runbook.path`` when the file is missing.
    """

    subtype: Subtype
    item: type[ItemT]
    run: Callable[[Repository, ItemT], list[Finding]]

    def takes(self, item: Item) -> bool:
        return isinstance(item, self.item)
