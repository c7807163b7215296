"""Acceptance 2, narrowed for CI: this project's own guide rehearses its own release.

From the version bump on (the full run, with the project's test suite inside
it, is done by hand: see docs/rehearse.rst): ``sphinx_release_runbook-99.0.0``
reaches the local index through ``pypa/gh-action-pypi-publish``'s mapping,
installs into a fresh environment from it, and prints its version.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_of_the_project

from .conftest import REHEARSAL_TIMEOUT, Outcome, require_rehearse_extra


def test_the_project_rehearses_its_own_release(tmp_path: Path) -> None:
    require_rehearse_extra()
    # A copy: inside the project's own release the checkout holds the lock.
    project = copy_of_the_project(tmp_path / "project")
    env = {**os.environ, "TMPDIR": os.fspath(tmp_path)}
    env.pop("VIRTUAL_ENV", None)
    rehearse = ["rehearse", "--version", "99.0.0", "--from", "bump-pyproject", "--keep"]
    result = subprocess.run(
        [sys.executable, "-m", "runbook", *rehearse],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=REHEARSAL_TIMEOUT,
    )
    outcome = Outcome(result.returncode, result.stdout + result.stderr, tmp_path)
    assert outcome.code == 0, outcome.output
    assert "passed" in outcome.row("verify-install")
    assert "sphinx-release-runbook, version 99.0.0" in outcome.output
    held = outcome.output.split("Local index")[-1]
    assert "sphinx_release_runbook-99.0.0-py3-none-any.whl" in held
    run = json.loads((outcome.folder / "home" / "runs" / "1" / "run.json").read_text())
    assert run["conclusion"] == "success"
    log = (outcome.folder / "home" / "runs" / "1" / "log.txt").read_text()
    assert "pypa/gh-action-pypi-publish: uploads go to the local index" in log
