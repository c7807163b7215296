"""The options that choose the runbook (``--runbook``, ``--name``), and the choosing."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError, Interrupted
from sphinx_release_runbook.cli.loader import Loaded, build, find_project_root, load_json
from sphinx_release_runbook.core.model import Runbook

runbook_option = click.option(
    "--runbook",
    "runbook_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Use this exported runbook.json instead of building the docs.",
)
name_option = click.option(
    "--name",
    metavar="NAME",
    help="The runbook to use when the docs define several (its release-runbook NAME).",
)


def load(runbook_file: Path | None, root: Path | None = None) -> Loaded:
    """The runbook export for the CLI: a file, or the docs of the current repository.

    Every command caches its build in the git-ignored ``.runbook/``, ``--dry-run``
    included, so only the first command of a checkout builds the docs.
    """
    try:
        if runbook_file is not None:
            return load_json(runbook_file)
        return build(find_project_root(root or Path.cwd()))
    except KeyboardInterrupt:
        # The cache manifest is written last, so an interrupted build is simply redone.
        raise Interrupted(
            "interrupted while building the runbook from the docs; nothing ran"
        ) from None


def say_notices(loaded: Loaded) -> None:
    """What the build notes that is not drift, as ``note:`` lines on standard error."""
    for notice in loaded.notices:
        click.echo(f"note: {notice}", err=True)


def pick(loaded: Loaded, name: str | None) -> Runbook:
    """The runbook named *name*, or the only one."""
    try:
        return loaded.export.runbook(name or loaded.default_name)
    except KeyError as exc:
        # Export.runbook() says which runbooks there are; here that is a bad --name.
        raise CommandLineError(exc.args[0]) from exc
