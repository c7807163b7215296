"""The exported script as a user meets it: shellcheck-clean, from any directory, on a terminal
or into a log, with a missing ``:cwd:`` and with secrets in the environment, as the runner.

Real exports (the CLI), real bash, real git repositories with a bare origin;
the terminal is a real pseudo-terminal (``script -q -c``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from runner.conftest import ARSHAI_OFFLINE_STEPS, BUMP_STEP, ArshaiRepo, git, runbook_cli, step
from runner.test_export_script import _comparable, _export, _script

from sphinx_release_runbook.core.model import Troubleshoot

from .conftest import (
    Both,
    markers,
    real_interpreter,
    shellcheck,
    terminal_recorder,
    write_runbook,
)
from .test_hostile import CASES


def _shellcheck(script: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [shellcheck(), "-S", "warning", str(script)], capture_output=True, text=True, check=False
    )


# --- shellcheck ------------------------------------------------------------------------


def test_the_exported_arshai_script_passes_shellcheck(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    repo = make_arshai("lint")
    script = tmp_path / "release-arshai.sh"
    _export(repo, script)
    checked = _shellcheck(script)
    assert checked.returncode == 0, checked.stdout


def test_a_script_of_hostile_texts_passes_shellcheck(both: Both) -> None:
    # Copies: the cases share step objects (BUMP_STEP) with other tests.
    steps = [
        dataclasses.replace(item, id=f"{item.id}-{number}")
        for number, item in enumerate(item for case in CASES.values() for item in case.steps())
    ]
    write_runbook(
        both.repo,
        steps,
        title="Demo\nRUNBOOK_PYTHON_HELPER\n$(touch PWNED)",
        package="demo;touch PWNED",
        tag="v{{ version }}';touch PWNED'",
        troubleshoot=[Troubleshoot("t", "`x`", "y", "$(z)", "demo", BUMP_STEP.source)],
    )
    assert both.export().returncode == 0
    checked = _shellcheck(both.script)
    assert checked.returncode == 0, checked.stdout
    assert both.bash("--help").returncode == 0
    assert markers(both.repo.root.parent) == []


# --- from a subdirectory ---------------------------------------------------------------


def test_the_script_runs_from_a_subdirectory_as_from_the_root(
    make_arshai: Callable[[str], ArshaiRepo], tmp_path: Path
) -> None:
    from_root, from_sub = make_arshai("root"), make_arshai("sub")
    script = tmp_path / "release.sh"
    _export(from_root, script)
    subdirectory = from_sub.root / "docs" / "deployment"
    dry_root = _script(from_root, script, "--version", "minor", "--dry-run")
    dry_sub = subprocess.run(
        ["bash", str(script), "--version", "minor", "--dry-run"],
        cwd=subdirectory,
        env=from_sub.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry_root.returncode == 0, dry_root.stderr
    assert (dry_sub.returncode, dry_sub.stdout, dry_sub.stderr) == (0, dry_root.stdout, "")
    steps = ARSHAI_OFFLINE_STEPS[2:8]  # bump, verify, commit, push: they change the repository
    only = [arg for step_id in steps for arg in ("--only", step_id)]
    ran_root = _script(from_root, script, "--version", "0.4.0", "--yes", *only)
    ran_sub = subprocess.run(
        ["bash", str(script), "--version", "0.4.0", "--yes", *only],
        cwd=subdirectory,
        env=from_sub.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran_root.returncode == 0, ran_root.stdout + ran_root.stderr
    assert ran_sub.returncode == 0, ran_sub.stdout + ran_sub.stderr
    # The same text but for where each copy lives and the commits' hashes (their times).
    assert _normalised(ran_sub.stdout, from_sub) == _normalised(ran_root.stdout, from_root)
    assert _comparable(from_sub) == _comparable(from_root)
    assert b'version = "0.4.0"' in (from_sub.root / "pyproject.toml").read_bytes()


def _normalised(text: str, repo: ArshaiRepo) -> str:
    return re.sub(r"\b[0-9a-f]{7,40}\b", "HASH", text.replace(str(repo.root.parent), "BASE"))


# --- on a terminal and into a log ------------------------------------------------------


def _steps_with_output() -> list[object]:
    return [
        BUMP_STEP,
        step("talk", "echo out; echo err >&2", "printf 'no newline'", "seq 1 3"),
        step("confirm", "echo confirmed", confirm=True, title="Confirm me"),
        step("expect", "echo version {{ version }}", expect="^version {{ version }}$"),
    ]


def test_a_log_is_the_text_the_terminal_shows(twins: tuple[Both, Both], tmp_path: Path) -> None:
    recorder = terminal_recorder()  # skips without script(1), fails under CI
    on_tty, into_log = twins
    for pair in twins:
        write_runbook(pair.repo, _steps_with_output())  # type: ignore[arg-type]
        assert pair.export().returncode == 0
    args = ["--version", "1.3.0", "--yes"]
    command = shlex.join(["bash", str(on_tty.script), *args])
    terminal = subprocess.run(
        [recorder, "-q", "-e", "-c", command, "/dev/null"],
        cwd=on_tty.repo.root,
        env=on_tty.repo.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert terminal.returncode == 0, terminal.stdout
    log = tmp_path / "release.log"
    script = shlex.quote(str(into_log.script))
    redirected = subprocess.run(
        f"bash {script} {shlex.join(args)} > {shlex.quote(str(log))} 2>&1",
        shell=True,
        cwd=into_log.repo.root,
        env=into_log.repo.env,
        stdin=subprocess.DEVNULL,
        check=False,
        timeout=120,
    )
    assert redirected.returncode == 0
    written = log.read_bytes()
    assert b"\x00" not in written
    shown = terminal.stdout.replace(b"\r\n", b"\n")
    assert written.decode() == shown.decode()
    text = written.decode()
    for line in [
        "$ echo out; echo err >&2",
        "out",
        "err",
        "no newline$ seq 1 3",  # as the runner shows a partial line
        "Done: 4 step(s) of release 1.3.0",
    ]:
        assert line in text.splitlines(), line


# --- :cwd: -----------------------------------------------------------------------------


def test_a_missing_cwd_fails_the_step_as_in_the_runner(twins: tuple[Both, Both]) -> None:
    by_runner, by_script = twins
    results = []
    for pair, runner in ((by_runner, True), (by_script, False)):
        write_runbook(pair.repo, [step("build", "touch built", cwd="missing/dir", title="Build")])
        if runner:
            results.append(pair.runner("--version", "1.3.0", "--yes"))
        else:
            assert pair.export().returncode == 0
            results.append(pair.bash("--version", "1.3.0", "--yes"))
    for pair, result in zip(twins, results, strict=True):
        where = pair.repo.root.resolve() / "missing" / "dir"
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert result.stderr.splitlines()[0] == (
            f"FAILED [1/1] Build: the step's folder {where} does not exist (:cwd: missing/dir); "
            "create it, or correct the step's :cwd: in docs/release.rst:10"
        ), result.stderr
        assert not (pair.repo.root / "built").exists()


def test_a_cwd_outside_the_repository_is_refused_before_anything_runs(both: Both) -> None:
    write_runbook(
        both.repo, [step("first", "touch first"), step("out", "true", cwd="../elsewhere")]
    )
    assert both.export().returncode == 0
    runner, script = (
        both.runner("--version", "1.3.0", "--yes"),
        both.bash("--version", "1.3.0", "--yes"),
    )
    expected = (
        "error: docs/release.rst:10: step 'out': :cwd: ../elsewhere is outside the repository\n"
    )
    assert (runner.returncode, runner.stderr) == (2, expected)
    assert (script.returncode, script.stderr) == (2, expected)
    assert not (both.repo.root / "first").exists()


# --- secrets ---------------------------------------------------------------------------

SECRETS = {
    "GH_TOKEN": "ghp_supersecret1",
    "DEPLOY_PASSWORD": "hunter2hunter2",
    "MY_VALUE": "plainvalue9",  # secret only by --secret
    "PRIVATE_KEY": "-----BEGIN-----\n  line-two-abcdef\n-----END-----",
    "SHORT_KEY": "ab",  # too short to mask
}


def test_secrets_are_masked_as_the_runner_masks_them(twins: tuple[Both, Both]) -> None:
    steps = [
        step("key-lines", "echo line-two-abcdef", "echo ' -----END-----'"),
        step(
            "leak",
            'echo "token=$GH_TOKEN password=$DEPLOY_PASSWORD value=$MY_VALUE short=$SHORT_KEY"',
            'printf "%s\\n" "$PRIVATE_KEY"',
            "echo api=$API_KEY",
            "echo literal ghp_supersecret1",
            env={"API_KEY": "stepsecret{{ version }}"},
        ),
        step("fail", "echo failing with $GH_TOKEN; false", title="Fail"),
    ]
    outputs = []
    for pair, runner in zip(twins, (True, False), strict=True):
        write_runbook(pair.repo, steps)  # type: ignore[arg-type]
        env = {**pair.repo.env, **SECRETS}
        args = ["--version", "1.3.0", "--yes", "--secret", "MY_VALUE"]
        if runner:
            result = runbook_cli(
                pair.repo.root, "run", "--runbook", str(pair.repo.runbook_json), *args, env=env
            )
        else:
            assert pair.export().returncode == 0
            result = pair.bash(*args, env=env)
        assert result.returncode == 1, (result.stdout, result.stderr)
        assert "FAILED [3/3] Fail" in result.stderr
        outputs.append(result.stdout + result.stderr)
    for printed in outputs:
        for value in [
            "ghp_supersecret1",
            "hunter2hunter2",
            "plainvalue9",
            "line-two-abcdef",
            "stepsecret",
        ]:
            assert value not in printed, (value, printed)
        lines = printed.splitlines()
        for line in [
            "token=*** password=*** value=*** short=ab",
            "api=***",
            "$ echo literal ***",
            "failing with ***",
            "***",  # a line of the private key, printed alone
            "FAILED [3/3] Fail: `echo failing with $GH_TOKEN; false` exited with status 1",
        ]:
            assert line in lines, (line, printed)


# --- the command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "error: --version is required (a version such as 1.2.3, or major, minor, patch)\n"),
        (
            ("--version", "1.3.0", "--from", "one", "--only", "one"),
            "error: --from and --only do not combine; use one\n",
        ),
    ],
)
def test_command_line_mistakes_are_refused_alike(
    both: Both, args: tuple[str, ...], message: str
) -> None:
    write_runbook(both.repo, [step("one", "true")])
    assert both.export().returncode == 0
    runner, script = both.runner(*args), both.bash(*args)
    assert (runner.returncode, runner.stderr) == (2, message)
    assert (script.returncode, script.stderr) == (2, message)


def test_the_script_needs_no_package(both: Both, tmp_path: Path) -> None:
    """With PATH holding only bash, git and python3 (no sphinx_release_runbook), it runs.

    python3 is the real interpreter behind this run, not whatever ``python3`` PATH
    finds: that may be a shim (pyenv) that fails without its own tools on PATH.  It
    runs from a virtual environment of its own, so the package is not importable even
    where the tests run on the interpreter the package is installed into (CI as root).
    """
    write_runbook(both.repo, [BUMP_STEP, step("show", "echo {{ version | upper }}")])
    assert both.export().returncode == 0
    clean = tmp_path / "only"
    subprocess.run(
        [real_interpreter(), "-m", "venv", "--without-pip", str(clean)],
        check=True,
        capture_output=True,
    )
    bin_dir = clean / "bin"
    for tool in ("bash", "git", "echo", "cat"):
        found = shutil.which(tool)
        assert found
        (bin_dir / tool).symlink_to(os.path.realpath(found))
    bare = {"PATH": str(bin_dir), "PYTHONNOUSERSITE": "1"}
    probe = [str(bin_dir / "python3"), "-c", "import sphinx_release_runbook"]
    unavailable = subprocess.run(probe, env=bare, capture_output=True, text=True, check=False)
    assert "No module named 'sphinx_release_runbook'" in unavailable.stderr, (
        "the package must not be importable by the script's python3, or the test proves nothing"
    )
    env = {"PATH": str(bin_dir), "HOME": both.repo.env["HOME"], "PYTHONNOUSERSITE": "1"}
    env.update({k: v for k, v in both.repo.env.items() if k.startswith("GIT_CONFIG")})
    result = subprocess.run(
        [str(bin_dir / "bash"), str(both.script), "--version", "1.3.0rc1", "--dry-run"],
        cwd=both.repo.root,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "  $ echo 1.3.0RC1" in result.stdout.splitlines()
    assert git(both.repo.root, "status", "--porcelain", env=both.repo.env) == ""
    assert os.access(both.script, os.X_OK)
