"""The arshai example's own ``publish.yml``, understood step by step by the local runner.

The example's workflow runs as written: checkout (already the tag), setup-python
(a fresh environment), snok/install-poetry (the Poetry beside the rehearsal's
Python, its inputs as Poetry settings), then ``poetry install``, ``poetry
build`` and ``poetry publish`` with the token the workflow names.  Poetry here
is a recording stand-in beside the rehearsal's interpreter, so no step needs
the network: what is proven is the chain of mappings, environment and secrets
the real Poetry would receive.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from sphinx_release_runbook.rehearse.workflows.run import Trigger, start_runs
from sphinx_release_runbook.rehearse.workflows.triggers import Event

from . import INDEX, Sandbox, _git, make_sandbox

ROOT = Path(__file__).resolve().parents[2]
ARSHAI = ROOT / "examples" / "arshai"

RECORDING_POETRY = """#!/bin/bash
{
  printf '%s' "$*"
  printf ' | create=%s in_project=%s' "$POETRY_VIRTUALENVS_CREATE" "$POETRY_VIRTUALENVS_IN_PROJECT"
  printf ' url=%s token=%s' "$POETRY_REPOSITORIES_REHEARSAL_URL" "$POETRY_PYPI_TOKEN_REHEARSAL"
  printf ' python=%s cwd=%s\\n' "$(command -v python)" "$PWD"
} >> "$POETRY_RECORD"
if [ "$1" = build ]; then
  mkdir -p dist && touch dist/arshai-0.4.0-py3-none-any.whl dist/arshai-0.4.0.tar.gz
fi
"""


def arshai_sandbox(tmp_path: Path) -> tuple[Sandbox, Path]:
    files = {
        str(path.relative_to(ARSHAI)): path.read_text(encoding="utf-8")
        for path in ARSHAI.rglob("*")
        if path.is_file() and ".runbook" not in path.parts and "__pycache__" not in path.parts
    }
    record = tmp_path / "poetry-calls.txt"
    sandbox = make_sandbox(
        tmp_path / "sandbox", files, tool_env={"POETRY_RECORD": os.fspath(record)}
    )
    return sandbox, record


def test_the_examples_publish_workflow_runs_through_its_mappings(tmp_path: Path) -> None:
    sandbox, record = arshai_sandbox(tmp_path)
    shutil.copy(ARSHAI / ".github" / "workflows" / "publish.yml", tmp_path / "expected.yml")
    bin_dir = tmp_path / "rehearsal-python" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "poetry").write_text(RECORDING_POETRY)
    (bin_dir / "poetry").chmod(0o755)
    context = sandbox.context
    context = type(context)(**{**context.__dict__, "python": bin_dir / "python"})
    context.write()
    sha = _git(sandbox.remote, "rev-parse", "refs/tags/v1.0^{commit}")
    payload = {"action": "published", "release": {"tag_name": "v1.0"}}
    trigger = Trigger(Event("release", "published", "v1.0"), sha, "Release v1.0", payload)
    (run,) = start_runs(context, trigger)
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert run.workflow == "Publish to PyPI"
    steps = [step.name for step in run.jobs[0].steps]
    assert steps == [
        "Run actions/checkout@v4",
        "Set up Python",
        "Install Poetry",
        "Install dependencies",
        "Build package",
        "Publish to PyPI",
    ]
    workspace = sandbox.home / "runs" / str(run.id) / "checkout"
    venv_python = (
        sandbox.home
        / "runs"
        / str(run.id)
        / "jobs"
        / "build-and-publish"
        / "python"
        / "bin"
        / "python"
    )
    calls = record.read_text().splitlines()
    assert [call.split(" | ")[0] for call in calls] == [
        "install --no-interaction --no-root",
        "build",
        "publish --repository rehearsal",  # the guard: never Poetry's built-in PyPI URL
    ]
    for call in calls:  # snok's inputs became Poetry settings; setup-python's Python first
        assert "create=true in_project=true" in call
        assert f"python={venv_python} cwd={workspace}" in call
    assert f"url={INDEX.upload_url} token={INDEX.password} python=" in calls[2]
    assert "url= token= " in calls[0]  # the token is given where the workflow names it only
    assert "virtualenvs-in-project: true -> POETRY_VIRTUALENVS_IN_PROJECT=true" in log
    asks_another = sys.version_info[:2] != (3, 11)  # the workflow asks '3.11'
    assert ("the workflow asks Python 3.11; the rehearsal uses" in log) == asks_another
