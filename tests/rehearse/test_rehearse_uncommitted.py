"""Acceptance: a guide edited and not committed is the guide rehearsed.

The working tree's changes (an edited guide, a new untracked script) go into
the clone as one extra commit, which the report names; the maintainer's
repository keeps its changes uncommitted and gains no commit.
"""

from __future__ import annotations

from .conftest import GUIDE, _git

NEW_STEP = """

Rehearsed edit
==============

.. release-step:: rehearsed-edit
   :kind: check
   :expect: ^edited and not committed$

   bash scripts/say.sh
"""


def test_uncommitted_guide_edits_are_rehearsed(make_project) -> None:
    project = make_project()
    head = _git(project.root, "rev-parse", "HEAD")
    path = project.root / GUIDE
    path.write_text(path.read_text(encoding="utf-8") + NEW_STEP, encoding="utf-8")
    project.write("scripts/say.sh", "echo edited and not committed\n")
    outcome = project.rehearse("--only", "rehearsed-edit")
    assert outcome.code == 0, outcome.output
    assert "passed" in outcome.row("rehearsed-edit")
    assert "$ bash scripts/say.sh" in outcome.output
    assert "Uncommitted changes: 2 file(s) rehearsed as one extra commit" in outcome.output
    assert str(GUIDE) in outcome.output and "scripts/say.sh" in outcome.output
    # The maintainer's repository is untouched: same commit, same uncommitted changes.
    assert _git(project.root, "rev-parse", "HEAD") == head
    status = _git(project.root, "status", "--porcelain").splitlines()
    assert sorted(line.strip() for line in status) == ["?? scripts/", f"M {GUIDE}"]


def test_a_committed_tree_gets_no_extra_commit(make_project) -> None:
    project = make_project()
    outcome = project.rehearse("--only", "check-clean", "--keep")
    assert outcome.code == 0, outcome.output
    assert "Uncommitted changes" not in outcome.output
    clone = outcome.folder / "work" / "repo"
    assert _git(clone, "rev-parse", "HEAD") == _git(project.root, "rev-parse", "HEAD")
