"""This project's own release guide runs with its own runner.

A clone of the repository gets a bare ``origin`` and the ``gh`` stand-in; the
guide's offline steps then release 0.2.0 from the docs, as a maintainer would.
Left out, never faked: pre-release-checks (it reinstalls the package and runs
this very suite) and the steps that wait on GitHub Actions and PyPI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode

from .conftest import GH_STANDIN, PROJECT_ROOT, base_env, git, only, runbook_cli

OFFLINE_STEPS = (
    "update-main",
    "check-clean",
    "bump-pyproject",
    "bump-module",
    "verify-pyproject-version",
    "verify-module-version",
    "commit-version",
    "push-main",
    "create-tag",
    "push-tag",
    "create-release",
)


def test_the_projects_own_guide_releases_a_clone(tmp_path: Path, git_home: Path) -> None:
    if not (PROJECT_ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the project's git repository")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(GH_STANDIN)
    gh.chmod(0o755)
    env = base_env(git_home, bin_dir)
    env["GH_STANDIN_LOG"] = str(tmp_path / "gh.log")
    root, origin = tmp_path / "repo", tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", str(PROJECT_ROOT), str(root)], check=True, env=env)
    git(tmp_path, "init", "-q", "--bare", str(origin), env=env)
    git(root, "remote", "set-url", "origin", str(origin), env=env)
    git(root, "push", "-q", "origin", "HEAD:main", env=env)
    git(root, "checkout", "-q", "-B", "main", env=env)
    git(root, "branch", "-q", "--set-upstream-to=origin/main", env=env)
    current = git(root, "show", "HEAD:src/sphinx_release_runbook/_version.py", env=env)
    version = "99.0.0"  # above any version this project will reach while this test lives

    result = runbook_cli(
        root, "run", "--version", version, "--yes", *only(OFFLINE_STEPS), env=env, timeout=300
    )

    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    old = re.search(r'__version__ = "([^"]+)"', current).group(1)  # type: ignore[union-attr]
    old_info = repr(tuple(int(part) for part in old.split(".")))
    expected = current.replace(f'"{old}"', f'"{version}"').replace(old_info, "(99, 0, 0)")
    module = root / "src" / "sphinx_release_runbook" / "_version.py"
    assert module.read_text() == expected  # only the two values changed
    assert f'version = "{version}"' in (root / "pyproject.toml").read_text()
    assert git(origin, "log", "-1", "--format=%s", "main", env=env).strip() == (
        f"chore: bump version to {version}"
    )
    assert git(origin, "cat-file", "-t", f"v{version}", env=env).strip() == "tag"
    calls = (tmp_path / "gh.log").read_text().splitlines()
    assert any(call.startswith(f"release create v{version} ") for call in calls)
    assert git(root, "status", "--porcelain", env=env) == ""
