"""Exit codes of ``python -m runbook``: the one place they are defined and documented."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``python -m runbook`` exit status means."""

    OK = 0  #: everything asked for was done (or, with --dry-run, planned)
    STEP_FAILED = 1  #: a step's command failed, timed out or did not match :expect:
    USAGE = 2  #: bad command line: unknown option, bad --version, unknown step id
    DRIFT = 3  #: the drift checks found problems (``check``; ``run`` without --force)
    DOCS = 4  #: the runbook could not be loaded: the docs build failed or runbook.json is bad
    LOCKED = 5  #: another run holds the lock on this repository
    NEEDS_CONFIRMATION = 6  #: a step needs a confirmation and there is no terminal (use --yes)
    DECLINED = 7  #: the user answered no at a confirmation
    MISSING_TOOLS = 8  #: a tool named by a step's :requires: is not on PATH; nothing ran
    INTERRUPTED = 130  #: Ctrl-C (SIGINT) or SIGTERM; the state was saved, --resume continues


def describe() -> str:
    """The exit-code table as printed in ``--help``."""
    lines = []
    for code in ExitCode:
        lines.append(f"{code.value:>4}  {_MEANINGS[code]}")
    return "\n".join(lines)


_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (with --dry-run: the plan was printed, nothing changed)",
    ExitCode.STEP_FAILED: "a step failed; the message says which and how to --resume",
    ExitCode.USAGE: "bad command line or bad --version value; nothing ran",
    ExitCode.DRIFT: "the guide drifted from the repository (see `runbook check`)",
    ExitCode.DOCS: "the runbook could not be loaded (docs build failed, bad runbook.json)",
    ExitCode.LOCKED: "another run holds .runbook/lock",
    ExitCode.NEEDS_CONFIRMATION: "a step needs confirmation but there is no terminal; use --yes",
    ExitCode.DECLINED: "you declined a confirmation; --resume continues from that step",
    ExitCode.MISSING_TOOLS: "a tool a step :requires: is not on PATH; nothing ran",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C); the state was saved, --resume continues",
}
