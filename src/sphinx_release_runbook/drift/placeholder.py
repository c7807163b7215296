"""``runbook.placeholder``: a placeholder name is unknown (or its syntax is bad)."""

from __future__ import annotations

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.templating import PlaceholderError, check_placeholders
from sphinx_release_runbook.drift.items import TemplateRef, located
from sphinx_release_runbook.drift.repository import Repository


def check_placeholder(repo: Repository, item: TemplateRef) -> list[Finding]:
    try:
        check_placeholders(item.text)
    except PlaceholderError as exc:
        return [located(item.source, "placeholder", str(exc))]
    return []
