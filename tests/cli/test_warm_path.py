"""Issue 13, acceptance 1: only the first command of a fresh clone builds the docs.

A dry run caches its runbook in ``.runbook/`` (git ignores it) like any other
command, so the second dry run is warm; and the warm path asks git each
question once (and none that .git's files answer) and imports neither Sphinx
nor Jinja2 (the guide's commands hold plain ``{{ name }}`` placeholders, which
need no template engine).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from . import imported

ARSHAI = Path(__file__).resolve().parents[2] / "examples" / "arshai"
DRY_RUN = ("run", "--version", "0.4.0", "--dry-run")

GIT_LOG = """\
#!/bin/sh
printf '%s\\n' "$*" >> "$GIT_CALLS"
exec REAL "$@"
"""


@pytest.fixture
def clone(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """examples/arshai as a fresh clone: committed, pushed to a bare origin, no .runbook/."""
    root = tmp_path / "arshai"
    shutil.copytree(
        ARSHAI, root, ignore=shutil.ignore_patterns(".runbook", "_build", "__pycache__")
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        HOME=str(tmp_path),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    origin = tmp_path / "origin.git"
    for args, cwd in (
        (["init", "-q", "-b", "main"], root),
        (["add", "."], root),
        (["commit", "-q", "-m", "0.3.0"], root),
        (["init", "-q", "--bare", str(origin)], tmp_path),
        (["remote", "add", "origin", str(origin)], root),
        (["push", "-q", "origin", "main"], root),
    ):
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return root, env


def _cli(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runbook", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _work_tree(root: Path) -> dict[str, int]:
    """Every file outside .git and .runbook with its modification time."""
    return {
        str(path.relative_to(root)): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.is_file() and not {".git", ".runbook"} & set(path.relative_to(root).parts)
    }


def _git_shim(tmp_path: Path, env: dict[str, str], script: str) -> dict[str, str]:
    """*env* with a ``git`` first on PATH that runs *script* (``REAL``: the real git)."""
    real = shutil.which("git", path=env.get("PATH"))
    assert real is not None
    shims = tmp_path / "shims"
    shims.mkdir()
    shim = shims / "git"
    shim.write_text(script.replace("REAL", real))
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    return {**env, "PATH": f"{shims}{os.pathsep}{env['PATH']}"}


def _status(root: Path, env: dict[str, str]) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--ignored=no"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_second_dry_run_of_a_fresh_clone_reads_the_cache(
    clone: tuple[Path, dict[str, str]],
) -> None:
    root, env = clone
    before = _work_tree(root)
    first = _cli(root, env, *DRY_RUN)
    assert first.returncode == 0, first.stdout + first.stderr
    cached = root / ".runbook" / "cache" / "out" / "runbook.json"
    assert cached.is_file()
    # Nothing git sees changed: the cache is in the ignored .runbook/.
    assert _work_tree(root) == before
    assert _status(root, env) == ""
    built = cached.stat().st_mtime_ns
    second = _cli(root, env, *DRY_RUN)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout == first.stdout
    assert cached.stat().st_mtime_ns == built  # read, not built again


@pytest.mark.parametrize(
    "damage",
    ['{"schema": 1, "project": "arshai", "runbooks": "torn"}', '{"schema": 1, "proj', "\xff"],
    ids=["a field of the wrong type", "torn", "not UTF-8"],
)
def test_a_damaged_cache_is_built_again(clone: tuple[Path, dict[str, str]], damage: str) -> None:
    """The cache is the runner's own file: damaged, it is a miss, not an error to fix by hand."""
    root, env = clone
    first = _cli(root, env, *DRY_RUN)
    assert first.returncode == 0, first.stdout + first.stderr
    cached = root / ".runbook" / "cache" / "out" / "runbook.json"
    cached.write_bytes(damage.encode("latin-1"))
    again = _cli(root, env, *DRY_RUN)
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout == first.stdout
    assert '"steps"' in cached.read_text(encoding="utf-8")  # written again by a build


def test_the_warm_dry_run_imports_neither_sphinx_nor_what_runs_a_step(
    clone: tuple[Path, dict[str, str]],
) -> None:
    """Neither the docs' tools nor the modules that run commands, take the lock or fork the
    guard: a dry run prints the plan, and those are a real run's alone."""
    root, env = clone
    assert _cli(root, env, *DRY_RUN).returncode == 0
    code, modules = imported(*DRY_RUN, cwd=root, env=env)
    assert code == 0
    heavy = [name for name in modules if name.split(".")[0] in {"sphinx", "jinja2", "docutils"}]
    assert heavy == []
    runner = "sphinx_release_runbook.runner."
    running = {f"{runner}{name}" for name in ("commands", "execute", "guard", "outcomes")}
    assert sorted(running & set(modules)) == []
    assert "socket" not in modules


def test_the_warm_dry_run_asks_git_each_question_once(
    clone: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    root, env = clone
    assert _cli(root, env, *DRY_RUN).returncode == 0
    calls = tmp_path / "git-calls"
    logged = {**_git_shim(tmp_path, env, GIT_LOG), "GIT_CALLS": str(calls)}
    assert _cli(root, logged, *DRY_RUN).returncode == 0
    asked = calls.read_text().splitlines()
    assert asked, "the shim saw no git call"
    assert len(asked) == len(set(asked)), asked
    # The local tags and the top level are read from .git's files, without git.
    assert [call for call in asked if call.startswith(("tag", "rev-parse"))] == []


SLOW_LS_REMOTE = """\
#!/bin/sh
if [ "$1" = ls-remote ]; then
  echo $$ > "$GIT_PID"
  exec sleep 60
fi
exec REAL "$@"
"""


def test_a_run_refused_before_its_tag_is_checked_leaves_no_git_behind(
    clone: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """origin's tags are asked for first; a run that ends sooner stops the question."""
    root, env = clone
    pid_file = tmp_path / "ls-remote.pid"
    slow = {**_git_shim(tmp_path, env, SLOW_LS_REMOTE), "GIT_PID": str(pid_file)}
    result = _cli(root, slow, "run", "--version", "0.0.1", "--dry-run")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is not greater than the current version 0.3.0" in result.stderr
    pid = int(pid_file.read_text())
    assert not Path(f"/proc/{pid}").exists() or _zombie(pid), "ls-remote was left running"


def _zombie(pid: int) -> bool:
    stat_text = Path(f"/proc/{pid}/stat").read_text()
    return stat_text[stat_text.rfind(")") + 2] in "ZX"
