"""CLI latency on examples/arshai, against tbump and bump-my-version and ``python -c pass``.

A copy of examples/arshai is committed in a git repository with a bare
``origin``, with a tbump and a bump-my-version configuration equivalent to
its two version files (``pyproject.toml`` and ``arshai/_version.py``).  In
every repetition, in turn (round robin):

* ``python -c pass``: the floor, an interpreter that starts and stops;
* ``python -m runbook --help`` and ``list``;
* ``run --version 0.4.0 --dry-run``, cold (the first command of a fresh
  clone: ``.runbook/`` removed, so the docs are built) and warm (the one after);
* ``python -m sphinx -b dummy -E docs OUT``: the same docs read by Sphinx
  alone, what a cold run cannot go below;
* ``python -m sphinx -b dummy -E`` on an empty project (an empty ``conf.py``
  and a one-line ``index.rst``): Sphinx starting and stopping, below which no
  command that builds the docs can go;
* ``bump --version 0.4.0 --dry-run``;
* ``tbump --dry-run --non-interactive 0.4.0`` and
  ``bump-my-version bump --dry-run --new-version 0.4.0``.

Printed: the min and median of each, and the ratios measured in this run.
tbump and bump-my-version come with the ``bench`` extra
(``pip install -e '.[bench]'``).

    python benchmarks/cli_latency.py [--repeat 15] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from _timing import (
    Samples,
    at_least_one,
    python_env,
    ratio_line,
    round_robin,
    run_quietly,
    time_line,
)

ARSHAI = Path(__file__).resolve().parent.parent / "examples" / "arshai"

TBUMP = """\
[version]
current = "0.3.0"
regex = '''(?P<major>\\d+)\\.(?P<minor>\\d+)\\.(?P<patch>\\d+)'''

[git]
message_template = "chore: bump version to {new_version}"
tag_template = "v{new_version}"

[[file]]
src = "pyproject.toml"
search = 'version = "{current_version}"'

[[file]]
src = "arshai/_version.py"
search = '__version__ = "{current_version}"'

[[file]]
src = "arshai/_version.py"
version_template = "({major}, {minor}, {patch})"
search = "__version_info__ = {current_version}"
"""

BUMP_MY_VERSION = """\
[tool.bumpversion]
current_version = "0.3.0"
commit = false
tag = false

[[tool.bumpversion.files]]
filename = "pyproject.toml"
search = 'version = "{current_version}"'
replace = 'version = "{new_version}"'

[[tool.bumpversion.files]]
filename = "arshai/_version.py"
search = '__version__ = "{current_version}"'
replace = '__version__ = "{new_version}"'

[[tool.bumpversion.files]]
filename = "arshai/_version.py"
search = "__version_info__ = ({current_major}, {current_minor}, {current_patch})"
replace = "__version_info__ = ({new_major}, {new_minor}, {new_patch})"
"""


def tool(name: str) -> str:
    """A tool of the ``bench`` extra, beside this interpreter or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return found


def git_env(work: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env = python_env(work, env)
    (work / "home").mkdir(exist_ok=True)
    env.update(
        HOME=str(work / "home"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.org",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.org",
    )
    return env


def make_clone(work: Path, env: dict[str, str]) -> Path:
    """examples/arshai with both tools' configurations, committed and pushed to a bare origin."""
    root = work / "arshai"
    shutil.copytree(
        ARSHAI, root, ignore=shutil.ignore_patterns(".runbook", "_build", "__pycache__")
    )
    (root / "tbump.toml").write_text(TBUMP, encoding="utf-8")
    (root / ".bumpversion.toml").write_text(BUMP_MY_VERSION, encoding="utf-8")
    origin = work / "origin.git"

    def git(*args: str, cwd: Path = root) -> None:
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", ".")
    git("commit", "-q", "-m", "arshai 0.3.0")
    git("init", "-q", "--bare", str(origin), cwd=work)
    git("remote", "add", "origin", str(origin))
    git("push", "-q", "-u", "origin", "main")
    return root


def candidates(root: Path, env: dict[str, str]) -> dict[str, Callable[[int], None]]:
    python = sys.executable
    runbook = [python, "-m", "runbook"]
    dry_run = [*runbook, "run", "--version", "0.4.0", "--dry-run"]

    def cold(_: int) -> None:
        # A fresh clone has no .runbook/: its first command builds the docs.
        shutil.rmtree(root / ".runbook", ignore_errors=True)
        run_quietly(dry_run, root, env)

    built = root.parent / "sphinx-out"

    def sphinx_build(_: int) -> None:
        # What the cold run's build costs by itself: the same docs, read from scratch.
        shutil.rmtree(built, ignore_errors=True)
        sphinx = [python, "-m", "sphinx", "-b", "dummy", "-E", "-q", "docs", str(built)]
        run_quietly(sphinx, root, env)

    empty = root.parent / "empty"
    empty.mkdir(exist_ok=True)
    (empty / "conf.py").write_text("", encoding="utf-8")
    (empty / "index.rst").write_text("Empty\n=====\n", encoding="utf-8")

    def sphinx_empty(_: int) -> None:
        shutil.rmtree(empty / "_build", ignore_errors=True)
        sphinx = [python, "-m", "sphinx", "-b", "dummy", "-E", "-q", ".", "_build"]
        run_quietly(sphinx, empty, env)

    return {
        "python -c pass": lambda _: run_quietly([python, "-c", "pass"], root, env),
        "runbook --help": lambda _: run_quietly([*runbook, "--help"], root, env),
        "runbook list": lambda _: run_quietly([*runbook, "list"], root, env),
        "run --dry-run, cold": cold,
        "sphinx-build -b dummy docs": sphinx_build,
        "sphinx-build, empty project": sphinx_empty,
        # Right after the cold one: the second command of a fresh clone.
        "run --dry-run, warm": lambda _: run_quietly(dry_run, root, env),
        "bump --dry-run": lambda _: run_quietly(
            [*runbook, "bump", "--version", "0.4.0", "--dry-run"], root, env
        ),
        "tbump --dry-run": lambda _: run_quietly(
            [tool("tbump"), "--dry-run", "--non-interactive", "0.4.0"], root, env
        ),
        "bump-my-version --dry-run": lambda _: run_quietly(
            [tool("bump-my-version"), "bump", "--dry-run", "--new-version", "0.4.0"], root, env
        ),
    }


def report(samples: dict[str, Samples], repeat: int) -> None:
    print(f"examples/arshai, {repeat} round-robin repetitions (min, median):")
    for name, times in samples.items():
        print(time_line(name, times))
    floor, tbump = samples["python -c pass"], samples["tbump --dry-run"]
    bmv = samples["bump-my-version --dry-run"]
    for label, candidate, baseline in (
        ("run --dry-run warm / tbump --dry-run", samples["run --dry-run, warm"], tbump),
        ("run --dry-run cold / tbump --dry-run", samples["run --dry-run, cold"], tbump),
        (
            "run --dry-run cold / sphinx-build -b dummy",
            samples["run --dry-run, cold"],
            samples["sphinx-build -b dummy docs"],
        ),
        (
            "sphinx-build of an empty project / tbump",
            samples["sphinx-build, empty project"],
            tbump,
        ),
        ("bump --dry-run / tbump --dry-run", samples["bump --dry-run"], tbump),
        ("bump --dry-run / bump-my-version --dry-run", samples["bump --dry-run"], bmv),
        ("run --dry-run warm / python -c pass", samples["run --dry-run, warm"], floor),
        ("runbook --help / python -c pass", samples["runbook --help"], floor),
        ("tbump --dry-run / python -c pass", tbump, floor),
    ):
        print(ratio_line(label, candidate, baseline))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=at_least_one, default=15)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 repetition")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        env = git_env(work)
        root = make_clone(work, env)
        report(round_robin(candidates(root, env), repeat), repeat)


if __name__ == "__main__":
    main()
