"""No process of a rehearsal outlives it: find and stop every one by its environment.

Every process the rehearsal starts (the runner, the commands of the steps,
the ``gh`` stand-in and the workflow steps it runs, the index) inherits
``RUNBOOK_REHEARSE_HOME``, whose value names this rehearsal's folder and no
other.  Process groups are stopped first (:mod:`.session`); this is the net
under them, for a process that left its group (``setsid``, a daemon).  The look
and the stopping are the runner's (:mod:`sphinx_release_runbook.runner.processes`),
by process here rather than by group: a marked process's group may hold others'.
Where there is no ``/proc`` (not Linux) it finds nothing.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE
from sphinx_release_runbook.runner.processes import find_carriers, stop_processes


def marked(home: Path) -> list[int]:
    """The ids of live processes (other than this one) whose environment names *home*."""
    # The whole value must be *home*: a rehearsal's folder beside or inside this one
    # is another rehearsal's.
    return sorted(find_carriers(HOME_VARIABLE, str(home)))


def stop_marked(home: Path, grace: float = 3.0) -> list[int]:
    """SIGTERM every process marked with *home*, SIGKILL what is left after *grace*."""
    return stop_processes(
        marked(home), grace, lambda pids: pids & find_carriers(HOME_VARIABLE, str(home))
    )
