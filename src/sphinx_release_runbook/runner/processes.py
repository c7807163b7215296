"""Process groups: who a step's command is, whether it still lives, and how it is stopped.

Every command of a step runs in its own session, hence its own process group
(:mod:`.execute`).  A :class:`Group` names one such group so that it can be
recorded (in the state and the lock) and recognised later: its id, the start
time of its leader and the boot it started in, because a process group id is
reused once the group is gone.  A zombie has exited and does not count as
alive: in a container whose first process does not reap, orphans stay zombies.

A command can also be found by what it carries: every command of a run has
the run's token in its environment (:data:`RUN_MARKER`, see :mod:`.guard`),
and so has everything it starts, in its group or not.  :func:`find_marked`
looks for it in ``/proc/PID/environ`` (Linux; :func:`can_scan`);
:func:`find_carriers` is the same look for any variable and value, by process.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Seconds a stopped command gets between SIGTERM and SIGKILL (``RUNBOOK_STOP_GRACE``).
DEFAULT_STOP_GRACE = 3.0
_PROC = Path("/proc")
_POLL = 0.02
#: The environment variable that carries the tokens of the runs a command belongs to
#: (``:``-separated: a run inside a step of another run carries both).
RUN_MARKER = "RUNBOOK_RUN"
_PF_KTHREAD = 0x00200000  # a kernel thread, in the flags of /proc/PID/stat


def stop_grace(environ: dict[str, str] | None = None) -> float:
    """The grace period between SIGTERM and SIGKILL, from ``RUNBOOK_STOP_GRACE`` if set."""
    value = (environ if environ is not None else os.environ).get("RUNBOOK_STOP_GRACE", "")
    try:
        grace = float(value)
    except ValueError:
        return DEFAULT_STOP_GRACE
    return grace if 0 <= grace <= 3600 else DEFAULT_STOP_GRACE


@functools.cache
def boot_id() -> str | None:
    """This boot's id (read once per process: a process does not outlive its boot)."""
    try:
        return (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip() or None
    except OSError:
        return None


@functools.cache
def this_host() -> str:
    """This machine's name, as :func:`socket.gethostname` gives it (the node name on
    POSIX), without importing :mod:`socket` into every command.

    Read once per process, not at every command: the records of one run name the
    machine it started on, even if the machine is renamed meanwhile.
    """
    return os.uname().nodename


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_BOOT_CLOCK: int | None = getattr(time, "CLOCK_BOOTTIME", None)
_HAS_PROC = _PROC.is_dir()


def boot_ticks() -> int | None:
    """Now, in the clock ticks since boot in which ``/proc/PID/stat`` gives a process's
    start (both count on the boot clock); None without that clock or without ``/proc``.

    Read before a command starts, it is a bound its start cannot be below: the
    group's record without reading ``/proc`` at every command.  One tick less,
    for the rounding of the two readings.
    """
    if _BOOT_CLOCK is None or not _HAS_PROC:
        return None
    return int(time.clock_gettime(_BOOT_CLOCK) * _CLOCK_TICKS) - 1


def _fields(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name: state, ppid, pgrp, session..."""
    try:
        fd = os.open(f"/proc/{pid}/stat", os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        text = os.read(fd, 4096).decode("ascii", "replace")
    except OSError:
        return None
    finally:
        os.close(fd)
    # "pid (comm) state ppid pgrp session tty tpgid flags ... starttime(22) ..."; comm
    # may hold spaces and parentheses, so split after its last ')'.
    fields = text[text.rfind(")") + 2 :].split()
    return fields if len(fields) > 19 else None


def _stat(pid: int) -> tuple[str, int, int] | None:
    """``(state, pgrp, start ticks)`` of *pid* from ``/proc``, or None."""
    fields = _fields(pid)
    if fields is None:
        return None
    try:
        return fields[0], int(fields[2]), int(fields[19])
    except ValueError:
        return None


def _pids() -> Iterator[int]:
    """Every process id in ``/proc`` (none if it cannot be listed)."""
    try:
        entries = os.listdir(_PROC)
    except OSError:
        return
    for entry in entries:
        if entry.isdigit():
            yield int(entry)


@dataclass(frozen=True)
class Group:
    """A step command's process group, recognisable after the runner is gone."""

    pgid: int
    #: No later than the start of the group's leader, in clock ticks since boot: a
    #: member that started before it is another group that had the same id.
    ticks: int | None = None
    boot: str | None = None
    host: str = ""

    @classmethod
    def started_since(cls, pid: int, ticks: int | None) -> Group:
        """The group led by *pid*, a command started (in its own session) after *ticks*
        (:func:`boot_ticks`, read before the start)."""
        return cls(pid, ticks, boot_id(), this_host())

    def to_dict(self) -> dict[str, Any]:
        return {"pgid": self.pgid, "ticks": self.ticks, "boot": self.boot, "host": self.host}

    @classmethod
    def from_dict(cls, data: object) -> Group | None:
        if not isinstance(data, dict) or not isinstance(data.get("pgid"), int):
            return None
        ticks = data.get("ticks")
        return cls(
            data["pgid"],
            ticks if isinstance(ticks, int) else None,
            str(data["boot"]) if data.get("boot") else None,
            str(data.get("host") or ""),
        )

    def alive(self) -> bool:
        """Whether a process of this group still runs (zombies do not count)."""
        if self.host and self.host != this_host():
            # Another machine's (or container's) group: its process ids mean nothing
            # here.  The lock, which that machine held, is what keeps two runs apart.
            return False
        if self.boot and boot_id() and self.boot != boot_id():
            return False
        return group_alive(self.pgid, self.ticks)


def group_alive(pgid: int, since: int | None = None) -> bool:
    """Whether process group *pgid* has a live member (started at or after *since* ticks)."""
    if pgid <= 1:
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not _PROC.is_dir():
        return True
    for pid in _pids():
        found = _stat(pid)
        if found is None:
            continue
        state, pgrp, ticks = found
        if pgrp == pgid and state not in ("Z", "X") and (since is None or ticks >= since):
            return True
    return False


def _group_exists(pgid: int) -> bool:
    """Whether the kernel knows the group *pgid* (zombies included)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process in it: it exists
        return True
    return True


def live_groups(pgids: Collection[int]) -> set[int]:
    """Which of the process groups *pgids* have a live member, in one pass over ``/proc``."""
    candidates = {pgid for pgid in pgids if pgid > 1 and _group_exists(pgid)}
    if not candidates or not _PROC.is_dir():
        return candidates
    live = set()
    for pid in _pids():
        found = _stat(pid)
        if found is not None and found[1] in candidates and found[0] not in ("Z", "X"):
            live.add(found[1])
    return live


def pid_alive(pid: int) -> bool:
    """Whether process *pid* runs on this machine (a zombie has exited)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    found = _stat(pid)
    return found is None or found[0] not in ("Z", "X")


def signal_group(pgid: int, sig: signal.Signals) -> bool:
    """Send *sig* to the group *pgid*; False when the group has no process left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:  # a member this user may not signal: the group is not empty
        pass
    return True


def signal_process(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)


def _stop(
    targets: Iterable[int],
    grace: float,
    live: Callable[[set[int]], set[int]],
    send: Callable[[int, signal.Signals], object],
    settle: float,
) -> set[int]:
    """SIGTERM every live target, SIGKILL what is left after *grace*; the ones killed.

    All at once: a target slow to stop does not delay the SIGTERM of the next.  After
    the SIGKILL it waits up to *settle* seconds for them to be gone.
    """
    left = live(set(targets))
    for target in left:
        send(target, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while left and time.monotonic() < deadline:
        time.sleep(_POLL)
        left = live(left)
    killed = set(left)
    for target in killed:
        send(target, signal.SIGKILL)
    deadline = time.monotonic() + settle
    while left and time.monotonic() < deadline:
        time.sleep(_POLL)
        left = live(left)
    return killed


def stop_groups(pgids: Iterable[int], grace: float) -> None:
    """SIGTERM the groups, SIGKILL what is left after *grace* seconds, wait until they are gone."""
    _stop(pgids, grace, live_groups, signal_group, settle=10)


def stop_processes(
    pids: Iterable[int], grace: float, live: Callable[[set[int]], set[int]]
) -> list[int]:
    """SIGTERM the processes, SIGKILL those *live* still reports after *grace*; those, sorted.

    *live* tells which of the given ids still count (a fresh :func:`find_carriers`
    look, so that an id reused meanwhile by another process is not killed).
    """
    return sorted(_stop(pids, grace, live, signal_process, settle=0))


# --- finding a run's commands by their marker ------------------------------------------


def can_scan() -> bool:
    """Whether this system shows each process's environment (``/proc``, Linux)."""
    return (_PROC / "self" / "environ").is_file()


@dataclass(frozen=True)
class Marked:
    """What one look at every process found: the groups of the marked, and whether to look again."""

    #: Process groups with a live process whose environment carries the token.
    groups: frozenset[int]
    #: A live process showed neither environment nor command line, as one does in the
    #: middle of an exec: it may be a command still starting, so look again.
    settling: bool


def _carries(environ: bytes, variable: str, value: str, separator: str | None) -> bool:
    """Whether the environment block *environ* (``NUL``-separated) sets *variable* to *value*.

    With a *separator* the variable holds a list and *value* need only be one of its
    items (``RUNBOOK_RUN``: a run inside a step of another run carries both tokens).
    """
    prefix = variable.encode() + b"="
    for entry in environ.split(b"\0"):
        if entry.startswith(prefix):
            held = entry[len(prefix) :]
            items = held.split(separator.encode()) if separator is not None else [held]
            return value.encode() in items
    return False


def _read(pid: int, name: str) -> bytes | None:
    """``/proc/PID/NAME``, or None for a process that is gone or not ours to read."""
    try:
        with open(_PROC / str(pid) / name, "rb") as handle:
            return handle.read()
    except OSError:  # gone, or another user's, or made unreadable (non-dumpable)
        return None


def _between_programs(pid: int) -> bool:
    """Whether *pid*, which shows no environment and no command line, is a live process."""
    fields = _fields(pid)
    if fields is None or fields[0] in ("Z", "X"):
        return False
    try:
        return not int(fields[6]) & _PF_KTHREAD
    except ValueError:
        return False


def _scan(variable: str, value: str, separator: str | None) -> tuple[dict[int, int], bool]:
    """Every live readable process whose environment carries *value* in *variable*.

    Their ids, each with its process group, and whether some process was between
    programs (see :class:`Marked`).
    """
    carriers: dict[int, int] = {}
    settling = False
    me = os.getpid()
    for pid in _pids():
        if pid == me:
            continue
        environ = _read(pid, "environ")
        if environ is None:
            continue
        if not environ:
            # An empty environment is also what a process shows in the middle of an
            # exec, until the new program's is in place (its command line is empty
            # then too): a command of ours may be that far.  Kernel threads and
            # processes that have exited show both empty for good.
            if not _read(pid, "cmdline"):
                settling = settling or _between_programs(pid)
                continue
            environ = _read(pid, "environ") or b""  # its exec may have ended in between
        if _carries(environ, variable, value, separator):
            found = _stat(pid)
            if found is not None and found[0] not in ("Z", "X"):
                carriers[pid] = found[1]
    return carriers, settling


def find_marked(token: str) -> Marked:
    """Look at every readable process for the run *token* in its environment."""
    carriers, settling = _scan(RUN_MARKER, token, separator=":")
    return Marked(frozenset(pgrp for pgrp in carriers.values() if pgrp > 1), settling)


def find_carriers(variable: str, value: str, separator: str | None = None) -> set[int]:
    """The ids of live processes (other than this one) whose *variable* holds *value*.

    The whole value must match unless a *separator* makes it a list (as in :func:`_carries`).
    """
    return set(_scan(variable, value, separator)[0])
