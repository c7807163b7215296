"""The exit-code table of ``--help``."""

from __future__ import annotations

from click.testing import CliRunner

from sphinx_release_runbook.cli import cli
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP, describe
from sphinx_release_runbook.core.errors import ExitCode


def test_every_exit_code_has_one_line_in_order() -> None:
    lines = describe().splitlines()
    assert len(lines) == len(ExitCode)
    for code, line in zip(ExitCode, lines, strict=True):
        number, meaning = line.split(None, 1)
        assert int(number) == code.value
        assert meaning.strip()


def test_the_numbers_are_right_aligned() -> None:
    assert describe().splitlines()[0] == (
        "   0  success (with --dry-run: the plan was printed, nothing changed)"
    )
    assert describe().splitlines()[-1].startswith(" 130  interrupted (Ctrl-C, SIGTERM, SIGHUP)")


def test_the_epilog_keeps_click_from_rewrapping_the_table() -> None:
    assert EXIT_CODES_HELP.startswith("\b\nExit codes:\n")
    assert EXIT_CODES_HELP.endswith(describe())


def test_the_group_and_every_command_show_the_table_in_help() -> None:
    runner = CliRunner()
    for args in ([], ["list"], ["run"], ["bump"], ["export"], ["check"], ["abandon"]):
        result = runner.invoke(cli, [*args, "--help"], prog_name="python -m runbook")
        assert result.exit_code == 0, result.output
        assert "Exit codes:\n" in result.stdout
        for code in ExitCode:
            assert f"\n  {code.value:>4}  " in result.stdout, (args, code)
