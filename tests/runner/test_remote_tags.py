"""origin's tags, asked in the background: lightweight and annotated tags are found, and
a repository without an origin, or with one that cannot be reached, has no answer."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from sphinx_release_runbook.runner.remote_tags import RemoteTags


def _git(cwd: Path, *args: str) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    (root / "file").write_text("x\n")
    _git(root, "add", "file")
    _git(root, "commit", "-q", "-m", "one")
    return root


def test_tags_pushed_to_origin_are_found_and_local_ones_are_not(repo: Path, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", str(origin))
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "tag", "v1.0.0")
    _git(repo, "tag", "-a", "v1.1.0", "-m", "annotated")
    _git(repo, "push", "-q", "origin", "v1.0.0", "v1.1.0")
    _git(repo, "tag", "v1.2.0")  # local only
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
    _git(repo, "remote", "add", "origin", str(tmp_path / "missing.git"))
    assert RemoteTags(repo).has("v1.0.0") is None
