"""Step text: split directive content into shell commands, and fill placeholders.

Placeholders are Jinja2 expressions rendered with ``StrictUndefined``, so a name
outside :data:`~sphinx_release_runbook.model.PLACEHOLDERS` can never render as
an empty string into a shell command.  Pure functions, no Sphinx import.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import jinja2
import jinja2.meta

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import PLACEHOLDERS

_ENVIRONMENT = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


class PlaceholderError(RunbookError, ValueError):
    """A template does not parse or names an unknown placeholder."""


@dataclass(frozen=True)
class CommandText:
    """One shell command of a step and the content line (0-based) it starts on."""

    offset: int
    text: str


def _is_complete(command: str) -> bool:
    """True when *command* ends a logical shell line (no open quote, no trailing ``\\``)."""
    if command.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(command, comments=True)
    except ValueError:  # "No closing quotation": the command goes on to the next line
        return False
    return True


def split_commands(lines: Iterable[str]) -> list[CommandText]:
    """Group content lines into commands.

    A command continues while its line ends with ``\\`` or while a quote is open,
    so a multi-line ``--notes "..."`` is one command.  Blank lines and lines that
    are only a ``#`` comment separate commands and are not run.
    """
    commands: list[CommandText] = []
    pending: list[str] = []
    start = 0
    for offset, line in enumerate(lines):
        if not pending:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            start = offset
        pending.append(line)
        joined = "\n".join(pending)
        if _is_complete(joined):
            commands.append(CommandText(start, joined.strip()))
            pending = []
    if pending:
        commands.append(CommandText(start, "\n".join(pending).strip()))
    return commands


def unterminated(commands: Iterable[CommandText]) -> CommandText | None:
    """The first command that never closes its quote or continuation, if any."""
    for command in commands:
        if not _is_complete(command.text):
            return command
    return None


def _is_plain(template: str) -> bool:
    """No Jinja2 syntax at all: most lines of a guide, and they need no parsing."""
    return "{{" not in template and "{%" not in template and "{#" not in template


def placeholder_names(template: str) -> set[str]:
    """The variable names a template uses; raises :class:`PlaceholderError` on bad syntax."""
    if _is_plain(template):
        return set()
    try:
        parsed = _ENVIRONMENT.parse(template)
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
    return _ENVIRONMENT.from_string(template)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill placeholders; an undefined name raises :class:`PlaceholderError`."""
    if _is_plain(template):
        return template
    try:
        return _compiled(template).render(**values)
    except jinja2.UndefinedError as exc:
        raise PlaceholderError(f"unknown placeholder: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise PlaceholderError(f"cannot fill placeholders: {exc}") from exc
