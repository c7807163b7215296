"""Issue 10, acceptance 3: ``--resume`` after the failed step was edited.

The guide says: fix the problem, then ``--resume``.  When the fix adds or
changes a command of the failed step, the saved command index means nothing in
the new step; the runner used to skip the new first command and run an old one
twice, without a word.  Now the state holds the step's fingerprint: an edited
step restarts from its first command and says so.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import SmallRepo, step


def _marks(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []


def test_an_edited_step_with_skip_if_restarts_from_its_first_command(
    small_repo: SmallRepo,
) -> None:
    marks = small_repo.root.parent / "marks"
    guarded = {"skip_if": "test -e ../published"}
    small_repo.write_runbook(
        [
            step("prepare", "echo prepare >> ../marks"),
            step("publish", "echo build >> ../marks", "echo upload >> ../marks; false", **guarded),
        ]
    )
    first = small_repo.run("--version", "1.3.0")
    assert first.returncode == ExitCode.STEP_FAILED, first.stderr
    assert _marks(marks) == ["prepare", "build", "upload"]
    marks.unlink()
    # The fix: a new first command, and the failing one repaired.
    small_repo.write_runbook(
        [
            step("prepare", "echo prepare >> ../marks"),
            step(
                "publish",
                "echo login >> ../marks",
                "echo build >> ../marks",
                "echo upload >> ../marks; touch ../published",
                **guarded,
            ),
        ]
    )
    second = small_repo.run("--version", "1.3.0", "--resume")
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert (
        "note: step publish changed since the run stopped (its content differs): it restarts "
        "from its first command"
    ) in second.stdout
    assert "resuming after command" not in second.stdout
    # Every command of the edited step once, in order; the finished step not again.
    assert _marks(marks) == ["login", "build", "upload"]


def test_an_edited_step_that_ran_in_part_restarts_only_on_the_maintainer_s_word(
    small_repo: SmallRepo,
) -> None:
    marks = small_repo.root.parent / "marks"
    small_repo.write_runbook(
        [step("release", "echo commit >> ../marks", "echo push >> ../marks; false")]
    )
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    marks.unlink()
    small_repo.write_runbook(
        [
            step(
                "release",
                "echo check >> ../marks",
                "echo commit >> ../marks",
                "echo push >> ../marks",
            )
        ]
    )
    # No :skip-if: and a command of it ran: restarting it would run that again.
    stopped = small_repo.run("--version", "1.3.0", "--resume", "--yes")
    assert stopped.returncode == ExitCode.NEEDS_DECISION, stopped.stdout + stopped.stderr
    assert "step release changed since the run stopped, after 1 of its 3 command(s) ran" in (
        stopped.stderr
    )
    assert "--resume --runbook" in stopped.stderr and "--repeat release" in stopped.stderr
    assert _marks(marks) == []
    second = small_repo.run("--version", "1.3.0", "--resume", "--repeat", "release")
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert _marks(marks) == ["check", "commit", "push"]


def test_an_unchanged_step_still_resumes_at_its_failed_command(small_repo: SmallRepo) -> None:
    marks = small_repo.root.parent / "marks"
    small_repo.write_runbook(
        [step("release", "echo commit >> ../marks", "test -e ../fixed && echo push >> ../marks")]
    )
    assert small_repo.run("--version", "1.3.0").returncode == ExitCode.STEP_FAILED
    (small_repo.root.parent / "fixed").touch()
    # Moved in the docs and retitled: where a step is written does not change it.
    small_repo.write_runbook(
        [
            step(
                "release",
                "echo commit >> ../marks",
                "test -e ../fixed && echo push >> ../marks",
                title="Release it",
                line=99,
            )
        ]
    )
    second = small_repo.run("--version", "1.3.0", "--resume")
    assert second.returncode == ExitCode.OK, second.stdout + second.stderr
    assert "(resuming after command 1 of 2)" in second.stdout
    assert _marks(marks) == ["commit", "push"]
