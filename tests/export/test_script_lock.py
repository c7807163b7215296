"""The exported script takes the repository's one lock, ``.runbook/lock``, as the runner does.

A second run of a release, by the runner or by a script, is refused (exit 5) while the
first lives; and the commands of a script's step keep the lock after a kill of the script
and its helper, so a ``--repeat`` cannot start a publishing command again under the one
still running.  Each run here is the real runner or the real exported script, in a git
repository with a bare origin.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from runner.conftest import process_alive, step, wait_for_pid, wait_until_gone

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import Both, write_runbook

#: A step that says it started, with its pid, then waits.
LONG = "echo $$ > ../long.pid; sleep 300"


def _start_script(both: Both) -> subprocess.Popen[str]:
    return both.start([*both.release_argv(runner=False), "--version", "1.3.0", "--yes"])


def _start_runner(both: Both) -> subprocess.Popen[str]:
    return both.start([*both.release_argv(runner=True), "--version", "1.3.0", "--yes"])


def _long_runbook(both: Both) -> Path:
    write_runbook(both.repo, [step("long", LONG), step("after", "echo after")])
    assert both.export().returncode == 0
    return both.repo.root.parent / "long.pid"


def _stop(process: subprocess.Popen[str]) -> None:
    with_group = process.poll() is None
    if with_group:
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)


def test_a_script_running_holds_off_the_runner_and_another_script(both: Both) -> None:
    marker = _long_runbook(both)
    script = _start_script(both)
    try:
        long_pid = wait_for_pid(marker, script)
        by_runner = both.runner("--version", "1.3.0", "--yes")
        assert by_runner.returncode == ExitCode.LOCKED, by_runner.stdout + by_runner.stderr
        assert "holds the lock" in by_runner.stderr
        assert f"the checklist script {both.script.name}, pid {script.pid}" in by_runner.stderr
        by_script = both.bash("--version", "1.3.0", "--yes")
        assert by_script.returncode == ExitCode.LOCKED, by_script.stdout + by_script.stderr
        assert f"the checklist script {both.script.name}, pid {script.pid}" in by_script.stderr
        assert "after" not in by_runner.stdout + by_script.stdout
    finally:
        _stop(script)
        os.kill(long_pid, signal.SIGKILL)


def test_the_runner_running_holds_off_a_script(both: Both) -> None:
    marker = _long_runbook(both)
    runner = _start_runner(both)
    try:
        long_pid = wait_for_pid(marker, runner)
        by_script = both.bash("--version", "1.3.0", "--yes")
        assert by_script.returncode == ExitCode.LOCKED, by_script.stdout + by_script.stderr
        assert f"`python -m runbook run`, pid {runner.pid}" in by_script.stderr
        assert "$ echo $$" not in by_script.stdout  # nothing of the step ran again
    finally:
        _stop(runner)
        # The run's guard stops the step's command; should it not, the test does.
        with contextlib.suppress(ProcessLookupError):
            os.kill(long_pid, signal.SIGKILL)
        wait_until_gone(long_pid)


def test_a_killed_script_s_command_keeps_the_lock_until_it_ends(both: Both) -> None:
    marker = _long_runbook(both)
    script = _start_script(both)
    long_pid = wait_for_pid(marker, script)
    # The script and its helper die at once (a CI job cancelled); the step's command, in a
    # session of its own, goes on.
    _stop(script)
    assert process_alive(long_pid)
    try:
        again = both.bash("--version", "1.3.0", "--yes", "--repeat", "long")
        assert again.returncode == ExitCode.LOCKED, again.stdout + again.stderr
        assert "still run and hold it" in again.stderr
        assert "fuser -v" in again.stderr
        by_runner = both.runner("--version", "1.3.0", "--yes")
        assert by_runner.returncode == ExitCode.LOCKED, by_runner.stdout + by_runner.stderr
        assert "still run and hold it" in by_runner.stderr
    finally:
        os.kill(long_pid, signal.SIGKILL)
        wait_until_gone(long_pid)
    # Once it ended, the next run takes the lock over and asks about the command, as the
    # runner asks: it may have taken effect.
    asked = both.bash("--version", "1.3.0", "--yes")
    assert asked.returncode == ExitCode.NEEDS_DECISION, asked.stdout + asked.stderr
    done = both.bash("--version", "1.3.0", "--yes", "--done", "long")
    assert done.returncode == ExitCode.OK, done.stdout + done.stderr
    assert "after" in done.stdout


def test_a_finished_script_leaves_the_lock_free_and_naming_nobody(both: Both) -> None:
    write_runbook(both.repo, [step("one", "echo one")])
    assert both.export().returncode == 0
    result = both.bash("--version", "1.3.0", "--yes")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert (both.repo.root / ".runbook" / "lock").read_text() == ""
    assert oct((both.repo.root / ".runbook" / "lock").stat().st_mode & 0o777) == "0o600"
    # A dry run takes no lock: it runs beside a real run.
    assert both.bash("--version", "1.4.0", "--dry-run").returncode == ExitCode.OK


def test_a_folder_where_the_lock_belongs_gets_the_runner_s_message(both: Both) -> None:
    write_runbook(both.repo, [step("one", "echo one >> ../ran")])
    assert both.export().returncode == 0
    (both.repo.root / ".runbook" / "lock").mkdir(parents=True)
    by_script = both.bash("--version", "1.3.0", "--yes")
    by_runner = both.runner("--version", "1.3.0", "--yes")
    for result in (by_script, by_runner):
        assert result.returncode == ExitCode.OS_ERROR, result.stdout + result.stderr
    lock = both.repo.root / ".runbook" / "lock"
    expected = f"cannot use the lock {lock}: it is a folder; remove it (rm -r {lock})"
    assert expected in by_script.stderr
    assert expected in by_runner.stderr
    assert not (both.repo.root.parent / "ran").exists()
