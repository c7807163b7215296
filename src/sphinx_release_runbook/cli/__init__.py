"""``python -m runbook``: run, list, check, export, bump and abandon from the release guide.

This module is the click group; each command lives in
:mod:`sphinx_release_runbook.cli.commands`.  Every error a user can cause is a
:class:`~sphinx_release_runbook.core.errors.RunbookError`, which
:mod:`sphinx_release_runbook.cli.errors` turns into a message and the exit code
of :mod:`~sphinx_release_runbook.cli.exitcodes`; no traceback reaches the terminal.
"""

from __future__ import annotations

import click

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.cli.commands.abandon import abandon_command
from sphinx_release_runbook.cli.commands.bump import bump_command
from sphinx_release_runbook.cli.commands.check import check_command
from sphinx_release_runbook.cli.commands.export import export_command
from sphinx_release_runbook.cli.commands.list import list_steps
from sphinx_release_runbook.cli.commands.rehearse import rehearse_command
from sphinx_release_runbook.cli.commands.run import run_command
from sphinx_release_runbook.cli.errors import RunbookGroup
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP

__all__ = ["cli", "main"]


@click.group(
    cls=RunbookGroup,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="sphinx-release-runbook")
def cli() -> None:
    """Run, list and check the release runbook written in your Sphinx docs.

    The runbook is read from the docs of the repository you are in (conf.py at
    the root with docs/, or docs/conf.py, or [tool.sphinx-release-runbook] in
    pyproject.toml), or from an exported runbook.json given with --runbook.
    """


for _command in (
    list_steps,
    run_command,
    bump_command,
    export_command,
    check_command,
    abandon_command,
    rehearse_command,
):
    cli.add_command(_command)


def main() -> None:
    """Console entry point."""
    cli(prog_name="python -m runbook")
