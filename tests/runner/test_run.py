"""``python -m runbook run`` on small synthetic runbooks: one behaviour per test."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import time
from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Source, Troubleshoot

from .conftest import BUMP_STEP, PYPROJECT, VERSION_PY, SmallRepo, runbook_cli, step


def _state(repo: SmallRepo) -> dict[str, object]:
    return json.loads((repo.root / ".runbook" / "state.json").read_text())


def _transcript(repo: SmallRepo) -> str:
    logs = sorted((repo.root / ".runbook" / "logs").glob("*.log"))
    return "".join(log.read_text() for log in logs)


def test_a_run_prints_plan_headers_commands_output_and_times(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [step("hello", "echo hello {{ version }} {{ tag }} {{ previous_version }}"), BUMP_STEP]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.OK, result.stderr
    out = result.stdout
    assert "Release 1.3.0 (current 1.2.0), tag v1.3.0" in out
    assert out.index("Plan (2 of 2 steps):") < out.index("[1/2] Hello")
    assert "$ echo hello 1.3.0 v1.3.0 1.2.0\nhello 1.3.0 v1.3.0 1.2.0\n" in out
    assert "[2/2] Bump" in out
    assert "ok: Hello (" in out
    assert (small_repo.root / "pyproject.toml").read_text() == PYPROJECT.replace("1.2.0", "1.3.0")
    assert (small_repo.root / "demo" / "_version.py").read_text() == VERSION_PY.replace(
        "'1.2.0'", "'1.3.0'"
    ).replace("(1, 2, 0)", "(1, 3, 0)")
    assert _state(small_repo)["status"] == "done"
    transcript = _transcript(small_repo)
    assert "Plan (2 of 2 steps):" in transcript
    assert "$ echo hello 1.3.0 v1.3.0 1.2.0\nhello 1.3.0 v1.3.0 1.2.0\n" in transcript
    # The run's own files are invisible to git (.runbook/.gitignore is "*").
    assert "runbook" not in small_repo.status(ignored=False)


def test_a_failure_names_step_source_docs_troubleshooting_and_resume(
    small_repo: SmallRepo,
) -> None:
    entries = [
        Troubleshoot(
            "denied",
            "Push denied",
            "permission denied",
            "Ask for write access.",
            "demo",
            Source("release", "docs/release.rst", 90),
            url="release.html#d",
        ),
        Troubleshoot(
            "other",
            "Unrelated",
            "no such thing",
            "Never shown.",
            "demo",
            Source("release", "docs/release.rst", 99),
        ),
    ]
    small_repo.write_runbook(
        [
            step("push", "echo 'remote: permission denied'; exit 3", line=42),
            step("after", "touch after-ran"),
        ],
        troubleshoot=entries,
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.STEP_FAILED
    err = result.stderr
    failed = "FAILED [1/2] Push: `echo 'remote: permission denied'; exit 3` exited with status 3"
    assert failed in err
    assert "step:   push" in err
    assert "source: docs/release.rst:42" in err
    assert "docs:   release.html#push" in err
    assert "troubleshooting: Push denied (docs/release.rst:90)" in err
    assert "Ask for write access." in err
    assert "Unrelated" not in err
    resume = "resume: python -m runbook run --version 1.3.0 --resume --runbook"
    assert f"{resume} {small_repo.runbook_json}" in err
    assert not (small_repo.root / "after-ran").exists()
    assert _state(small_repo)["status"] == "failed"


def test_resume_continues_at_the_failed_command_not_before(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step("second", "echo a >> ../calls", "test -e ../fixed", "echo c >> ../calls"),
            step("third", "echo third >> ../calls"),
        ]
    )
    calls = small_repo.root.parent / "calls"
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    assert calls.read_text().split() == ["first", "a"]
    (small_repo.root.parent / "fixed").touch()
    result = small_repo.run("--version", "1.3.0", "--resume")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "(resuming after command 1 of 3)" in result.stdout
    assert calls.read_text().split() == ["first", "a", "c", "third"]
    again = small_repo.run("--resume")
    assert again.returncode == ExitCode.USAGE
    assert "nothing to resume" in again.stderr


def test_a_new_run_after_a_bumped_failure_points_to_resume(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([BUMP_STEP, step("boom", "false")])
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.USAGE
    assert "a release is in progress: 1.3.0, stopped at step 'boom' (failed)" in result.stderr
    assert "Continue it with: python -m runbook run --version 1.3.0 --resume" in result.stderr
    assert "or give it up with: python -m runbook abandon" in result.stderr


def test_expect_and_expect_empty_judge_the_output(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [
            step("version", "echo demo 1.3.0", kind="check", expect="^demo {{ version }}$"),
            step("dotted", "echo demo 1x3y0", kind="check", expect="^demo {{ version }}$"),
        ]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.STEP_FAILED
    assert "ok: Version" in result.stdout
    # The version is escaped in the regex: its dots match dots only.
    assert r"does not match :expect: /^demo 1\.3\.0$/" in result.stderr
    abandoned = runbook_cli(small_repo.root, "abandon", "--yes", env=small_repo.env)
    assert abandoned.returncode == ExitCode.OK, abandoned.stderr
    small_repo.write_runbook([step("clean", "echo dirty", kind="check", expect_empty=True)])
    result = small_repo.run("--version", "1.3.0")
    assert "should be empty (:expect-empty:)" in result.stderr


def test_timeout_stops_a_slow_step(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step("slow", "sleep 20", timeout=0.5)])
    started = time.monotonic()
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.STEP_FAILED
    assert "timed out after 0.5s in `sleep 20`" in result.stderr
    assert time.monotonic() - started < 10


def test_retry_polls_until_success_and_gives_up_after_the_count(small_repo: SmallRepo) -> None:
    poll = 'n=$(cat ../n 2>/dev/null || echo 0); echo $((n+1)) > ../n; test "$n" -ge 2'
    small_repo.write_runbook([step("wait", poll, kind="wait", retry=3, interval=0.1)])
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stdout.count("retrying in 0.1s") == 2
    (small_repo.root.parent / "n").unlink()
    small_repo.write_runbook([step("wait", poll, kind="wait", retry=1, interval=0.1)])
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.STEP_FAILED


def test_skip_if_success_skips_the_step(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [
            step("done", "touch ../ran-done", skip_if="test {{ version }} = 1.3.0"),
            step("todo", "touch ../ran-todo", skip_if="test {{ version }} = 9.9.9"),
        ]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "skipped: already done (:skip-if: test 1.3.0 = 1.3.0)" in result.stdout
    assert not (small_repo.root.parent / "ran-done").exists()
    assert (small_repo.root.parent / "ran-todo").exists()


def test_cwd_and_env_apply_to_the_commands(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [step("where", 'echo "$PWD $RELEASE"', cwd="demo", env={"RELEASE": "r{{ version }}"})]
    )
    result = small_repo.run("--version", "1.3.0")
    assert f"{small_repo.root / 'demo'} r1.3.0\n" in result.stdout


def test_missing_tools_stop_the_run_before_step_one(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [step("first", "touch ../ran"), step("later", "frobnicate", requires=["frobnicate"])]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.MISSING_TOOLS
    assert "required tools not on PATH: frobnicate (step later)" in result.stderr
    assert not (small_repo.root.parent / "ran").exists()
    assert not (small_repo.root / ".runbook" / "state.json").exists()


def test_confirm_without_terminal_stops_before_the_step_then_yes_resumes(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook(
        [
            step("prepare", "touch ../prepared"),
            step("publish", "touch ../published", confirm=True),
            step("note", kind="manual", instructions="Announce the release."),
        ]
    )
    result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.NEEDS_CONFIRMATION
    assert "STOPPED before [2/3] Publish: it needs a confirmation and there is no terminal" in (
        result.stderr
    )
    assert "--resume" in result.stderr and "--yes" in result.stderr
    assert (small_repo.root.parent / "prepared").exists()
    assert not (small_repo.root.parent / "published").exists()
    # --yes answers :confirm:, never "is the manual step done?".
    result = small_repo.run("--version", "1.3.0", "--resume", "--yes")
    assert result.returncode == ExitCode.MANUAL_STEP, result.stderr
    assert (small_repo.root.parent / "published").exists()
    assert "Announce the release." in result.stdout
    assert "done? [y/N] yes" not in result.stdout
    assert "STOPPED at [3/3] Note: it is a manual step" in result.stderr
    assert "--resume --runbook" in result.stderr and "--yes --done note" in result.stderr
    result = small_repo.run("--version", "1.3.0", "--resume", "--yes", "--done", "note")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Step 3 (note): done? yes (--done note)" in result.stdout


def test_dry_run_prints_everything_and_writes_nothing(small_repo: SmallRepo) -> None:
    small_repo.write_runbook(
        [BUMP_STEP, step("tag", "git tag -a {{ tag }} -m 'Release {{ tag }}'", confirm=True)]
    )
    before = small_repo.status()
    result = small_repo.run("--version", "1.3.0", "--dry-run")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "$ git tag -a v1.3.0 -m 'Release v1.3.0'" in result.stdout
    assert '- version = "1.2.0"   # bumped by the runbook' in result.stdout
    assert '+ version = "1.3.0"   # bumped by the runbook' in result.stdout
    assert small_repo.status() == before
    assert not (small_repo.root / ".runbook").exists()
    assert (small_repo.root / "pyproject.toml").read_text() == PYPROJECT


def test_from_and_only_select_steps_and_unknown_ids_are_refused(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step(name, f"echo {name} >> ../calls") for name in "abcd"])
    calls = small_repo.root.parent / "calls"
    assert small_repo.run("--version", "1.3.0", "--from", "c").returncode == ExitCode.OK
    assert calls.read_text().split() == ["c", "d"]
    calls.unlink()
    assert small_repo.run("--version", "1.3.0", "--only", "d", "--only", "a").returncode == 0
    assert calls.read_text().split() == ["a", "d"]
    result = small_repo.run("--version", "1.3.0", "--only", "zz")
    assert result.returncode == ExitCode.USAGE
    assert "no step 'zz'; its steps are: a, b, c, d" in result.stderr


def test_a_held_lock_refuses_the_run_naming_the_lock(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([step("a", "touch ../ran")])
    (small_repo.root / ".runbook").mkdir()
    lock = small_repo.root / ".runbook" / "lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write("pid 1 on elsewhere\n")
        handle.flush()
        result = small_repo.run("--version", "1.3.0")
    assert result.returncode == ExitCode.LOCKED
    assert f"another run holds the lock {lock} (pid 1 on elsewhere)" in result.stderr
    assert not (small_repo.root.parent / "ran").exists()
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.OK


def test_sigint_stops_the_child_group_saves_state_and_resume_finishes(
    small_repo: SmallRepo,
) -> None:
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step("long", "sleep 60 & echo $! > ../child; echo started; wait"),
            step("last", "echo last >> ../calls"),
        ]
    )
    process = small_repo.spawn("--version", "1.3.0")
    child = small_repo.root.parent / "child"
    deadline = time.monotonic() + 20
    while not child.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=20)
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert "INTERRUPTED at [2/3] Long; the state is saved." in err
    assert "python -m runbook run --version 1.3.0 --resume" in err
    pid = int(child.read_text())
    time.sleep(0.1)
    assert not _alive(pid), "the step's background child must be stopped too"
    state = _state(small_repo)
    assert (state["status"], state["current"], state["completed"]) == (
        "interrupted",
        "long",
        ["first"],
    )
    small_repo.write_runbook(
        [
            step("first", "echo first >> ../calls"),
            step("long", "echo long >> ../calls"),
            step("last", "echo last >> ../calls"),
        ]
    )
    # The interrupted step was edited: it restarts from its first command, but it may
    # have run in part and has no :skip-if:, so that takes the maintainer's word.
    result = small_repo.run("--resume")
    assert result.returncode == ExitCode.NEEDS_DECISION, result.stderr
    assert "step long changed since the run stopped" in result.stderr
    assert "--repeat long" in result.stderr
    result = small_repo.run("--resume", "--repeat", "long")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "note: step long changed since the run stopped" in result.stdout
    assert (small_repo.root.parent / "calls").read_text().split() == ["first", "long", "last"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent (gone) would reap it.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def test_secrets_never_reach_screen_or_transcript(small_repo: SmallRepo) -> None:
    small_repo.env.update(POETRY_PYPI_TOKEN_PYPI="pypi-secret-value", DEPLOY_HOOK="hook-abc-123")
    small_repo.write_runbook(
        [
            step(
                "leak",
                'echo "token=$POETRY_PYPI_TOKEN_PYPI hook=$DEPLOY_HOOK"',
                # Split across writes with a pause: streaming must not reveal a prefix.
                'printf %s "${POETRY_PYPI_TOKEN_PYPI:0:8}"; sleep 0.4; '
                'printf "%s\\n" "${POETRY_PYPI_TOKEN_PYPI:8}"',
                'echo "$POETRY_PYPI_TOKEN_PYPI" >&2; exit 1',
            )
        ]
    )
    result = small_repo.run("--version", "1.3.0", "--secret", "DEPLOY_HOOK")
    assert result.returncode == ExitCode.STEP_FAILED
    shown = result.stdout + result.stderr + _transcript(small_repo)
    assert "token=*** hook=***" in result.stdout
    assert "pypi-sec" not in shown
    assert "hook-abc" not in shown
    assert "--secret DEPLOY_HOOK" in result.stderr  # kept in the resume command


def test_bump_command_sets_every_target_and_keeps_other_bytes(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([BUMP_STEP])
    args = ("bump", "--runbook", str(small_repo.runbook_json))
    result = runbook_cli(
        small_repo.root, *args, "--version", "minor", "--dry-run", env=small_repo.env
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert (small_repo.root / "pyproject.toml").read_text() == PYPROJECT
    result = runbook_cli(small_repo.root, *args, "--version", "minor", env=small_repo.env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "1.2.0 -> 1.3.0" in result.stdout
    assert (small_repo.root / "pyproject.toml").read_text() == PYPROJECT.replace("1.2.0", "1.3.0")
    result = runbook_cli(small_repo.root, *args, "--version", "1.2.5", env=small_repo.env)
    assert result.returncode == ExitCode.USAGE
    assert "not greater than the current version 1.3.0" in result.stderr


def test_after_a_kill_resume_skips_the_commands_the_journal_recorded(
    small_repo: SmallRepo,
) -> None:
    """SIGKILL gives the runner no chance to save: the progress journal carries the step."""
    small_repo.write_runbook(
        [
            step(
                "commit",
                "echo one >> ../calls",
                "echo two >> ../calls",
                "echo $$ > ../pid; test -e ../resumed || sleep 30",
                "echo four >> ../calls",
            )
        ]
    )
    process = small_repo.spawn("--version", "1.3.0")
    pid_file = small_repo.root.parent / "pid"
    deadline = time.monotonic() + 20
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    process.kill()
    process.communicate(timeout=10)
    # Nobody stops the step's command but the run's guard.
    shell = int(pid_file.read_text())
    deadline = time.monotonic() + 30
    while _alive(shell):
        assert time.monotonic() < deadline, "the killed run's command outlived it"
        time.sleep(0.02)
    # A torn last line, as a kill in the middle of a journal write would leave.
    with (small_repo.root / ".runbook" / "progress").open("a") as journal:
        journal.write('{"step": "commit", "commands_')
    (small_repo.root.parent / "resumed").touch()
    result = _resume_when_free(small_repo, "--version", "1.3.0")
    assert result.returncode == ExitCode.NEEDS_DECISION, result.stderr
    assert "step commit was interrupted in command 3 of 4" in result.stderr
    result = small_repo.run("--version", "1.3.0", "--resume", "--repeat", "commit")
    assert result.returncode == ExitCode.OK, result.stderr
    assert "(resuming after command 2 of 4)" in result.stdout
    assert (small_repo.root.parent / "calls").read_text().split() == ["one", "two", "four"]


def _resume_when_free(repo: SmallRepo, *args: str) -> subprocess.CompletedProcess[str]:
    """``--resume`` as a maintainer would retry it while the lock is still taken."""
    deadline = time.monotonic() + 30
    while True:
        result = repo.run(*args, "--resume")
        if result.returncode != ExitCode.LOCKED or time.monotonic() > deadline:
            return result
        time.sleep(0.05)
