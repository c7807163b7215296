"""Placeholders: the Jinja2 environment every template is parsed and filled with.

Placeholders are Jinja2 expressions rendered with ``StrictUndefined``, so a name
outside :data:`~sphinx_release_runbook.core.model.PLACEHOLDERS` can never render
as an empty string into a shell command.  The runner fills templates with
:func:`render`; the exported script gets its filling from
:mod:`.template_tree`, which parses with this same environment.  Pure
functions, no Sphinx import.

Most templates of a guide are plain text or plain text with ``{{ name }}``
placeholders.  Those are filled (and their names found) by substitution,
without Jinja2: compiling a template costs far more than filling it, and a
build fills each command line of every page.  The substitution gives exactly
what Jinja2 renders (``str`` of the value; an unknown name is the same
error), and anything else (filters, expressions, statements, whitespace
control) goes to Jinja2, which is imported only then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import PLACEHOLDERS

if TYPE_CHECKING:
    import jinja2

#: ``{{ name }}`` with spaces only around the name: what the substitution fills.
_SIMPLE = re.compile(r"\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def __getattr__(name: str) -> jinja2.Environment:
    # ENVIRONMENT is made (and Jinja2 imported) on first use, not on import.
    if name == "ENVIRONMENT":
        return _environment()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class PlaceholderError(RunbookError, ValueError):
    """A template does not parse or names an unknown placeholder."""


def is_plain(template: str) -> bool:
    """No Jinja2 syntax at all: most lines of a guide, and they need no parsing."""
    return "{{" not in template and "{%" not in template and "{#" not in template


@lru_cache(maxsize=4096)
def _simple_parts(template: str) -> tuple[str, ...] | None:
    """Text, name, text, name, ..., text when *template* is text and ``{{ name }}`` only.

    None when it holds any other Jinja2 syntax (then only Jinja2 can say what it means).
    """
    if "\r" in template:  # Jinja2 turns every line ending into "\n"
        return None
    parts = _SIMPLE.split(template)
    if any(not is_plain(text) for text in parts[::2]):
        return None
    return tuple(parts)


@lru_cache(maxsize=4096)
def _names(template: str) -> frozenset[str]:
    simple = _simple_parts(template)
    if simple is not None:
        return frozenset(simple[1::2])
    import jinja2
    import jinja2.meta

    try:
        parsed = _environment().parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(f"bad placeholder syntax: {exc.message}") from exc
    return frozenset(jinja2.meta.find_undeclared_variables(parsed))


def placeholder_names(template: str) -> set[str]:
    """The variable names a template uses; raises :class:`PlaceholderError` on bad syntax."""
    if is_plain(template):
        return set()
    # Remembered: the checks of a build ask about the same template several times.
    return set(_names(template))


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
    return _environment().from_string(template)


def _substitute(parts: tuple[str, ...], values: Mapping[str, object]) -> str:
    filled = list(parts)
    for index in range(1, len(parts), 2):
        name = parts[index]
        if name not in values:
            # Jinja2's own words for an undefined name under StrictUndefined.
            raise PlaceholderError(f"unknown placeholder: '{name}' is undefined")
        filled[index] = str(values[name])
    return "".join(filled)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill placeholders; an undefined name raises :class:`PlaceholderError`."""
    if is_plain(template):
        return template
    simple = _simple_parts(template)
    if simple is not None:
        return _substitute(simple, values)
    import jinja2

    try:
        return _compiled(template).render(**values)
    except jinja2.UndefinedError as exc:
        raise PlaceholderError(f"unknown placeholder: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise PlaceholderError(f"cannot fill placeholders: {exc}") from exc
