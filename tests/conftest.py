"""Shared fixtures: Sphinx's own test fixtures, the test roots, and warning helpers.

As in Sphinx's own suite, ``rootdir`` points ``@pytest.mark.sphinx(testroot="x")``
at ``tests/roots/test-x``; the fixtures copy the root to a temporary directory
before building, so no test writes into the repository.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.cmd.build import build_main
from sphinx.util.console import strip_escape_sequences

pytest_plugins = ["sphinx.testing.fixtures"]

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
SCHEMA = TESTS.parent / "src" / "sphinx_release_runbook" / "schemas" / "runbook.schema.json"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def normalise(text: str, srcdir: Path | str) -> str:
    """*text* without colours and with *srcdir* written as ``SRCDIR``."""
    plain = strip_escape_sequences(text)
    return plain.replace(str(srcdir), "SRCDIR").replace("\\", "/")


def warning_lines(text: str, srcdir: Path | str) -> list[str]:
    """The ``WARNING:`` / ``ERROR:`` lines of a build's stderr, normalised."""
    return [
        line
        for line in normalise(text, srcdir).splitlines()
        if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)
    ]


@dataclass(frozen=True)
class BuildResult:
    """One ``sphinx-build`` run: its exit code and its normalised output."""

    status: int
    stdout: str
    stderr: str
    outdir: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if re.search(r"\bWARNING:", line)]


def sphinx_build(
    srcdir: Path,
    builder: str,
    *options: str,
    outdir: Path | None = None,
    doctrees: Path | None = None,
) -> BuildResult:
    """Run the ``sphinx-build`` command line in this process (``build_main``: the CLI's own code).

    The exit code is the one ``sphinx-build`` returns: ``-W`` and the runbook
    build gate both reach it through ``app.statuscode``.
    """
    out = outdir or srcdir / "_build" / builder
    fresh = ["-E"] if doctrees is None else []  # a shared doctree directory is reused
    doctrees = doctrees or out.parent / f".doctrees-{builder}"
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = ["-b", builder, *fresh, "-N", "-d", str(doctrees), *options, str(srcdir), str(out)]
    with redirect_stdout(stdout), redirect_stderr(stderr):
        status = build_main(argv)
    return BuildResult(
        status,
        normalise(stdout.getvalue(), srcdir),
        normalise(stderr.getvalue(), srcdir),
        out,
    )


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write *files* (relative path -> text) under *root*."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def make_srcdir(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """A fresh source directory holding the given files (``conf.py`` included by the caller)."""
    counter = iter(range(1000))

    def make(files: dict[str, str]) -> Path:
        return write_tree(tmp_path / f"src{next(counter)}", files)

    return make


def load_export(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def steps_of(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for runbook in data["runbooks"]:
        yield from runbook["steps"]


def ids(entries: Sequence[dict[str, Any]]) -> list[str]:
    return [entry["id"] for entry in entries]
