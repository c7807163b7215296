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
    metavar="VERSION",
    help="The new version (X.Y.Z), or major, minor, patch.",
)
@click.option("--dry-run", is_flag=True, help="Print the edits; write nothing.")
@runbook_option
@name_option
def bump_command(version: str, dry_run: bool, runbook_file: Path | None, name: str | None) -> None:
    """Set every version source of the runbook (its :bump: targets) to --version.

    Only the version values change; every other byte of each file stays as it
    was.  All edits are planned before any file is written, and each file is
    replaced atomically.
    """
    from sphinx_release_runbook.bump import plan_edits, write_edits
    from sphinx_release_runbook.core.versions import version_info
    from sphinx_release_runbook.runner.report import edit_lines
    from sphinx_release_runbook.runner.validate import validate_release

    runbook = pick(load(runbook_file, write_cache=not dry_run), name)
    if not runbook.bump_targets:
        raise CommandLineError(f"runbook {runbook.name!r} has no :bump: targets")
    root = find_project_root(Path.cwd())
    # A ValidationError or BumpError here is a bad --version or target: exit 2, nothing written.
    release = validate_release(runbook, root, version, check_tag=False)
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
    click.echo(f"Wrote {', '.join(written) if written else 'nothing (already at that version)'}.")
