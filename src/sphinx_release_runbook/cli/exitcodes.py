"""The exit-code table of ``--help``: what each exit code means to a user.

Every command's ``--help`` ends with the whole table, so the meaning of the code a
command just returned is in the help of that command.  The reference page in the
docs shows the table once, from :func:`rows` (``docs/_ext/cli_reference.py``).
"""

from __future__ import annotations

from sphinx_release_runbook.core.errors import ExitCode


def rows() -> list[tuple[int, str]]:
    """Each exit code with its meaning, in the order of :class:`ExitCode`."""
    return [(code.value, _MEANINGS[code]) for code in ExitCode]


def describe() -> str:
    """The exit-code table as printed in ``--help``."""
    return "\n".join(f"{code:>4}  {meaning}" for code, meaning in rows())


_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (with --dry-run: the plan was printed, nothing changed)",
    ExitCode.STEP_FAILED: "a step failed; the message says which and how to --resume",
    ExitCode.USAGE: "bad command line or bad --version value; nothing ran",
    ExitCode.DRIFT: "the guide drifted (see `runbook check`), or the version files disagree",
    ExitCode.DOCS: "the runbook could not be loaded (docs build failed, bad runbook.json)",
    ExitCode.LOCKED: "another command holds .runbook/lock, or a killed run's commands run",
    ExitCode.NEEDS_CONFIRMATION: "a step needs confirmation but there is no terminal; use --yes",
    ExitCode.DECLINED: "you declined a confirmation; --resume continues from that step",
    ExitCode.MISSING_TOOLS: "a tool a step :requires: is not on PATH; nothing ran",
    ExitCode.MANUAL_STEP: "a manual step and no terminal; do it, then --resume --done STEP",
    ExitCode.NEEDS_DECISION: "a step may have run in part; check, then --repeat or --done it",
    ExitCode.OS_ERROR: "a file could not be read or written; the message names it and the fix",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C, SIGTERM, SIGHUP); state saved, --resume goes on",
}

#: The epilog of ``--help`` of the group and of every command.
EXIT_CODES_HELP = "\b\nExit codes:\n" + describe()
