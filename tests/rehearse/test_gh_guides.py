"""Every ``gh`` call of the two release guides is answered by the stand-in.

The calls are read from the guides themselves (the bodies and ``:skip-if:``
of the steps that ``:requires: gh``, and the ``gh ...`` commands the text
tells a maintainer to type), filled with a version, and run through bash
with a ``gh`` shim on ``PATH``, in the guide's order, as the runner would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE

from . import Sandbox, make_sandbox, workflow

ROOT = Path(__file__).resolve().parents[2]
GUIDES = {
    "project": ROOT / "docs" / "deployment" / "pypi-deployment.rst",
    "arshai": ROOT / "examples" / "arshai" / "docs" / "deployment" / "pypi-deployment.rst",
}
PUBLISH = """
name: Publish to PyPI
on:
  release:
    types: [published]
jobs:
  build-and-publish:
    steps:
      - uses: actions/checkout@v4
      - run: echo "published ${{ github.ref_name }}"
"""
VALUES = {"tag": "v1.0", "version": "1.0", "previous_version": "0.9", "package": "pkg"}


@dataclass
class GuideStep:
    id: str
    body: str
    skip_if: str


def gh_steps(guide: Path) -> list[GuideStep]:
    """The guide's steps that require gh: body and ``:skip-if:``, placeholders filled."""
    lines = guide.read_text(encoding="utf-8").splitlines()
    steps: list[GuideStep] = []
    for index, line in enumerate(lines):
        match = re.match(r"\.\. release-step:: (\S+)", line)
        if match is None:
            continue
        options: dict[str, str] = {}
        body: list[str] = []
        cursor = index + 1
        while cursor < len(lines) and (lines[cursor].startswith("   ") or not lines[cursor]):
            text = lines[cursor][3:]
            option = re.match(r":([a-z-]+):\s*(.*)", text)
            if option and not body:
                options[option[1]] = option[2]
            elif text or body:
                body.append(text)
            cursor += 1
        if options.get("requires") == "gh":
            steps.append(
                GuideStep(match[1], fill("\n".join(body).strip()), fill(options.get("skip-if", "")))
            )
    return steps


def fill(text: str) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: VALUES[m[1]], text)


def mentioned_commands(guide: Path) -> list[str]:
    """The ``gh ...`` commands the guide's text tells a maintainer to type."""
    text = guide.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"``(gh [^`]+)``", text)))


def bash(sandbox: Sandbox, script: str) -> subprocess.CompletedProcess[str]:
    shim = sandbox.root / "bin" / "gh"
    if not shim.exists():
        shim.parent.mkdir(parents=True)
        shim.write_text(
            f'#!/bin/sh\nexec {sys.executable} -m sphinx_release_runbook.rehearse.gh "$@"\n'
        )
        shim.chmod(0o755)
    env = {
        **os.environ,
        HOME_VARIABLE: os.fspath(sandbox.home),
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=sandbox.repository,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("guide", sorted(GUIDES))
def test_every_gh_call_of_the_guide_is_answered(tmp_path: Path, guide: str) -> None:
    steps = {step.id: step for step in gh_steps(GUIDES[guide])}
    assert list(steps) == ["create-release", "wait-for-workflow", "watch-workflow"]
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))

    create = steps["create-release"]
    assert bash(sandbox, create.skip_if).returncode == 1  # not released yet: the step runs
    created = bash(sandbox, create.body)
    assert created.returncode == 0, created.stderr
    assert bash(sandbox, create.skip_if).returncode == 0  # a resumed run would skip it now

    waited = bash(sandbox, steps["wait-for-workflow"].body)
    assert re.fullmatch(r"\d+\n", waited.stdout), waited  # the step's :expect: ^\d+$
    watched = bash(sandbox, steps["watch-workflow"].body)
    assert watched.returncode == 0, watched.stdout + watched.stderr
    assert "completed with 'success'" in watched.stdout

    run_id = waited.stdout.strip()
    mentioned = mentioned_commands(GUIDES[guide])
    assert "gh run view --log-failed RUN_ID" in mentioned
    for command in mentioned:
        typed = command.replace("RUN_ID", run_id)
        result = bash(sandbox, typed)
        assert result.returncode == 0, f"{typed}: {result.stderr}"

    calls = [call["argv"] for call in sandbox.calls()]
    assert all(call["exit"] in (0, 1) for call in sandbox.calls())
    assert ["release", "view", "v1.0"] in calls
    assert calls[1][:3] == ["release", "create", "v1.0"]
    assert "--generate-notes" in calls[1] and "--title" in calls[1]
    notes = calls[1][calls[1].index("--notes") + 1]
    assert "pip install" in notes  # the notes reached the stand-in whole
