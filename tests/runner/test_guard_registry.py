"""The guard learns of a run's groups from memory it shares with the runner, and through
its pipe once that table is full: both are stopped when the runner dies."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from sphinx_release_runbook.runner import guard as guard_module
from sphinx_release_runbook.runner.guard import Guard


def _die_after_registering(pgids: list[int]) -> None:
    """In a forked child: be a runner that starts a guard, registers *pgids*, and dies."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            guard = Guard.start([], grace=1.0)
            for pgid in pgids:
                guard.register(pgid)
        finally:
            os._exit(0)  # no goodbye: the guard sees a dead runner
    os.waitpid(pid, 0)


@pytest.mark.parametrize("slots", [1, guard_module.SLOTS])
def test_the_registered_groups_die_with_the_runner(
    monkeypatch: pytest.MonkeyPatch, slots: int
) -> None:
    monkeypatch.setattr(guard_module, "SLOTS", slots)
    sleepers = [
        subprocess.Popen(["sleep", "60"], start_new_session=True, stdin=subprocess.DEVNULL)
        for _ in range(3)
    ]
    try:
        _die_after_registering([sleeper.pid for sleeper in sleepers])
        # With one slot, the second and third went through the pipe.
        for sleeper in sleepers:
            assert sleeper.wait(timeout=30) == -signal.SIGTERM
    finally:
        for sleeper in sleepers:
            if sleeper.poll() is None:
                sleeper.kill()
                sleeper.wait()


def test_a_forgotten_group_is_left_alone() -> None:
    kept, forgotten = (
        subprocess.Popen(["sleep", "60"], start_new_session=True, stdin=subprocess.DEVNULL)
        for _ in range(2)
    )
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            guard = Guard.start([], grace=1.0)
            guard.register(kept.pid)
            guard.register(forgotten.pid)
            guard.forget(forgotten.pid)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    try:
        assert kept.wait(timeout=30) == -signal.SIGTERM
        assert forgotten.poll() is None
    finally:
        for sleeper in (kept, forgotten):
            if sleeper.poll() is None:
                sleeper.kill()
                sleeper.wait()


def test_signalling_a_group_says_whether_a_process_took_it() -> None:
    # The runner forgets a command's group at once when its last signal found no process
    # (execute.run_command); a group with a process left must answer True.
    from sphinx_release_runbook.runner.processes import group_alive, signal_group

    sleeper = subprocess.Popen(["sleep", "60"], start_new_session=True, stdin=subprocess.DEVNULL)
    try:
        assert signal_group(sleeper.pid, signal.SIGCONT) is True
        assert group_alive(sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert signal_group(sleeper.pid, signal.SIGKILL) is False
    assert not group_alive(sleeper.pid)
