"""``gh run list``, ``gh run view`` and ``gh run watch`` of the stand-in, run as a program."""

from __future__ import annotations

import json
from pathlib import Path

from . import Sandbox, make_sandbox

FILES = {
    ".github/workflows/publish.yml": """
        name: Publish to PyPI
        on:
          release:
            types: [published]
        jobs:
          build-and-publish:
            steps:
              - name: Build package
                run: echo "building ${{ github.ref_name }}"
              - name: Publish to PyPI
                run: |
                  echo "upload refused: 400 File already exists"
                  test "${{ github.ref_name }}" != v2.0
    """,
    ".github/workflows/docs.yml": """
        name: Docs
        on: release
        jobs:
          docs:
            steps:
              - run: echo docs
    """,
}


def released(tmp_path: Path) -> Sandbox:
    """v1.0 released (its publish run succeeds), then v2.0 (its publish run fails)."""
    sandbox = make_sandbox(tmp_path, FILES)
    assert sandbox.gh("release", "create", "v1.0").returncode == 0
    sandbox.write({"CHANGES": "2.0\n"})
    sandbox.commit_and_tag("v2.0")
    assert sandbox.gh("release", "create", "v2.0").returncode == 0
    return sandbox


def test_run_list_answers_the_guides_query_with_raw_jq_results(tmp_path: Path) -> None:
    sandbox = released(tmp_path)
    # docs.yml listens to every release activity (3 runs each), publish.yml to published only.
    query = ["run", "list", "--workflow", "publish.yml", "--limit", "1", "--json", "databaseId"]
    first = sandbox.gh(*query[:4], "--branch", "v1.0", *query[4:], "--jq", ".[0].databaseId")
    second = sandbox.gh(*query[:4], "--branch", "v2.0", *query[4:], "--jq", ".[0].databaseId")
    assert first.returncode == second.returncode == 0
    ids = json.loads((sandbox.home / "runs" / first.stdout.strip() / "run.json").read_text())
    assert ids["tag"] == "v1.0" and ids["workflow"] == "Publish to PyPI"
    assert int(second.stdout) > int(first.stdout)
    conclusions = sandbox.gh(
        "run", "list", "--workflow", "Publish to PyPI", "--json", "conclusion,headBranch",
        "--jq", ".[].conclusion",
    )  # fmt: skip
    assert conclusions.stdout == "failure\nsuccess\n"  # newest first, strings unquoted
    every = sandbox.gh("run", "list", "--json", "databaseId,event,workflowName,displayTitle")
    listed = json.loads(every.stdout)
    assert len(listed) == 8  # docs: created, published, released for each tag; publish: 1 each
    assert {item["event"] for item in listed} == {"release"}
    assert listed[0]["displayTitle"] == "v2.0"
    text = sandbox.gh("run", "list", "--workflow", "publish.yml", "--limit", "5")
    assert text.stdout.splitlines()[0].split("\t")[:6] == [
        "completed", "failure", "v2.0", "Publish to PyPI", "v2.0", "release",
    ]  # fmt: skip


def test_unsupported_jq_and_unknown_fields_are_errors_naming_them(tmp_path: Path) -> None:
    sandbox = released(tmp_path)
    bad_jq = sandbox.gh("run", "list", "--json", "databaseId", "--jq", "map(.databaseId)")
    assert bad_jq.returncode == 1
    assert "does not support the jq filter 'map(.databaseId)'" in bad_jq.stderr
    bad_field = sandbox.gh("run", "list", "--json", "id")
    assert bad_field.returncode == 1
    assert "Unknown JSON field: 'id'" in bad_field.stderr and "databaseId" in bad_field.stderr
    no_workflow = sandbox.gh("run", "list", "--workflow", "release.yml")
    assert no_workflow.returncode == 1
    assert "could not find any workflows named release.yml" in no_workflow.stderr
    length = sandbox.gh("run", "list", "--json", "databaseId", "--jq", "length")
    assert length.stdout == "8\n"


def _publish_run(sandbox: Sandbox, tag: str) -> str:
    return sandbox.gh(
        "run", "list", "--workflow", "publish.yml", "--branch", tag, "--json", "databaseId",
        "--jq", ".[0].databaseId",
    ).stdout.strip()  # fmt: skip


def test_run_watch_exit_status_fails_on_a_failed_run_and_prints_the_failed_step(
    tmp_path: Path,
) -> None:
    sandbox = released(tmp_path)
    good, bad = _publish_run(sandbox, "v1.0"), _publish_run(sandbox, "v2.0")
    watched = sandbox.gh("run", "watch", "--exit-status", good)
    assert watched.returncode == 0
    assert f"Run Publish to PyPI ({good}) completed with 'success'" in watched.stdout
    failed = sandbox.gh("run", "watch", "--exit-status", bad)
    assert failed.returncode == 1
    assert (
        "build-and-publish\tPublish to PyPI\tupload refused: 400 File already exists"
        in failed.stdout
    )
    assert "building v2.0" not in failed.stdout  # only the failed step's log
    assert f"Run Publish to PyPI ({bad}) completed with 'failure'" in failed.stdout
    assert sandbox.gh("run", "watch", bad).returncode == 0  # without --exit-status


def test_run_view_log_failed_exit_status_and_json(tmp_path: Path) -> None:
    sandbox = released(tmp_path)
    bad = _publish_run(sandbox, "v2.0")
    log_failed = sandbox.gh("run", "view", "--log-failed", bad)
    assert log_failed.stdout.splitlines() == [
        "build-and-publish\tPublish to PyPI\tupload refused: 400 File already exists"
    ]
    whole = sandbox.gh("run", "view", bad, "--log")
    assert "build-and-publish\tBuild package\tbuilding v2.0" in whole.stdout
    assert sandbox.gh("run", "view", bad, "--exit-status").returncode == 1
    summary = sandbox.gh("run", "view", bad).stdout
    assert summary.startswith(f"X v2.0 Publish to PyPI · {bad}\n")
    assert "  ✓ Build package\n  X Publish to PyPI\n" in summary
    jobs = sandbox.gh(
        "run", "view", bad, "--json", "jobs,conclusion", "--jq", ".jobs[0].steps[1].conclusion"
    )
    assert jobs.stdout == "failure\n"
    missing = sandbox.gh("run", "view", "999")
    assert missing.returncode == 1
    assert "could not find any workflow run with ID 999" in missing.stderr
    no_id = sandbox.gh("run", "view")
    assert "run or job ID required when not running interactively" in no_id.stderr
