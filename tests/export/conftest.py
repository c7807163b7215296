"""Fixtures of the export tests: the runner tests' real repositories, and the script beside them.

A test writes a runbook.json (``SmallRepo.write_runbook``), exports it with
the real ``python -m runbook export`` and runs both the real CLI and the
exported script with bash, in the same kind of repository (a git working
tree with a bare origin), with no terminal.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from runner.conftest import (  # noqa: F401  (fixtures, re-exported for this directory)
    PYPROJECT,
    VERSION_PY,
    SmallRepo,
    arshai_template,
    base_env,
    git,
    git_home,
    make_arshai,
    runbook_cli,
    small_repo,
)

from sphinx_release_runbook.core.model import Export, Runbook, Source, Step

MARKER = "PWNED"


def write_runbook(repo: SmallRepo, steps: Sequence[Step], **fields: Any) -> None:
    """``repo``'s runbook.json as a hand edit could leave it: any package, title, tag, source."""
    for number, item in enumerate(steps, start=1):
        item.number = number
    runbook = Runbook(
        name=fields.pop("name", "demo"),
        title=fields.pop("title", "Release demo"),
        version_scheme=fields.pop("version_scheme", "pep440"),
        tag=fields.pop("tag", "v{{ version }}"),
        package=fields.pop("package", "demo"),
        source=fields.pop("source", Source("release", "docs/release.rst", 1)),
        steps=list(steps),
        troubleshoot=list(fields.pop("troubleshoot", [])),
    )
    assert not fields, fields
    repo.runbook_json.write_text(Export("demo", [runbook]).to_json(), encoding="utf-8")


def shellcheck() -> str:
    """The shellcheck binary; missing, it skips a test locally and fails it under CI."""
    found = shutil.which("shellcheck")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("shellcheck is not installed (CI must install it: apt-get install shellcheck)")
    pytest.skip("shellcheck is not installed")


def terminal_recorder() -> str:
    """``script(1)`` (Debian's bsdutils), for a real pseudo-terminal; as :func:`shellcheck`."""
    found = shutil.which("script")
    if found:
        return found
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("script(1) is not installed (CI must install it: apt-get install bsdutils)")
    pytest.skip("script(1) is not installed")


def real_interpreter() -> Path:
    """The interpreter behind this test run, past a venv and past any shim.

    ``python3`` on PATH may be a pyenv shim, a script that needs pyenv's own tools
    on PATH; the venv's ``python`` is a link to the base interpreter.  The base
    interpreter itself runs from anywhere and has none of the venv's packages.
    """
    base = getattr(sys, "_base_executable", "") or sys.executable
    return Path(os.path.realpath(base))


def markers(*directories: Path) -> list[Path]:
    """Every marker file an injected command would have made under *directories*."""
    return sorted(path for directory in directories for path in directory.rglob(f"*{MARKER}*"))


@dataclass
class Both:
    """One repository's runbook, run by the CLI and by its exported script."""

    repo: SmallRepo
    script: Path

    def export(self) -> subprocess.CompletedProcess[str]:
        return runbook_cli(
            self.repo.root,
            "export",
            "--runbook",
            str(self.repo.runbook_json),
            "-o",
            str(self.script),
            env=self.repo.env,
        )

    def runner(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return runbook_cli(
            cwd or self.repo.root,
            "run",
            "--runbook",
            str(self.repo.runbook_json),
            *args,
            env=self.repo.env,
        )

    def release_argv(self, runner: bool) -> list[str]:
        """The run of this runbook as a user starts it: by the runner, or by the script."""
        if runner:
            return [
                sys.executable,
                "-m",
                "runbook",
                "run",
                "--runbook",
                str(self.repo.runbook_json),
            ]
        return ["bash", str(self.script)]

    def start(
        self, argv: Sequence[str], preexec_fn: Callable[[], object] | None = None
    ) -> subprocess.Popen[str]:
        """*argv* started in the repository in a session of its own (a test can signal its
        whole group, as a terminal does), its output piped."""
        return subprocess.Popen(
            list(argv),
            cwd=self.repo.root,
            env=self.repo.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )

    def bash(
        self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(self.script), *args],
            cwd=cwd or self.repo.root,
            env=env or self.repo.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )


def new_small_repo(base: Path, home: Path) -> SmallRepo:
    """A repository like the ``small_repo`` fixture's, under *base* (for tests that need two)."""
    root = base / "demo"
    (root / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "demo" / "_version.py").write_text(VERSION_PY)
    (root / "demo" / "__init__.py").write_text("from ._version import __version__\n")
    bin_dir = base / "bin"
    bin_dir.mkdir()
    env = base_env(home, bin_dir)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "initial", env=env)
    origin = base / "origin.git"
    git(base, "init", "-q", "--bare", str(origin), env=env)
    git(root, "remote", "add", "origin", str(origin), env=env)
    git(root, "push", "-q", "origin", "main", env=env)
    return SmallRepo(root, origin, base / "runbook.json", env, bin_dir)


@pytest.fixture
def twins(tmp_path: Path, git_home: Path) -> tuple[Both, Both]:  # noqa: F811
    """Two equal repositories: one for the runner, one for the script (a real run changes them)."""
    pair = []
    for name in ("by-runner", "by-script"):
        repo = new_small_repo(tmp_path / name, git_home)
        pair.append(Both(repo, tmp_path / name / "release.sh"))
    return pair[0], pair[1]


@pytest.fixture
def both(small_repo: SmallRepo) -> Both:  # noqa: F811
    return Both(small_repo, small_repo.root.parent / "release.sh")
