"""Issue 10, acceptance 2: one lock for every command that writes, naming its holder.

``bump`` during a run used to change the version files under it (the tag then
went onto a commit of another version, and both exited 0).  Now ``run``,
``bump``, ``export`` into the repository and ``abandon`` share
``.runbook/lock``; a lock left by a killed command is taken over with a notice.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import BUMP_STEP, ArshaiRepo, SmallRepo, runbook_cli, step, wait_until_gone
from .test_acceptance import RUN, _assert_same_as_reference


def test_bump_during_a_run_is_refused_naming_the_holder(
    make_arshai: Callable[[str], ArshaiRepo], arshai_reference: dict[str, object]
) -> None:
    repo = make_arshai("bump-during-run")
    repo.hold_once("git push origin main")
    run = repo.spawn(*RUN)
    repo.held_pid(run)
    files = {p: (repo.root / p).read_bytes() for p in ("pyproject.toml", "arshai/_version.py")}
    bump = runbook_cli(
        repo.root,
        "bump",
        "--runbook",
        str(repo.runbook_json),
        "--version",
        "0.5.0",
        env=repo.env,
    )
    assert bump.returncode == ExitCode.LOCKED, bump.stdout + bump.stderr
    lock = repo.root / ".runbook" / "lock"
    assert bump.stderr.startswith(f"error: another run holds the lock {lock} ")
    assert f"(`python -m runbook run`, pid {run.pid} on {socket.gethostname()}, since " in (
        bump.stderr
    )
    assert {p: (repo.root / p).read_bytes() for p in files} == files
    repo.release()
    out, err = run.communicate(timeout=120)
    assert run.returncode == ExitCode.OK, out + err
    _assert_same_as_reference(repo, arshai_reference)


def test_a_run_during_a_bump_is_refused_and_export_waits_its_turn_too(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook([BUMP_STEP, step("hello", "echo hello")])
    (small_repo.root / ".runbook").mkdir()
    lock = small_repo.root / ".runbook" / "lock"
    # A live holder: this very test process, as if it were a bump.
    holder = {"pid": os.getpid(), "command": "bump", "host": socket.gethostname(), "since": "T"}
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(json.dumps(holder))
        handle.flush()
        ran = small_repo.run("--version", "1.3.0")
        exported = runbook_cli(
            small_repo.root, "export", "--runbook", str(small_repo.runbook_json), env=small_repo.env
        )
    for result in (ran, exported):
        assert result.returncode == ExitCode.LOCKED, result.stdout + result.stderr
        assert f"another bump holds the lock {lock} (`python -m runbook bump`, pid " in (
            result.stderr
        )
    assert not (small_repo.root / ".runbook" / "state.json").exists()
    assert not (small_repo.root / ".runbook" / "release-demo.sh").exists()


def test_a_lock_left_by_a_killed_run_is_taken_over_with_a_notice(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("stale-lock")
    repo.hold_once("git push origin main")
    run = repo.spawn(*RUN)
    held = repo.held_pid(run)
    run.kill()
    run.communicate(timeout=30)
    wait_until_gone(held)  # the run's guard stops the step's command, then lets go
    lock = repo.root / ".runbook" / "lock"
    left = json.loads(lock.read_text())
    assert (left["pid"], left["command"]) == (run.pid, "run")
    # The killed release is 0.4.0; completing its bump is what bump may still do.
    args = ("bump", "--runbook", str(repo.runbook_json), "--version", "0.4.0")
    for _ in range(200):
        bump = runbook_cli(repo.root, *args, env=repo.env)
        if bump.returncode != ExitCode.LOCKED:
            break
        time.sleep(0.05)  # the guard exits right after the command it stopped
    assert bump.returncode == ExitCode.OK, bump.stdout + bump.stderr
    assert (
        f"note: took over the lock {lock} left by `python -m runbook run`, pid {run.pid} on "
        in bump.stderr
    )
    assert bump.stderr.rstrip().endswith("which is no longer running")
    assert lock.read_text() == ""  # released, naming nobody


def test_bump_during_a_release_in_progress_only_completes_that_release(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook([BUMP_STEP, step("boom", "false")])
    assert small_repo.run("--version", "patch").returncode == ExitCode.STEP_FAILED
    args = ("bump", "--runbook", str(small_repo.runbook_json), "--version")
    for other in ("patch", "1.3.0"):
        result = runbook_cli(small_repo.root, *args, other, env=small_repo.env)
        assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
        assert "a release is in progress: 1.2.1" in result.stderr
        assert "python -m runbook run --version 1.2.1 --resume" in result.stderr
        assert "python -m runbook abandon" in result.stderr
    same = runbook_cli(small_repo.root, *args, "1.2.1", env=small_repo.env)
    assert same.returncode == ExitCode.OK, same.stdout + same.stderr
    assert "Wrote nothing (already at that version)." in same.stdout
