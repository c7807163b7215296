"""``$GITHUB_ENV``, ``$GITHUB_OUTPUT`` and ``$GITHUB_PATH``: what a step hands to later steps.

Each step gets fresh files; after it, ``NAME=value`` lines and
``NAME<<DELIMITER`` blocks (multi-line values) are read back, as the runner
does, and ``$GITHUB_PATH``'s lines are put first on ``PATH`` for later steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepFiles:
    env: Path
    output: Path
    path: Path
    summary: Path

    @classmethod
    def create(cls, folder: Path) -> StepFiles:
        folder.mkdir(parents=True, exist_ok=True)
        files = cls(folder / "env", folder / "output", folder / "path", folder / "step_summary.md")
        for file in (files.env, files.output, files.path, files.summary):
            file.write_text("", encoding="utf-8")
        return files

    def variables(self) -> dict[str, str]:
        return {
            "GITHUB_ENV": str(self.env),
            "GITHUB_OUTPUT": str(self.output),
            "GITHUB_PATH": str(self.path),
            "GITHUB_STEP_SUMMARY": str(self.summary),
        }


def read_assignments(file: Path) -> dict[str, str]:
    """The ``NAME=value`` and ``NAME<<DELIMITER`` entries of *file*."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    values: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block: list[str] = []
            while index < len(lines) and lines[index] != delimiter:
                block.append(lines[index])
                index += 1
            index += 1  # the delimiter line
            values[name.strip()] = "\n".join(block)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value
    return values


def read_paths(file: Path) -> list[str]:
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [line.strip() for line in lines if line.strip()]
