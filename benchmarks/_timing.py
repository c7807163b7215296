"""Round-robin timing shared by the benchmarks.

The machine a benchmark runs on is rarely idle, so no figure is timed alone:
each repetition runs every candidate once, in turn (candidate, baseline,
candidate, baseline, ...), and a ratio is taken of figures measured in the
same run.  Both the minimum (the least disturbed repetition) and the median
are reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Samples:
    """The wall-clock times of one candidate, one per repetition."""

    times: list[float] = field(default_factory=list)

    @property
    def min(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def python_env(work: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment in which Python keeps its compiled modules, as on a user's machine.

    A test or CI setting may forbid writing them (``PYTHONDONTWRITEBYTECODE``);
    then every start compiles every module of an editable install again, which
    no user pays.  They go to a folder of the benchmark, not into the sources.
    """
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def round_robin(
    candidates: Mapping[str, Callable[[int], None]], repeat: int, warm_up: bool = True
) -> dict[str, Samples]:
    """Time every candidate once per repetition, in turn; each gets the repetition's index.

    With *warm_up*, every candidate first runs once untimed (index ``-1``): the
    compiled modules and the file cache are then what every later run finds.
    """
    samples = {name: Samples() for name in candidates}
    if warm_up:
        for run in candidates.values():
            run(-1)
    for attempt in range(repeat):
        for name, run in candidates.items():
            started = time.perf_counter()
            run(attempt)
            samples[name].times.append(time.perf_counter() - started)
    return samples


def run_quietly(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, ok: Sequence[int] = (0,)
) -> None:
    """Run a command with its output discarded; a failure stops the benchmark."""
    result = subprocess.run(
        list(argv),
        cwd=cwd,
        env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")


def ratio_line(label: str, candidate: Samples, baseline: Samples) -> str:
    return (
        f"{label}: {candidate.min / baseline.min:.2f} (min), "
        f"{candidate.median / baseline.median:.2f} (median)"
    )


def time_line(label: str, samples: Samples) -> str:
    return f"  {label:<40} {samples.min:8.3f} s min {samples.median:8.3f} s median"


def per_unit_line(label: str, samples: Samples, count: int, unit: str) -> str:
    """The time divided by *count*, in milliseconds per *unit*."""
    low, middle = samples.min * 1000 / count, samples.median * 1000 / count
    return f"  {label:<40} {low:8.2f} ms/{unit} min {middle:8.2f} ms/{unit} median"


def at_least_one(text: str) -> int:
    """An argparse type: a whole number of at least 1 (a size or a count of repetitions)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is less than 1")
    return value
