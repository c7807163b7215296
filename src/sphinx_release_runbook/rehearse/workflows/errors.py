"""The error of a workflow the rehearsal cannot run as written, located in its file."""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode, RunbookError


class WorkflowError(RunbookError):
    """A workflow the rehearsal cannot run: the message starts with ``FILE:LINE:``."""

    exit_code = ExitCode.STEP_FAILED

    def __init__(self, file: Path | str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file = str(file)
        self.line = line
        self.detail = message
