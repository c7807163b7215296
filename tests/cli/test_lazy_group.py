"""The group imports a command's module only when that command is looked up."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli import cli
from sphinx_release_runbook.cli.errors import COMMAND_ORDER

from . import imported

COMMANDS_PACKAGE = "sphinx_release_runbook.cli.commands."


def command_modules(*args: str, cwd: Path) -> list[str]:
    """The command modules imported by ``python -m runbook ARGS``."""
    _code, modules = imported(*args, cwd=cwd)
    return [
        name.removeprefix(COMMANDS_PACKAGE) for name in modules if name.startswith(COMMANDS_PACKAGE)
    ]


def test_a_command_imports_its_own_module_and_no_other(tmp_path: Path) -> None:
    assert command_modules("list", "--help", cwd=tmp_path) == ["list"]
    assert command_modules("bump", "--help", cwd=tmp_path) == ["bump"]


def test_help_lists_every_command_in_the_maintainer_s_order(tmp_path: Path) -> None:
    assert sorted(command_modules("--help", cwd=tmp_path)) == sorted(COMMAND_ORDER)
    context = click.Context(cli)
    assert cli.list_commands(context) == list(COMMAND_ORDER)
    for name in COMMAND_ORDER:
        command = cli.get_command(context, name)
        assert isinstance(command, click.Command)
        assert command.name == name


def test_a_command_added_to_the_group_is_listed_and_found() -> None:
    extra = click.Command("doctor", help="Look around.")
    cli.add_command(extra)
    try:
        context = click.Context(cli)
        assert cli.list_commands(context)[-1] == "doctor"
        assert cli.get_command(context, "doctor") is extra
    finally:
        del cli.commands["doctor"]
    assert "doctor" not in cli.commands
