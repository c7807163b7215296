"""``runbook.placeholder``: a placeholder name is unknown (or its syntax is bad).

An authoring error, not drift: the directive that holds the text is dropped,
as for any malformed directive.
"""

from __future__ import annotations

import jinja2

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.templating import PlaceholderError, check_placeholders
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import TemplateRef, located
from sphinx_release_runbook.drift.repository import Repository


def check_placeholder(repo: Repository, item: TemplateRef) -> list[Finding]:
    try:
        check_placeholders(item.text, item.allowed)
    except PlaceholderError as exc:
        message = f"{item.label} {exc}" if item.label else str(exc)
        return [located(item.source, "placeholder", message)]
    except jinja2.TemplateError as exc:  # an unknown filter or test: found when compiled
        message = f"bad placeholder syntax: {exc.message}"
        message = f"{item.label} {message}" if item.label else message
        return [located(item.source, "placeholder", message)]
    return []


CHECK = Check("placeholder", TemplateRef, check_placeholder)
