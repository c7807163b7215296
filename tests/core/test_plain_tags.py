"""The tags read from the refs' files are ``git tag --list``, in its order."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sphinx_release_runbook.core import git


def _env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    return env


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=_env(), check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "file").write_text("x\n")
    _git(root, "add", "file")
    _git(root, "commit", "-q", "-m", "one")
    return root


def _tag_some(root: Path) -> None:
    _git(root, "tag", "v1.0.0")
    _git(root, "tag", "-a", "v1.10.0", "-m", "annotated")
    _git(root, "tag", "release/2.0")
    _git(root, "tag", "V2.0.0")
    _git(root, "tag", "v1.2.0")


@pytest.mark.parametrize("packed", ["loose", "packed", "both"])
def test_the_tags_read_from_files_are_gits_list(repo: Path, packed: str) -> None:
    _tag_some(repo)
    if packed != "loose":
        _git(repo, "pack-refs", "--all")
    if packed == "both":
        _git(repo, "tag", "v3.0.0")  # loose, beside the packed ones
        _git(repo, "tag", "-d", "v1.2.0")  # deleted from packed-refs
    expected = _git(repo, "tag", "--list").split()
    assert git._plain_tags(repo) == expected
    assert git.tags(repo) == expected


def test_a_ref_being_written_and_a_broken_ref_are_not_tags(repo: Path) -> None:
    _tag_some(repo)
    tags = repo / ".git" / "refs" / "tags"
    (tags / "v9.0.0.lock").write_text((tags / "v1.0.0").read_text())
    (tags / "broken").write_text("not an object id\n")
    listed = subprocess.run(
        ["git", "tag", "--list"], cwd=repo, env=_env(), capture_output=True, text=True
    ).stdout.split()
    assert "broken" not in listed
    assert git._plain_tags(repo) == listed


def test_a_worktree_asks_git(repo: Path, tmp_path: Path) -> None:
    _tag_some(repo)
    worktree = tmp_path / "worktree"
    _git(repo, "worktree", "add", "-q", str(worktree), "-b", "other")
    assert git._plain_tags(worktree) is None
    assert git.tags(worktree) == _git(worktree, "tag", "--list").split()
