"""The records of local runs: ``home/runs/<id>/run.json``, ``log.txt`` and each step's log.

Run ids are integers counting up from 1, like GitHub's ``databaseId``: a new
run takes the next free number by creating its folder (``mkdir`` is atomic,
so two runs started at once never share an id).  ``run.json`` is rewritten
atomically as the run goes (status ``in_progress``, then ``completed``), so a
``gh run watch`` in another process can follow it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.fs import write_atomic

RUNS_DIR = "runs"
RUN_FILE = "run.json"
LOG_FILE = "log.txt"


@dataclass
class StepRecord:
    name: str
    line: int
    conclusion: str = "pending"  # success, failure, skipped
    seconds: float = 0.0
    outcome: str = ""  # before continue-on-error: success or failure
    message: str = ""  # why the rehearsal stopped the job here, or a notice
    log: str = ""  # this step's output, relative to the run folder


@dataclass
class JobRecord:
    id: str
    name: str
    line: int
    conclusion: str = "pending"  # success, failure, skipped
    seconds: float = 0.0
    steps: list[StepRecord] = field(default_factory=list)


@dataclass
class RunRecord:
    id: int
    workflow: str  # the workflow's name
    file: str  # .github/workflows/NAME.yml
    event: str
    tag: str
    sha: str
    title: str  # GitHub's displayTitle: the release's name for a release
    created_at: str
    updated_at: str = ""
    status: str = "in_progress"  # then completed
    conclusion: str = ""  # success or failure once completed
    error: str = ""  # the message that stopped the run, with its file:line
    jobs: list[JobRecord] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        jobs = [
            JobRecord(
                **{key: value for key, value in job.items() if key != "steps"},
                steps=[StepRecord(**step) for step in job.get("steps", [])],
            )
            for job in data.get("jobs", [])
        ]
        return cls(**{key: value for key, value in data.items() if key != "jobs"}, jobs=jobs)


def runs_dir(home: Path) -> Path:
    return home / RUNS_DIR


def new_run_dir(home: Path) -> tuple[int, Path]:
    """The next free run id and its (new, empty) folder."""
    root = runs_dir(home)
    root.mkdir(parents=True, exist_ok=True)
    taken = [int(entry.name) for entry in root.iterdir() if re.fullmatch(r"\d+", entry.name)]
    number = max(taken, default=0) + 1
    while True:
        folder = root / str(number)
        try:
            folder.mkdir()
        except FileExistsError:
            number += 1
            continue
        return number, folder


def save(home: Path, record: RunRecord) -> None:
    path = runs_dir(home) / str(record.id) / RUN_FILE
    write_atomic(path, json.dumps(record.to_json(), indent=2) + "\n")


def load(home: Path, run_id: int) -> RunRecord | None:
    path = runs_dir(home) / str(run_id) / RUN_FILE
    try:
        return RunRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def load_all(home: Path) -> list[RunRecord]:
    """Every recorded run, newest first."""
    root = runs_dir(home)
    if not root.is_dir():
        return []
    ids = sorted(
        (int(entry.name) for entry in root.iterdir() if re.fullmatch(r"\d+", entry.name)),
        reverse=True,
    )
    return [record for record in (load(home, number) for number in ids) if record is not None]
