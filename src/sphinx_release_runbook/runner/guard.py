"""The guard: when the runner dies, the step's commands die with it, and the lock stays meanwhile.

A runner killed with SIGKILL cannot stop the command it was running, and
that command (in its own session, so that Ctrl-C reaches the runner alone)
would go on: a ``gh release create`` finishing under a ``--resume`` that has
already started the same step again.  So every real run forks a guard first:

* the guard holds the run's lock (it inherits the locked file descriptor), so
  the lock stays taken for as long as the guard lives;
* every command the runner starts carries the run's token in its environment
  (``RUNBOOK_RUN``, :meth:`Guard.marked`), and so does everything it starts;
* the runner registers each command's process group with the guard right
  after ``Popen`` returns (no Python code runs in the child between fork and
  exec, so the child cannot do it itself, see :mod:`.execute`), and
  unregisters the group once it is gone.  It does so in a table of memory it
  shares with the guard (:class:`_Registry`), not through the pipe: the guard
  reads the table only once the runner is gone, so a command costs no system
  call and no wake-up of the guard (a pipe message cost about 30 µs, twice per
  command);
* when the runner's end of the guard's pipe closes without a goodbye (the
  runner died), the guard stops every registered group and the group of every
  process whose environment carries the token (it reads ``/proc/PID/environ``
  of every process it may), all at once: SIGTERM, then SIGKILL to what is left
  after the grace period.  It then looks again, and again, until a look finds
  none left; only then does it exit, which frees the lock.  Nothing is looked
  through while the runner lives.

The token closes the gap between a command's start and its registration: a
runner killed in between leaves a command the guard was never told about, and
the token finds it, as it finds a command that moved itself to another group or
session.  It must be in place when the guard looks: the guard hears of the
runner's death when the last copy of the pipe closes, and a child holds one
until its exec closes it (the runner leaves the child's descriptors to the exec,
see :mod:`.execute`), so by then every command is running with its token,
still inside its exec, or gone.  A process inside an exec shows no environment
and no command line until its new program is in place; while one does, the
guard looks again (for at most :data:`SETTLE` seconds).

Without ``/proc`` (not Linux) the guard stops the registered groups only: a
runner killed there between a command's start and its registration leaves that
command running, and the lock free.  Not found either: a command that removed
the token from its environment or that the guard may not read (another user's,
or non-dumpable like ``ssh-agent`` when not run as root), once it has left its
group.

The guard has its own session: a Ctrl-C at the terminal, a closed terminal or a
kill of the runner's process group does not reach it.  It closes every file it
inherited but the pipe and the lock, so it never holds a caller's output pipe
open.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import secrets
import signal
import struct
import time
from collections.abc import Iterable, Mapping

from sphinx_release_runbook.runner.processes import (
    RUN_MARKER,
    Marked,
    can_scan,
    find_marked,
    live_groups,
    stop_groups,
)

_BYE = b"bye\n"
#: Seconds the guard keeps looking while a process is caught between two programs.
SETTLE = 5.0
_SETTLE_POLL = 0.01


#: Groups the shared table holds at once; more (a run leaving thousands of groups
#: alive) go through the pipe instead.
SLOTS = 1024
_SLOT = struct.Struct("=q")  # a process group id; 0 is a free slot


class _Registry:
    """The registered groups, in memory the runner shares with its guard.

    Written by the runner only, read by the guard only after the runner is gone
    (its pipe closed) or has said goodbye, so the two never touch it at once.
    """

    def __init__(self) -> None:
        self.table = mmap.mmap(-1, SLOTS * _SLOT.size, flags=mmap.MAP_SHARED)
        self._slots: dict[int, int] = {}
        self._free = list(range(SLOTS - 1, -1, -1))

    def add(self, pgid: int) -> bool:
        """Put *pgid* in a free slot; False when the table is full."""
        if pgid in self._slots:
            return True
        if not self._free:
            return False
        slot = self._free.pop()
        _SLOT.pack_into(self.table, slot * _SLOT.size, pgid)
        self._slots[pgid] = slot
        return True

    def remove(self, pgid: int) -> bool:
        """Free the slot of *pgid*; False when it is not in the table."""
        slot = self._slots.pop(pgid, None)
        if slot is None:
            return False
        _SLOT.pack_into(self.table, slot * _SLOT.size, 0)
        self._free.append(slot)
        return True


def _registered(table: mmap.mmap) -> set[int]:
    """The groups in the shared table (read by the guard)."""
    return {pgid for (pgid,) in _SLOT.iter_unpack(table) if pgid > 0}


class Guard:
    """The runner's side of a running guard: its pid, the pipe and the table it shares."""

    def __init__(self, pid: int, fd: int, token: str, registry: _Registry | None = None) -> None:
        self.pid = pid
        self._fd: int | None = fd
        #: The run's token, which every command of the run carries in its environment.
        self.token = token
        self._registry = registry

    @classmethod
    def start(cls, keep: Iterable[int], grace: float) -> Guard:
        """Fork the guard; it keeps the descriptors *keep* (the lock) open while it lives."""
        keep = tuple(keep)
        token = secrets.token_hex(16)
        registry = _Registry()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; exercised through the CLI tests
            try:
                os.close(write)
                _serve(read, keep, grace, token, registry.table)
            finally:
                os._exit(0)
        os.close(read)
        return cls(pid, write, token, registry)

    def marked(self, env: Mapping[str, str]) -> Mapping[str, str]:
        """*env* for a command of this run: the run's token added to ``RUNBOOK_RUN``.

        Added, not replaced: a run inside a step of another run keeps the outer
        run's token, so the outer guard finds this run's commands too.
        """
        outer = env.get(RUN_MARKER)
        if outer and self.token in outer.split(":"):
            return env  # marked already (a step marks its environment once)
        return {**env, RUN_MARKER: f"{outer}:{self.token}" if outer else self.token}

    def _send(self, data: bytes) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.write(self._fd, data)

    def alive(self) -> bool:
        """Whether the guard still runs (it is our child: ask the kernel, reap if it died)."""
        if self._fd is None:
            return False
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return pid == 0

    def register(self, pgid: int) -> None:
        """The group *pgid* runs a command of this run: stop it if the runner dies."""
        if self._registry is None or not self._registry.add(pgid):
            self._send(b"+%d\n" % pgid)

    def forget(self, pgid: int) -> None:
        """The group *pgid* is gone; nothing to stop there any more."""
        if self._registry is None or not self._registry.remove(pgid):
            self._send(b"-%d\n" % pgid)

    def close(self) -> None:
        """Say goodbye (no group is left) and wait for the guard to exit."""
        if self._fd is None:
            return
        self._send(_BYE)
        os.close(self._fd)
        self._fd = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _detach(read: int, keep: tuple[int, ...]) -> None:
    """Own session, no signals from the terminal, no descriptor but the pipe and *keep*."""
    os.setsid()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_IGN)
    null = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(null, target)
    kept = sorted({0, 1, 2, read, *keep})
    for low, high in zip(kept, [*kept[1:], None], strict=True):
        os.closerange(low + 1, high if high is not None else os.sysconf("SC_OPEN_MAX"))


def _serve(  # pragma: no cover
    read: int, keep: tuple[int, ...], grace: float, token: str, table: mmap.mmap
) -> None:
    gc.disable()  # nothing here makes garbage worth a collection that may touch old files
    _detach(read, keep)
    groups: set[int] = set()
    pending = b""
    said_bye = False
    while True:
        try:
            data = os.read(read, 4096)
        except InterruptedError:
            continue
        except OSError:
            break
        if not data:
            break
        pending += data
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line == _BYE.strip():
                said_bye = True
            elif line[:1] in (b"+", b"-") and line[1:].isdigit():
                pgid = int(line[1:])
                if line[:1] == b"+":
                    groups.add(pgid)
                else:
                    groups.discard(pgid)
    # Read only now: the runner, which alone writes the table, is gone or has said bye.
    groups |= _registered(table)
    if said_bye:
        # The runner is alive and has stopped its commands; a group it left registered
        # is one it could not see end.
        stop_groups(groups, grace)
    else:
        _stop_the_dead_runners_commands(groups, token, grace)


def _stop_the_dead_runners_commands(
    registered: set[int], token: str, grace: float
) -> None:  # pragma: no cover - the guard's child; exercised through the runner tests
    """Stop the registered groups and those of the processes carrying *token*, till none is left.

    Round after round: a command may start another (in a new session) while it
    is being stopped, and only a look that finds no process left ends the
    guard.  A process between two programs makes it look again, for at most
    :data:`SETTLE` seconds in a row.
    """
    scan = can_scan()
    settling_since: float | None = None
    while True:
        found = find_marked(token) if scan else Marked(frozenset(), settling=False)
        registered = live_groups(registered)
        targets = registered | live_groups(found.groups)
        if targets:
            stop_groups(targets, grace)
            settling_since = None
            continue
        if not found.settling:
            return
        now = time.monotonic()
        if settling_since is None:
            settling_since = now
        elif now - settling_since > SETTLE:
            return
        time.sleep(_SETTLE_POLL)
