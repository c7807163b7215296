"""``gh release create`` and ``gh release view`` of the stand-in, run as a program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sphinx_release_runbook.rehearse.context import HOME_VARIABLE

from . import GH, _git, make_sandbox, workflow

PUBLISH = """
name: Publish to PyPI
on:
  release:
    types: [published]
jobs:
  build-and-publish:
    steps:
      - uses: actions/checkout@v4
      - name: Show the release
        env:
          NAME: ${{ github.event.release.name }}
        run: echo "releasing ${{ github.event.release.tag_name }} '$NAME'"
"""


def test_release_create_makes_the_release_exist_and_runs_the_publish_workflow(
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))
    assert sandbox.gh("release", "view", "v1.0").returncode == 1
    created = sandbox.gh(
        "release", "create", "v1.0", "--title", "Release v1.0", "--generate-notes",
        "--notes", "## Installation",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout == "https://github.com/octo/project/releases/tag/v1.0\n"
    assert (
        "run 1 of 'Publish to PyPI' (.github/workflows/publish.yml) on release published: success"
        in created.stderr
    )
    releases = json.loads((sandbox.home / "releases.json").read_text())
    assert [(r["tagName"], r["name"], r["isDraft"]) for r in releases] == [
        ("v1.0", "Release v1.0", False)
    ]
    assert releases[0]["body"].startswith("## Installation\n\n**Full Changelog**: ")
    assert "releasing v1.0 'Release v1.0'" in sandbox.log(1)
    viewed = sandbox.gh("release", "view", "v1.0")
    assert viewed.returncode == 0
    assert "title:\tRelease v1.0\ntag:\tv1.0\n" in viewed.stdout
    as_json = sandbox.gh("release", "view", "v1.0", "--json", "tagName,isDraft")
    assert json.loads(as_json.stdout) == {"tagName": "v1.0", "isDraft": False}
    assert [[*call["argv"][:2], call["exit"]] for call in sandbox.calls()] == [
        ["release", "view", 1],
        ["release", "create", 0],
        ["release", "view", 0],
        ["release", "view", 0],
    ]


def test_release_create_fails_like_gh_when_the_release_exists(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))
    assert sandbox.gh("release", "create", "v1.0").returncode == 0
    again = sandbox.gh("release", "create", "v1.0", "--title", "again")
    assert again.returncode == 1
    assert "HTTP 422: Validation Failed" in again.stderr
    assert "Release.tag_name already exists" in again.stderr
    assert len(list((sandbox.home / "runs").iterdir())) == 1  # no second run


def test_release_create_refuses_a_tag_that_was_not_pushed(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))
    _git(sandbox.repository, "tag", "v2.0")  # tagged, never pushed
    created = sandbox.gh("release", "create", "v2.0")
    assert created.returncode == 1
    assert "tag v2.0 doesn't exist in the repo octo/project" in created.stderr
    assert "git push origin v2.0" in created.stderr
    assert sandbox.gh("release", "view", "v2.0").stderr == "release not found\n"


def test_a_draft_release_runs_no_publish_workflow(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))
    created = sandbox.gh("release", "create", "v1.0", "--draft")
    assert created.returncode == 0
    assert not (sandbox.home / "runs").exists()
    listed = sandbox.gh("run", "list", "--json", "databaseId", "--jq", ".[0].databaseId")
    assert listed.stdout == "null\n"


def test_release_create_exits_0_when_the_workflow_fails(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH.replace('echo "releasing', 'false; echo "')))
    created = sandbox.gh("release", "create", "v1.0")
    assert created.returncode == 0
    assert "on release published: failure" in created.stderr


def test_unsupported_commands_and_flags_fail_naming_them(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(PUBLISH))
    pr = sandbox.gh("pr", "create", "--fill")
    assert pr.returncode == 1
    assert "'gh pr create' is not supported by the rehearsal's gh" in pr.stderr
    flag = sandbox.gh("release", "create", "v1.0", "--bogus")
    assert (flag.returncode, flag.stderr) == (1, "unknown flag: --bogus\n")
    assert sandbox.gh("auth", "status").returncode == 0
    browse = sandbox.gh("browse", "--releases")
    assert browse.stdout == "https://github.com/octo/project/releases\n"
    assert [call["exit"] for call in sandbox.calls()] == [1, 1, 0, 0]


def test_outside_a_rehearsal_the_stand_in_refuses(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != HOME_VARIABLE}
    result = subprocess.run(
        [*GH, "release", "view", "v1"], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 1
    assert f"{HOME_VARIABLE} is not set" in result.stderr
    assert sys.executable  # the program ran under this interpreter


def test_a_project_in_a_folder_with_its_own_workflows_acts_as_its_own_repository(
    tmp_path: Path,
) -> None:
    demo_workflow = PUBLISH.replace("Publish to PyPI", "Demo publish").replace(
        "'$NAME'", "from $(pwd)"
    )
    files = {
        **workflow(PUBLISH),
        "examples/demo/.github/workflows/publish.yml": demo_workflow,
        "examples/demo/src/keep": "",
    }
    sandbox = make_sandbox(tmp_path, files)
    created = sandbox.gh(
        "release", "create", "v1.0", cwd=sandbox.repository / "examples" / "demo" / "src"
    )
    assert created.returncode == 0, created.stderr
    run = json.loads((sandbox.home / "runs" / "1" / "run.json").read_text())
    assert (run["workflow"], run["file"]) == (
        "Demo publish",
        "examples/demo/.github/workflows/publish.yml",
    )
    assert not (sandbox.home / "runs" / "2").exists()  # not the repository's own workflow
    workspace = sandbox.home / "runs" / "1" / "checkout" / "examples" / "demo"
    assert f"releasing v1.0 from {workspace}\n" in sandbox.log(1)
    listed = sandbox.gh("run", "list", "--workflow", "publish.yml", "--json", "workflowName")
    assert json.loads(listed.stdout) == [{"workflowName": "Demo publish"}]
