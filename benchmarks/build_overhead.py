"""Build-time overhead of the extension: 200 runbook pages vs. their plain twin.

The runbook project has, per page, one ``release-step`` and one mirrored
``release-file`` (a copy checked against a repository file); the twin writes
the same text as plain ``code-block`` directives with no extension.  Both are
built fresh in this one run (best of ``--repeat``), and the ratio is printed.
Never a timed assertion: run it, read the ratio (target: under 1.15).

    python benchmarks/build_overhead.py [--pages 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def indent(text: str) -> str:
    return "\n".join(f"   {line}" if line else "" for line in text.splitlines())


def write_project(root: Path, pages: int, runbook: bool) -> None:
    root.mkdir(parents=True)
    extensions = '["sphinx_release_runbook"]' if runbook else "[]"
    (root / "conf.py").write_text(
        f'project = "bench"\nextensions = {extensions}\nrunbook_repo_root = "."\n'
        'exclude_patterns = ["_build", "files"]\n',
        encoding="utf-8",
    )
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


def build(root: Path) -> float:
    out = root / "_build"
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(root), str(out / "html")],
        check=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runbook, plain = Path(tmp) / "runbook", Path(tmp) / "plain"
        write_project(runbook, args.pages, runbook=True)
        write_project(plain, args.pages, runbook=False)
        times: dict[str, list[float]] = {"runbook": [], "plain": []}
        for _ in range(args.repeat):  # interleaved, so drift in machine load hits both
            times["plain"].append(build(plain))
            times["runbook"].append(build(runbook))
    best_runbook, best_plain = min(times["runbook"]), min(times["plain"])
    print(f"pages: {args.pages}")
    print(f"plain code-blocks: {best_plain:.2f} s (best of {args.repeat})")
    print(f"runbook directives: {best_runbook:.2f} s (best of {args.repeat})")
    print(f"ratio: {best_runbook / best_plain:.3f} (target < 1.15)")


if __name__ == "__main__":
    main()
