"""Placeholders: the Jinja2 environment every template is parsed and filled with.

Placeholders are Jinja2 expressions rendered with ``StrictUndefined``, so a name
outside :data:`~sphinx_release_runbook.core.model.PLACEHOLDERS` can never render
as an empty string into a shell command.  The runner fills templates with
:func:`render`; the exported script gets its filling from
:mod:`.template_tree`, which parses with this same environment.  Pure
functions, no Sphinx import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import jinja2
import jinja2.meta

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import PLACEHOLDERS

ENVIRONMENT = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


class PlaceholderError(RunbookError, ValueError):
    """A template does not parse or names an unknown placeholder."""


def is_plain(template: str) -> bool:
    """No Jinja2 syntax at all: most lines of a guide, and they need no parsing."""
    return "{{" not in template and "{%" not in template and "{#" not in template


def placeholder_names(template: str) -> set[str]:
    """The variable names a template uses; raises :class:`PlaceholderError` on bad syntax."""
    if is_plain(template):
        return set()
    try:
        parsed = ENVIRONMENT.parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(f"bad placeholder syntax: {exc.message}") from exc
    return set(jinja2.meta.find_undeclared_variables(parsed))


def check_placeholders(template: str, allowed: Iterable[str] = PLACEHOLDERS) -> None:
    """Raise :class:`PlaceholderError` naming the first unknown placeholder."""
    allowed = tuple(allowed)
    unknown = sorted(placeholder_names(template) - set(allowed))
    if unknown:
        known = ", ".join("{{ " + name + " }}" for name in allowed)
        raise PlaceholderError(f"unknown placeholder {{{{ {unknown[0]} }}}}; known: {known}")


@lru_cache(maxsize=1024)
def _compiled(template: str) -> jinja2.Template:
    # Compiling is most of a render's cost, and a build renders each template
    # several times (checks, display values, the runner's plan).
    return ENVIRONMENT.from_string(template)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill placeholders; an undefined name raises :class:`PlaceholderError`."""
    if is_plain(template):
        return template
    try:
        return _compiled(template).render(**values)
    except jinja2.UndefinedError as exc:
        raise PlaceholderError(f"unknown placeholder: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise PlaceholderError(f"cannot fill placeholders: {exc}") from exc
