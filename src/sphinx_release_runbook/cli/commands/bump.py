"""``python -m runbook bump``: set every version source (the :bump: targets) at once."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.loader import find_project_root
from sphinx_release_runbook.cli.options import load, name_option, pick, runbook_option


@click.command("bump", epilog=EXIT_CODES_HELP)
@click.option(
    "--version",
    "version",
    required=True,
    metavar="X.Y.Z|major|minor|patch",
    help="The new version (X.Y.Z), or major, minor, patch (from the current version: the "
    "greater of the version files and the newest tag).",
)
@click.option("--dry-run", is_flag=True, help="Print the edits; write nothing.")
@runbook_option
@name_option
def bump_command(version: str, dry_run: bool, runbook_file: Path | None, name: str | None) -> None:
    """Set every version source of the runbook (its :bump: targets) to --version.

    Only the version values change; every other byte of each file stays as it
    was.  All edits are planned before any file is written, and each file is
    replaced atomically.  Sources that disagree are all set to --version, which
    must be greater than the highest of them.

    It takes the repository's lock (.runbook/lock), so it never changes the
    files under a running `run` (exit 5, naming the holder).  While a release
    is in progress it only completes that release's version (the same
    --version); anything else is refused with the command to resume or
    abandon that release.
    """
    from sphinx_release_runbook.bump import plan_edits, write_edits
    from sphinx_release_runbook.core.errors import ExitCode
    from sphinx_release_runbook.core.versions import BUMP_PARTS, version_info
    from sphinx_release_runbook.runner.errors import RunError
    from sphinx_release_runbook.runner.lock import holding
    from sphinx_release_runbook.runner.report import Invocation, edit_lines
    from sphinx_release_runbook.runner.resume import ABANDON, in_progress
    from sphinx_release_runbook.runner.state import StateStore
    from sphinx_release_runbook.runner.validate import check_length, shown, validate_release

    runbook = pick(load(runbook_file), name)
    if not runbook.bump_targets:
        raise CommandLineError(f"runbook {runbook.name!r} has no :bump: targets")
    root = find_project_root(Path.cwd())
    check_length(version)

    def bump() -> None:
        state = in_progress(StateStore(root))
        if state is not None and (version in BUMP_PARTS or version != state.version):
            resume = Invocation(
                runbook_file=str(runbook_file) if runbook_file else None, name=name
            ).resume_command(state.version)
            raise RunError(
                f"a release is in progress: {state.version} (runbook {state.runbook!r}, "
                f"{state.status}); bumping to {shown(version)} would change its version "
                f"files under it. Continue it with: {resume}; or give it up with: {ABANDON}",
                ExitCode.USAGE,
            )
        # A ValidationError or BumpError here is a bad --version or target: nothing written.
        # Continuing: sources that disagree (a half-done bump) may be set to the highest.
        release = validate_release(
            runbook,
            root,
            version,
            check_tag=False,
            continuing=True,
            repairing=True,
            recorded_previous=state.previous_version if state is not None else None,
        )
        edits = plan_edits(
            root,
            runbook.bump_targets,
            release.version,
            version_info(release.version, runbook.version_scheme),
        )
        click.echo(f"{release.previous_version} -> {release.version}")
        for line in edit_lines(edits):
            click.echo(line)
        if dry_run:
            click.echo("Dry run: no file written.")
            return
        written = write_edits(root, edits)
        click.echo(
            f"Wrote {', '.join(written) if written else 'nothing (already at that version)'}."
        )

    if dry_run:
        bump()
        return
    with holding(root, "bump", notice=lambda text: click.echo(text, err=True)):
        bump()
