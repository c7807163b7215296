"""The CLI's one error path: a RunbookError becomes ``error: MESSAGE`` and its exit code."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from sphinx_release_runbook.bump import BumpError
from sphinx_release_runbook.cli import cli
from sphinx_release_runbook.cli.errors import CommandLineError, Interrupted, RunbookGroup
from sphinx_release_runbook.cli.loader import LoadError
from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.model import SchemaError
from sphinx_release_runbook.export.script import ExportError
from sphinx_release_runbook.runner import RunError
from sphinx_release_runbook.runner.validate import ValidationError


def group_raising(error: BaseException) -> click.Group:
    """A group of one command, ``go``, that raises *error*."""

    @click.group(cls=RunbookGroup)
    def group() -> None:
        pass

    @group.command()
    def go() -> None:
        raise error

    return group


def group_returning(value: ExitCode | None) -> click.Group:
    @click.group(cls=RunbookGroup)
    def group() -> None:
        pass

    @group.command()
    def go() -> ExitCode | None:
        click.echo("done")
        return value

    return group


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (LoadError("no docs found under /x"), ExitCode.DOCS),
        (SchemaError("runbook.json: not valid JSON"), ExitCode.DOCS),
        (BumpError("pyproject.toml: no key project.version"), ExitCode.USAGE),
        (ValidationError("--version 'x': not a version"), ExitCode.USAGE),
        (ExportError("step s: cannot export"), ExitCode.USAGE),
        (RunError("another run holds .runbook/lock", ExitCode.LOCKED), ExitCode.LOCKED),
        (RunError("the guide has drifted", ExitCode.DRIFT), ExitCode.DRIFT),
        (CommandLineError("--from and --only do not combine"), ExitCode.USAGE),
        (CommandLineError("overridden", ExitCode.MISSING_TOOLS), ExitCode.MISSING_TOOLS),
        (Interrupted("interrupted; nothing ran"), ExitCode.INTERRUPTED),
        (RunbookError("the base class"), ExitCode.USAGE),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_a_runbook_error_prints_its_message_and_exits_with_its_code(
    error: RunbookError, code: ExitCode
) -> None:
    result = CliRunner().invoke(group_raising(error), ["go"])
    assert result.exit_code == code
    assert result.stderr == f"error: {error}\n"
    assert result.stdout == ""
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_exit_code_is_the_error_instance_s_not_only_its_class_s() -> None:
    error = LoadError("build failed", ExitCode.INTERRUPTED)
    assert CliRunner().invoke(group_raising(error), ["go"]).exit_code == ExitCode.INTERRUPTED


def test_a_multi_line_message_is_printed_whole() -> None:
    error = LoadError("the docs define a malformed runbook; fix these:\nline 1\nline 2")
    result = CliRunner().invoke(group_raising(error), ["go"])
    assert result.stderr == f"error: {error}\n"
    assert result.exit_code == ExitCode.DOCS


def test_other_exceptions_are_not_swallowed() -> None:
    result = CliRunner().invoke(group_raising(ValueError("a bug")), ["go"])
    assert isinstance(result.exception, ValueError)
    assert result.exit_code == 1
    assert "error:" not in result.stderr


@pytest.mark.parametrize("value", list(ExitCode))
def test_a_returned_exit_code_is_the_exit_status(value: ExitCode) -> None:
    result = CliRunner().invoke(group_returning(value), ["go"])
    assert result.exit_code == value
    assert result.stdout == "done\n"
    assert result.stderr == ""


def test_a_command_returning_none_succeeds() -> None:
    result = CliRunner().invoke(group_returning(None), ["go"])
    assert result.exit_code == 0
    assert result.stdout == "done\n"


def test_click_usage_errors_keep_click_s_own_handling() -> None:
    result = CliRunner().invoke(group_returning(None), ["go", "--bogus"])
    assert result.exit_code == 2
    assert "Error: No such option '--bogus'" in result.stderr
    assert not result.stderr.startswith("error: ")


def test_the_cli_group_is_a_runbook_group() -> None:
    assert isinstance(cli, RunbookGroup)
    assert sorted(cli.commands) == ["abandon", "bump", "check", "export", "list", "rehearse", "run"]


def test_the_documented_entry_points_import() -> None:
    from sphinx_release_runbook.cli import cli as documented
    from sphinx_release_runbook.cli import main

    assert documented is cli
    assert callable(main)
