"""Each benchmark runs end to end (``--quick``: one small repetition), so none can rot.

The figures are not checked (a test never asserts a time): only that every
benchmark still runs against the current CLI and prints its ratios.
``cli_latency.py`` compares with tbump and bump-my-version (the ``bench``
extra) and ``rehearse_overhead.py`` needs pypiserver (the ``rehearse`` extra):
missing, they skip here and fail under CI.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _bench_tool(name: str) -> None:
    if (Path(sys.executable).parent / name).is_file() or shutil.which(name):
        return
    if CI:
        pytest.fail(f"{name} is not installed (CI must install the bench extra: .[bench])")
    pytest.skip(f"{name} is not installed (pip install -e '.[bench]')")


def _bench(script: str, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        cwd=BENCHMARKS.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def _quick(script: str) -> str:
    result = _bench(script, "--quick")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_cli_latency_runs() -> None:
    _bench_tool("tbump")
    _bench_tool("bump-my-version")
    out = _quick("cli_latency.py")
    for line in (
        "run --dry-run warm / tbump --dry-run:",
        "run --dry-run cold / tbump --dry-run:",
        "bump --dry-run / bump-my-version --dry-run:",
    ):
        assert line in out, out


def test_runner_overhead_runs() -> None:
    out = _quick("runner_overhead.py")
    assert "runbook / bash:" in out, out
    assert "exported / bash:" in out, out


def test_build_overhead_runs() -> None:
    out = _quick("build_overhead.py")
    assert "html: runbook / plain:" in out, out
    assert "read-only: runbook / plain:" in out, out
    # The one page that mirrors the touched file, and no other, is read again.
    assert "touching files/workflow4.yml (8 pages) reads again: page4 (" in out, out


def test_rehearse_overhead_runs() -> None:
    if importlib.util.find_spec("pypiserver") is None:
        message = "pypiserver is not installed (the rehearse extra: .[rehearse])"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    out = _quick("rehearse_overhead.py")
    assert "rehearse / bash:" in out, out


@pytest.mark.parametrize(
    ("script", "option"),
    [
        ("runner_overhead.py", "--exported-steps"),
        ("runner_overhead.py", "--steps"),
        ("build_overhead.py", "--pages"),
        ("cli_latency.py", "--repeat"),
        ("rehearse_overhead.py", "--repeat"),
    ],
)
def test_a_size_of_zero_is_refused_before_anything_runs(script: str, option: str) -> None:
    # A size of 0 used to end in a ZeroDivisionError after the other sizes had run.
    result = _bench(script, option, "0", timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"argument {option}: 0 is less than 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_runner_benchmark_refuses_one_step_and_measures_a_one_step_script() -> None:
    # A runner size of 1 divided by zero; an exported size of 1 made its repository where
    # the one-step run's already was.
    refused = _bench("runner_overhead.py", "--steps", "1", timeout=60)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "argument --steps: each size must be at least 2" in refused.stderr
    result = _bench("runner_overhead.py", "--steps", "2", "--exported-steps", "1", "--repeat", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exported / bash:" in result.stdout
