"""The sandbox: the working tree as one extra commit, a bare origin, the real remote pinned away."""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.rehearse import sandbox

from .conftest import _git


def _repository(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "remote", "add", "origin", "git@github.com:octo/widgets.git")
    (root / ".gitignore").write_text("build/\n")
    (root / "kept.txt").write_text("kept\n")
    (root / "edited.txt").write_text("before\n")
    (root / "deleted.txt").write_text("deleted\n")
    (root / "staged.txt").write_text("before\n")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first")
    _git(root, "branch", "maintenance")
    _git(root, "tag", "v1.0")
    return root


def test_the_clone_holds_the_working_tree_as_one_extra_commit(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    (root / "edited.txt").write_text("after\n")
    (root / "deleted.txt").unlink()
    (root / "staged.txt").write_text("staged\n")
    _git(root, "add", "staged.txt")
    (root / "new.txt").write_text("new\n")
    (root / "build").mkdir()
    (root / "build" / "ignored.txt").write_text("ignored\n")
    head = _git(root, "rev-parse", "HEAD")

    box = sandbox.create(root, root, tmp_path / "sandbox")

    assert box.uncommitted == ("deleted.txt", "edited.txt", "new.txt", "staged.txt")
    assert _git(box.clone, "log", "-1", "--format=%s") == sandbox.UNCOMMITTED_MESSAGE
    assert _git(box.clone, "rev-parse", "HEAD~1") == head
    assert (box.clone / "edited.txt").read_text() == "after\n"
    assert (box.clone / "staged.txt").read_text() == "staged\n"
    assert not (box.clone / "deleted.txt").exists()
    assert not (box.clone / "build").exists()
    assert _git(box.clone, "status", "--porcelain") == ""
    # The bare origin has every branch and tag, and the extra commit on the branch.
    assert _git(box.bare, "rev-parse", "refs/heads/main") == box.head
    assert _git(box.bare, "rev-parse", "refs/heads/maintenance") == head
    assert _git(box.bare, "rev-parse", "refs/tags/v1.0") == head
    assert _git(box.bare, "remote") == ""
    # Fetch and push both go to the bare origin; the real one is only named.
    assert _git(box.clone, "remote", "get-url", "origin") == str(box.bare)
    assert _git(box.clone, "remote", "get-url", "--push", "origin") == str(box.bare)
    assert sandbox.github_repository(box.real_origin) == "octo/widgets"
    # The maintainer's repository is as it was.
    assert _git(root, "rev-parse", "HEAD") == head
    assert (root / "edited.txt").read_text() == "after\n"


def test_a_clean_tree_gets_no_extra_commit(tmp_path: Path) -> None:
    root = _repository(tmp_path)
    box = sandbox.create(root, root, tmp_path / "sandbox")
    assert box.uncommitted == ()
    assert box.head == _git(root, "rev-parse", "HEAD")
    assert box.branch == "main"
