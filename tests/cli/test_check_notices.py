"""`check` and `run` print the build's notice that links into another GitHub repository
went unchecked.

The docs build prints it (Sphinx's status output); `check` builds with that output
off, so the ``runbook`` builder writes the notice beside the runbook and `check`
prints it, from a fresh build and from the cache alike.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONF = 'project = "n"\nextensions = ["sphinx_release_runbook"]\n'
INDEX = """Guide
=====

See `the other project <https://github.com/other/project/blob/main/README.md>`_.

.. release-runbook:: r

.. release-step:: s

   echo hi
"""
PYPROJECT = '[project]\nname = "n"\nversion = "1.0.0"\n'


def _repository(root: Path, env: dict[str, str], origin: str | None) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "conf.py").write_text(CONF)
    (root / "docs" / "index.rst").write_text(INDEX)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / ".gitignore").write_text(".runbook/\n")
    (root / "README.md").write_text("n\n")
    commands = [["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "guide"]]
    if origin:
        commands.append(["remote", "add", "origin", origin])
    for args in commands:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _check(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runbook", *(args or ("check",))],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _env(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env |= {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return env


def test_check_notes_unchecked_links_and_how_to_check_them(tmp_path: Path) -> None:
    # A fork: the link may point into this very project, under its upstream owner.
    root, env = tmp_path / "repo", _env(tmp_path)
    _repository(root, env, origin="https://github.com/me/project.git")
    for attempt in ("cold", "warm"):
        result = _check(root, env)
        assert result.returncode == 0, (attempt, result.stdout + result.stderr)
        assert result.stderr.splitlines() == [
            "note: docs/index.rst:4: 1 link(s) into https://github.com/other/project are not "
            "checked: the repository's origin is https://github.com/me/project, not that "
            'repository; to check them, set runbook_repo_url = "https://github.com/other/project"'
            " in conf.py"
        ], (attempt, result.stderr)
    assert (root / ".runbook").is_dir()  # the second check read the cache


def test_run_notes_them_too_before_its_plan(tmp_path: Path) -> None:
    root, env = tmp_path / "repo", _env(tmp_path)
    _repository(root, env, origin="https://github.com/me/project.git")
    result = _check(root, env, "run", "--version", "1.1.0", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.startswith(
        "note: docs/index.rst:4: 1 link(s) into https://github.com/other/project are not checked"
    ), result.stderr


def test_check_says_nothing_more_when_every_link_is_checked(tmp_path: Path) -> None:
    root, env = tmp_path / "repo", _env(tmp_path)
    _repository(root, env, origin="https://github.com/other/project.git")
    result = _check(root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note:" not in result.stderr, result.stderr
