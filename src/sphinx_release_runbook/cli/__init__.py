"""``python -m runbook``: run, list, check, export and bump from the release guide.

Every error a user can cause ends here as a message and an exit code from
:mod:`~sphinx_release_runbook.exitcodes`; no traceback reaches the terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.cli import findings_report as check
from sphinx_release_runbook.cli.exitcodes import describe
from sphinx_release_runbook.cli.loader import Loaded, LoadError, build, find_project_root, load_json
from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Runbook

EXIT_CODES_HELP = "\b\nExit codes:\n" + describe()


def fail(message: str, code: ExitCode) -> None:
    """Print *message* to stderr and exit with *code*."""
    click.echo(f"error: {message}", err=True)
    sys.exit(int(code))


def load(
    runbook_file: Path | None, root: Path | None = None, *, write_cache: bool = True
) -> Loaded:
    """The runbook export for the CLI: a file, or the docs of the current repository."""
    try:
        if runbook_file is not None:
            return load_json(runbook_file)
        return build(find_project_root(root or Path.cwd()), write_cache=write_cache)
    except LoadError as exc:
        fail(str(exc), ExitCode.DOCS)
        raise  # unreachable: fail() exits
    except KeyboardInterrupt:
        # The cache manifest is written last, so an interrupted build is simply redone.
        fail(
            "interrupted while building the runbook from the docs; nothing ran",
            ExitCode.INTERRUPTED,
        )
        raise


def pick(loaded: Loaded, name: str | None) -> Runbook:
    """The runbook named *name*, or the only one."""
    try:
        return loaded.export.runbook(name or loaded.default_name)
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


@cli.command("run", epilog=EXIT_CODES_HELP)
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
) -> None:
    """Run the release steps of the guide for --version.

    Every value is validated and every command rendered before the first step
    runs; state, lock and transcripts live in .runbook/ at the repository root.
    Values of environment variables whose names contain TOKEN, SECRET,
    PASSWORD or KEY, and of each --secret NAME, are masked on screen and in
    the transcript.
    """
    # Imported here: `--help` and `list` should not pay for the runner.
    from sphinx_release_runbook.runner import Invocation, RunError, RunOptions, Session, drift_gate
    from sphinx_release_runbook.runner.secrets import Masker
    from sphinx_release_runbook.runner.transcript import Console

    if start and only:
        fail("--from and --only do not combine; use one", ExitCode.USAGE)
    if resume and (start or only):
        fail("--resume continues the last run's own steps; drop --from/--only", ExitCode.USAGE)
    if version is None and not resume:
        fail(
            "--version is required (a version such as 1.2.3, or major, minor, patch)",
            ExitCode.USAGE,
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
    try:
        drift_gate(loaded.findings, force, console, continuing=bool(start or only or resume))
        code = Session(runbook, root, options, console).run()
    except RunError as exc:
        fail(str(exc), exc.code)
        raise  # unreachable: fail() exits
    sys.exit(int(code))


@cli.command("bump", epilog=EXIT_CODES_HELP)
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
    from sphinx_release_runbook.bump import BumpError, plan_edits, write_edits
    from sphinx_release_runbook.core.versions import version_info
    from sphinx_release_runbook.runner.report import edit_lines
    from sphinx_release_runbook.runner.validate import ValidationError, validate_release

    runbook = pick(load(runbook_file, write_cache=not dry_run), name)
    if not runbook.bump_targets:
        fail(f"runbook {runbook.name!r} has no :bump: targets", ExitCode.USAGE)
    root = find_project_root(Path.cwd())
    try:
        release = validate_release(runbook, root, version, check_tag=False)
        edits = plan_edits(
            root,
            runbook.bump_targets,
            release.version,
            version_info(release.version, runbook.version_scheme),
        )
    except (ValidationError, BumpError) as exc:
        fail(str(exc), ExitCode.USAGE)
        raise
    click.echo(f"{release.previous_version} -> {release.version}")
    for line in edit_lines(edits):
        click.echo(line)
    if dry_run:
        click.echo("Dry run: no file written.")
        return
    written = write_edits(root, edits)
    click.echo(f"Wrote {', '.join(written) if written else 'nothing (already at that version)'}.")


@cli.command("export", epilog=EXIT_CODES_HELP)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the checklist script (default: runbook_script_path from conf.py, "
    "else release-NAME.sh).",
)
@click.option(
    "--json",
    "json_output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the runbook.json export here.",
)
@runbook_option
@name_option
def export_command(
    output: Path | None, json_output: Path | None, runbook_file: Path | None, name: str | None
) -> None:
    """Write the runbook as a standalone bash checklist script.

    The script needs only bash, git and python3: it takes --version, asks at
    manual and confirm steps (--yes for CI), supports --dry-run, --from and
    --only, and leaves the repository as `python -m runbook run` would.
    """
    from sphinx_release_runbook.core.fs import write_atomic
    from sphinx_release_runbook.export.script import ExportError, render_script

    loaded = load(runbook_file)
    runbook = pick(loaded, name)
    target = output or Path(loaded.script_path or f"release-{runbook.name}.sh")
    try:
        script = render_script(runbook, target.name)
    except ExportError as exc:
        fail(str(exc), ExitCode.USAGE)
    outputs = [(target, script)]
    if json_output is not None:
        outputs.append((json_output, loaded.export.to_json()))
    for path, text in outputs:
        try:
            write_atomic(path, text)
        except OSError as exc:
            # Name the file asked for, not the temporary file the atomic write uses.
            fail(f"cannot write {path}: {exc.strerror or exc}", ExitCode.USAGE)
    target.chmod(0o755)
    click.echo(f"wrote {target} ({len(runbook.steps)} steps)")
    if json_output is not None:
        click.echo(f"wrote {json_output}")


@cli.command("check", epilog=EXIT_CODES_HELP)
@click.option("--diff", "show_diff", is_flag=True, help="Print the unified diff of each copy.")
def check_command(show_diff: bool) -> None:
    """Run the drift checks of the guide (no HTML build); exit 3 on drift."""
    loaded = load(None)
    sys.exit(int(check.report(loaded.findings, diff=show_diff, echo=click.echo)))


# Further commands register here.


def main() -> None:
    """Console entry point."""
    cli(prog_name="python -m runbook")
