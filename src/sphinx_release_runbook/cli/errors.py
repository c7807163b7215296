"""The one place a :class:`~sphinx_release_runbook.core.errors.RunbookError` meets the user.

Commands never print an error or exit: they raise a ``RunbookError`` (which
carries its exit code) or return the :class:`~sphinx_release_runbook.core.errors.ExitCode`
of what they did.  :class:`RunbookGroup` turns both into ``error: MESSAGE`` on
stderr and the exit status, so no traceback reaches the terminal.  Two more
end there as a last resort: an :class:`OSError` no command foresaw (exit 11,
naming the file) and a Ctrl-C outside a run's steps (exit 130).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.fs import file_problem


class CommandLineError(RunbookError):
    """The command line asks for something this runbook cannot do; nothing ran."""

    exit_code = ExitCode.USAGE


class Interrupted(RunbookError):
    """Ctrl-C before anything ran (while the runbook was being built from the docs)."""

    exit_code = ExitCode.INTERRUPTED


#: The commands in the order a maintainer uses them in a release: see the steps, check the
#: guide, try it, run it (or give a stopped run up); bump and export stand alone.
COMMAND_ORDER = ("list", "check", "rehearse", "run", "abandon", "bump", "export")


class RunbookGroup(click.Group):
    """A click group that maps a command's ``RunbookError`` or returned ``ExitCode`` to its exit.

    It lists its commands (in ``--help`` and on the reference page) in :data:`COMMAND_ORDER`,
    not alphabetically; a command the order does not name comes after those it names.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        rank = {name: position for position, name in enumerate(COMMAND_ORDER)}
        # sorted() is stable: unnamed commands keep click's alphabetical order, at the end.
        return sorted(super().list_commands(ctx), key=lambda name: rank.get(name, len(rank)))

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's standalone handling, but a Ctrl-C while click parses is exit 130 too."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.Abort:
            click.echo(file=sys.stderr)
            click.echo(f"error: {_INTERRUPTED}", err=True)
            sys.exit(ExitCode.INTERRUPTED)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
        except RunbookError as exc:
            result = _report(exc)
        except KeyboardInterrupt:
            result = _report(Interrupted(_INTERRUPTED))
        except OSError as exc:
            where = Path(exc.filename) if exc.filename else Path.cwd()
            result = _report(file_problem(exc, where, "use"))
        except Exception as exc:
            # Ctrl-C in the middle of an import surfaces as the error it interrupted.
            if not isinstance(exc.__context__, KeyboardInterrupt):
                raise
            result = _report(Interrupted(_INTERRUPTED))
        if isinstance(result, ExitCode) and result is not ExitCode.OK:
            ctx.exit(int(result))
        return result


_INTERRUPTED = (
    "interrupted outside a step; nothing more ran (a saved run state is intact: --resume "
    "continues it)"
)


def _report(error: RunbookError) -> ExitCode:
    click.echo(f"error: {error}", err=True)
    return error.code
