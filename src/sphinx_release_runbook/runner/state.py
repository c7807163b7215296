"""Run state in ``.runbook/state.json`` and the lock ``.runbook/lock``.

The state says which steps of which release are done, and how far the current
step got (commands completed), so ``--resume`` neither repeats a finished
command (a second ``git commit`` would fail) nor skips an unfinished one.

``state.json`` is rewritten atomically (temporary file, then rename) at every
step boundary and whenever a run stops: a killed run leaves the previous state
or the next, never half of one.  Progress inside a step goes to an append-only
``progress`` journal instead, one line per finished command: on ext4 a rename
over an existing file costs a flush (about a millisecond), which after every
command would double the runner's overhead on short commands.  A torn last
line of the journal is ignored, so the journal is as safe as the rename.

The lock is an ``flock`` on ``.runbook/lock``: the kernel releases it when the
holder dies, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import json
import os
import socket
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, TextIO

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.fs import PRIVATE_DIR

STATE_FILE = "state.json"
PROGRESS_FILE = "progress"
LOCK_FILE = "lock"
STATE_SCHEMA = 1

Status = Literal["running", "failed", "interrupted", "stopped", "done"]


class StateError(RunbookError):
    """The state file cannot be used for --resume; the message says why."""


class LockedError(RunbookError):
    """Another run holds the lock."""

    exit_code = ExitCode.LOCKED


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


@dataclass
class RunState:
    """What ``--resume`` needs to continue a run exactly where it stopped."""

    runbook: str
    version: str
    previous_version: str
    tag: str
    selected: list[str]
    completed: list[str] = field(default_factory=list)
    current: str | None = None
    commands_done: int = 0
    status: Status = "running"
    reason: str = ""
    started: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)
    transcripts: list[str] = field(default_factory=list)

    def remaining(self) -> list[str]:
        return [step for step in self.selected if step not in self.completed]

    def begin_step(self, step_id: str) -> None:
        if self.current != step_id:
            self.current = step_id
            self.commands_done = 0

    def finish_step(self, step_id: str) -> None:
        if step_id not in self.completed:
            self.completed.append(step_id)
        self.current = None
        self.commands_done = 0

    def to_dict(self) -> dict[str, Any]:
        return {"schema": STATE_SCHEMA, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunState:
        if data.get("schema") != STATE_SCHEMA:
            raise StateError(f"unknown state schema {data.get('schema')!r}")
        fields = {k: v for k, v in data.items() if k != "schema"}
        try:
            state = cls(**fields)
        except TypeError as exc:
            raise StateError(f"malformed state: {exc}") from exc
        if not isinstance(state.selected, list) or not isinstance(state.completed, list):
            raise StateError("malformed state: selected/completed are not lists")
        return state


class StateStore:
    """Reads and writes ``.runbook/state.json`` and its progress journal."""

    def __init__(self, root: Path) -> None:
        self.path = root / PRIVATE_DIR / STATE_FILE
        self.progress_path = root / PRIVATE_DIR / PROGRESS_FILE
        self._journal: TextIO | None = None

    def load(self) -> RunState | None:
        if not self.path.is_file():
            return None
        start_over = "delete it to start the release over (the repository itself is untouched)"
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StateError(f"{self.path}: not valid JSON ({exc}); {start_over}") from exc
        if not isinstance(data, dict):
            raise StateError(f"{self.path}: not a run state; {start_over}")
        try:
            state = RunState.from_dict(data)
        except StateError as exc:
            raise StateError(f"{self.path}: {exc}; {start_over}") from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise StateError(f"{self.path}: malformed run state ({exc}); {start_over}") from exc
        if state.current is not None:
            state.commands_done = max(state.commands_done, self._journaled(state.current))
        return state

    def _journaled(self, step_id: str) -> int:
        """Commands of *step_id* the journal records as done since the last save."""
        try:
            lines = self.progress_path.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            return 0
        done = 0
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # a line torn by a kill mid-write
                continue
            if isinstance(entry, dict) and entry.get("step") == step_id:
                done = max(done, int(entry.get("commands_done", 0)))
        return done

    def save(self, state: RunState) -> None:
        """Replace state.json atomically, then start an empty journal."""
        state.updated = _now()
        text = json.dumps(state.to_dict(), indent=2) + "\n"
        handle, temporary = tempfile.mkstemp(prefix=".state.", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        # After the rename: a crash in between leaves journal lines that the new
        # state already covers, which max() in load() makes harmless.
        self.close()
        self.progress_path.unlink(missing_ok=True)

    def note_progress(self, state: RunState) -> None:
        """Record that the current step finished ``state.commands_done`` commands."""
        if self._journal is None:
            self._journal = self.progress_path.open("a", encoding="utf-8")
        entry = {"step": state.current, "commands_done": state.commands_done}
        self._journal.write(json.dumps(entry) + "\n")
        self._journal.flush()

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None


class RunLock:
    """An exclusive, non-blocking lock on ``.runbook/lock`` for one run."""

    def __init__(self, root: Path) -> None:
        self.path = root / PRIVATE_DIR / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            raise LockedError(
                f"another run holds the lock {self.path}"
                + (f" ({holder})" if holder else "")
                + "; wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {_now()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # Emptied, not deleted: deleting would let a third run lock a new inode
            # while a second still waits on the old one.
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
