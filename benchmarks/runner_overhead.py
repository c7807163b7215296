"""Runner overhead: N one-command steps through the CLI vs a bash script of the same lines.

Each step of the generated runbook runs one command (``echo step N``), so the
per-step cost of the runner (its state, journal, transcript, masking and
process handling) is what is measured, not the command.  Candidates, in turn
in every repetition (round robin), each on its own git repository:

* ``runbook``: ``python -m runbook run --runbook runbook.json --version V --yes``
  as a user types it, start-up included;
* ``runbook, 1 step``: the same for a one-step runbook, its start-up: the cost of a
  step is the difference over the steps between the two;
* ``exported``: the checklist script ``python -m runbook export`` writes for
  the same runbook, run with ``bash script --version V --yes``;
* ``bash``: the baseline, a bash script whose lines run the same commands the
  way the runner does, each in its own ``bash -o pipefail -c``;
* ``journal flushes``: what the runner's durable records cost alone, a line
  appended and flushed to disk per command (the runner flushes the record of a
  command's start before the command starts; the baseline keeps no record).

Printed per size (125, 500 and 1000 steps by default) for the runner, and per
``--exported-steps`` size (25 by default: the script starts ``python3``
several times per step) for the exported script: the min and median time per
step of each and the ratios against the baseline measured in the same round.
The runner's per-step cost should not grow with the number of steps.

    python benchmarks/runner_overhead.py [--steps 125 500 1000] [--exported-steps 25]
        [--repeat 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from _timing import (
    Samples,
    at_least_one,
    per_unit_line,
    python_env,
    ratio_line,
    round_robin,
    run_quietly,
)

from sphinx_release_runbook.core.model import BumpTarget, Export, Runbook, Source, Step


def command(index: int) -> str:
    return f"echo step {index}"


def write_runbook(path: Path, steps: int) -> None:
    """A runbook of *steps* one-command steps, then one that holds the version source.

    The last step (``true``) holds the runbook's :bump: target, with no bump of its
    own kind: validation reads the current version from pyproject.toml as in a real
    guide, and nothing is written into the repository.
    """
    source = Source("release", "docs/release.rst", 1)
    items = [
        Step(
            id=f"step-{number}",
            number=number,
            title=f"Step {number}",
            kind="command",
            runbook="bench",
            source=source,
            commands=[command(number)],
        )
        for number in range(1, steps + 1)
    ]
    items.append(
        Step(
            id="version-source",
            number=steps + 1,
            title="Version source",
            kind="command",
            runbook="bench",
            source=source,
            commands=["true"],
            bump=[BumpTarget("pyproject.toml", "project.version")],
        )
    )
    runbook = Runbook("bench", "Benchmark", "pep440", "v{{ version }}", "bench", source, items)
    path.write_text(Export(project="bench", runbooks=[runbook]).to_json(), encoding="utf-8")


def write_repository(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "bench"\nversion = "1.0.0"\n')
    (root / ".gitignore").write_text(".runbook/\n")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run([*git, "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run([*git, "add", "."], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=root, check=True)


def write_baseline(path: Path, steps: int) -> None:
    lines = ["#!/usr/bin/env bash", "set -e"]
    lines += [
        f"bash -o pipefail -c {shlex.quote(command(number))}" for number in range(1, steps + 1)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def flush_journal_lines(path: Path, count: int) -> None:
    """What the runner's durable records cost alone: *count* lines appended, each flushed.

    The runner flushes the record of each command's start to disk before the command
    starts (a power cut must not lose it); the bash baseline keeps no record at all.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)
    try:
        for index in range(count):
            os.write(fd, b'{"gen":1,"step":"step-%d","start":0}\n' % index)
            os.fsync(fd)
    finally:
        os.close(fd)


def measure(
    work: Path, steps: int, repeat: int, runner: bool = True, exported: bool = True
) -> dict[str, Samples]:
    env = python_env(work)
    root = work / f"repo-{steps}"
    write_repository(root)
    runbook_json = work / f"runbook-{steps}.json"
    write_runbook(runbook_json, steps)
    script = work / f"exported-{steps}.sh"
    export = ["export", "--runbook", str(runbook_json), "-o", str(script)]
    run_quietly([sys.executable, "-m", "runbook", *export], root, env)
    baseline = work / f"baseline-{steps}.sh"
    write_baseline(baseline, steps)
    # Every run is a new release (a higher patch each time; the warm-up is 0), so none
    # resumes another.
    runbook = [sys.executable, "-m", "runbook", "run", "--runbook", str(runbook_json), "--yes"]
    # The same run of a one-step runbook: its start-up, to tell the cost of a step from it.
    short_root = work / "repo-start-up"
    write_repository(short_root)
    short_json = work / "runbook-start-up.json"
    write_runbook(short_json, 1)
    short = [sys.executable, "-m", "runbook", "run", "--runbook", str(short_json), "--yes"]
    candidates = {
        "runbook": lambda n: run_quietly([*runbook, "--version", f"1.1.{n + 1}"], root, env),
        "runbook, 1 step": lambda n: run_quietly(
            [*short, "--version", f"1.1.{n + 1}"], short_root, env
        ),
        "exported": lambda n: run_quietly(
            ["bash", str(script), "--version", f"1.2.{n + 1}", "--yes"], root, env
        ),
        "bash": lambda n: run_quietly(["bash", str(baseline)], root, env),
        # On the disk of the runner's own journal: one flush per command (and one more step).
        "journal flushes": lambda n: flush_journal_lines(work / "journal-flushes", steps + 1),
    }
    if not runner:
        del candidates["runbook"]
        del candidates["runbook, 1 step"]
        del candidates["journal flushes"]
    if not exported:
        del candidates["exported"]
    return round_robin(candidates, repeat)


def step_cost(run: Samples, one_step: Samples, steps: int) -> Samples:
    """The time of one step without the start-up: per repetition, the run of *steps* steps
    less the one-step run measured in the same round, over the steps between them."""
    pairs = zip(run.times, one_step.times, strict=True)
    return Samples([(long - short) / (steps - 1) for long, short in pairs])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=at_least_one, nargs="+", default=[125, 500, 1000])
    parser.add_argument("--repeat", type=at_least_one, default=5)
    parser.add_argument(
        "--exported-steps",
        type=at_least_one,
        nargs="*",
        default=[25],
        help="the sizes the exported script is measured at (it starts python3 several times "
        "per step, so a long run of it would take minutes)",
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run: 10 steps, 1 repetition")
    args = parser.parse_args()
    if min(args.steps) < 2:
        # The cost of a step is the difference from a one-step run, over the steps between.
        parser.error("argument --steps: each size must be at least 2")
    sizes, repeat = ([10], 1) if args.quick else (sorted(args.steps), args.repeat)
    exported_sizes = [10] if args.quick else sorted(args.exported_steps)
    per_step: dict[int, Samples] = {}
    marginal: dict[int, Samples] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for steps in sizes:
            work = Path(temporary) / f"runner-{steps}"
            work.mkdir()
            samples = measure(work, steps, repeat, exported=False)
            per_step[steps] = samples["runbook"]
            marginal[steps] = step_cost(samples["runbook"], samples["runbook, 1 step"], steps)
            print(f"{steps} one-command steps, {repeat} round-robin repetitions (min, median):")
            for name, times in samples.items():
                if name not in ("runbook, 1 step", "journal flushes"):
                    print(per_unit_line(name, times, steps, "step"))
            print(
                f"  runbook start-up (a one-step run): {samples['runbook, 1 step'].min * 1000:.0f}"
                f" ms min, {samples['runbook, 1 step'].median * 1000:.0f} ms median"
            )
            print(per_unit_line("runbook, start-up excluded", marginal[steps], 1, "step"))
            print("  " + ratio_line("runbook / bash", samples["runbook"], samples["bash"]))
            # Alone, a flush costs less than in a run, where it also commits what the run
            # wrote to the transcript and the lock since the last one.
            flushes = samples["journal flushes"]
            print(per_unit_line("a flushed journal line, alone", flushes, steps + 1, "line"))
        for steps in exported_sizes:
            work = Path(temporary) / f"exported-{steps}"
            work.mkdir()
            samples = measure(work, steps, repeat, runner=False)
            print(f"{steps} steps, exported script, {repeat} round-robin repetitions:")
            for name, times in samples.items():
                print(per_unit_line(name, times, steps, "step"))
            print("  " + ratio_line("exported / bash", samples["exported"], samples["bash"]))
    first, last = min(per_step), max(per_step)
    if first != last:
        low = marginal[last].min / marginal[first].min
        middle = marginal[last].median / marginal[first].median
        print(
            f"runbook per-step cost (start-up excluded) at {last} / at {first} steps: "
            f"{low:.2f} (min), {middle:.2f} (median)"
        )
        low = per_step[last].min / last / (per_step[first].min / first)
        middle = per_step[last].median / last / (per_step[first].median / first)
        print(
            f"runbook total per step (start-up shared out) at {last} / at {first} steps: "
            f"{low:.2f} (min), {middle:.2f} (median)"
        )


if __name__ == "__main__":
    main()
