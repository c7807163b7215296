"""``runbook.cli``: a command calls a known click CLI with an unknown subcommand or option.

Known CLIs: this project's own (``python -m runbook``, ``runbook``) and those in
``runbook_clis = {"name": "module:object"}`` (called as ``name ...`` or
``python -m name ...``).  The words are parsed by click itself, so the check
knows exactly what the CLI accepts; nothing is executed.
"""

from __future__ import annotations

import contextlib
import importlib
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import CommandRef, located
from sphinx_release_runbook.drift.repository import Repository
from sphinx_release_runbook.drift.shell import is_python, simple_commands, strip_runner

if TYPE_CHECKING:
    # Imported where a CLI is loaded or parsed: most commands of a guide call no known
    # CLI, and importing click is a cost paid by every build.
    import click

OWN_CLI = "sphinx_release_runbook.cli:cli"
OWN_NAMES = ("runbook",)


class CliImportError(RunbookError, ValueError):
    """A ``module:object`` of ``runbook_clis`` cannot be imported as a click command."""

    exit_code = ExitCode.DOCS


def load_cli(target: str) -> click.Command:
    import click

    module_name, _, attribute = target.partition(":")
    try:
        command: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            command = getattr(command, part)
    except (ImportError, AttributeError) as exc:
        raise CliImportError(f"cannot import {target!r}: {exc}") from exc
    if not isinstance(command, click.Command):
        raise CliImportError(f"{target!r} is not a click command")
    return command


def known_clis(repo: Repository) -> dict[str, str]:
    clis = {name: OWN_CLI for name in OWN_NAMES}
    clis.update(repo.clis)
    return clis


def invocation(words: Sequence[str], names: dict[str, str]) -> tuple[str, list[str]] | None:
    """(cli name, its arguments) when *words* call a known CLI."""
    words = strip_runner(words)
    if len(words) >= 3 and is_python(words[0]) and words[1] == "-m" and words[2] in names:
        return words[2], words[3:]
    if words and words[0] in names:
        return words[0], words[1:]
    return None


def parse_error(command: click.Command, prog: str, args: list[str]) -> str | None:
    """The usage error click reports for *args*, or None when they parse.

    A missing required option is not drift (a guide may show the start of a
    command); help and version options are dropped so nothing is printed.
    """
    import click

    args = [a for a in args if a not in ("--help", "-h")]
    path = prog
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            while True:
                context = command.make_context(path, list(args), resilient_parsing=False)
                if not isinstance(command, click.Group):
                    return None
                remaining = [*getattr(context, "_protected_args", []), *context.args]
                if not remaining:
                    return None
                name, sub, rest = command.resolve_command(context, remaining)
                if sub is None:
                    return f"{path}: no such command {name!r}"
                command, path, args = sub, f"{path} {name}", rest
    except click.exceptions.MissingParameter:
        return None
    except click.UsageError as exc:
        return f"{path}: {exc.format_message()}"
    except click.exceptions.Exit:
        return None


def check_cli(repo: Repository, item: CommandRef) -> list[Finding]:
    names = known_clis(repo)
    findings: list[Finding] = []
    for words in simple_commands(item.command):
        called = invocation(words, names)
        if called is None:
            continue
        name, args = called
        try:
            command = load_cli(names[name])
        except CliImportError as exc:
            findings.append(located(item.source, "cli", f"runbook_clis[{name!r}]: {exc}"))
            continue
        prog = "python -m runbook" if name in OWN_NAMES else name
        error = parse_error(command, prog, args)
        if error is not None:
            findings.append(located(item.source, "cli", f"unknown to the CLI: {error}"))
    return findings


CHECK = Check("cli", CommandRef, check_cli)
