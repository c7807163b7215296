"""Issue 3 acceptance: the real CLI on a copy of examples/arshai with a bare origin.

Steps that need poetry or PyPI are left out with --only, never faked (see
``ARSHAI_OFFLINE_STEPS``); ``gh`` is a stand-in that records its arguments.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_of_the_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import (
    ARSHAI_OFFLINE_STEPS,
    PROJECT_ROOT,
    ArshaiRepo,
    git,
    new_arshai,
    only,
    runbook_cli,
)

INJECTIONS = ["0.4.0; touch PWNED", "$(touch PWNED)", "`touch PWNED`", "0.4.0\ntouch PWNED"]


def _expected_files(template: Path) -> dict[str, str]:
    pyproject = (template / "pyproject.toml").read_text()
    module = (template / "arshai" / "_version.py").read_text()
    assert pyproject.count('version = "0.3.0"') == 1
    return {
        "pyproject.toml": pyproject.replace('version = "0.3.0"', 'version = "0.4.0"'),
        "arshai/_version.py": module.replace('"0.3.0"', '"0.4.0"').replace(
            "(0, 3, 0)", "(0, 4, 0)"
        ),
    }


# --- 1. dry run of the project's own guide ---------------------------------------------


def test_dry_run_of_the_projects_own_guide_changes_nothing(tmp_path: Path) -> None:
    if not (PROJECT_ROOT / "docs" / "deployment" / "pypi-deployment.rst").is_file():
        pytest.skip("the project's own release guide is not written yet")
    project = copy_of_the_project(tmp_path / "project")
    result = runbook_cli(project, "run", "--version", "0.4.0", "--dry-run", env=dict(os.environ))
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert "0.4.0" in result.stdout and "v0.4.0" in result.stdout
    steps = [line for line in result.stdout.splitlines() if line.startswith("[")]
    plan_size = int(result.stdout.split("Plan (", 1)[1].split(" ", 1)[0])
    assert len(steps) == plan_size > 0
    # The runbook cache lands in the git-ignored .runbook/; nothing else is written.
    status = ["git", "status", "--porcelain", "--untracked-files=all"]
    assert subprocess.run(status, cwd=project, capture_output=True, text=True).stdout == ""


# --- 2. end to end ---------------------------------------------------------------------


def test_end_to_end_release_from_the_docs(
    make_arshai: object, arshai_template: tuple[Path, Path, Path]
) -> None:
    repo: ArshaiRepo = make_arshai("e2e")  # type: ignore[operator]
    # No --runbook: the runner builds the runbook from the copy's own docs.
    result = runbook_cli(
        repo.root, "run", "--version", "0.4.0", "--yes", *only(), env=repo.env, timeout=180
    )
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    for path, text in _expected_files(arshai_template[0]).items():
        assert (repo.root / path).read_text() == text, path
    env = repo.env
    assert git(repo.origin, "log", "-1", "--format=%s", "main", env=env).strip() == (
        "chore: bump version to 0.4.0"
    )
    assert git(repo.origin, "cat-file", "-t", "v0.4.0", env=env).strip() == "tag"
    assert git(repo.origin, "rev-parse", "v0.4.0^{commit}", env=env) == git(
        repo.origin, "rev-parse", "main", env=env
    )
    creates = [call for call in repo.gh_calls() if call.startswith("release create")]
    assert len(creates) == 1 and creates[0].startswith("release create v0.4.0 ")
    assert git(repo.root, "status", "--porcelain", env=env) == ""
    assert "[12/16] Create GitHub release" in result.stdout


# --- 3. fault injection and resume -----------------------------------------------------

# How each step is made to fail once.  wait-for-workflow is absent: it polls with
# the guide's :interval: 15 and :retry: 10, so failing it costs minutes; the
# retry logic itself is tested on a synthetic runbook.
BREAK_TOML = "printf '[broken\\n' >> pyproject.toml"
BREAK_MODULE = "printf 'def (\\n' >> arshai/_version.py"
FAULTS: dict[str, tuple[str, str | None]] = {
    "update-main": ("git pull", None),
    "check-clean": ("git status", None),
    "bump-pyproject": ("git status", BREAK_TOML),
    "bump-module": ("git status", BREAK_MODULE),
    "verify-module-version": ("python -c", None),
    "commit-version": ("git commit", None),
    "push-main": ("git push origin main", None),
    "create-tag": ("git tag -a", None),
    "push-tag": ("git push origin v0.4.0", None),
    "create-release": ("gh release create", None),
    "watch-workflow": ("gh run watch", None),
}
RUN = ("--version", "0.4.0", "--yes", *only())


def _assert_same_as_reference(repo: ArshaiRepo, reference: dict[str, object]) -> None:
    state = repo.final_state()
    assert state == reference
    assert json.loads((repo.root / ".runbook" / "state.json").read_text())["status"] == "done"


@pytest.mark.parametrize("step_id", sorted(FAULTS))
def test_a_failed_step_then_resume_ends_like_an_uninterrupted_run(
    make_arshai: object, arshai_reference: dict[str, object], step_id: str
) -> None:
    repo: ArshaiRepo = make_arshai(step_id)  # type: ignore[operator]
    call, hook = FAULTS[step_id]
    originals = {p: (repo.root / p).read_bytes() for p in ("pyproject.toml", "arshai/_version.py")}
    if hook:
        repo.after_once(call, hook)
    else:
        repo.fail_once(call)
    first = repo.run(*RUN)
    assert first.returncode == ExitCode.STEP_FAILED, first.stdout + first.stderr
    assert f"step:   {step_id}" in first.stderr
    assert "resume: python -m runbook run --version 0.4.0 --resume" in first.stderr
    if hook:
        # The "fix": the maintainer repairs the file the failure message named.
        broken = "pyproject.toml" if step_id == "bump-pyproject" else "arshai/_version.py"
        assert broken in first.stderr
        (repo.root / broken).write_bytes(originals[broken])
    second = repo.run("--version", "0.4.0", "--resume", "--yes")
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    _assert_same_as_reference(repo, arshai_reference)


COMMAND_FAULTS = {step_id: call for step_id, (call, hook) in FAULTS.items() if hook is None}
#: The steps that declare neither :skip-if: nor are a check: an interrupted command of
#: theirs runs again only on the maintainer's word (--repeat STEP).
NOT_REPEATABLE = {"update-main", "push-main", "push-tag"}


@pytest.mark.parametrize("step_id", sorted(COMMAND_FAULTS))
def test_sigint_mid_step_then_resume_ends_like_an_uninterrupted_run(
    make_arshai: object, arshai_reference: dict[str, object], step_id: str
) -> None:
    repo: ArshaiRepo = make_arshai(step_id)  # type: ignore[operator]
    repo.slow_once(COMMAND_FAULTS[step_id])
    process = repo.spawn(*RUN)
    _wait_for(repo.faults / "sleeping", process)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert "the state is saved. Continue with: python -m runbook run --version 0.4.0" in err
    state = json.loads((repo.root / ".runbook" / "state.json").read_text())
    assert (state["status"], state["current"]) == ("interrupted", step_id)
    second = repo.run("--version", "0.4.0", "--resume", "--yes")
    if step_id in NOT_REPEATABLE:
        assert second.returncode == ExitCode.NEEDS_DECISION, second.stdout + second.stderr
        assert f"step {step_id} was interrupted in command" in second.stderr
        assert f"--yes --repeat {step_id}" in second.stderr
        assert f"--yes --done {step_id}" in second.stderr
        second = repo.run("--version", "0.4.0", "--resume", "--yes", "--repeat", step_id)
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    _assert_same_as_reference(repo, arshai_reference)


def _wait_for(marker: Path, process: subprocess.Popen[str], limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the slow call never started"
        time.sleep(0.02)


def test_a_bump_written_but_not_recorded_is_not_reapplied_wrongly(
    make_arshai: object, arshai_reference: dict[str, object]
) -> None:
    """A kill between a bump's write and its state save: resume re-plans, changes nothing."""
    repo: ArshaiRepo = make_arshai("unrecorded")  # type: ignore[operator]
    first = repo.run(*RUN[:3], *only(ARSHAI_OFFLINE_STEPS[:4]))
    assert first.returncode == ExitCode.OK, first.stderr
    state_path = repo.root / ".runbook" / "state.json"
    state = json.loads(state_path.read_text())
    state.update(
        selected=list(ARSHAI_OFFLINE_STEPS),
        completed=list(ARSHAI_OFFLINE_STEPS[:3]),
        current="bump-module",
        status="running",
    )
    state_path.write_text(json.dumps(state))
    second = repo.run("--version", "0.4.0", "--resume", "--yes")
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert '__version__ already __version__ = "0.4.0"' in second.stdout
    _assert_same_as_reference(repo, arshai_reference)


# --- 4. bad versions are refused before anything runs ----------------------------------


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.4", "MAJOR.MINOR.PATCH"),
        ("v0.4.0", "starts with 'v'"),
        # The current version is the greater of the files (0.3.0) and the newest tag.
        ("0.3.0", "not greater than the current version 0.5.0"),
        ("0.4.0", "not greater than the current version 0.5.0"),
        ("", "the version is empty"),
        ("0.5.0", "newest tag v0.5.0)"),
        ("0.6.0", "tag v0.6.0 already exists on origin"),
        *((text, "--version") for text in INJECTIONS),
    ],
)
def test_bad_versions_are_refused_before_any_step(
    make_arshai: object, version: str, message: str
) -> None:
    repo: ArshaiRepo = make_arshai("bad")  # type: ignore[operator]
    git(repo.root, "tag", "v0.5.0", env=repo.env)
    git(repo.root, "tag", "v0.6.0", env=repo.env)
    git(repo.root, "push", "-q", "origin", "v0.6.0", env=repo.env)
    git(repo.root, "tag", "-d", "v0.6.0", env=repo.env)
    result = repo.run(f"--version={version}", "--yes", *only())
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    assert message in result.stderr
    assert "[1/16]" not in result.stdout
    assert not (repo.root / ".runbook" / "state.json").exists()
    assert not list(repo.root.parent.rglob("PWNED"))
    assert git(repo.root, "status", "--porcelain", env=repo.env) == ""


@pytest.fixture(scope="module")
def fuzz_repo(
    tmp_path_factory: pytest.TempPathFactory,
    git_home: Path,
    arshai_template: tuple[Path, Path, Path],
) -> ArshaiRepo:
    return new_arshai(tmp_path_factory.mktemp("fuzz"), git_home, arshai_template)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
        st.sampled_from(INJECTIONS),
        st.from_regex(r"\A[0-9.a-z;$()` |&<>'\"-]{1,20}\Z"),
    )
)
def test_no_version_string_ever_reaches_a_shell(fuzz_repo: ArshaiRepo, version: str) -> None:
    result = fuzz_repo.run(f"--version={version}", "--yes", "--only", "check-clean")
    assert result.returncode in (ExitCode.OK, ExitCode.USAGE), result.stdout + result.stderr
    assert not list(fuzz_repo.root.parent.rglob("PWNED"))


# --- 6. two concurrent runs ------------------------------------------------------------


def test_a_second_concurrent_run_is_refused_and_the_first_completes(
    make_arshai: object, arshai_reference: dict[str, object]
) -> None:
    repo: ArshaiRepo = make_arshai("concurrent")  # type: ignore[operator]
    repo.env["FAULT_SLEEP"] = "2"
    repo.slow_once("git push origin main")
    first = repo.spawn(*RUN)
    _wait_for(repo.faults / "sleeping", first)
    second = repo.run(*RUN)
    assert second.returncode == ExitCode.LOCKED, second.stdout + second.stderr
    assert f"another run holds the lock {repo.root / '.runbook' / 'lock'}" in second.stderr
    out, err = first.communicate(timeout=60)
    assert first.returncode == ExitCode.OK, out + err
    _assert_same_as_reference(repo, arshai_reference)


def test_the_cli_help_documents_the_exit_codes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "runbook", "run", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for code in ExitCode:
        assert f"{code.value:>4}  " in result.stdout
    assert shutil.which("bash")
