"""origin's tags, asked in the background: lightweight and annotated tags are found, and
a repository without an origin, or with one that cannot be reached, has no answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import committed_repository, git

from sphinx_release_runbook.core.remote_tags import RemoteTags


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_repository(tmp_path / "repo")


def test_tags_pushed_to_origin_are_found_and_local_ones_are_not(repo: Path, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "tag", "v1.0.0")
    git(repo, "tag", "-a", "v1.1.0", "-m", "annotated")
    git(repo, "push", "-q", "origin", "v1.0.0", "v1.1.0")
    git(repo, "tag", "v1.2.0")  # local only
    remote = RemoteTags(repo)
    assert [remote.has(tag) for tag in ("v1.0.0", "v1.1.0", "v1.2.0", "v1.1.0^{}")] == [
        True,
        True,
        False,
        False,
    ]


def test_no_origin_gives_no_answer(repo: Path) -> None:
    assert RemoteTags(repo).has("v1.0.0") is None


def test_an_origin_that_cannot_be_reached_gives_no_answer(repo: Path, tmp_path: Path) -> None:
    git(repo, "remote", "add", "origin", str(tmp_path / "missing.git"))
    assert RemoteTags(repo).has("v1.0.0") is None
