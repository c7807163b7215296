"""Acceptance: the README's rehearsal of examples/arshai releases 0.4.0 end to end, offline.

One rehearsal (about half a minute) is asserted from every side: each step of
the guide ran and passed; the example's tests ran inside it; the workflow's own
``poetry publish`` uploaded arshai-0.4.0 with the token the workflow names;
the version installed into a fresh environment from the local index only
(PyPI has an arshai 0.4.0 too: the installed files are the example's); the
real remote was never contacted; the stand-in's calls are the guide's; and
nothing of the rehearsal was left running.
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ARSHAI, GUIDE, Outcome, Project, _git, assert_nothing_left

STEPS = (
    "update-main",
    "check-clean",
    "pre-release-checks",
    "bump-pyproject",
    "bump-module",
    "verify-poetry-version",
    "verify-module-version",
    "commit-version",
    "push-main",
    "create-tag",
    "push-tag",
    "create-release",
    "wait-for-workflow",
    "watch-workflow",
    "wait-for-pypi",
    "verify-install",
)


def _site_packages(venv: Path) -> Path:
    (found,) = venv.glob("lib/python*/site-packages")
    return found


def _rehearse_kept(project: Project) -> Outcome:
    outcome = project.rehearse("--keep")
    assert outcome.code == 0, outcome.output
    return outcome


def test_the_example_release_goes_through_end_to_end(make_project) -> None:
    project = make_project()
    before = _git(project.root, "rev-parse", "HEAD")
    outcome = _rehearse_kept(project)
    output = outcome.output
    folder = outcome.folder
    clone = folder / "work" / "repo"

    # Every step of the guide is a row, and each passed.
    assert "every step passed" in output
    for step_id in STEPS:
        assert "passed" in outcome.row(step_id), outcome.row(step_id)

    # The example's tests ran inside the rehearsal (the guide's pre-release checks).
    assert "$ poetry run pytest" in output
    assert "1 passed" in output or " passed in " in output

    # The workflow's own `poetry publish` uploaded both files with the workflow's token.
    run = json.loads((folder / "home" / "runs" / "1" / "run.json").read_text())
    assert run["conclusion"] == "success"
    publish = [s for job in run["jobs"] for s in job["steps"] if s["name"] == "Publish to PyPI"]
    assert publish and publish[0]["conclusion"] == "success"
    uploads = [
        json.loads(line)
        for line in (folder / "index" / "index-uploads.jsonl").read_text().splitlines()
    ]
    assert [u["status"] for u in uploads] == ["200", "200"]
    assert {u["user"] for u in uploads} == {"__token__"}
    assert all("poetry" in u["client"].lower() for u in uploads)
    assert "Local index" in output
    assert "arshai-0.4.0-py3-none-any.whl" in output
    assert "arshai-0.4.0.tar.gz" in output

    # Installed into a fresh environment from the local index only, and printed 0.4.0.
    assert "Version: 0.4.0" in output
    installed = _site_packages(clone / ".runbook" / "verify-venv")
    assert (installed / "arshai" / "__init__.py").read_text() == (
        ARSHAI / "arshai" / "__init__.py"
    ).read_text()
    assert sorted(p.name for p in (installed / "arshai").glob("*.py")) == [
        "__init__.py",
        "_version.py",
    ]

    # The real remote was never contacted, and the clone knows only the bare origin.
    assert project.remote.connections == 0
    bare = folder / "work" / "origin.git"
    assert _git(clone, "config", "remote.origin.url") == str(bare)
    assert _git(clone, "config", "remote.origin.pushurl") == str(bare)
    assert _git(bare, "rev-parse", "refs/tags/v0.4.0^{commit}") == _git(clone, "rev-parse", "HEAD")
    # ... and the repository the maintainer works in is as it was.
    assert _git(project.root, "rev-parse", "HEAD") == before
    assert _git(project.root, "tag", "--list") == ""
    assert _git(project.root, "status", "--porcelain") == ""
    context = json.loads((folder / "home" / "context.json").read_text())
    assert context["github"]["repository"] == "nimunzn/arshai"

    # The stand-in was asked what the guide asks, in the guide's order.
    calls = [
        json.loads(line)["argv"]
        for line in (folder / "home" / "gh-calls.jsonl").read_text().splitlines()
    ]
    assert [argv[:2] for argv in calls] == [
        ["release", "view"],
        ["release", "create"],
        ["run", "list"],
        ["run", "list"],
        ["run", "watch"],
    ]
    assert calls[1][2] == "v0.4.0"
    assert "gh stand-in calls: 5" in output

    # Kept: the folder stays, the index does not.
    assert "(kept: --keep)" in output
    assert (clone / GUIDE).is_file()


def test_a_rehearsal_leaves_no_process_and_no_folder(make_project) -> None:
    project = make_project()
    outcome = project.rehearse("--only", "check-clean", "--only", "create-tag")
    assert outcome.code == 0, outcome.output
    assert "passed" in outcome.row("check-clean")
    assert "skipped (not selected)" in outcome.row("pre-release-checks")
    assert "(removed)" in outcome.output
    assert_nothing_left(outcome)
    # The transcript outlives the folder, in the repository's private folder.
    (transcript,) = (project.root / ".runbook" / "rehearsals").glob("*.log")
    assert f"Transcript: {transcript}" in outcome.output
    assert project.remote.connections == 0
