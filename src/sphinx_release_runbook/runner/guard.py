"""The guard: when the runner dies, the step's commands die with it, and the lock stays meanwhile.

A runner killed with SIGKILL cannot stop the command it was running, and
that command (in its own session, so that Ctrl-C reaches the runner alone)
would go on: a ``gh release create`` finishing under a ``--resume`` that has
already started the same step again.  So every real run forks a guard first:

* the guard holds the run's lock (it inherits the locked file descriptor), so
  the lock stays taken for as long as the guard lives;
* each command registers its process group with the guard before it runs
  (from the child, between fork and exec, so no command ever runs unknown to
  the guard), and the runner unregisters it once it is gone;
* when the runner's end of the guard's pipe closes without a goodbye (the
  runner died), the guard stops every registered group (SIGTERM, then SIGKILL
  after the grace period) and exits only when they are gone, which frees the
  lock.

The guard has its own session: a Ctrl-C at the terminal, a closed terminal or a
kill of the runner's process group does not reach it.  It closes every file it
inherited but the pipe and the lock, so it never holds a caller's output pipe
open.  As a second line, each command's direct child gets SIGTERM when the
runner dies (``PR_SET_PDEATHSIG``, see :mod:`.execute`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Iterable

from sphinx_release_runbook.runner.processes import stop_group_id

_BYE = b"bye\n"


class Guard:
    """The runner's side of a running guard: its pid and the pipe to it."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self._fd: int | None = fd

    @classmethod
    def start(cls, keep: Iterable[int], grace: float) -> Guard:
        """Fork the guard; it keeps the descriptors *keep* (the lock) open while it lives."""
        keep = tuple(keep)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; exercised through the CLI tests
            try:
                os.close(write)
                _serve(read, keep, grace)
            finally:
                os._exit(0)
        os.close(read)
        return cls(pid, write)

    @property
    def fd(self) -> int | None:
        """The pipe's write end, for a command's child to register its group on."""
        return self._fd

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

    def forget(self, pgid: int) -> None:
        """The group *pgid* is gone; nothing to stop there any more."""
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


def _serve(read: int, keep: tuple[int, ...], grace: float) -> None:  # pragma: no cover
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
    if not said_bye or groups:
        for pgid in sorted(groups):
            stop_group_id(pgid, grace)
