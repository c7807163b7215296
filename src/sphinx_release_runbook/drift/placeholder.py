"""``runbook.placeholder``: a placeholder name is unknown (or its syntax is bad)."""

from __future__ import annotations

from ..findings import Finding
from ..templating import PlaceholderError, check_placeholders
from .items import TemplateRef, located
from .repository import Repository


def check_placeholder(repo: Repository, item: TemplateRef) -> list[Finding]:
    try:
        check_placeholders(item.text)
    except PlaceholderError as exc:
        return [located(item.source, "placeholder", str(exc))]
    return []
