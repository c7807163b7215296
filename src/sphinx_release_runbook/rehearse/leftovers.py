"""No process of a rehearsal outlives it: find and stop every one by its environment.

Every process the rehearsal starts (the runner, the commands of the steps,
the ``gh`` stand-in and the workflow steps it runs, the index) inherits
``RUNBOOK_REHEARSE_HOME``, whose value names this rehearsal's folder and no
other.  Process groups are stopped first (:mod:`.session`); this is the net
under them, for a process that left its group (``setsid``, a daemon).  It
reads ``/proc``; where there is none (not Linux) it finds nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE

_PROC = Path("/proc")


def marked(home: Path) -> list[int]:
    """The ids of live processes (other than this one) whose environment names *home*."""
    marker = f"{HOME_VARIABLE}={home}".encode()
    found = []
    me = os.getpid()
    for entry in _PROC.iterdir() if _PROC.is_dir() else ():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text(encoding="ascii", errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        # A zombie is already dead: only its parent's wait removes it.
        if state.rpartition(")")[2].split()[:1] == ["Z"]:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def stop_marked(home: Path, grace: float = 3.0) -> list[int]:
    """SIGTERM every process marked with *home*, SIGKILL what is left after *grace*."""
    pids = marked(home)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pids and time.monotonic() < deadline:
        time.sleep(0.05)
        pids = [pid for pid in pids if pid in marked(home)]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return pids
