"""``python -m runbook abandon``: give up the release in progress, after showing what it did."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import find_project_root
from sphinx_release_runbook.core.errors import ExitCode

if TYPE_CHECKING:
    from sphinx_release_runbook.runner.state import RunState


@click.command("abandon", epilog=EXIT_CODES_HELP)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="Clear the state without asking (needed without a terminal).",
)
def abandon_command(assume_yes: bool) -> ExitCode:
    """Give up the release in progress: show what it did, then clear its state.

    A release that did not complete blocks every new `run` (a new version
    would start its steps again).  This prints what the stopped run recorded
    (the version and tag, the steps done, the step it stopped in and whether a
    command of it may have run in part, the transcripts), asks, and deletes
    .runbook/state.json and its journal.  The transcripts stay.

    Nothing in the repository is undone: commits, tags, pushes and releases the
    steps made stay as they are; undo them by hand if you need to.  Refused
    while a run holds the lock or the commands of a killed run still run.
    """
    from sphinx_release_runbook.runner.lock import holding
    from sphinx_release_runbook.runner.prompts import Declined, NeedsConfirmation, Prompter
    from sphinx_release_runbook.runner.state import StateError, StateStore

    root = find_project_root(Path.cwd())
    store = StateStore(root)
    if not store.exists():
        click.echo("nothing to abandon: no release is in progress (no .runbook/state.json)")
        return ExitCode.OK
    with holding(root, "abandon", notice=lambda text: click.echo(text, err=True)):
        try:
            state = store.load()
        except StateError as exc:
            click.echo(f"The state file cannot be read: {exc}")
            state = None
        else:
            if state is not None and state.status == "done":
                click.echo(
                    f"nothing to abandon: the release {state.version} completed "
                    f"({store.path} records it; a new run replaces it)"
                )
                return ExitCode.OK
            if state is not None:
                group = state.recorded_group
                if group is not None and group.alive():
                    from sphinx_release_runbook.runner.lock import LockedError

                    raise LockedError(
                        f"cannot abandon yet: the command the run was in still runs (process "
                        f"group {group.pgid}); wait for it to end, or stop it "
                        f"(kill -TERM -- -{group.pgid})"
                    )
                for line in _summary(state):
                    click.echo(line)
        prompter = Prompter(assume_yes=assume_yes, say=click.echo)
        try:
            prompter.confirm(f"Clear the state in {store.path}?")
        except NeedsConfirmation:
            click.echo(
                "error: abandon asks before it clears the state, and there is no terminal; "
                "run `python -m runbook abandon --yes`",
                err=True,
            )
            return ExitCode.NEEDS_CONFIRMATION
        except Declined:
            click.echo("Kept the state; continue the release with --resume.", err=True)
            return ExitCode.DECLINED
        store.clear()
    click.echo(
        f"Cleared {store.path}. The repository is unchanged; a new release can start with "
        "`python -m runbook run --version VERSION`."
    )
    return ExitCode.OK


def _summary(state: RunState) -> list[str]:
    lines = [
        f"Release {state.version} (tag {state.tag}) of runbook {state.runbook!r}, "
        f"started {state.started}, last saved {state.updated}: {state.status}"
        + (f" ({_first_line(state.reason)})" if state.reason else ""),
        f"Done ({len(state.completed)} of {len(state.selected)} steps): "
        + (", ".join(state.completed) or "none"),
    ]
    if state.current:
        detail = f"{state.commands_done} command(s) of it done"
        if state.in_flight is not None:
            detail += f"; command {state.in_flight + 1} was running and may have done part of it"
        lines.append(f"Stopped in: {state.current} ({detail})")
    left = [step for step in state.remaining() if step != state.current]
    lines.append("Not run: " + (", ".join(left) or "none"))
    for transcript in state.transcripts:
        lines.append(f"Transcript: {transcript}")
    lines.append(
        "Abandoning undoes nothing: what the steps above did (commits, tags, pushes, "
        "releases) stays; undo it by hand if you need to."
    )
    return lines


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0] + (" …" if len(lines) > 1 else "") if lines else ""
