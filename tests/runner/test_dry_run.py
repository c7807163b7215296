"""A dry run from the docs changes nothing git sees: it only caches the runbook in ``.runbook/``."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import ArshaiRepo, runbook_cli


def _tree(root: Path) -> dict[str, int]:
    """Every file under *root* and its modification time (git's and the cache's excepted)."""
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.is_file() and not {".git", ".runbook"} & set(path.relative_to(root).parts)
    }


def _git_status(repo: ArshaiRepo) -> str:
    """What ``git status`` sees, untracked files one by one."""
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo.root,
        env=repo.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_dry_run_from_the_docs_leaves_the_tree_byte_for_byte(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("dry-docs")
    before = _tree(repo.root)
    result = runbook_cli(repo.root, "run", "--version", "0.4.0", "--dry-run", env=repo.env)
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    assert '$ git commit -m "chore: bump version to 0.4.0"' in result.stdout
    assert _tree(repo.root) == before
    # The build is cached like any command's, so the next dry run is warm; git ignores it.
    assert (repo.root / ".runbook" / "cache" / "out" / "runbook.json").is_file()
    assert _git_status(repo) == ""


def test_a_real_run_keeps_its_cache_out_of_git_status(
    make_arshai: Callable[[str], ArshaiRepo],
) -> None:
    repo = make_arshai("cache")
    result = runbook_cli(repo.root, "list", env=repo.env)
    assert result.returncode == ExitCode.OK, result.stderr
    assert (repo.root / ".runbook" / "cache" / "out" / "runbook.json").is_file()
    assert (repo.root / ".runbook" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert _git_status(repo) == ""
