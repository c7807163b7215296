"""A command's group is recorded with a bound on its start read before it starts: the
group reads as alive while it runs, as gone after, and a later group with the same id
cannot pass for it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from sphinx_release_runbook.runner.processes import Group, boot_ticks

STAT = Path("/proc/self/stat")
pytestmark = pytest.mark.skipif(not STAT.exists(), reason="needs Linux's /proc")


def _start_ticks(pid: int) -> int:
    text = Path(f"/proc/{pid}/stat").read_text()
    return int(text[text.rfind(")") + 2 :].split()[19])


def test_the_bound_is_never_above_the_start_and_close_to_it() -> None:
    for _ in range(50):
        since = boot_ticks()
        child = subprocess.Popen(["sleep", "5"], start_new_session=True)
        try:
            assert since is not None
            started = _start_ticks(child.pid)
            assert since <= started <= since + 100  # within a second (100 ticks a second)
        finally:
            child.kill()
            child.wait()


def test_a_recorded_group_is_alive_while_it_runs_and_gone_after() -> None:
    since = boot_ticks()
    child = subprocess.Popen(["sleep", "30"], start_new_session=True)
    group = Group.started_since(child.pid, since)
    try:
        assert group.alive()
        assert Group.from_dict(group.to_dict()) == group
    finally:
        child.kill()
        child.wait()
    assert not group.alive()


def test_a_group_that_started_before_the_bound_is_another_one() -> None:
    child = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        time.sleep(0.05)
        later = boot_ticks()
        assert later is not None
        # A record made for a command started after this one: the id is the same, the
        # process is older than the record, so it is not that command's.
        assert not Group.started_since(child.pid, later + 10).alive()
    finally:
        child.kill()
        child.wait()
