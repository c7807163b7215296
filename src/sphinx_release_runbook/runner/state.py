"""Run state in ``.runbook/state.json`` and its progress journal.

The state says which steps of which release are done, how far the current
step got (commands completed), which command was running when the run
stopped (and its process group), and the fingerprint of the current step, so
``--resume`` neither repeats a finished command (a second ``git commit`` would
fail) nor skips an unfinished one, and can tell a command that may have run
from one that did not.

``state.json`` is rewritten atomically (temporary file, then rename) when a
run starts and whenever it stops, and in between only every
:data:`CHECKPOINT_LINES` journal lines: a killed run leaves the previous state
or the next, never half of one.  Everything in between goes to the
append-only ``progress`` journal (:mod:`.journal`): one line when a command
starts (written and flushed to disk before it runs: a command whose start
cannot be recorded does not run, and a power cut does not lose the record),
one when its group is known, one when it ends, one when a step ends
(naming the step it begins next), and one when a step begins that no other
line recorded.  A rewrite of the whole state costs more the more steps a run
has (it holds their ids, and on ext4 a rename over an existing file costs a
flush); a journal line costs the same at step 1000 as at step 1, so the
runner's cost per step does not grow with the run.  Journal lines carry the
generation of the state they follow, so lines a newer state already covers
are ignored; a torn last line is ignored too.  Between two rewrites the
journal is the truth: :meth:`StateStore.load` replays it onto the saved state.

Both files are ``0600``.  Any write that fails (a full disk) is a
:class:`~sphinx_release_runbook.core.fs.FileProblem` naming the file.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.fs import PRIVATE_DIR, FileProblem, file_problem
from sphinx_release_runbook.core.json_fields import JsonFields
from sphinx_release_runbook.core.model import Step
from sphinx_release_runbook.runner.journal import Journal
from sphinx_release_runbook.runner.lock import LOCK_FILE, LockedError, RunLock
from sphinx_release_runbook.runner.processes import Group

STATE_FILE = "state.json"
PROGRESS_FILE = "progress"
STATE_SCHEMA = 1
#: Journal lines after which the end of a step rewrites the state: a checkpoint that
#: keeps the journal (about 100 kB, replayed by a ``--resume`` in a few milliseconds)
#: short, at one rewrite per 256 one-command steps.
CHECKPOINT_LINES = 1024

Status = Literal["running", "failed", "interrupted", "stopped", "done"]
STATUSES: tuple[str, ...] = get_args(Status)

__all__ = [
    "LOCK_FILE",
    "PROGRESS_FILE",
    "STATE_FILE",
    "STATE_SCHEMA",
    "LockedError",
    "RunLock",
    "RunState",
    "StateError",
    "StateStore",
    "Status",
    "step_fingerprint",
]


class StateError(RunbookError):
    """The state file cannot be used for --resume; the message says why."""


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


# Made once: json.dumps with sort_keys builds a new encoder at every call.  The same
# text as json.dumps(data, sort_keys=True), so a fingerprint saved by an earlier
# version still matches.
_sorted_json = json.JSONEncoder(sort_keys=True).encode


def step_fingerprint(step: Step) -> str:
    """A hash of what a step does (not of where it is written or how it is titled)."""
    data = step.to_dict()
    for cosmetic in ("id", "number", "title", "runbook", "source", "anchor", "url"):
        data.pop(cosmetic, None)
    text = _sorted_json(data)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
    #: The index of a command of ``current`` that started and was not seen to end.
    in_flight: int | None = None
    #: The process group of that command (:meth:`.processes.Group.to_dict`).
    group: dict[str, Any] | None = None
    #: :func:`step_fingerprint` of ``current`` when it began.
    step_hash: str | None = None
    #: How many times this state was saved; journal lines name the one they follow.
    generation: int = 0
    #: ``completed`` as a set, for :meth:`finish_step` (a list search at every step
    #: would make a long run quadratic); not saved, rebuilt when the list grew apart.
    _completed_ids: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def remaining(self) -> list[str]:
        return [step for step in self.selected if step not in self.completed]

    def begin_step(self, step_id: str, fingerprint: str | None = None) -> None:
        if self.current != step_id:
            self.current = step_id
            self.commands_done = 0
            self.in_flight = None
            self.group = None
            self.step_hash = fingerprint
        elif self.step_hash is None:
            self.step_hash = fingerprint

    def restart_step(self, fingerprint: str | None) -> None:
        """Run the current step again from its first command."""
        self.commands_done = 0
        self.in_flight = None
        self.group = None
        self.step_hash = fingerprint

    def finish_step(self, step_id: str) -> None:
        if len(self._completed_ids) != len(self.completed):
            self._completed_ids = set(self.completed)
        if step_id not in self._completed_ids:
            self.completed.append(step_id)
            self._completed_ids.add(step_id)
        self.current = None
        self.commands_done = 0
        self.in_flight = None
        self.group = None
        self.step_hash = None

    @property
    def recorded_group(self) -> Group | None:
        return Group.from_dict(self.group) if self.group else None

    def to_dict(self) -> dict[str, Any]:
        """The state as JSON data: a shallow view (every value is a str, int, list or dict
        of those, which :func:`json.dumps` writes without a copy being needed)."""
        data: dict[str, Any] = {"schema": STATE_SCHEMA}
        for item in fields(self):
            if item.init:
                data[item.name] = getattr(self, item.name)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunState:
        if data.get("schema") != STATE_SCHEMA:
            raise StateError(f"unknown state schema {data.get('schema')!r}")
        known = {item.name for item in fields(cls) if item.init} | {"schema"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise StateError(f"malformed state: unknown field {', '.join(unknown)}")
        # A field a state of an older version lacks takes its default, as it always did.
        defaults: dict[str, Any] = {}
        for item in fields(cls):
            if not item.init:
                continue
            if item.default is not MISSING:
                defaults[item.name] = item.default
            elif item.default_factory is not MISSING:
                defaults[item.name] = item.default_factory()
        read = JsonFields(
            {**defaults, **data}, "", lambda problem: StateError(f"malformed state: {problem}")
        )
        # Every field read as the runner writes it: a hand edit that changed a type is
        # refused by name, not met later as a traceback or a value taken for another.
        return cls(
            runbook=read.text("runbook"),
            version=read.text("version"),
            previous_version=read.text("previous_version"),
            tag=read.text("tag"),
            selected=read.texts("selected"),
            completed=read.texts("completed"),
            current=read.optional_text("current"),
            commands_done=read.integer("commands_done"),
            status=read.choice("status", STATUSES),
            reason=read.text("reason"),
            started=read.text("started"),
            updated=read.text("updated"),
            transcripts=read.texts("transcripts"),
            in_flight=read.optional_integer("in_flight"),
            group=read.optional_object("group"),
            step_hash=read.optional_text("step_hash"),
            generation=read.integer("generation"),
        )


class StateStore:
    """Reads and writes ``.runbook/state.json`` and its progress journal."""

    def __init__(self, root: Path) -> None:
        self.path = root / PRIVATE_DIR / STATE_FILE
        self.progress_path = root / PRIVATE_DIR / PROGRESS_FILE
        self._journal = Journal(self.progress_path)
        #: Whether this store swept the temporary files a killed save may have left.
        self._swept = False

    def _check_kind(self) -> None:
        """A folder (or a device) where state.json should be is a :class:`FileProblem`."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise file_problem(exc, self.path, "read") from exc
        if stat.S_ISDIR(mode):
            raise FileProblem(
                f"cannot use {self.path}: it is a folder, not the run state; remove it "
                f"(rm -r {self.path}), then run again"
            )
        if not stat.S_ISREG(mode):
            raise FileProblem(
                f"cannot use {self.path}: it is not a regular file; remove it "
                f"(rm {self.path}), then run again"
            )

    def exists(self) -> bool:
        self._check_kind()
        return self.path.is_file()

    def load(self) -> RunState | None:
        self._check_kind()
        if not self.path.is_file():
            return None
        start_over = "delete it to start the release over (the repository itself is untouched)"
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StateError(f"{self.path}: not valid JSON ({exc}); {start_over}") from exc
        except OSError as exc:
            raise file_problem(exc, self.path, "read") from exc
        if not isinstance(data, dict):
            raise StateError(f"{self.path}: not a run state; {start_over}")
        try:
            state = RunState.from_dict(data)
        except StateError as exc:
            raise StateError(f"{self.path}: {exc}; {start_over}") from exc
        except (KeyError, TypeError, ValueError) as exc:
            raise StateError(f"{self.path}: malformed run state ({exc}); {start_over}") from exc
        self._replay(state)
        return state

    def _replay(self, state: RunState) -> None:
        """Apply the journal lines that follow the saved state, in the order they were written."""
        for entry in self._journal.entries():
            generation = entry.get("gen")
            if generation is None:  # a journal of an older runner: progress only
                done = entry.get("commands_done")
                if entry.get("step") == state.current and isinstance(done, int):
                    state.commands_done = max(state.commands_done, done)
                continue
            if generation != state.generation:
                continue  # the saved state already covers it
            finished = entry.get("done")
            if isinstance(finished, str):
                state.finish_step(finished)
            begun = entry.get("begin")
            if isinstance(begun, str):
                fingerprint = entry.get("hash")
                state.begin_step(begun, fingerprint if isinstance(fingerprint, str) else None)
                continue
            if entry.get("step") != state.current:
                continue
            if isinstance(entry.get("start"), int):
                state.in_flight = entry["start"]
                group = Group.from_dict(entry.get("group"))
                state.group = group.to_dict() if group else None
            elif isinstance(entry.get("end"), int):
                state.in_flight = None
                state.group = None
                done = entry.get("commands_done")
                if isinstance(done, int):
                    state.commands_done = max(state.commands_done, done)

    def save(self, state: RunState) -> None:
        """Replace state.json atomically, then start an empty journal."""
        self._check_kind()
        state.updated = _now()
        state.generation += 1
        # Compact: the file is read by the runner, and indenting a long run's lists of
        # step ids costs time at every step for no reader.
        text = json.dumps(state.to_dict(), separators=(",", ":")) + "\n"
        try:
            handle, temporary = tempfile.mkstemp(
                prefix=".state.", suffix=".tmp", dir=self.path.parent
            )
        except OSError as exc:
            state.generation -= 1
            raise self._save_problem(exc) from exc
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.path)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            state.generation -= 1
            raise self._save_problem(exc) from exc
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        # After the rename: a crash in between leaves journal lines of the older
        # generation, which load() ignores.
        self._sweep()
        self._journal.discard()

    def _sweep(self) -> None:
        """Remove the temporary files of saves killed before their rename (once per store).

        The run holds the lock, so a temporary file other than its own is such a
        leftover; listing the folder at every save would cost more the more
        transcripts it holds.
        """
        if self._swept:
            return
        self._swept = True
        for leftover in self.path.parent.glob(".state.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def _save_problem(self, exc: OSError) -> FileProblem:
        return file_problem(
            exc,
            self.path,
            "save the run state",
            "the state saved before is kept, and --resume continues from it",
        )

    def note_finish(
        self, state: RunState, step_id: str, following: str | None, fingerprint: str | None
    ) -> None:
        """Record *step_id* done and *following* begun in one journal line.

        Every :data:`CHECKPOINT_LINES` lines the state is rewritten instead, which
        starts an empty journal.
        """
        state.finish_step(step_id)
        if following is not None:
            state.begin_step(following, fingerprint)
        if self._journal.appended >= CHECKPOINT_LINES:
            self.save(state)
            return
        entry: dict[str, Any] = {"gen": state.generation, "done": step_id}
        if following is not None:
            entry["begin"] = following
            entry["hash"] = state.step_hash
        self._journal.append(entry)
        # Opened again at its path by the next step, not held: a journal removed or
        # replaced meanwhile (a run may wait for hours on the maintainer) must not take
        # the next lines with it into a file nobody reads (a few microseconds a step).
        self._journal.close()

    def note_begin(self, state: RunState, step_id: str, fingerprint: str | None) -> None:
        """Make *step_id* the current step, recorded with one journal line."""
        state.begin_step(step_id, fingerprint)
        self._journal.append({"gen": state.generation, "begin": step_id, "hash": state.step_hash})

    def note_start(self, state: RunState, index: int, group: Group | None = None) -> None:
        """Record that command *index* of the current step starts (or, with *group*, runs).

        The record written before the command starts is flushed to disk first: after a
        power cut, ``--resume`` still knows the command may have run, and asks, rather
        than running it again.  The record with the group, once it runs, is not: lost,
        it leaves the first one, which says the same for ``--resume``.
        """
        state.in_flight = index
        state.group = group.to_dict() if group else None
        entry: dict[str, Any] = {"gen": state.generation, "step": state.current, "start": index}
        if group is not None:
            entry["group"] = state.group
        self._journal.append(entry, durable=group is None)

    def note_end(self, state: RunState, index: int, commands_done: int) -> None:
        """Record that command *index* ended; ``commands_done`` of the step are done."""
        state.in_flight = None
        state.group = None
        state.commands_done = commands_done
        self._journal.append(
            {
                "gen": state.generation,
                "step": state.current,
                "end": index,
                "commands_done": commands_done,
            }
        )

    def note_progress(self, state: RunState) -> None:
        """Record that the current step finished ``state.commands_done`` commands."""
        self.note_end(state, state.commands_done - 1, state.commands_done)

    def clear(self) -> None:
        """Delete the state and its journal (``abandon``)."""
        self.close()
        for path in (self.progress_path, self.path):
            try:
                path.unlink(missing_ok=True)
            except IsADirectoryError:
                raise FileProblem(
                    f"cannot remove {path}: it is a folder; remove it (rm -r {path})"
                ) from None
            except OSError as exc:
                raise file_problem(exc, path, "remove") from exc

    def close(self) -> None:
        self._journal.close()
