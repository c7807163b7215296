"""``python -m runbook``: run, list, check, export and bump from the release guide.

Every error a user can cause ends here as a message and an exit code from
:mod:`~sphinx_release_runbook.exitcodes`; no traceback reaches the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .exitcodes import ExitCode, describe
from .loader import Loaded, LoadError, build, find_repo_root, load_json
from .model import Runbook

EXIT_CODES_HELP = "\b\nExit codes:\n" + describe()


def fail(message: str, code: ExitCode) -> None:
    """Print *message* to stderr and exit with *code*."""
    click.echo(f"error: {message}", err=True)
    sys.exit(int(code))


def load(runbook_file: Path | None, root: Path | None = None) -> Loaded:
    """The runbook export for the CLI: a file, or the docs of the current repository."""
    try:
        if runbook_file is not None:
            return load_json(runbook_file)
        return build(find_repo_root(root or Path.cwd()))
    except LoadError as exc:
        fail(str(exc), ExitCode.DOCS)
        raise  # unreachable: fail() exits


def pick(loaded: Loaded, name: str | None) -> Runbook:
    """The runbook named *name*, or the only one."""
    try:
        return loaded.export.runbook(name)
    except KeyError as exc:
        fail(exc.args[0], ExitCode.USAGE)
        raise


runbook_option = click.option(
    "--runbook",
    "runbook_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this exported runbook.json instead of building the docs.",
)
name_option = click.option(
    "--name", help="The runbook to use when the docs define several (its release-runbook NAME)."
)


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sphinx-release-runbook")
def cli() -> None:
    """Run, list and check the release runbook written in your Sphinx docs.

    The runbook is read from the docs of the repository you are in (conf.py at
    the root with docs/, or docs/conf.py, or [tool.sphinx-release-runbook] in
    pyproject.toml), or from an exported runbook.json given with --runbook.
    """


@cli.command("list", epilog=EXIT_CODES_HELP)
@runbook_option
@name_option
def list_steps(runbook_file: Path | None, name: str | None) -> None:
    """Print the steps of the runbook: number, id, kind and title."""
    loaded = load(runbook_file)
    runbook = pick(loaded, name)
    click.echo(f"{runbook.title} ({runbook.name}): {len(runbook.steps)} steps")
    width = max((len(step.id) for step in runbook.steps), default=0)
    for step in runbook.steps:
        click.echo(f"{step.number:>3}. {step.id:<{width}}  {step.kind:<7}  {step.title}")


# Further commands register here (run, bump, check, export).


def main() -> None:
    """Console entry point."""
    cli(prog_name="python -m runbook")
