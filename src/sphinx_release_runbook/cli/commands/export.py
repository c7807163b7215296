"""``python -m runbook export``: the runbook as a standalone bash checklist script."""

from __future__ import annotations

from pathlib import Path

import click

from sphinx_release_runbook.cli.errors import CommandLineError
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.options import load, name_option, pick, runbook_option


@click.command("export", epilog=EXIT_CODES_HELP)
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
    from sphinx_release_runbook.export.script import render_script

    loaded = load(runbook_file)
    runbook = pick(loaded, name)
    target = output or Path(loaded.script_path or f"release-{runbook.name}.sh")
    script = render_script(runbook, target.name)
    outputs = [(target, script)]
    if json_output is not None:
        outputs.append((json_output, loaded.export.to_json()))
    for path, text in outputs:
        try:
            write_atomic(path, text)
        except OSError as exc:
            # Name the file asked for, not the temporary file the atomic write uses.
            raise CommandLineError(f"cannot write {path}: {exc.strerror or exc}") from exc
    target.chmod(0o755)
    click.echo(f"wrote {target} ({len(runbook.steps)} steps)")
    if json_output is not None:
        click.echo(f"wrote {json_output}")
