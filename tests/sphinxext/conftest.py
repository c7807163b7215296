"""Helpers for the drift tests: build a copy of a root with ``python -m sphinx``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOTS = Path(__file__).parent.parent / "roots"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Build:
    """A finished build: its exit status and its warnings, paths made relative to the root."""

    returncode: int
    stderr: str

    @property
    def warnings(self) -> list[str]:
        """One entry per warning; a multi-line warning (a diff) stays one entry."""
        entries: list[str] = []
        for line in self.stderr.splitlines():
            if re.match(r"^\S+:\d+: WARNING: |^\S+: WARNING: |^WARNING: ", line):
                entries.append(line)
            elif entries and line and not line.startswith("runbook: the build failed"):
                entries[-1] += "\n" + line
        return entries


class Project:
    """A copy of a test root in a temporary directory, built with ``python -m sphinx``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "_build" / "html"
        self.doctrees = root / "_build" / "doctrees"

    def build(self, *options: str, fresh: bool = False) -> Build:
        command = [sys.executable, "-m", "sphinx", "-q", "--no-color", "-b", "html"]
        command += ["-d", str(self.doctrees), *options]
        if fresh:
            command.append("-E")
        result = subprocess.run(
            [*command, str(self.root), str(self.out)],
            capture_output=True,
            text=True,
            check=False,
        )
        text = _ANSI.sub("", result.stderr).replace(str(self.root) + "/", "")
        return Build(result.returncode, text)


@pytest.fixture
def project(tmp_path: Path):
    def make(name: str) -> Project:
        target = tmp_path / name
        shutil.copytree(ROOTS / name, target, ignore=shutil.ignore_patterns("_build"))
        return Project(target)

    return make
