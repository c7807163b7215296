"""Acceptance: Ctrl-C (SIGINT to the process group) and SIGTERM stop a rehearsal cleanly.

The rehearsal is stopped while the guide's pre-release checks run (Poetry
installing, the index listening); afterwards no process that mentions the
rehearsal's folder is alive, the index's port is free, the folder is gone,
and the exit status is 130, as for an interrupted ``run``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Outcome, Project, assert_nothing_left, wait_for

STOPS: dict[str, Callable[[int], None]] = {
    "sigint-to-the-group": lambda pid: os.killpg(pid, signal.SIGINT),
    "sigterm": lambda pid: os.kill(pid, signal.SIGTERM),
}


@pytest.mark.parametrize("stop", sorted(STOPS))
def test_a_stopped_rehearsal_leaves_nothing_running(make_project, tmp_path: Path, stop) -> None:
    project: Project = make_project()
    log = tmp_path / f"{stop}.log"
    process = project.start("--only", "pre-release-checks", log=log)
    try:
        # Stopped inside the step: its commands (Poetry) and the index both run.
        wait_for(log, r"^\$ poetry install$", process, timeout=120)
        STOPS[stop](process.pid)
        code = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    outcome = Outcome(code, log.read_text(errors="replace"), project.tmp)
    assert code == 130, outcome.output
    assert "interrupted" in outcome.output
    assert "interrupted" in outcome.row("pre-release-checks")
    assert_nothing_left(outcome)
    assert project.remote.connections == 0
