"""``python -m runbook check``: the drift checks of the guide, without an HTML build."""

from __future__ import annotations

import click

from sphinx_release_runbook.cli import findings_report
from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP
from sphinx_release_runbook.cli.options import load, say_notices
from sphinx_release_runbook.core.errors import ExitCode


@click.command("check", epilog=EXIT_CODES_HELP)
@click.option("--diff", "show_diff", is_flag=True, help="Print the unified diff of each copy.")
def check_command(show_diff: bool) -> ExitCode:
    """Run the drift checks of the guide (no HTML build); exit 3 on drift.

    What the build notes that is not drift (links into a GitHub repository that
    the link check cannot tell from this one, with the setting that checks them)
    is printed as `note:` lines on standard error.
    """
    loaded = load(None)
    say_notices(loaded)
    return findings_report.report(loaded.findings, diff=show_diff, echo=click.echo)
