"""Issue 10, acceptance 4: a release in progress is found whatever --version says,
and the current version counts the tags.

A ``--version patch`` re-run after a failure past the bump (files at 1.2.1)
used to plan 1.2.2 and replace the saved state of the 1.2.1 release; and a
project whose version lives in its tags accepted any version below them.
"""

from __future__ import annotations

import json

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import BUMP_STEP, SmallRepo, git, step


def _state(repo: SmallRepo) -> dict[str, object]:
    return json.loads((repo.root / ".runbook" / "state.json").read_text())


@pytest.mark.parametrize(
    "again", [["patch"], ["minor"], ["1.2.2"], ["1.2.1"], ["patch", "--dry-run"]], ids=str
)
def test_a_rerun_during_a_release_in_progress_is_refused_with_the_resume_command(
    small_repo: SmallRepo, again: list[str]
) -> None:
    small_repo.write_runbook([BUMP_STEP, step("publish", "test -e ../fixed")])
    first = small_repo.run("--version", "patch")
    assert first.returncode == ExitCode.STEP_FAILED, first.stderr
    saved = _state(small_repo)
    assert saved["version"] == "1.2.1"
    result = small_repo.run("--version", *again)
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    err = result.stderr
    assert "Traceback" not in err
    assert "error: a release is in progress: 1.2.1, stopped at step 'publish' (failed)" in err
    assert "Continue it with: python -m runbook run --version 1.2.1 --resume --runbook " in err
    assert "or give it up with: python -m runbook abandon" in err
    assert "[1/2]" not in result.stdout
    assert _state(small_repo) == saved  # the saved release is untouched
    # The command it names is the way on.
    (small_repo.root.parent / "fixed").touch()
    resumed = small_repo.run("--version", "1.2.1", "--resume")
    assert resumed.returncode == ExitCode.OK, resumed.stdout + resumed.stderr


def test_abandon_shows_what_was_done_then_lets_a_new_release_start(small_repo: SmallRepo) -> None:
    from .conftest import runbook_cli

    small_repo.write_runbook([BUMP_STEP, step("publish", "false")])
    assert small_repo.run("--version", "patch").returncode == ExitCode.STEP_FAILED
    asked = runbook_cli(small_repo.root, "abandon", env=small_repo.env)
    assert asked.returncode == ExitCode.NEEDS_CONFIRMATION, asked.stdout + asked.stderr
    assert "Release 1.2.1 (tag v1.2.1) of runbook 'demo'" in asked.stdout
    assert "Done (1 of 2 steps): bump" in asked.stdout
    assert "Stopped in: publish (0 command(s) of it done)" in asked.stdout
    assert "Abandoning undoes nothing" in asked.stdout
    assert (small_repo.root / ".runbook" / "state.json").exists()
    cleared = runbook_cli(small_repo.root, "abandon", "--yes", env=small_repo.env)
    assert cleared.returncode == ExitCode.OK, cleared.stdout + cleared.stderr
    assert not (small_repo.root / ".runbook" / "state.json").exists()
    # The files stay at 1.2.1: a new release starts above it.
    small_repo.write_runbook([BUMP_STEP])
    result = small_repo.run("--version", "patch", "--dry-run")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert "Release 1.2.2 (current 1.2.1), tag v1.2.2" in result.stdout


def _tag_only(repo: SmallRepo) -> None:
    """A project whose version lives in its tags: no bump targets, tag v1.4.0."""
    repo.write_runbook([step("announce", "echo {{ previous_version }} '->' {{ version }}")])
    git(repo.root, "tag", "-a", "v1.4.0", "-m", "Release v1.4.0", env=repo.env)


@pytest.mark.parametrize("version", ["0.0.1", "1.3.9", "1.4.0"])
def test_with_only_tags_a_version_not_above_the_newest_tag_is_refused(
    small_repo: SmallRepo, version: str
) -> None:
    _tag_only(small_repo)
    result = small_repo.run("--version", version)
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    assert (
        f"--version {version} is not greater than the current version 1.4.0 (newest tag v1.4.0)"
    ) in result.stderr
    assert not (small_repo.root / ".runbook" / "state.json").exists()


def test_with_only_tags_the_keywords_work_from_the_newest_tag(small_repo: SmallRepo) -> None:
    _tag_only(small_repo)
    git(small_repo.root, "tag", "v1.2.0", env=small_repo.env)  # older tags do not matter
    git(small_repo.root, "tag", "v1.10.0rc1x", env=small_repo.env)  # nor non-versions
    result = small_repo.run("--version", "patch", "--dry-run")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert "Release 1.4.1 (current 1.4.0), tag v1.4.1" in result.stdout
    assert "$ echo 1.4.0 '->' 1.4.1" in result.stdout
    result = small_repo.run("--version", "minor")
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert "1.4.0 -> 1.5.0" in result.stdout


def test_files_behind_the_newest_tag_do_not_release_below_it(small_repo: SmallRepo) -> None:
    small_repo.write_runbook([BUMP_STEP])  # files at 1.2.0
    git(small_repo.root, "tag", "v1.4.0", env=small_repo.env)
    refused = small_repo.run("--version", "1.3.0")
    assert refused.returncode == ExitCode.USAGE
    assert "not greater than the current version 1.4.0" in refused.stderr
    assert "pyproject.toml project.version = 1.2.0" in refused.stderr
    planned = small_repo.run("--version", "patch", "--dry-run")
    assert "Release 1.4.1 (current 1.4.0), tag v1.4.1" in planned.stdout
