"""The one lock of a repository, ``.runbook/lock``, taken by every command that writes there.

``run``, ``bump``, ``export`` (into the repository) and ``abandon`` take it, so
none of them changes the files under another.  It is an ``flock``: the kernel
releases it when its last holder exits, so a crash leaves no lock behind.  A
run's guard (:mod:`.guard`) shares it, so after a killed run the lock stays
taken until the step's commands are gone.

The file names the holder: its pid, its command, the machine and the start
time, and (for a run) its guard, the token its commands carry and the process
group of the command it runs.  A lock that is free but still names a holder
was left by a killed command: it is taken over with a notice, unless that
holder's process group still runs, or a process carrying its token does.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.fs import (
    PRIVATE_DIR,
    PRIVATE_FILE_MODE,
    FileProblem,
    ensure_private_dir,
    file_problem,
)
from sphinx_release_runbook.runner.processes import (
    Group,
    can_scan,
    find_marked,
    live_groups,
    pid_alive,
    this_host,
)

LOCK_FILE = "lock"


class LockedError(RunbookError):
    """Another command holds the lock, or the commands of a dead run still run."""

    exit_code = ExitCode.LOCKED


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class Holder:
    """What the lock file says about who holds (or held) it."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()
        try:
            data = json.loads(self.text) if self.text else None
        except json.JSONDecodeError:
            data = None
        self.data: dict[str, Any] | None = data if isinstance(data, dict) else None

    @property
    def known(self) -> bool:
        return self.data is not None and isinstance(self.data.get("pid"), int)

    def _get(self, key: str) -> Any:
        return self.data.get(key) if self.data else None

    @property
    def pid(self) -> int:
        value = self._get("pid")
        return value if isinstance(value, int) else 0

    @property
    def command(self) -> str:
        return str(self._get("command") or "run")

    @property
    def here(self) -> bool:
        return self._get("host") in (None, this_host())

    @property
    def guard(self) -> int:
        value = self._get("guard")
        return value if isinstance(value, int) else 0

    @property
    def group(self) -> Group | None:
        return Group.from_dict(self._get("group"))

    @property
    def token(self) -> str:
        """The run's token, which its commands carry (:mod:`.guard`); ``""`` if none."""
        value = self._get("token")
        return value if isinstance(value, str) else ""

    def alive(self) -> bool:
        return not self.here or pid_alive(self.pid)

    @property
    def script(self) -> bool:
        """Whether the holder is an exported checklist script (``export/helper.py``)."""
        return self.command == "script"

    def describe(self) -> str:
        if not self.known:
            return self.text
        who = (
            f"the checklist script {self._get('script') or ''}"
            if self.script
            else f"`python -m runbook {self.command}`"
        )
        host, since = self._get("host") or "?", self._get("since") or "?"
        return f"{who}, pid {self.pid} on {host}, since {since}"


def _carriers_of(previous: Holder) -> list[int]:
    """The live process groups of commands that carry a dead holder's run token.

    The guard of a run stops them when the run dies; if the guard died too (an
    out-of-memory kill of both), a command that left its group (a daemon, a
    ``setsid``) still runs, and a second run must not start the step again
    under it.
    """
    if not (previous.known and previous.here and previous.token and can_scan()):
        return []
    return sorted(live_groups(find_marked(previous.token).groups))


class RunLock:
    """An exclusive, non-blocking lock on ``.runbook/lock`` for one command."""

    def __init__(self, root: Path, command: str = "run") -> None:
        self.path = root / PRIVATE_DIR / LOCK_FILE
        self.command = command
        self._fd: int | None = None
        self._record: dict[str, Any] = {}
        #: Bytes of the record in the file (see :meth:`_write`).
        self._written = 0

    @property
    def fd(self) -> int | None:
        """The locked descriptor (a run's guard keeps a copy of it)."""
        return self._fd

    def _open(self) -> int:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE_MODE)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.fchmod(fd, PRIVATE_FILE_MODE)  # a lock made by an older version, or umask
            return fd
        except IsADirectoryError:
            raise FileProblem(
                f"cannot use the lock {self.path}: it is a folder; remove it (rm -r {self.path})"
            ) from None
        except OSError as exc:
            raise file_problem(exc, self.path, "open the lock") from exc

    def acquire(self, notice: Callable[[str], None] | None = None) -> None:
        """Take the lock, or raise :class:`LockedError` naming the holder.

        *notice* hears of a lock taken over from a holder that is gone.
        """
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = Holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            os.close(fd)
            raise LockedError(self._busy(holder)) from None
        previous = Holder(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
        group = previous.group
        if previous.known and group is not None and group.alive():
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            raise LockedError(
                f"the {previous.command} that held the lock {self.path} "
                f"({previous.describe()}) is gone, but the commands of its step still run "
                f"(process group {group.pgid}); wait for them to end, or stop them "
                f"(kill -TERM -- -{group.pgid}), then try again"
            )
        carried = _carriers_of(previous)
        if carried:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            groups = ", ".join(map(str, carried))
            first = carried[0]
            raise LockedError(
                f"the {previous.command} that held the lock {self.path} "
                f"({previous.describe()}) is gone, and so is its guard, but commands it "
                f"started still run (process group {groups}); wait for them to end, or stop "
                f"them (kill -TERM -- -{first}), then try again"
            )
        self._fd = fd
        with contextlib.suppress(OSError):  # a record of the holder before, longer than ours
            os.ftruncate(fd, 0)
        self._written = 0
        self._record = {
            "pid": os.getpid(),
            "command": self.command,
            "host": this_host(),
            "since": _now(),
            "guard": None,
            "group": None,
        }
        self._write()
        if previous.text and notice is not None:
            notice(
                f"note: took over the lock {self.path} left by {previous.describe()}, "
                "which is no longer running"
            )

    def _busy(self, holder: Holder) -> str:
        if not holder.known:
            return (
                f"another run holds the lock {self.path}"
                + (f" ({holder.text})" if holder.text else "")
                + "; wait for it to finish"
            )
        if holder.alive():
            return (
                f"another {holder.command} holds the lock {self.path} ({holder.describe()}); "
                "wait for it to finish"
            )
        if holder.script:
            # A script has no guard: the commands of its step hold the lock themselves.
            return (
                f"the lock {self.path} is still held, though {holder.describe()} has ended: "
                "the commands of its step (or something they started) still run and hold it; "
                f"wait for them to end, or find them (fuser -v {self.path}) and stop them, "
                "then try again"
            )
        group = holder.group
        what = f" (process group {group.pgid})" if group else ""
        by = f" by its guard, pid {holder.guard}" if holder.guard else ""
        return (
            f"the {holder.command} that held the lock {self.path} ({holder.describe()}) has "
            f"died; the commands of its step{what} are being stopped{by}; wait until they are "
            "gone, then try again"
        )

    def _write(self) -> None:
        if self._fd is None:
            return
        data = (json.dumps(self._record) + "\n").encode("utf-8")
        # Padded to the length written before rather than truncated (a write less at
        # every command); a reader strips the spaces.
        data = data.ljust(self._written, b" ")
        with contextlib.suppress(OSError):  # the lock itself holds; the note is for people
            os.pwrite(self._fd, data, 0)
            self._written = len(data)

    def set_guard(self, pid: int, token: str) -> None:
        """Name the run's guard and the token its commands carry."""
        self._record["guard"] = pid
        self._record["token"] = token
        self._write()

    def set_group(self, group: Group | None) -> None:
        """Name the process group of the run's latest command.

        Left named when the command ends (a write less per command): a reader asks
        whether the group still lives (:meth:`Group.alive`), and an ended one is none.
        """
        self._record["group"] = group.to_dict() if group else None
        self._write()

    def release(self) -> None:
        if self._fd is not None:
            # Emptied, not deleted: deleting would let a third run lock a new inode
            # while a second still waits on the old one.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextlib.contextmanager
def holding(
    root: Path, command: str, notice: Callable[[str], None] | None = None
) -> Iterator[RunLock]:
    """Hold the repository's lock for *command* (``bump``, ``export``, ``abandon``)."""
    ensure_private_dir(root)
    lock = RunLock(root, command)
    lock.acquire(notice)
    try:
        yield lock
    finally:
        lock.release()
