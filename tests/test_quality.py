"""The standards the project holds itself to: ruff-clean and fully typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# Everything the project runs: its package, tests, benchmarks and the docs' own extension.
LINTED = ("src", "tests", "benchmarks", "conf.py", "docs/_ext")


def test_ruff_finds_nothing_in_the_sources_tests_benchmarks_and_docs_extensions() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *LINTED],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_type_checks_the_package() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
