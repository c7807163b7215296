"""The errors of a rehearsal that are not a failed step: it could not be set up."""

from __future__ import annotations

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class RehearsalError(RunbookError):
    """The rehearsal could not be set up (the clone, the index); nothing of the release ran."""

    exit_code = ExitCode.OS_ERROR


class MissingRehearsalTools(RunbookError):
    """A program the rehearsal needs (from the ``rehearse`` extra) is not installed."""

    exit_code = ExitCode.MISSING_TOOLS
