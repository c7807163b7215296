"""Which workflows an event starts: release activity types, tag filters, the push hook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE
from sphinx_release_runbook.rehearse.workflows import records
from sphinx_release_runbook.rehearse.workflows.parse import parse_workflow
from sphinx_release_runbook.rehearse.workflows.triggers import Event, matches, triggered

from . import _git, make_sandbox

FILES = {
    ".github/workflows/published.yml": """
        name: On published
        on:
          release:
            types: [published]
        jobs:
          job: {steps: [{run: echo published}]}
    """,
    ".github/workflows/created.yml": """
        name: On created
        on:
          release:
            types: [created]
        jobs:
          job: {steps: [{run: echo created}]}
    """,
    ".github/workflows/tests.yml": """
        name: Tests
        on: [push, pull_request]
        jobs:
          job: {steps: [{run: echo tests}]}
    """,
    ".github/workflows/tag-push.yml": """
        name: Tag push
        on:
          push:
            tags: ['v*', '!v*-rc*']
        jobs:
          job:
            steps:
              - run: echo "pushed ${{ github.ref_name }} ${{ github.event_name }}"
    """,
}


def test_release_types_select_the_workflows() -> None:
    workflow = parse_workflow(
        "on:\n  release:\n    types: [published, prereleased]\njobs: {}\n", Path("w.yml")
    )
    assert triggered(workflow, Event("release", "published", "v1"))
    assert not triggered(workflow, Event("release", "created", "v1"))
    every = parse_workflow("on: release\njobs: {}\n", Path("w.yml"))
    assert triggered(every, Event("release", "created", "v1"))
    assert not triggered(every, Event("push", tag="v1"))


def test_push_tag_filters() -> None:
    assert matches(("v*",), "v1.0") and not matches(("v*",), "release/v1")
    assert matches(("**",), "release/v1")
    assert not matches(("v*", "!v*-rc*"), "v1.0-rc1")
    assert matches(("v[0-9]+.[0-9]+",), "v10.2")
    branches_only = parse_workflow("on:\n  push:\n    branches: [main]\njobs: {}\n", Path("w"))
    assert not triggered(branches_only, Event("push", tag="v1"))
    ignored = parse_workflow("on:\n  push:\n    tags-ignore: ['*-dev']\njobs: {}\n", Path("w"))
    assert triggered(ignored, Event("push", tag="v1")) and not triggered(
        ignored, Event("push", tag="v1-dev")
    )


def test_a_published_release_runs_only_the_workflows_of_its_activity(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, FILES)
    runs = sandbox.release(action="published")
    assert [run.workflow for run in runs] == ["On published"]


def test_the_push_hook_runs_the_tag_workflows_when_a_tag_is_pushed(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, FILES)
    hook = sandbox.remote / "hooks" / "post-receive"
    hook.write_text(
        f"#!/bin/sh\nexec {sys.executable} -m sphinx_release_runbook.rehearse.workflows.push_hook\n"
    )
    hook.chmod(0o755)
    _git(sandbox.repository, "tag", "v2.0")
    _git(sandbox.repository, "tag", "v2.1-rc1")
    pushed = subprocess.run(
        ["git", "push", "origin", "v2.0", "v2.1-rc1"],
        cwd=sandbox.repository,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, HOME_VARIABLE: os.fspath(sandbox.home)},
    )
    runs = records.load_all(sandbox.home)
    started = sorted((run.workflow, run.event, run.tag) for run in runs)
    assert started == [
        ("Tag push", "push", "v2.0"),  # not for v2.1-rc1: '!v*-rc*' excludes it
        ("Tests", "push", "v2.0"),  # no filter: every push
        ("Tests", "push", "v2.1-rc1"),
    ]
    assert all(run.conclusion == "success" for run in runs)
    (tag_push,) = [run for run in runs if run.workflow == "Tag push"]
    assert "pushed v2.0 push" in sandbox.log(tag_push.id)
    assert "rehearsal: run" in pushed.stderr  # the hook's report reaches the pusher


def test_an_invalid_workflow_that_may_listen_to_the_event_shows_as_a_failed_run(
    tmp_path: Path,
) -> None:
    files = {
        ".github/workflows/broken.yml": (
            "on: release\njobs:\n  build:\n    steps:\n      - name: x\n"
        ),
        ".github/workflows/unrelated.yml": "on: [pull_request\n",
    }
    sandbox = make_sandbox(tmp_path, files)
    (run,) = sandbox.release()
    assert (run.file, run.conclusion) == (".github/workflows/broken.yml", "failure")
    assert run.error == (
        ".github/workflows/broken.yml:5: a step needs exactly one of 'uses:' and 'run:'"
    )
