"""Exit codes: the one table of ``--help`` walked row by row through the real CLI.

Each condition maps to one code: for every row of the table a condition is
produced for real and must end with that code, with a one-line message and no
traceback.  ``run --dry-run --force`` with disagreeing version sources used to
exit 2 ("bad command line") although disagreeing sources are drift (3).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sphinx_release_runbook.cli.exitcodes import describe
from sphinx_release_runbook.core.errors import ExitCode

from .conftest import BUMP_STEP, SmallRepo, step


def _spawn_until(repo: SmallRepo, marker: str, *args: str) -> subprocess.Popen[str]:
    process = repo.spawn(*args)
    deadline = time.monotonic() + 30
    while not (repo.root.parent / marker).exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.01)
    return process


def _with_terminal(repo: SmallRepo, answer: str, *args: str) -> tuple[int, str]:
    """The CLI with a terminal on stdin that answers *answer* to the first question."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "runbook", "run", "--runbook", str(repo.runbook_json), *args],
        cwd=repo.root,
        env=repo.env,
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(slave)
    os.write(master, answer.encode())
    out, err = process.communicate(timeout=60)
    os.close(master)
    return process.returncode, out + err


def ok(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true")])
    return repo.run("--version", "1.3.0")


def step_failed(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "false")])
    return repo.run("--version", "1.3.0")


def usage(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true")])
    return repo.run("--version", "v1.3.0")


def drift(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([BUMP_STEP])
    module = repo.root / "demo" / "_version.py"
    module.write_text(module.read_text().replace("'1.2.0'", "'1.2.1'"))
    return repo.run("--version", "1.3.0", "--dry-run", "--force")


def docs(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.runbook_json.write_text("{")
    return repo.run("--version", "1.3.0")


def locked(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true")])
    (repo.root / ".runbook").mkdir()
    with (repo.root / ".runbook" / "lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        holder = {"pid": os.getpid(), "command": "bump", "host": socket.gethostname()}
        handle.write(json.dumps(holder))
        handle.flush()
        return repo.run("--version", "1.3.0")


def needs_confirmation(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true", confirm=True)])
    return repo.run("--version", "1.3.0")


def declined(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true", confirm=True)])
    code, output = _with_terminal(repo, "n\n", "--version", "1.3.0")
    return subprocess.CompletedProcess([], code, output, output)


def missing_tools(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "frobnicate", requires=["frobnicate"])])
    return repo.run("--version", "1.3.0")


def manual_step(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("note", kind="manual", instructions="Tell everyone.")])
    return repo.run("--version", "1.3.0", "--yes")


def needs_decision(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("push", "touch ../pushing; sleep 30")])
    process = _spawn_until(repo, "pushing", "--version", "1.3.0")
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)
    return repo.run("--version", "1.3.0", "--resume", "--yes")


def os_error(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("a", "true")])
    (repo.root / ".runbook" / "state.json").mkdir(parents=True)
    return repo.run("--version", "1.3.0")


def interrupted(repo: SmallRepo) -> subprocess.CompletedProcess[str]:
    repo.write_runbook([step("wait", "touch ../waiting; sleep 30")])
    process = _spawn_until(repo, "waiting", "--version", "1.3.0")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    return subprocess.CompletedProcess([], process.returncode, out, err)


CONDITIONS: dict[ExitCode, Callable[[SmallRepo], subprocess.CompletedProcess[str]]] = {
    ExitCode.OK: ok,
    ExitCode.STEP_FAILED: step_failed,
    ExitCode.USAGE: usage,
    ExitCode.DRIFT: drift,
    ExitCode.DOCS: docs,
    ExitCode.LOCKED: locked,
    ExitCode.NEEDS_CONFIRMATION: needs_confirmation,
    ExitCode.DECLINED: declined,
    ExitCode.MISSING_TOOLS: missing_tools,
    ExitCode.MANUAL_STEP: manual_step,
    ExitCode.NEEDS_DECISION: needs_decision,
    ExitCode.OS_ERROR: os_error,
    ExitCode.INTERRUPTED: interrupted,
}


def test_every_row_of_the_table_has_its_condition() -> None:
    rows = [int(line.split()[0]) for line in describe().splitlines()]
    assert rows == [code.value for code in ExitCode] == [code.value for code in CONDITIONS]


@pytest.mark.parametrize("code", list(ExitCode), ids=lambda code: f"{code.value}-{code.name}")
def test_each_condition_ends_with_its_code(small_repo: SmallRepo, code: ExitCode) -> None:
    result = CONDITIONS[code](small_repo)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if code is not ExitCode.OK:
        said = [
            line
            for line in result.stderr.splitlines()
            if line.startswith(("error:", "STOPPED", "FAILED", "INTERRUPTED"))
        ]
        assert said, result.stderr


def test_disagreeing_sources_with_force_are_drift_not_usage(small_repo: SmallRepo) -> None:
    result = drift(small_repo)
    assert result.returncode == ExitCode.DRIFT
    assert "error: the version sources disagree: pyproject.toml project.version = 1.2.0" in (
        result.stderr
    )
    assert Path(small_repo.root / "demo" / "_version.py").read_text().count("1.2.1") == 1
