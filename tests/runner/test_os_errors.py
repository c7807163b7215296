"""Issue 10, acceptance 5: every OS error a user can cause is one line, an exit code, and a
state ``--resume`` can continue.

Each used to be a traceback, leaving the state "running": a step's ``:cwd:``
that does not exist (in a run and in a resume), ``.runbook/state.json`` being
a folder, ``.runbook/logs`` being a file, a full disk, an absurdly long version.
The full disk is ``/dev/full`` in place of the progress journal: every write to
it fails with ENOSPC, as on a full disk; it needs no privilege, so that test
runs everywhere.  Where a private mount namespace can be had, a second test
also fills a real 64 KiB tmpfs under ``.runbook/`` (the state's own save).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import SmallRepo, step


def _state(repo: SmallRepo) -> dict[str, object]:
    return json.loads((repo.root / ".runbook" / "state.json").read_text())


def _calls(repo: SmallRepo) -> list[str]:
    path = repo.root.parent / "calls"
    return path.read_text().split() if path.exists() else []


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith(("error:", "STOPPED", "FAILED"))]
    assert lines, err
    return lines[0]


def test_a_missing_cwd_fails_the_step_resumably(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step("build", "echo build >> ../../calls", cwd="dist"),
        ]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.STEP_FAILED, result.stdout + result.stderr
    line = _one_line_error(result.stderr)
    assert line == (
        f"FAILED [2/2] Build: the step's folder {small_repo.root / 'dist'} does not exist "
        "(:cwd: dist); create it, or correct the step's :cwd: in docs/release.rst:10"
    )
    assert "resume: python -m runbook run --version 1.3.0 --resume" in result.stderr
    state = _state(small_repo)
    assert (state["status"], state["current"], state["completed"]) == ("failed", "build", ["first"])
    (small_repo.root / "dist").mkdir()
    resumed = small_repo.run("--version", "1.3.0", "--resume")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert _calls(small_repo) == ["first", "build"]


def test_a_cwd_gone_before_resume_fails_the_step_again_resumably(small_repo: SmallRepo) -> None:
    (small_repo.root / "dist").mkdir()
    small_repo.write_runbook(
        [step("build", "test -e ../../fixed && echo build >> ../../calls", cwd="dist")]
    )
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    (small_repo.root.parent / "fixed").touch()
    shutil.rmtree(small_repo.root / "dist")
    result = small_repo.run("--version", "1.3.0", "--resume")
    assert result.returncode == ExitCode.STEP_FAILED, result.stdout + result.stderr
    assert "does not exist (:cwd: dist)" in _one_line_error(result.stderr)
    assert (_state(small_repo)["status"], _state(small_repo)["current"]) == ("failed", "build")
    (small_repo.root / "dist").mkdir()
    resumed = small_repo.run("--version", "1.3.0", "--resume")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert _calls(small_repo) == ["build"]


@pytest.mark.parametrize("resume", [False, True], ids=["run", "resume"])
def test_a_state_file_that_is_a_folder_is_named_with_the_fix(
    small_repo: SmallRepo, resume: bool
) -> None:
    small_repo.write_runbook([step("first", "echo first >> ../calls")])
    state = small_repo.root / ".runbook" / "state.json"
    state.mkdir(parents=True)
    args = ("--version", "1.3.0", *(["--resume"] if resume else []))
    result = small_repo.run(*args)
    assert result.returncode == ExitCode.OS_ERROR, result.stdout + result.stderr
    assert _one_line_error(result.stderr) == (
        f"error: cannot use {state}: it is a folder, not the run state; remove it "
        f"(rm -r {state}), then run again"
    )
    assert _calls(small_repo) == []
    state.rmdir()
    again = small_repo.run("--version", "1.3.0")
    assert again.returncode == ExitCode.OK, again.stdout + again.stderr


def test_a_logs_file_in_the_way_stops_before_anything_and_keeps_the_state(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook(
        [step("first", "echo first >> ../calls"), step("second", "test -e ../fixed")]
    )
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    saved = _state(small_repo)
    logs = small_repo.root / ".runbook" / "logs"
    shutil.rmtree(logs)
    logs.write_text("not a folder\n")
    (small_repo.root.parent / "fixed").touch()
    result = small_repo.run("--version", "1.3.0", "--resume")
    assert result.returncode == ExitCode.OS_ERROR, result.stdout + result.stderr
    assert _one_line_error(result.stderr) == (
        f"error: cannot create the transcript folder {logs}: a file of that name is in the "
        f"way; remove it (rm {logs}), then run again"
    )
    assert _state(small_repo) == saved  # still failed at 'second': resumable
    logs.unlink()
    resumed = small_repo.run("--version", "1.3.0", "--resume")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert _calls(small_repo) == ["first"]


DEV_FULL = Path("/dev/full")
#: A :skip-if: runs after the step began and before its first command is journaled: it
#: puts /dev/full where the journal is opened again for the step (once only).
PLANT_FULL = "[ -e ../planted ] || { touch ../planted; ln -sf /dev/full .runbook/progress; }; false"


def _dev_full() -> None:
    if DEV_FULL.is_char_device():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("/dev/full is missing (CI runs on Linux, which has it)")
    pytest.skip("needs /dev/full (Linux)")


def test_a_full_disk_stops_the_run_resumably(small_repo: SmallRepo) -> None:
    """The progress journal on ``/dev/full``: recording a command's start fails, ENOSPC."""
    _dev_full()
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step("fill", "echo fill >> ../calls", skip_if=PLANT_FULL),
            step("last", "echo last >> ../calls"),
        ]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.OS_ERROR, result.stdout + result.stderr
    progress = small_repo.root / ".runbook" / "progress"
    assert _one_line_error(result.stderr) == (
        f"STOPPED at [2/3] Fill: cannot record the progress in {progress}: No space left on "
        "device; free some space on that disk; then continue with: python -m runbook run "
        f"--version 1.3.0 --resume --runbook {small_repo.runbook_json}"
    )
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert _calls(small_repo) == ["first"]  # the command whose start was not recorded: not run
    state = _state(small_repo)
    assert (state["status"], state["current"], state["completed"]) == ("failed", "fill", ["first"])
    # Not "interrupted in command 1": it never started, so --resume need not ask about it.
    assert state["in_flight"] is None
    assert not progress.is_symlink()  # the state saved since replaced the journal
    resumed = small_repo.run("--version", "1.3.0", "--resume")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr
    assert "interrupted" not in resumed.stdout
    assert _calls(small_repo) == ["first", "fill", "last"]  # nothing twice, nothing skipped


FULL_DISK = r"""
set -u
mount -t tmpfs -o size=64k tmpfs "$ROOT/.runbook" || exit 99
cd "$ROOT"
for run in first second; do
  if [ "$run" = second ]; then rm -f .runbook/filler; set -- --resume; else set --; fi
  "$PYTHON" -m runbook run --runbook "$RUNBOOK" --version 1.3.0 "$@" \
    > "../$run.out" 2> "../$run.err"
  echo $? > "../$run.rc"
  cp .runbook/state.json "../$run.state"
done
"""


def _namespaces() -> bool:
    """Whether a private mount namespace (to mount a tiny tmpfs) can be had here."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp",
        ],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _namespaces(), reason="needs unshare -rm to mount a small tmpfs")
def test_a_full_filesystem_stops_the_state_save_resumably(small_repo: SmallRepo) -> None:
    """``.runbook/`` on a 64 KiB tmpfs, filled up by a step: the runner cannot save."""
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step(
                "fill",
                "head -c 1000000 /dev/zero > .runbook/filler 2>/dev/null; echo fill >> ../calls",
            ),
            step("last", "echo last >> ../calls"),
        ]
    )
    (small_repo.root / ".runbook").mkdir()
    env = {
        **small_repo.env,
        "ROOT": str(small_repo.root),
        "RUNBOOK": str(small_repo.runbook_json),
        "PYTHON": sys.executable,
    }
    subprocess.run(["unshare", "-rm", "bash", "-c", FULL_DISK], env=env, check=True, timeout=120)
    out = {
        name: (small_repo.root.parent / name).read_text() for name in ("first.err", "second.err")
    }
    codes = {
        run: int((small_repo.root.parent / f"{run}.rc").read_text()) for run in ("first", "second")
    }
    assert codes["first"] == ExitCode.OS_ERROR, out
    line = _one_line_error(out["first.err"])
    # The journal's lines fit the blocks it already has; the rewrite of the state, at the
    # end, is what the full filesystem refuses.
    assert line.startswith(
        "STOPPED after [3/3] Last: every step of release 1.3.0 ran, but cannot save the run "
        f"state {small_repo.root}/.runbook/state.json: No space left on device; free some "
        "space on that disk; the state saved before is kept, and --resume continues from it; "
        "then continue with: python -m runbook run --version 1.3.0 --resume"
    ), out["first.err"]
    assert line.endswith("(it runs nothing again)"), line
    first = json.loads((small_repo.root.parent / "first.state").read_text())
    assert (first["status"], first["completed"]) == ("running", [])  # the journal has the rest
    assert "warning: cannot save" not in out["first.err"]  # said once
    assert codes["second"] == ExitCode.OK, out
    assert _calls(small_repo) == ["first", "fill", "last"]  # nothing twice, nothing skipped
    assert json.loads((small_repo.root.parent / "second.state").read_text())["status"] == "done"


@pytest.mark.parametrize("length", [101, 5000, 100_000])
def test_an_absurdly_long_version_is_refused_in_one_line(
    small_repo: SmallRepo, length: int
) -> None:
    small_repo.write_runbook([step("first", "echo first >> ../calls"), step("boom", "false")])
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    saved = _state(small_repo)
    version = "1.2." + "3" * (length - 4)
    for args in (["--version", version], ["--version", version, "--resume"]):
        result = small_repo.run(*args)
        assert result.returncode == ExitCode.USAGE, result.stderr[:500]
        line = _one_line_error(result.stderr)
        assert len(line) < 300, line
        if "--resume" in args:
            assert (
                "cannot --resume version 1.2.333" in line and "the last run was for 1.3.0" in line
            )
        else:
            assert f"is {length} characters long; a version has at most 100" in line
        assert _state(small_repo) == saved
