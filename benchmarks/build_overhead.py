"""Build overhead of the extension: N runbook pages against their plain twin.

The runbook project is a git repository with a bare ``origin`` (so the checks
that need a repository and a remote run, as in a real project); each page has
one ``release-step`` (two commands with a ``{{ version }}`` placeholder) and
one ``release-file`` mirroring a workflow file of the repository.  The twin
has the same text in plain ``code-block`` directives and no extension.  Both
use the ``basic`` theme with no sidebars, so the figure is the extension's
share, not a theme's.

In every repetition, in turn (round robin), each project is built from
scratch (``-E``) twice: full HTML, and read-only (``-b dummy``: reading and
resolving, no writing).  Printed per size (50, 200 and 800 pages by default):
the min and median times and the ratios against the twin.  Then, on the
largest size, the documents an incremental build reads again after one
mirrored file is touched (it should be exactly the page that mirrors it).

    python benchmarks/build_overhead.py [--pages 50 200 800] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
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

WORKFLOW = """name: Publish {i}

on:
  release:
    types: [published]

jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m build
"""

CONF = """\
project = "bench"
extensions = {extensions}
exclude_patterns = ["_build", "files"]
html_theme = "basic"
html_sidebars = {{"**": []}}
"""


def indent(text: str) -> str:
    return "\n".join(f"   {line}" if line else "" for line in text.splitlines())


def write_project(root: Path, pages: int, runbook: bool) -> None:
    root.mkdir(parents=True)
    extensions = '["sphinx_release_runbook"]' if runbook else "[]"
    (root / "conf.py").write_text(CONF.format(extensions=extensions), encoding="utf-8")
    (root / "files").mkdir()
    toctree = "\n".join(f"   page{i}" for i in range(pages))
    header = ".. release-runbook:: bench\n\n" if runbook else ""
    (root / "index.rst").write_text(
        f"Bench\n=====\n\n{header}.. toctree::\n\n{toctree}\n", encoding="utf-8"
    )
    for i in range(pages):
        workflow = WORKFLOW.format(i=i)
        (root / "files" / f"workflow{i}.yml").write_text(workflow, encoding="utf-8")
        commands = f'git add files/workflow{i}.yml\ngit commit -m "release {{{{ version }}}}"'
        if runbook:
            step = f".. release-step:: step-{i}\n\n{indent(commands)}\n"
            mirror = f".. release-file:: files/workflow{i}.yml\n\n{indent(workflow)}\n"
        else:
            step = f".. code-block:: bash\n\n{indent(commands)}\n"
            mirror = f".. code-block:: yaml\n\n{indent(workflow)}\n"
        title = f"Page {i}"
        (root / f"page{i}.rst").write_text(
            f"{title}\n{'=' * len(title)}\n\nSome prose.\n\n{step}\n{mirror}", encoding="utf-8"
        )
    (root / ".gitignore").write_text("_build/\n.runbook/\n")


def make_repository(root: Path, env: dict[str, str]) -> None:
    """Commit *root* and push it to a bare origin beside it."""
    origin = root.with_name(root.name + "-origin.git")
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for args, cwd in (
        (["init", "-q", "-b", "main"], root),
        (["add", "."], root),
        ([*identity, "commit", "-q", "-m", "docs"], root),
        (["init", "-q", "--bare", str(origin)], root.parent),
        (["remote", "add", "origin", str(origin)], root),
        (["push", "-q", "origin", "main"], root),
    ):
        subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def sphinx(root: Path, builder: str, *options: str) -> list[str]:
    out = root / "_build"
    return [
        sys.executable,
        "-m",
        "sphinx",
        "-q",
        *options,
        "-b",
        builder,
        "-d",
        str(out / f"doctrees-{builder}"),
        str(root),
        str(out / builder),
    ]


def fresh_build(root: Path, builder: str, env: dict[str, str]) -> None:
    shutil.rmtree(root / "_build", ignore_errors=True)
    run_quietly(sphinx(root, builder, "-E"), root, env)


def read_again_after_touching(root: Path, page: int, env: dict[str, str]) -> list[str]:
    """The documents an incremental HTML build reads after ``files/workflowPAGE.yml`` is touched."""
    shutil.rmtree(root / "_build", ignore_errors=True)
    run_quietly(sphinx(root, "html"), root, env)
    # Touched as `touch` does: a new time, the same text (a changed text would be drift).
    (root / "files" / f"workflow{page}.yml").touch()
    # -N: Sphinx colours its output when CI is set, and the names would not match.
    argv = [*(arg for arg in sphinx(root, "html") if arg != "-q"), "-N"]
    result = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True, check=True)
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", result.stdout)


def measure(
    work: Path, pages: int, repeat: int, env: dict[str, str], warm_up: bool
) -> dict[str, Samples]:
    runbook, plain = work / f"runbook-{pages}", work / f"plain-{pages}"
    write_project(runbook, pages, runbook=True)
    write_project(plain, pages, runbook=False)
    make_repository(runbook, env)
    make_repository(plain, env)
    return round_robin(
        {
            "runbook html": lambda _: fresh_build(runbook, "html", env),
            "plain html": lambda _: fresh_build(plain, "html", env),
            "runbook read-only": lambda _: fresh_build(runbook, "dummy", env),
            "plain read-only": lambda _: fresh_build(plain, "dummy", env),
        },
        repeat,
        warm_up=warm_up,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=at_least_one, nargs="+", default=[50, 200, 800])
    parser.add_argument("--repeat", type=at_least_one, default=3)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 8 pages, 1 repetition")
    args = parser.parse_args()
    sizes, repeat = ([8], 1) if args.quick else (sorted(args.pages), args.repeat)
    read_only: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        env = python_env(work)
        for pages in sizes:
            # One untimed round on the first size: Python compiles the modules once.
            samples = measure(work, pages, repeat, env, warm_up=pages == sizes[0])
            print(f"{pages} pages, {repeat} round-robin repetitions (min, median):")
            for name, times in samples.items():
                print(time_line(name, times))
            print(
                ratio_line(
                    "  html: runbook / plain", samples["runbook html"], samples["plain html"]
                )
            )
            print(
                ratio_line(
                    "  read-only: runbook / plain",
                    samples["runbook read-only"],
                    samples["plain read-only"],
                )
            )
            read_only[pages] = samples["runbook read-only"].min / samples["plain read-only"].min
            extra = (samples["runbook read-only"].min - samples["plain read-only"].min) / pages
            print(f"  read-only: the extension's cost per page (min): {extra * 1000:.2f} ms")
        if len(read_only) > 1:
            first, last = min(read_only), max(read_only)
            print(
                f"read-only ratio (min) at {last} pages minus at {first}: "
                f"{read_only[last] - read_only[first]:+.3f}"
            )
        largest = max(sizes)
        touched = largest // 2
        again = read_again_after_touching(work / f"runbook-{largest}", touched, env)
        print(
            f"touching files/workflow{touched}.yml ({largest} pages) reads again: "
            f"{', '.join(again) or 'nothing'} (the page that mirrors it: page{touched})"
        )


if __name__ == "__main__":
    main()
