"""Issue 10: a command the guard was never told about still dies with a killed runner.

The runner registers a command's process group with its guard right after the
command has started; a SIGKILL in between (microseconds) would leave a command
the guard does not know, the lock free at once and a ``--resume`` free to start
the same publish again.  Every command carries its run's token in its
environment (``RUNBOOK_RUN``), and the guard of a dead runner stops the group of
every process that carries it, holding the lock until none is left.

The window itself cannot be hit on purpose, so its outcome is made directly: a
runner (a small program using the real lock and guard) starts a command with
the token the way the runner does and never registers it, and is killed.  The
same look through the processes finds a command that left its group, which the
real CLI shows.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import (
    BUMP_STEP,
    SPAWNED,
    SmallRepo,
    process_alive,
    runbook_cli,
    step,
    wait_for_pid,
    wait_until_gone,
)

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/environ").is_file() and os.environ.get("CI") != "true",
    reason="the guard finds commands by their environment in /proc (Linux)",
)

# A runner cut short between a command's start and its registration: the real lock
# and guard, a command started with the run's token, no `+PGID` line to the guard.
UNREGISTERED_START = r"""
import json, os, subprocess, sys, time
from pathlib import Path
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.runner.guard import Guard
from sphinx_release_runbook.runner.lock import RunLock

root, grace, script = Path(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
ensure_private_dir(root)
lock = RunLock(root, "run")
lock.acquire()
guard = Guard.start([lock.fd], grace)
lock.set_guard(guard.pid, guard.token)
command = subprocess.Popen(
    ["bash", "-c", script],
    env=guard.marked(os.environ),
    start_new_session=True,
    stdin=subprocess.DEVNULL,
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
)
print(json.dumps({"guard": guard.pid, "command": command.pid, "token": guard.token}), flush=True)
time.sleep(600)
"""

# A command slow to stop: it notes each SIGTERM and goes on until released.
HELD = r"""
trap 'echo TERM >> "$DIR/signalled"' TERM
echo $$ > "$DIR/holding.tmp" && mv "$DIR/holding.tmp" "$DIR/holding"
until [ -e "$DIR/release" ]; do sleep 0.02; done
"""

# A command that does not stop: it ignores SIGTERM and runs until killed.
DEAF = r"""
trap '' TERM
echo $$ > "$DIR/holding.tmp" && mv "$DIR/holding.tmp" "$DIR/holding"
while :; do sleep 0.02; done
"""


@pytest.fixture
def faults(tmp_path: Path) -> Iterator[Path]:
    """A folder the test's commands report in; released at the end, whatever happened."""
    folder = tmp_path / "faults"
    folder.mkdir()
    yield folder
    (folder / "release").touch()


def _start_unregistered(
    repo: SmallRepo, faults: Path, script: str, grace: float
) -> tuple[subprocess.Popen[str], int, int]:
    """The cut-short runner, its guard's pid and its command's pid once that one runs.

    The runner is itself started by a step of an outer run: its command carries the
    outer token first.  Two bystanders carry tokens that are not the run's (the outer
    one, and the run's with one more digit): the guard must leave them alone.
    """
    env = {**repo.env, "DIR": str(faults), "RUNBOOK_RUN": "outer-run"}
    runner = subprocess.Popen(
        [sys.executable, "-c", UNREGISTERED_START, str(repo.root), str(grace), script],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    SPAWNED.append(runner)
    assert runner.stdout is not None
    started = json.loads(runner.stdout.readline())
    command = wait_for_pid(faults / "holding", runner)
    assert command == started["command"]
    for marker in ("outer-run", f"outer-run:{started['token']}0"):
        bystander = subprocess.Popen(
            ["sleep", "300"], env={**env, "RUNBOOK_RUN": marker}, start_new_session=True
        )
        BYSTANDERS.append(bystander)
    return runner, started["guard"], command


#: Processes that carry a token other than the run's, ended by :func:`_no_bystander_left`.
BYSTANDERS: list[subprocess.Popen[bytes]] = []


@pytest.fixture(autouse=True)
def _no_bystander_left() -> Iterator[None]:
    yield
    while BYSTANDERS:
        bystander = BYSTANDERS.pop()
        bystander.kill()
        bystander.wait()


def _assert_bystanders_alive() -> None:
    assert BYSTANDERS
    assert all(bystander.poll() is None for bystander in BYSTANDERS)


def _wait_for_sigterm(faults: Path) -> None:
    """Until the held command has noted a SIGTERM (fails if none comes)."""
    signalled = faults / "signalled"
    deadline = time.monotonic() + 30
    while not signalled.exists():
        assert time.monotonic() < deadline, "the guard never signalled the held command"
        time.sleep(0.02)


def _lock_is_free(repo: SmallRepo) -> bool:
    """Whether the repository's lock can be taken now (it is let go again at once)."""
    fd = os.open(repo.root / ".runbook" / "lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing the only descriptor of a lock taken here lets it go
    return True


def _bump(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    return runbook_cli(
        repo.root, "bump", "--runbook", str(repo.runbook_json), "--version", "1.3.0", env=repo.env
    )


def test_a_command_started_but_never_registered_is_stopped_and_holds_the_lock(
    small_repo: SmallRepo, faults: Path
) -> None:
    small_repo.write_runbook([BUMP_STEP])
    runner, guard, command = _start_unregistered(small_repo, faults, HELD, grace=120)
    assert process_alive(guard)
    runner.kill()
    runner.communicate(timeout=30)
    # The guard was never told of the command, yet it asks its group to stop...
    _wait_for_sigterm(faults)
    # ...and keeps the lock while it still runs: a bump (like a --resume) is refused.
    refused = _bump(small_repo)
    assert process_alive(command)
    assert refused.returncode == ExitCode.LOCKED, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert f"`python -m runbook run`, pid {runner.pid} on " in refused.stderr
    assert f"the commands of its step are being stopped by its guard, pid {guard}" in (
        refused.stderr
    )
    assert 'version = "1.2.0"' in (small_repo.root / "pyproject.toml").read_text()
    (faults / "release").touch()
    wait_until_gone(command)
    wait_until_gone(guard)
    _assert_bystanders_alive()
    bumped = _bump(small_repo)
    assert bumped.returncode == ExitCode.OK, bumped.stdout + bumped.stderr
    assert 'version = "1.3.0"' in (small_repo.root / "pyproject.toml").read_text()


def test_an_unregistered_command_deaf_to_sigterm_is_killed_and_the_lock_waits_for_it(
    small_repo: SmallRepo, faults: Path
) -> None:
    small_repo.write_runbook([BUMP_STEP])
    runner, guard, command = _start_unregistered(small_repo, faults, DEAF, grace=1)
    runner.kill()
    runner.communicate(timeout=30)
    # Until the grace is over and the SIGKILL lands, the lock is never free.
    deadline = time.monotonic() + 60
    while process_alive(command):
        assert time.monotonic() < deadline, "the guard never killed the unregistered command"
        free = _lock_is_free(small_repo)
        assert not (free and process_alive(command)), "the lock was free while it ran"
        time.sleep(0.01)
    wait_until_gone(guard)
    _assert_bystanders_alive()
    assert _lock_is_free(small_repo)


# A step whose command leaves its group for a session of its own, its output away
# from the runner's pipe (as a daemon does), and holds there until released.  Run
# again once released, the step has nothing to do.
ESCAPE = (
    '[ -e "$DIR/release" ] || { setsid bash "$DIR/escapee" </dev/null >/dev/null 2>&1 & '
    "sleep 300; }"
)


def test_a_command_that_left_its_group_keeps_the_lock_after_a_sigkill(
    small_repo: SmallRepo, faults: Path
) -> None:
    small_repo.write_runbook([step("watch", ESCAPE, kind="check"), step("after", "true")])
    (faults / "escapee").write_text(HELD)
    small_repo.env.update(DIR=str(faults), RUNBOOK_STOP_GRACE="120")
    process = small_repo.spawn("--version", "1.3.0", "--yes")
    escaped = wait_for_pid(faults / "holding", process)
    state = json.loads((small_repo.root / ".runbook" / "lock").read_text())
    assert os.getpgid(escaped) != state["group"]["pgid"]  # not in the group the guard knows
    process.kill()
    process.communicate(timeout=30)
    _wait_for_sigterm(faults)  # found by its token alone
    refused = small_repo.run("--version", "1.3.0", "--resume", "--yes")
    assert process_alive(escaped)
    assert refused.returncode == ExitCode.LOCKED, refused.stdout + refused.stderr
    assert f"`python -m runbook run`, pid {process.pid} on " in refused.stderr
    assert "are being stopped by its guard" in refused.stderr
    (faults / "release").touch()
    wait_until_gone(escaped)
    deadline = time.monotonic() + 60
    while (resumed := small_repo.run("--version", "1.3.0", "--resume", "--yes")).returncode == (
        ExitCode.LOCKED
    ):
        assert time.monotonic() < deadline, resumed.stderr
        time.sleep(0.05)
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert "running it again: it is a check" in resumed.stdout


def test_every_command_carries_its_runs_token_after_the_outer_runs(
    small_repo: SmallRepo, tmp_path: Path
) -> None:
    seen = tmp_path / "seen"
    small_repo.write_runbook(
        [step("one", f'echo "$RUNBOOK_RUN" >> {seen}', f'echo "$RUNBOOK_RUN" >> {seen}')]
    )
    small_repo.env["RUNBOOK_RUN"] = "outer-run"
    result = small_repo.run("--version", "1.3.0", "--yes")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    first, second = seen.read_text().split()
    outer, token = first.split(":")
    assert outer == "outer-run"
    assert len(token) == 32 and int(token, 16) >= 0
    assert second == first  # one token for the whole run


def test_a_command_inherits_no_descriptor_the_runners_caller_passed_on(
    small_repo: SmallRepo, tmp_path: Path
) -> None:
    """The runner leaves the child's descriptors to its exec; the caller's do not leak."""
    seen = tmp_path / "fds"
    small_repo.write_runbook([step("one", f"ls /proc/$$/fd > {seen}")])
    args = ["run", "--runbook", str(small_repo.runbook_json), "--version", "1.3.0", "--yes"]
    read, write = os.pipe()
    os.set_inheritable(write, True)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "runbook", *args],
            cwd=small_repo.root,
            env=small_repo.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            pass_fds=(write,),
        )
    finally:
        os.close(read)
        os.close(write)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert sorted(map(int, seen.read_text().split())) == [0, 1, 2]
