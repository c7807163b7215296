"""Fixtures of the runner tests: real git repositories, a bare origin, and the real CLI.

Every run goes through ``python -m runbook`` in a subprocess, as a user would
type it.  Two kinds of repository:

* a small synthetic project whose ``runbook.json`` a test writes with the model
  (``SmallRepo``), for one behaviour at a time;
* a copy of ``examples/arshai`` with a local bare repository as ``origin`` and a
  ``gh`` stand-in on PATH that records its arguments (``ArshaiRepo``), for the
  acceptance runs.  Its runbook is exported once per session by the real
  ``runbook`` builder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest

from sphinx_release_runbook.core.model import (
    BumpTarget,
    Export,
    Runbook,
    Source,
    Step,
    StepKind,
    Troubleshoot,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARSHAI = PROJECT_ROOT / "examples" / "arshai"

#: The arshai steps a test can run offline.  Left out, never faked: the steps
#: that need poetry (not installed here) or PyPI (network).
ARSHAI_OFFLINE_STEPS = (
    "update-main",
    "check-clean",
    "bump-pyproject",
    "bump-module",
    "verify-module-version",
    "commit-version",
    "push-main",
    "create-tag",
    "push-tag",
    "create-release",
    "wait-for-workflow",
    "watch-workflow",
)

GH_STANDIN = r"""#!/bin/bash
# gh stand-in.  Every call is recorded in $GH_STANDIN_LOG.started as it starts, and in
# $GH_STANDIN_LOG once it has done its work, in one write: a call killed half-way is
# not in the log, as if it never happened (a publish either happened or did not).
# A release exists once its `release create` is in the log.
log="${GH_STANDIN_LOG:?}"
line="$(printf '%q ' "$@")"
printf '%s\n' "$line" >> "$log.started"
case "$1 $2" in
  "release view") grep -qF "release create $3 " "$log" 2>/dev/null \
      || { echo "release not found" >&2; exit 1; } ;;
  "run list") echo 4242 ;;
  "run watch") echo "run 4242 completed with success" ;;
esac
printf '%s\n' "$line" >> "$log"
"""

# A wrapper around a real tool, for fault injection.  When $FAULT_DIR/fail holds
# a prefix of "tool args...", the matching call fails once; with $FAULT_DIR/slow,
# it writes its pid to $FAULT_DIR/sleeping and sleeps before doing its work (so a
# signal can land mid-step); with $FAULT_DIR/hold, it writes its pid to
# $FAULT_DIR/holding and waits until $FAULT_DIR/release exists before doing its
# work (ignoring SIGTERM meanwhile when $FAULT_DIR/stubborn exists: a command that
# is slow to stop); with $FAULT_DIR/after, it does its work, then runs the script
# $FAULT_DIR/hook (to break a file between two steps).
FAULT_SHIM = r"""#!/bin/bash
call="$(basename "$0") $*"
if [ -n "$FAULT_DIR" ]; then
  if [ -f "$FAULT_DIR/fail" ] && [[ "$call" == "$(cat "$FAULT_DIR/fail")"* ]]; then
    rm -f "$FAULT_DIR/fail"
    echo "injected failure in: $call" >&2
    exit 1
  fi
  if [ -f "$FAULT_DIR/slow" ] && [[ "$call" == "$(cat "$FAULT_DIR/slow")"* ]]; then
    rm -f "$FAULT_DIR/slow"
    echo $$ > "$FAULT_DIR/sleeping.tmp" && mv "$FAULT_DIR/sleeping.tmp" "$FAULT_DIR/sleeping"
    sleep "${FAULT_SLEEP:-30}"
  fi
  if [ -f "$FAULT_DIR/hold" ] && [[ "$call" == "$(cat "$FAULT_DIR/hold")"* ]]; then
    rm -f "$FAULT_DIR/hold"
    [ -f "$FAULT_DIR/stubborn" ] && trap '' TERM
    echo $$ > "$FAULT_DIR/holding.tmp" && mv "$FAULT_DIR/holding.tmp" "$FAULT_DIR/holding"
    until [ -e "$FAULT_DIR/release" ]; do sleep 0.02; done
  fi
  if [ -f "$FAULT_DIR/after" ] && [[ "$call" == "$(cat "$FAULT_DIR/after")"* ]]; then
    rm -f "$FAULT_DIR/after"
    "REAL" "$@"; status=$?
    bash "$FAULT_DIR/hook"
    exit $status
  fi
fi
exec "REAL" "$@"
"""


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture(scope="session")
def git_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An isolated HOME with a git identity, so no user or system config leaks in."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Release Tester\n\temail = tester@example.org\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
        "[tag]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n"
    )
    return home


def base_env(home: Path, *path_dirs: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PYTEST_")) and key not in ("HOME",)
    }
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        PYTHONDONTWRITEBYTECODE="1",
        PATH=os.pathsep.join([*map(str, path_dirs), os.environ.get("PATH", "")]),
    )
    return env


def sigint_at_default() -> None:
    """In a child before it executes: SIGINT at its default, as a terminal's Ctrl-C finds it.

    A harness that runs the tests in the background (``nohup``, ``&`` in a script, some
    CI runners) starts them with SIGINT ignored, and an ignored signal is inherited
    across exec: every SIGINT a test sends would then interrupt nothing.  Python
    installs its KeyboardInterrupt handler only for a SIGINT at its default.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def runbook_cli(
    cwd: Path,
    *args: str,
    env: dict[str, str],
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m runbook ARGS`` in *cwd*, no terminal on stdin, SIGINT at its default."""
    return subprocess.run(
        [sys.executable, "-m", "runbook", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=sigint_at_default,
    )


#: Every run a test spawned; :func:`_no_run_outlives_its_test` ends those still running.
SPAWNED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def _no_run_outlives_its_test() -> Iterator[None]:
    """A test that fails half-way must not leave its spawned run waiting forever."""
    yield
    while SPAWNED:
        process = SPAWNED.pop()
        if process.poll() is None:
            process.kill()  # its guard then stops the step's command
            process.communicate(timeout=30)


def spawn_cli(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """``python -m runbook ARGS`` running in the background, SIGINT at its default."""
    return subprocess.Popen(
        [sys.executable, "-m", "runbook", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=sigint_at_default,
    )


# --- synthetic runbooks ----------------------------------------------------------------

_SOURCE = Source(docname="release", path="docs/release.rst", line=10)


def step(
    step_id: str,
    *commands: str,
    kind: StepKind = "command",
    **options: object,
) -> Step:
    """A runbook step for a synthetic runbook.json."""
    return Step(
        id=step_id,
        title=str(options.pop("title", step_id.replace("-", " ").capitalize())),
        kind=kind,
        runbook="demo",
        source=Source("release", "docs/release.rst", int(options.pop("line", 10))),
        commands=list(commands),
        url=f"release.html#{step_id}",
        anchor=step_id,
        **options,  # type: ignore[arg-type]
    )


BUMP_STEP = step(
    "bump",
    kind="bump",
    bump=[
        BumpTarget("pyproject.toml", "project.version"),
        BumpTarget("demo/_version.py", "__version__"),
        BumpTarget("demo/_version.py", "__version_info__"),
    ],
)

PYPROJECT = """\
# The demo project.
[project]
name = "demo"
version = "1.2.0"   # bumped by the runbook
description = "keeps  its   spacing"
"""
VERSION_PY = """\
'''Version of demo.'''

__version__ = '1.2.0'
__version_info__ = (1, 2, 0)
"""


@dataclass
class RunnerRepo:
    """A working tree, its bare origin and the runbook.json the CLI is given."""

    root: Path
    origin: Path
    runbook_json: Path
    env: dict[str, str]

    #: Seconds a run may take before the test fails (the arshai steps are slower).
    timeout: ClassVar[float] = 60

    def run(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """``python -m runbook run --runbook FILE ARGS`` in the working tree."""
        return runbook_cli(
            self.root,
            "run",
            "--runbook",
            str(self.runbook_json),
            *args,
            env=self.env,
            timeout=timeout or self.timeout,
        )

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        process = spawn_cli(
            self.root, "run", "--runbook", str(self.runbook_json), *args, env=self.env
        )
        SPAWNED.append(process)
        return process


@dataclass
class SmallRepo(RunnerRepo):
    """A git repository with two version files and a bare origin; its runbook is outside it."""

    bin: Path
    extra_args: list[str] = field(default_factory=list)

    def write_runbook(self, steps: Sequence[Step], **runbook: object) -> None:
        for number, item in enumerate(steps, start=1):
            item.number = number
        export = Export(
            project="demo",
            runbooks=[
                Runbook(
                    name="demo",
                    title="Release demo",
                    version_scheme=str(runbook.pop("version_scheme", "pep440")),  # type: ignore[arg-type]
                    tag=str(runbook.pop("tag", "v{{ version }}")),
                    package="demo",
                    source=_SOURCE,
                    steps=list(steps),
                    troubleshoot=list(runbook.pop("troubleshoot", [])),  # type: ignore[arg-type]
                )
            ],
        )
        self.runbook_json.write_text(export.to_json(), encoding="utf-8")

    def status(self, *, ignored: bool = True) -> str:
        flags = ["--ignored"] if ignored else []
        return git(self.root, "status", "--porcelain", *flags, env=self.env)


@pytest.fixture
def small_repo(tmp_path: Path, git_home: Path) -> SmallRepo:
    root = tmp_path / "demo"
    (root / "demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "demo" / "_version.py").write_text(VERSION_PY)
    (root / "demo" / "__init__.py").write_text("from ._version import __version__\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = base_env(git_home, bin_dir)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "initial", env=env)
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin), env=env)
    git(root, "remote", "add", "origin", str(origin), env=env)
    git(root, "push", "-q", "origin", "main", env=env)
    return SmallRepo(root, origin, tmp_path / "runbook.json", env, bin_dir)


# --- the arshai example ----------------------------------------------------------------


@dataclass
class ArshaiRepo(RunnerRepo):
    """A copy of examples/arshai with a bare origin, a gh stand-in and fault shims."""

    gh_log: Path
    faults: Path
    timeout: ClassVar[float] = 120

    def gh_calls(self) -> list[str]:
        """The gh calls that did their work (a call killed half-way is not among them)."""
        return self.gh_log.read_text().splitlines() if self.gh_log.exists() else []

    def gh_started(self) -> list[str]:
        """Every gh call that started, finished or not."""
        started = self.gh_log.with_name(self.gh_log.name + ".started")
        return started.read_text().splitlines() if started.exists() else []

    def fail_once(self, call_prefix: str) -> None:
        (self.faults / "fail").write_text(call_prefix)

    def slow_once(self, call_prefix: str) -> None:
        (self.faults / "slow").write_text(call_prefix)

    def hold_once(self, call_prefix: str, *, stubborn: bool = False) -> None:
        """The next matching call waits for :meth:`release` (ignoring SIGTERM if stubborn)."""
        if stubborn:
            (self.faults / "stubborn").touch()
        (self.faults / "hold").write_text(call_prefix)

    def release(self) -> None:
        (self.faults / "release").touch()

    def held_pid(self, process: subprocess.Popen[str], limit: float = 60) -> int:
        """The pid of the held call, once it holds (fails if *process* ends first)."""
        return wait_for_pid(self.faults / "holding", process, limit)

    def after_once(self, call_prefix: str, hook: str) -> None:
        (self.faults / "hook").write_text(hook)
        (self.faults / "after").write_text(call_prefix)

    def final_state(self) -> dict[str, object]:
        """What an uninterrupted run must leave: files, remote history and tags, releases."""
        env = self.env
        return {
            "pyproject.toml": (self.root / "pyproject.toml").read_bytes(),
            "arshai/_version.py": (self.root / "arshai" / "_version.py").read_bytes(),
            "worktree": git(self.root, "status", "--porcelain", env=env),
            "local log": git(self.root, "log", "--format=%s %T", env=env),
            "remote log": git(self.origin, "log", "--format=%s %T", "main", env=env),
            "remote tags": git(
                self.origin,
                "for-each-ref",
                "--format=%(refname) %(objecttype) %(contents:subject)",
                "refs/tags",
                env=env,
            ),
            "remote tags on main": [
                git(self.origin, "rev-parse", f"{tag}^{{commit}}", env=env)
                == git(self.origin, "rev-parse", "main", env=env)
                for tag in git(self.origin, "tag", env=env).split()
            ],
            "release creates": [c for c in self.gh_calls() if c.startswith("release create")],
            "temp files": sorted(
                str(p.relative_to(self.root))
                for p in self.root.rglob("*.tmp")
                if ".git" not in p.parts
            ),
        }


def wait_for_pid(marker: Path, process: subprocess.Popen[str], limit: float = 60) -> int:
    """The pid a shim wrote into *marker*, once it is there; *process* must still run."""
    deadline = time.monotonic() + limit
    # Until the whole line is there: `echo $! > file` creates the file before it writes.
    while not (marker.exists() and marker.read_text().endswith("\n")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{marker.name} never appeared"
        time.sleep(0.01)
    return int(marker.read_text())


def process_alive(pid: int) -> bool:
    """Whether *pid* runs (a zombie, which nobody may reap here, has exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    try:
        return "zombie" not in status.read_text()
    except OSError:
        return False


def wait_until_gone(pid: int, limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while process_alive(pid):
        assert time.monotonic() < deadline, f"process {pid} is still alive"
        time.sleep(0.02)


def resume_until_unlocked(
    repo: RunnerRepo, *args: str, limit: float = 60
) -> subprocess.CompletedProcess[str]:
    """``--resume ARGS`` retried, as a maintainer would, while the lock is still taken."""
    deadline = time.monotonic() + limit
    while True:
        result = repo.run(*args)
        if result.returncode != 5 or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def _install_shims(bin_dir: Path, standin_dir: Path) -> None:
    gh = standin_dir / "gh"
    gh.write_text(GH_STANDIN)
    gh.chmod(0o755)
    for tool, real in (("git", shutil.which("git")), ("python", sys.executable), ("gh", gh)):
        assert real, tool
        shim = bin_dir / tool
        shim.write_text(FAULT_SHIM.replace("REAL", str(real)))
        shim.chmod(0o755)


@pytest.fixture(scope="session")
def arshai_template(
    tmp_path_factory: pytest.TempPathFactory, git_home: Path
) -> tuple[Path, Path, Path]:
    """examples/arshai committed in a repo with a pushed bare origin, and its runbook.json."""
    if not (ARSHAI / "docs" / "conf.py").is_file():
        pytest.skip("examples/arshai is not there yet")
    base = tmp_path_factory.mktemp("arshai-template")
    root = base / "arshai"
    shutil.copytree(
        ARSHAI, root, ignore=shutil.ignore_patterns(".runbook", "_build", "__pycache__")
    )
    env = base_env(git_home)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "arshai 0.3.0", env=env)
    origin = base / "origin.git"
    git(base, "init", "-q", "--bare", str(origin), env=env)
    git(root, "remote", "add", "origin", str(origin), env=env)
    git(root, "push", "-q", "origin", "main", env=env)
    out = base / "export"
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "runbook", "docs", str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    shutil.rmtree(root / "docs" / "_build", ignore_errors=True)
    return root, origin, out / "runbook.json"


def new_arshai(base: Path, git_home: Path, template: tuple[Path, Path, Path]) -> ArshaiRepo:
    """A fresh copy of the template under *base*: working tree, origin, shims."""
    template_root, template_origin, runbook_json = template
    root = base / "arshai"
    origin = base / "origin.git"
    shutil.copytree(template_root, root, symlinks=True)
    shutil.copytree(template_origin, origin, symlinks=True)
    bin_dir, standin, faults = base / "bin", base / "standin", base / "faults"
    for directory in (bin_dir, standin, faults):
        directory.mkdir()
    _install_shims(bin_dir, standin)
    env = base_env(git_home, bin_dir)
    env.update(GH_STANDIN_LOG=str(base / "gh.log"), FAULT_DIR=str(faults))
    git(root, "remote", "set-url", "origin", str(origin), env=env)
    return ArshaiRepo(root, origin, runbook_json, env, base / "gh.log", faults)


@pytest.fixture
def make_arshai(
    tmp_path: Path, git_home: Path, arshai_template: tuple[Path, Path, Path]
) -> Iterator[Callable[[str], ArshaiRepo]]:
    """Fresh copies of the template, one per name."""

    made: list[ArshaiRepo] = []

    def make(name: str = "repo") -> ArshaiRepo:
        repo = new_arshai(tmp_path / name, git_home, arshai_template)
        made.append(repo)
        return repo

    yield make
    for repo in made:
        repo.release()  # a held call of a failed test must not wait forever


@pytest.fixture(scope="session")
def arshai_reference(
    tmp_path_factory: pytest.TempPathFactory,
    git_home: Path,
    arshai_template: tuple[Path, Path, Path],
) -> dict[str, object]:
    """The final state of one uninterrupted offline run of 0.4.0."""
    repo = new_arshai(tmp_path_factory.mktemp("reference"), git_home, arshai_template)
    result = repo.run("--version", "0.4.0", "--yes", *only())
    assert result.returncode == 0, result.stdout + result.stderr
    return repo.final_state()


def only(steps: Sequence[str] = ARSHAI_OFFLINE_STEPS) -> list[str]:
    return [arg for step_id in steps for arg in ("--only", step_id)]


__all__ = [
    "ARSHAI_OFFLINE_STEPS",
    "BUMP_STEP",
    "PYPROJECT",
    "VERSION_PY",
    "ArshaiRepo",
    "SmallRepo",
    "Troubleshoot",
    "git",
    "new_arshai",
    "only",
    "process_alive",
    "resume_until_unlocked",
    "runbook_cli",
    "step",
    "wait_for_pid",
    "wait_until_gone",
]
