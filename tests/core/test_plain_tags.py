"""The tags read from the refs' files are ``git tag --list``, in its order."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import committed_repository, git_env
from conftest import git as run_git

from sphinx_release_runbook.core import git


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    return committed_repository(tmp_path / "repo")


def _tag_some(root: Path) -> None:
    run_git(root, "tag", "v1.0.0")
    run_git(root, "tag", "-a", "v1.10.0", "-m", "annotated")
    run_git(root, "tag", "release/2.0")
    run_git(root, "tag", "V2.0.0")
    run_git(root, "tag", "v1.2.0")


@pytest.mark.parametrize("packed", ["loose", "packed", "both"])
def test_the_tags_read_from_files_are_gits_list(repo: Path, packed: str) -> None:
    _tag_some(repo)
    if packed != "loose":
        run_git(repo, "pack-refs", "--all")
    if packed == "both":
        run_git(repo, "tag", "v3.0.0")  # loose, beside the packed ones
        run_git(repo, "tag", "-d", "v1.2.0")  # deleted from packed-refs
    expected = run_git(repo, "tag", "--list").split()
    assert git._plain_tags(repo) == expected
    assert git.tags(repo) == expected


def test_a_ref_being_written_and_a_broken_ref_are_not_tags(repo: Path) -> None:
    _tag_some(repo)
    tags = repo / ".git" / "refs" / "tags"
    (tags / "v9.0.0.lock").write_text((tags / "v1.0.0").read_text())
    (tags / "broken").write_text("not an object id\n")
    listed = subprocess.run(
        ["git", "tag", "--list"], cwd=repo, env=git_env(), capture_output=True, text=True
    ).stdout.split()
    assert "broken" not in listed
    assert git._plain_tags(repo) == listed


def test_a_worktree_asks_git(repo: Path, tmp_path: Path) -> None:
    _tag_some(repo)
    worktree = tmp_path / "worktree"
    run_git(repo, "worktree", "add", "-q", str(worktree), "-b", "other")
    assert git._plain_tags(worktree) is None
    assert git.tags(worktree) == run_git(worktree, "tag", "--list").split()


def test_a_packed_refs_file_git_refuses_is_left_to_git(repo: Path) -> None:
    _tag_some(repo)
    run_git(repo, "pack-refs", "--all")
    packed = repo / ".git" / "packed-refs"
    packed.write_text(packed.read_text() + "not a ref line\n")
    assert git._plain_tags(repo) is None
    assert git.tags(repo) == []  # git refuses the file too: no tag is read from it
