"""Issue 10, acceptance 7: ``--yes`` confirms ``:confirm:`` prompts only.

A manual step (the changelog, an announcement) used to count as done in CI
because ``--yes`` answered "done? [y/N]" too.  Now a run without a terminal
stops at it, resumable, unless it is named done with ``--done STEP``.
"""

from __future__ import annotations

import json

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import SmallRepo, step


def _guide(repo: SmallRepo) -> None:
    repo.write_runbook(
        [
            step("build", "echo build >> ../calls"),
            step(
                "changelog",
                "echo changelog-checked >> ../calls",
                kind="manual",
                title="Write the changelog",
                instructions="Add the release to CHANGELOG.md and commit it.",
            ),
            step("publish", "echo publish >> ../calls", confirm=True),
        ]
    )


def _calls(repo: SmallRepo) -> list[str]:
    path = repo.root.parent / "calls"
    return path.read_text().split() if path.exists() else []


@pytest.mark.parametrize("yes", [["--yes"], []], ids=["yes", "no-yes"])
def test_a_manual_step_without_a_terminal_stops_then_done_continues(
    small_repo: SmallRepo, yes: list[str]
) -> None:
    _guide(small_repo)
    result = small_repo.run("--version", "1.3.0", *yes)
    assert result.returncode == ExitCode.MANUAL_STEP, result.stdout + result.stderr
    assert "Add the release to CHANGELOG.md and commit it." in result.stdout
    assert "done? [y/N] yes" not in result.stdout
    resume = (
        "python -m runbook run --version 1.3.0 --resume --runbook "
        f"{small_repo.runbook_json}{' --yes' if yes else ''} --done changelog"
    )
    assert result.stderr.strip() == (
        "STOPPED at [2/3] Write the changelog: it is a manual step, and there is no terminal "
        "to ask whether it is done (--yes does not answer that). Do it by hand (the "
        f"instructions are above), then continue with: {resume}"
    )
    assert _calls(small_repo) == ["build"]  # its commands did not run either
    state = json.loads((small_repo.root / ".runbook" / "state.json").read_text())
    assert (state["status"], state["current"]) == ("stopped", "changelog")
    done = small_repo.run("--version", "1.3.0", "--resume", "--yes", "--done", "changelog")
    assert done.returncode == ExitCode.OK, done.stdout + done.stderr
    assert "Step 2 (changelog): done? yes (--done changelog)" in done.stdout
    assert _calls(small_repo) == ["build", "changelog-checked", "publish"]


def test_done_names_a_manual_step_up_front_for_ci(small_repo: SmallRepo) -> None:
    _guide(small_repo)
    result = small_repo.run("--version", "1.3.0", "--yes", "--done", "changelog")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert _calls(small_repo) == ["build", "changelog-checked", "publish"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--done", "nope"], "--done nope: runbook 'demo' has no step 'nope'"),
        (["--done", "build"], "--done build: step 'build' is a command step; --done names"),
    ],
)
def test_done_must_name_a_step_it_answers(
    small_repo: SmallRepo, args: list[str], message: str
) -> None:
    _guide(small_repo)
    result = small_repo.run("--version", "1.3.0", "--yes", *args)
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    assert message in result.stderr
    assert _calls(small_repo) == []
