"""A run killed together with its guard (an out-of-memory kill of both) leaves commands
no one stops: the lock names the run's token, and a second run is refused while a
process carrying it lives, also one that left the step's process group."""

from __future__ import annotations

import json
import os
import signal
import time
from typing import Any

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import SmallRepo, process_alive, step, wait_for_pid, wait_until_gone

# A command that leaves the step's group (a new session), then the step waits.
DAEMON = "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! > ../daemon.pid; sleep 300"


def test_a_command_that_outlived_a_run_and_its_guard_holds_the_next_run_off(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook([step("daemon", DAEMON), step("after", "echo after")])
    run = small_repo.spawn("--version", "1.3.0", "--yes")
    daemon = wait_for_pid(small_repo.root.parent / "daemon.pid", run)
    lock = _lock_naming_a_group(small_repo)
    assert len(lock["token"]) == 32
    try:
        # Both die at once, as in an out-of-memory kill; then the step's own group ends.
        os.kill(lock["guard"], signal.SIGKILL)
        run.kill()
        run.communicate(timeout=30)
        wait_until_gone(lock["guard"])
        os.killpg(lock["group"]["pgid"], signal.SIGKILL)
        wait_until_gone(lock["group"]["pgid"])
        assert process_alive(daemon)
        refused = small_repo.run("--version", "1.3.0", "--resume", "--yes")
        assert refused.returncode == ExitCode.LOCKED, refused.stdout + refused.stderr
        assert "is gone, and so is its guard, but commands it started still run" in (refused.stderr)
        assert f"(process group {os.getpgid(daemon)})" in refused.stderr
        assert f"kill -TERM -- -{os.getpgid(daemon)}" in refused.stderr
    finally:
        _stop(daemon)
    resumed = small_repo.run("--version", "1.3.0", "--resume", "--yes", "--done", "daemon")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert "after" in resumed.stdout


def _lock_naming_a_group(repo: SmallRepo) -> dict[str, Any]:
    """The lock's record once it names the command's group.

    The runner writes the group right after the start, while the command runs: a
    command quick to print its pid can be seen before that.
    """
    deadline = time.monotonic() + 30
    while True:
        text = (repo.root / ".runbook" / "lock").read_text().strip()
        record: dict[str, Any] = json.loads(text) if text else {}
        if record.get("group") or time.monotonic() > deadline:
            return record
        time.sleep(0.01)


def _stop(pid: int) -> None:
    if process_alive(pid):
        os.kill(pid, signal.SIGKILL)
        wait_until_gone(pid)


def test_a_run_that_ends_leaves_no_token_to_look_for(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step("one", "echo one")])
    result = small_repo.run("--version", "1.3.0", "--yes")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert (small_repo.root / ".runbook" / "lock").read_text().strip() == ""
