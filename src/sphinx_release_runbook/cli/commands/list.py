"""``python -m runbook list``: the steps of the runbook."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.options import load, name_option, pick, runbook_option


@click.command("list", epilog=EXIT_CODES_HELP)
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
