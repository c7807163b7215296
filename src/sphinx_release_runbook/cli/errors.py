"""The one place a :class:`~sphinx_release_runbook.core.errors.RunbookError` meets the user.

Commands never print an error or exit: they raise a ``RunbookError`` (which
carries its exit code) or return the :class:`~sphinx_release_runbook.core.errors.ExitCode`
of what they did.  :class:`RunbookGroup` turns both into ``error: MESSAGE`` on
stderr and the exit status, so no traceback reaches the terminal.
"""

from __future__ import annotations

from typing import Any

import click

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class CommandLineError(RunbookError):
    """The command line asks for something this runbook cannot do; nothing ran."""

    exit_code = ExitCode.USAGE


class Interrupted(RunbookError):
    """Ctrl-C before anything ran (while the runbook was being built from the docs)."""

    exit_code = ExitCode.INTERRUPTED


class RunbookGroup(click.Group):
    """A click group that maps a command's ``RunbookError`` or returned ``ExitCode`` to its exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except RunbookError as exc:
            click.echo(f"error: {exc}", err=True)
            result = exc.code
        if isinstance(result, ExitCode) and result is not ExitCode.OK:
            ctx.exit(int(result))
        return result
