"""``python -m runbook run``: the release, step by step (the runner does the work)."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import find_project_root
from sphinx_release_runbook.cli.options import (
    load,
    name_option,
    pick,
    runbook_option,
    say_notices,
)
from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.remote_tags import RemoteTags


@click.command("run", epilog=EXIT_CODES_HELP)
@click.option(
    "--version",
    "version",
    metavar="X.Y.Z|major|minor|patch",
    help="The version to release (X.Y.Z), or major, minor, patch to increase the current one "
    "(the greater of the version files and the newest tag).",
)
@click.option(
    "--yes",
    "-y",
    "assume_yes",
    is_flag=True,
    help="Answer yes at every :confirm: question (for CI). It does not say a manual step is "
    "done (--done does) or that a half-run command may run again (--repeat does).",
)
@click.option("--dry-run", is_flag=True, help="Print every command with values; change nothing.")
@click.option("--from", "start", metavar="STEP", help="Start at this step id.")
@click.option("--only", multiple=True, metavar="STEP", help="Run only this step (repeatable).")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the last run where it stopped. Refused while the commands of the stopped "
    "step still run. A step edited since restarts from its first command; a command that "
    "was interrupted runs again by itself only in a step with :skip-if: or a check or wait "
    "step (otherwise you are asked, or, without a terminal, the run stops with exit 10).",
)
@click.option(
    "--done",
    "done",
    multiple=True,
    metavar="STEP",
    help="STEP is done: a manual step you did by hand (needed without a terminal), or, with "
    "--resume, the step whose interrupted command took effect (the run continues after "
    "it). Repeatable.",
)
@click.option(
    "--repeat",
    "repeat",
    multiple=True,
    metavar="STEP",
    help="With --resume: run STEP's interrupted command again (you checked it did not take "
    "effect), or restart STEP from its first command when it was edited since the run "
    "stopped. Repeatable.",
)
@click.option("--force", is_flag=True, help="Run even when the guide has drifted.")
@click.option(
    "--secret",
    "secrets",
    multiple=True,
    metavar="NAME",
    help="Mask the value of environment variable NAME too (repeatable).",
)
@runbook_option
@name_option
def run_command(
    version: str | None,
    assume_yes: bool,
    dry_run: bool,
    start: str | None,
    only: tuple[str, ...],
    resume: bool,
    done: tuple[str, ...],
    repeat: tuple[str, ...],
    force: bool,
    secrets: tuple[str, ...],
    runbook_file: Path | None,
    name: str | None,
) -> ExitCode:
    """Run the release steps of the guide for --version.

    Every value is validated and every command rendered before the first step
    runs; state, lock and transcripts live in .runbook/ at the repository root
    (a 0700 folder; state and transcripts are 0600).  While a release is in
    progress (a run that did not complete), a new run of any version is
    refused: continue it with --resume, or give it up with `abandon`.

    Every command runs in its own process group; if the runner dies (even by
    SIGKILL), the group is stopped (SIGTERM, then SIGKILL after
    RUNBOOK_STOP_GRACE seconds, default 3) and the lock stays taken until it
    is gone.  Ctrl-C, SIGTERM and SIGHUP stop the step and save the state.

    Values of environment variables whose names contain TOKEN, SECRET,
    PASSWORD or KEY, and of each --secret NAME, are masked on screen and in
    the transcript, each line of a multi-line value on its own.  A value
    printed encoded (base64, URL-encoded) or in pieces is not recognised.

    What the build notes that is not drift (links the link check could not
    tell from this project's) is printed as `note:` lines first, as by `check`.
    """
    if start and only:
        raise CommandLineError("--from and --only do not combine; use one")
    if resume and (start or only):
        raise CommandLineError("--resume continues the last run's own steps; drop --from/--only")
    if repeat and not resume:
        raise CommandLineError(
            "--repeat answers a question of --resume (a command the last run was interrupted "
            "in); add --resume"
        )
    if version is None and not resume:
        raise CommandLineError(
            "--version is required (a version such as 1.2.3, or major, minor, patch)"
        )
    root = find_project_root(Path.cwd())
    # The slowest question of the validation, asked before the runner is even imported;
    # stopped on the way out if the run ends before it needs the answer.
    remote_tags = None if resume else RemoteTags(root)
    try:
        # Imported here: `--help` and `list` should not pay for the runner.
        from sphinx_release_runbook.runner import Invocation, RunOptions, Session, drift_gate
        from sphinx_release_runbook.runner.secrets import Masker
        from sphinx_release_runbook.runner.transcript import Console

        loaded = load(runbook_file)
        say_notices(loaded)
        runbook = pick(loaded, name)
        console = Console(Masker())
        invocation = Invocation(
            runbook_file=str(runbook_file) if runbook_file else None,
            name=name,
            secrets=secrets,
            assume_yes=assume_yes,
            force=force,
        )
        options = RunOptions(
            version=version,
            dry_run=dry_run,
            assume_yes=assume_yes,
            start=start,
            only=only,
            resume=resume,
            force=force,
            secrets=secrets,
            invocation=invocation,
            done=done,
            repeat=repeat,
        )
        drift_gate(loaded.findings, force, console, continuing=bool(start or only or resume))
        return Session(runbook, root, options, console, remote_tags=remote_tags).run()
    finally:
        if remote_tags is not None:
            remote_tags.stop()
