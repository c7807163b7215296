"""What the steps of one job share, and how a step's commands run and are logged.

A job keeps the variables and ``PATH`` entries earlier steps added (through
``$GITHUB_ENV``/``$GITHUB_PATH`` or an action such as ``setup-python``).  A
step's output goes to its own log file, with the rehearsal's secrets masked
as GitHub masks them (``***``).  Commands run in the rehearsal's process
group, never in a session of their own, so that stopping the rehearsal stops
them too.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sphinx_release_runbook.rehearse.context import RehearsalContext


@dataclass
class JobState:
    """The job's checkout, folders and what its steps added to the environment."""

    context: RehearsalContext
    workspace: Path
    run_dir: Path
    job_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)  # first entry first on PATH

    @property
    def artifacts_dir(self) -> Path:
        return self.run_dir / "artifacts"

    def prepend_path(self, entry: Path | str) -> None:
        text = os.fspath(entry)
        if text in self.path:
            self.path.remove(text)
        self.path.insert(0, text)


class StepLog:
    """A step's log file: its commands' output and the rehearsal's notes, secrets masked."""

    def __init__(self, stream: TextIO, masked: list[str]) -> None:
        self.stream = stream
        self.masked = sorted({value for value in masked if len(value) >= 3}, key=len, reverse=True)
        self.notes: list[str] = []

    def write(self, text: str) -> None:
        for value in self.masked:
            text = text.replace(value, "***")
        self.stream.write(text)
        self.stream.flush()

    def note(self, text: str) -> None:
        """A line of the rehearsal's own (``rehearsal: ...``), kept for the run record too."""
        self.notes.append(text)
        self.write(f"rehearsal: {text}\n")

    def execute(self, argv: list[str], env: dict[str, str], cwd: Path) -> int:
        """Run *argv* with its output in the log; its exit status (127 when not found)."""
        try:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
            )
        except OSError as exc:
            self.write(f"{argv[0]}: {exc.strerror}\n")
            return 127
        assert process.stdout is not None  # stdout=PIPE above
        with process.stdout:
            for line in process.stdout:
                self.write(line)
        return process.wait()
