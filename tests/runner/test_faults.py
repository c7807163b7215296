"""Issue 10, acceptance 1: the runner under SIGKILL, SIGINT and SIGTERM on the arshai example.

A copy of ``examples/arshai`` with a bare origin and the ``gh`` stand-in (which
records every call) is released with the offline steps, and the runner is
killed where it hurts: while ``gh release create`` runs, while a long check
runs, and at 20 random moments with a random signal.  A publish never runs
twice; a ``--resume`` is refused while the dead run's command still lives, and
afterwards every trial ends exactly like an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import (
    ARSHAI_OFFLINE_STEPS,
    ArshaiRepo,
    process_alive,
    resume_until_unlocked,
    wait_for_pid,
    wait_until_gone,
)
from .test_acceptance import RUN, _assert_same_as_reference

RESUME = ("--version", "0.4.0", "--resume", "--yes")
GIT_LOCK = re.compile(r"Unable to create '([^']+\.lock)': File exists")


@pytest.fixture(autouse=True)
def _ctrl_c_reaches_the_runs() -> Iterator[None]:
    """The runs these tests start get SIGINT at its default, as from a terminal.

    Tests started in the background inherit SIGINT ignored, and so would every run
    they start: a SIGINT trial would then interrupt nothing.  With a handler here
    instead, a child's SIGINT is back at its default once it executes the CLI.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def _creates(repo: ArshaiRepo, *, started: bool = False) -> list[str]:
    calls = repo.gh_started() if started else repo.gh_calls()
    return [call for call in calls if call.startswith("release create")]


def _state(repo: ArshaiRepo) -> dict[str, object] | None:
    path = repo.root / ".runbook" / "state.json"
    return json.loads(path.read_text()) if path.is_file() else None


def test_sigkill_during_create_release_then_resume_creates_the_release_once(
    make_arshai: Callable[[str], ArshaiRepo], arshai_reference: dict[str, object]
) -> None:
    repo = make_arshai("kill-create")
    # The call to `gh release create` waits 3 s before it reaches gh: long enough to
    # kill the runner in the middle, short enough that, if it survived the runner,
    # it would still publish during this test.
    repo.env["FAULT_SLEEP"] = "3"
    repo.slow_once("gh release create")
    process = repo.spawn(*RUN)
    held = wait_for_pid(repo.faults / "sleeping", process)
    process.kill()
    process.communicate(timeout=30)
    second = resume_until_unlocked(repo, *RESUME)
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert "note: step create-release was interrupted in command 1 of 1" in second.stdout
    assert "its :skip-if: is checked first" in second.stdout
    # Whatever the killed run had started is gone: nothing can publish again later.
    wait_until_gone(held)
    assert len(_creates(repo)) == 1, repo.gh_calls()
    # Not even started twice: the killed run's call was stopped before it reached gh.
    assert len(_creates(repo, started=True)) == 1, repo.gh_started()
    _assert_same_as_reference(repo, arshai_reference)


def test_sigkill_during_a_long_check_resume_is_refused_while_its_group_lives(
    make_arshai: Callable[[str], ArshaiRepo], arshai_reference: dict[str, object]
) -> None:
    repo = make_arshai("kill-check")
    # A check slow to stop: it ignores SIGTERM, and the grace before SIGKILL is long,
    # so its group outlives the runner until the test lets it finish.
    repo.env["RUNBOOK_STOP_GRACE"] = "120"
    repo.hold_once("gh run watch", stubborn=True)
    process = repo.spawn(*RUN)
    held = repo.held_pid(process)
    pgid = os.getpgid(held)
    process.kill()
    process.communicate(timeout=30)
    assert process_alive(held)
    refused = repo.run(*RESUME)
    assert refused.returncode == ExitCode.LOCKED, refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    assert f"`python -m runbook run`, pid {process.pid} on " in refused.stderr
    assert f"has died; the commands of its step (process group {pgid}) are being stopped" in (
        refused.stderr
    )
    assert "[1/16]" not in refused.stdout and "[14/16]" not in refused.stdout
    repo.release()
    wait_until_gone(held)
    second = resume_until_unlocked(repo, *RESUME)
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert "note: step watch-workflow was interrupted in command 1 of 1" in second.stdout
    assert "running it again: it is a check" in second.stdout
    _assert_same_as_reference(repo, arshai_reference)


# --- 20 randomised trials --------------------------------------------------------------

SIGNALS = (signal.SIGKILL, signal.SIGINT, signal.SIGTERM)
#: Seeds of the trials; RUNBOOK_TRIAL_SEED moves the whole set (to explore, or to repeat).
BASE_SEED = int(os.environ.get("RUNBOOK_TRIAL_SEED", "10"))
TRIALS = 20
#: How long into the run a signal may land (an uninterrupted offline run takes about this).
SPAN = 0.5


def _transcripts(repo: ArshaiRepo) -> str:
    logs = sorted((repo.root / ".runbook" / "logs").glob("*.log"))
    return "".join(f"\n--- {path.name}\n{path.read_text()}" for path in logs)


def _finish(repo: ArshaiRepo, log: list[str]) -> None:
    """Drive the release to its end as a maintainer would after the fault."""
    answers: list[str] = []
    for _ in range(12):
        state = _state(repo)
        if state is not None and state["status"] == "done":
            return
        if state is None:
            result = resume_until_unlocked(repo, *RUN)
        else:
            result = resume_until_unlocked(repo, *RESUME, *answers)
        log.append(f"exit {result.returncode}")
        assert "Traceback" not in result.stderr, result.stderr
        if result.returncode == ExitCode.NEEDS_DECISION:
            # The maintainer checks (here: push and pull are idempotent) and says repeat.
            current = str(_state(repo)["current"])  # type: ignore[index]
            assert f"--repeat {current}" in result.stderr
            answers = ["--repeat", current]
            continue
        answers = []
        stale = GIT_LOCK.search(result.stdout + result.stderr)
        if result.returncode == ExitCode.STEP_FAILED and stale:
            # git itself leaves its lock when a signal lands between creating it and
            # arming its cleanup (about 1 SIGTERM in 400 here), or when the runner's guard
            # SIGKILLs a push whose receiving side (the local origin's receive-pack, in the
            # step's group) holds the ref's lock; git says so, and, as git tells the
            # maintainer, the stale lock is removed by hand.
            lock = Path(stale.group(1))
            assert lock.is_relative_to(repo.root / ".git") or lock.is_relative_to(repo.origin), lock
            lock.unlink()
            log.append(f"removed git's stale {lock.name}")
            continue
        assert result.returncode in (ExitCode.OK, ExitCode.USAGE), (
            result.stdout + result.stderr + _transcripts(repo)
        )
        if result.returncode == ExitCode.USAGE:
            # Killed before its state was first written: nothing to resume, start it.
            assert "no earlier run recorded" in result.stderr, result.stderr
            (repo.root / ".runbook" / "state.json").unlink(missing_ok=True)
    raise AssertionError(f"the release did not finish: {log}")


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_random_signal_at_a_random_moment_then_resume_ends_like_an_uninterrupted_run(
    make_arshai: Callable[[str], ArshaiRepo], arshai_reference: dict[str, object], trial: int
) -> None:
    rng = random.Random(BASE_SEED * 1000 + trial)
    sig = rng.choice(SIGNALS)
    delay = rng.uniform(0.0, SPAN)
    repo = make_arshai(f"trial-{trial}")
    process = repo.spawn(*RUN)
    time.sleep(delay)
    process.send_signal(sig)
    out, err = process.communicate(timeout=60)
    seed = BASE_SEED * 1000 + trial
    log = [f"seed {seed}: {sig.name} after {delay:.3f}s -> {process.returncode}"]
    # Saved and said so (130, also a Ctrl-C while the CLI is imported), killed outright
    # (-SIGNAL: SIGKILL, or SIGTERM or Ctrl-C before the steps, when nothing is
    # half-done), too late to matter (0), or Ctrl-C while the interpreter itself was
    # still starting (its own message, before any code of ours ran or anything was
    # written).
    early = "Traceback" in err and "runbook" not in err and _state(repo) is None
    assert "Traceback" not in err or early, (log, err)
    assert early or process.returncode in (ExitCode.INTERRUPTED, -sig, ExitCode.OK), (
        log,
        out,
        err,
    )
    _finish(repo, log)
    # Published once.  A create killed half-way (it did not publish) may have started
    # before; its step's :skip-if: then found no release, and the resume created it.
    assert _creates(repo) == arshai_reference["release creates"], (log, repo.gh_started())
    attempts = len(_creates(repo, started=True))
    log.append(f"release create started {attempts}x, done 1x")
    _assert_same_as_reference(repo, arshai_reference)
    print(" | ".join(log))


def test_the_trials_reach_every_signal() -> None:
    drawn = {random.Random(BASE_SEED * 1000 + trial).choice(SIGNALS) for trial in range(TRIALS)}
    assert drawn == set(SIGNALS)


def test_a_bump_write_killed_before_its_rename_leaves_no_temporary_file(
    make_arshai: Callable[[str], ArshaiRepo], arshai_reference: dict[str, object]
) -> None:
    """SIGKILL between a bump's temporary file and its rename: --resume sweeps it away."""
    repo = make_arshai("torn-bump")
    first = repo.run(*RUN[:3], "--only", "update-main", "--only", "check-clean")
    assert first.returncode == ExitCode.OK, first.stderr
    state_path = repo.root / ".runbook" / "state.json"
    state = json.loads(state_path.read_text())
    state.update(
        selected=list(ARSHAI_OFFLINE_STEPS),
        completed=list(ARSHAI_OFFLINE_STEPS[:2]),
        current="bump-pyproject",
        status="running",
    )
    state_path.write_text(json.dumps(state))
    leftover = repo.root / ".pyproject.toml.k1ll3d_x.tmp"
    leftover.write_text("half a file")
    second = repo.run(*RESUME)
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert "removed .pyproject.toml.k1ll3d_x.tmp, left by an interrupted write" in second.stdout
    assert not leftover.exists()
    _assert_same_as_reference(repo, arshai_reference)
