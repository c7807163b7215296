"""The runner's own errors: a run that cannot start, and a step that failed."""

from __future__ import annotations

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class RunError(RunbookError):
    """The run cannot start; nothing has run.  Carries its exit code."""


class StepFailed(RunbookError):
    """A step's command failed; *output* is what the step printed (for troubleshooting)."""

    exit_code = ExitCode.STEP_FAILED

    def __init__(self, reason: str, output: str) -> None:
        super().__init__(reason)
        self.output = output
