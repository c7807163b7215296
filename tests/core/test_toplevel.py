"""The top level found without git is the one git finds, or git is asked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import git as run_git
from conftest import git_env

from sphinx_release_runbook.core import git


def _gits_answer(directory: Path) -> Path | None:
    result = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"],
        cwd=directory,
        env=git_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return Path(result.stdout.strip()) if result.returncode == 0 else None


@pytest.fixture
def layouts(tmp_path: Path) -> dict[str, Path]:
    """A repository, a folder in it, its .git, a worktree, a link to the repository, and
    a folder outside any repository."""
    repo = tmp_path / "repo"
    (repo / "docs" / "deep").mkdir(parents=True)
    run_git(repo, "init", "-q", "-b", "main")
    (repo / "docs" / "index.rst").write_text("x\n")
    run_git(repo, "add", ".")
    run_git(repo, "commit", "-q", "-m", "one")
    run_git(repo, "worktree", "add", "-q", str(tmp_path / "worktree"), "-b", "other")
    (tmp_path / "link").symlink_to(repo)
    (tmp_path / "outside").mkdir()
    return {
        "root": repo,
        "subfolder": repo / "docs" / "deep",
        "inside .git": repo / ".git" / "refs",
        "worktree": tmp_path / "worktree" / "docs",
        "through a link": tmp_path / "link" / "docs",
        "outside": tmp_path / "outside",
    }


@pytest.mark.parametrize(
    "where", ["root", "subfolder", "inside .git", "worktree", "through a link", "outside"]
)
def test_the_top_level_is_gits(
    layouts: dict[str, Path], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    directory = layouts[where]
    assert git.toplevel(directory) == _gits_answer(directory)


def test_without_git_for_a_plain_repository(
    layouts: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert git.toplevel(layouts["subfolder"]) == layouts["root"].resolve()


def test_a_setting_of_how_git_looks_leaves_the_question_to_git(
    layouts: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With GIT_WORK_TREE and GIT_DIR, git names a top level that no .git marks."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("GIT_DIR", str(layouts["root"] / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(elsewhere))
    assert git.toplevel(elsewhere) == elsewhere.resolve()
