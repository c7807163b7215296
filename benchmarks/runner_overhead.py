"""Runner overhead: 200 trivial commands through the runner vs plain bash.

Both sides run the same 200 commands, each in its own ``bash -o pipefail -c``
(the runner starts one shell per command, so that is the fair baseline), in one
process run of this script.  Two runner figures:

* in process: a :class:`~sphinx_release_runbook.runner.Session` over the loaded
  runbook.json: validation (git calls), plan, lock, state and journal,
  transcript, masking, live streaming.  This is the runner's own overhead and
  the figure the target (ratio under 1.5) is about;
* CLI: ``python -m runbook run`` as a user types it, adding the interpreter
  start and imports (a constant, about 0.3 s, not a per-command cost).

Prints the ratios; no assertion, the numbers are for the issue note.

    python benchmarks/runner_overhead.py [--commands 200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sphinx_release_runbook.core.model import BumpTarget, Export, Runbook, Source, Step

STEP_SIZE = 10  # commands per step: a guide groups commands into steps


def commands(count: int) -> list[str]:
    return [f"echo command {index}" for index in range(count)]


def write_project(root: Path, count: int) -> Path:
    """A project at version 1.0.0 and a runbook.json of *count* commands (no bump step)."""
    (root / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "1.0.0"\n')
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    source = Source("release", "docs/release.rst", 1)
    all_commands = commands(count)
    steps = [
        Step(
            id=f"step-{number}",
            number=number,
            title=f"Step {number}",
            kind="command",
            runbook="bench",
            source=source,
            commands=all_commands[start : start + STEP_SIZE],
        )
        for number, start in enumerate(range(0, count, STEP_SIZE), start=1)
    ]
    # The version is read from pyproject.toml through a bump target of a manual
    # step that is never selected: validation does the real work, nothing is bumped.
    steps.append(
        Step(
            id="version-source",
            number=len(steps) + 1,
            title="Version source",
            kind="manual",
            runbook="bench",
            source=source,
            bump=[BumpTarget("pyproject.toml", "project.version")],
        )
    )
    runbook = Runbook("bench", "Benchmark", "pep440", "v{{ version }}", "bench", source, steps)
    path = root.parent / "runbook.json"
    path.write_text(Export(project="bench", runbooks=[runbook]).to_json())
    return path


def plain_bash(count: int, cwd: Path) -> float:
    started = time.perf_counter()
    for command in commands(count):
        subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            check=True,
        )
    return time.perf_counter() - started


def through_runner(runbook_json: Path, cwd: Path, count: int, version: str) -> float:
    selected = [arg for n in range(1, count // STEP_SIZE + 1) for arg in ("--only", f"step-{n}")]
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "runbook",
            "run",
            "--runbook",
            str(runbook_json),
            "--version",
            version,
            "--yes",
            *selected,
        ],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def in_process(runbook_json: Path, cwd: Path, count: int, version: str) -> float:
    from sphinx_release_runbook.runner import RunOptions, Session
    from sphinx_release_runbook.runner.secrets import Masker
    from sphinx_release_runbook.runner.transcript import Console

    selected = tuple(f"step-{n}" for n in range(1, count // STEP_SIZE + 1))
    with open(os.devnull, "w") as sink:
        started = time.perf_counter()
        runbook = Export.load(runbook_json).runbook()
        console = Console(Masker(), out=sink, err=sink)
        options = RunOptions(version=version, assume_yes=True, only=selected)
        code = Session(runbook, cwd, options, console).run()
        elapsed = time.perf_counter() - started
    assert code == 0, code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "project"
        root.mkdir()
        runbook_json = write_project(root, args.commands)
        bash_times, session_times, cli_times = [], [], []
        for attempt in range(args.repeat):
            bash_times.append(plain_bash(args.commands, root))
            # A new version each time: each run is a fresh release.
            session_times.append(in_process(runbook_json, root, args.commands, f"1.1.{attempt}"))
            cli_times.append(through_runner(runbook_json, root, args.commands, f"1.2.{attempt}"))
    bash = statistics.median(bash_times)
    session = statistics.median(session_times)
    cli = statistics.median(cli_times)
    per = 1000 / args.commands
    print(f"{args.commands} commands, median of {args.repeat}:")
    print(f"  plain bash:         {bash:.3f}s ({bash * per:.2f} ms/command)")
    print(f"  runner, in process: {session:.3f}s ({session * per:.2f} ms/command)")
    print(f"  runner, CLI:        {cli:.3f}s (with interpreter start and imports)")
    print(f"ratio runner/bash (in process): {session / bash:.2f} (target < 1.5)")
    print(f"ratio runner/bash (CLI):        {cli / bash:.2f}")


if __name__ == "__main__":
    main()
