"""Process groups: who a step's command is, whether it still lives, and how it is stopped.

Every command of a step runs in its own session, hence its own process group
(:mod:`.execute`).  A :class:`Group` names one such group so that it can be
recorded (in the state and the lock) and recognised later: its id, the start
time of its leader and the boot it started in, because a process group id is
reused once the group is gone.  A zombie has exited and does not count as
alive: in a container whose first process does not reap, orphans stay zombies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Seconds a stopped command gets between SIGTERM and SIGKILL (``RUNBOOK_STOP_GRACE``).
DEFAULT_STOP_GRACE = 3.0
_PROC = Path("/proc")
_POLL = 0.02


def stop_grace(environ: dict[str, str] | None = None) -> float:
    """The grace period between SIGTERM and SIGKILL, from ``RUNBOOK_STOP_GRACE`` if set."""
    value = (environ if environ is not None else os.environ).get("RUNBOOK_STOP_GRACE", "")
    try:
        grace = float(value)
    except ValueError:
        return DEFAULT_STOP_GRACE
    return grace if 0 <= grace <= 3600 else DEFAULT_STOP_GRACE


def boot_id() -> str | None:
    try:
        return (_PROC / "sys" / "kernel" / "random" / "boot_id").read_text().strip() or None
    except OSError:
        return None


def _stat(pid: int) -> tuple[str, int, int] | None:
    """``(state, pgrp, start ticks)`` of *pid* from ``/proc``, or None."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid pgrp session tty tpgid flags ... starttime(22) ..."; comm
    # may hold spaces and parentheses, so split after its last ')'.
    fields = text[text.rfind(")") + 2 :].split()
    try:
        return fields[0], int(fields[2]), int(fields[19])
    except (IndexError, ValueError):
        return None


@dataclass(frozen=True)
class Group:
    """A step command's process group, recognisable after the runner is gone."""

    pgid: int
    ticks: int | None = None  # start time of the group's leader (clock ticks since boot)
    boot: str | None = None
    host: str = ""

    @classmethod
    def of(cls, pid: int) -> Group:
        """The group led by *pid* (a command just started in its own session)."""
        found = _stat(pid)
        return cls(pid, found[2] if found else None, boot_id(), socket.gethostname())

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
        if self.host and self.host != socket.gethostname():
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
    try:
        entries = os.listdir(_PROC)
    except OSError:
        return True
    for entry in entries:
        if not entry.isdigit():
            continue
        found = _stat(int(entry))
        if found is None:
            continue
        state, pgrp, ticks = found
        if pgrp == pgid and state not in ("Z", "X") and (since is None or ticks >= since):
            return True
    return False


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


def signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def stop_group_id(pgid: int, grace: float) -> None:
    """SIGTERM the group, SIGKILL what is left after *grace* seconds, wait until it is gone."""
    signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(_POLL)
    if group_alive(pgid):
        signal_group(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while group_alive(pgid) and time.monotonic() < deadline:
            time.sleep(_POLL)
