"""The one error type a user can meet, and the exit codes of ``python -m runbook``.

Every error the project raises for a user derives from :class:`RunbookError`
and carries the exit code it means; the CLI maps it to a message and that code
in one place (:mod:`sphinx_release_runbook.cli.errors`).  A subclass names its
code once, as ``exit_code``; a raise site may override it when the same error
means something else where it is met.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """What a ``python -m runbook`` exit status means."""

    OK = 0  #: everything asked for was done (or, with --dry-run, planned)
    STEP_FAILED = 1  #: a step's command failed, timed out or did not match :expect:
    USAGE = 2  #: bad command line: unknown option, bad --version, unknown step id
    DRIFT = 3  #: the drift checks found problems (``check``; ``run`` without --force)
    DOCS = 4  #: the runbook could not be loaded: the docs build failed or runbook.json is bad
    LOCKED = 5  #: another command holds the lock, or a dead run's step commands still run
    NEEDS_CONFIRMATION = 6  #: a step needs a confirmation and there is no terminal (use --yes)
    DECLINED = 7  #: the user answered no at a confirmation
    MISSING_TOOLS = 8  #: a tool named by a step's :requires: is not on PATH; nothing ran
    MANUAL_STEP = 9  #: a manual step and no terminal to ask on; --resume --done STEP continues
    NEEDS_DECISION = 10  #: --resume met a step that may have run in part; --repeat or --done it
    OS_ERROR = 11  #: a file or folder could not be read or written; the message names it
    INTERRUPTED = 130  #: Ctrl-C (SIGINT) or SIGTERM; the state was saved, --resume continues


class RunbookError(Exception):
    """A problem the user can act on; the message says where and what to do."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def __init__(self, message: str, code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.code: ExitCode = type(self).exit_code if code is None else code
