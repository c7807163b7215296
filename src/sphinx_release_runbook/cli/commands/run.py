"""``python -m runbook run``: the release, step by step (the runner does the work)."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import find_project_root
from sphinx_release_runbook.cli.options import load, name_option, pick, runbook_option
from sphinx_release_runbook.core.errors import ExitCode


@click.command("run", epilog=EXIT_CODES_HELP)
@click.option(
    "--version",
    "version",
    metavar="VERSION",
    help="The version to release (X.Y.Z), or major, minor, patch to increase the current one.",
)
@click.option("--yes", "-y", "assume_yes", is_flag=True, help="Answer yes at every question.")
@click.option("--dry-run", is_flag=True, help="Print every command with values; change nothing.")
@click.option("--from", "start", metavar="STEP", help="Start at this step id.")
@click.option("--only", multiple=True, metavar="STEP", help="Run only this step (repeatable).")
@click.option("--resume", is_flag=True, help="Continue the last run where it stopped.")
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
    force: bool,
    secrets: tuple[str, ...],
    runbook_file: Path | None,
    name: str | None,
) -> ExitCode:
    """Run the release steps of the guide for --version.

    Every value is validated and every command rendered before the first step
    runs; state, lock and transcripts live in .runbook/ at the repository root.
    Values of environment variables whose names contain TOKEN, SECRET,
    PASSWORD or KEY, and of each --secret NAME, are masked on screen and in
    the transcript.
    """
    # Imported here: `--help` and `list` should not pay for the runner.
    from sphinx_release_runbook.runner import Invocation, RunOptions, Session, drift_gate
    from sphinx_release_runbook.runner.secrets import Masker
    from sphinx_release_runbook.runner.transcript import Console

    if start and only:
        raise CommandLineError("--from and --only do not combine; use one")
    if resume and (start or only):
        raise CommandLineError("--resume continues the last run's own steps; drop --from/--only")
    if version is None and not resume:
        raise CommandLineError(
            "--version is required (a version such as 1.2.3, or major, minor, patch)"
        )
    loaded = load(runbook_file, write_cache=not dry_run)
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
    )
    root = find_project_root(Path.cwd())
    drift_gate(loaded.findings, force, console, continuing=bool(start or only or resume))
    return Session(runbook, root, options, console).run()
