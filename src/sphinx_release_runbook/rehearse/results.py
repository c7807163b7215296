"""What happened to each step of a rehearsal, read from the runner's state and transcript.

The runner keeps, in ``.runbook/state.json``, which steps were selected and
completed and where it stopped; its transcript says, under each step's
heading, whether a completed step was skipped (``:skip-if:``) and how long it
took (``ok: TITLE (1.2s)``).  Nothing here parses output of the guide's own
commands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sphinx_release_runbook.core.model import Runbook, Step

Status = Literal["passed", "failed", "skipped", "manual", "interrupted", "not run"]
_OK = re.compile(r"^ok: .* \((?P<seconds>\d+(?:\.\d+)?)s\)$")
_SKIPPED = "skipped: already done"


@dataclass(frozen=True)
class StepResult:
    """One row of the report."""

    step: Step
    status: Status
    seconds: float | None
    note: str = ""


def read_state(path: Path) -> dict[str, Any]:
    """The runner's state, or ``{}`` when it has not written one (or one half-way)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _blocks(transcript: str, steps: Iterable[Step]) -> dict[str, list[str]]:
    """The transcript's lines under each step's heading (``[N/M] TITLE  (ID, SOURCE)``)."""
    by_heading = {f"  ({step.id}, {step.source})": step.id for step in steps}
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in transcript.splitlines():
        if line.startswith("["):
            for tail, step_id in by_heading.items():
                if line.endswith(tail):
                    current = blocks.setdefault(step_id, [])
                    break
            else:
                if current is not None:
                    current.append(line)
            continue
        if current is not None:
            current.append(line)
    return blocks


def step_results(
    runbook: Runbook,
    state: Mapping[str, Any],
    transcript: str,
    measured: Mapping[str, float],
) -> list[StepResult]:
    """A row for every step of *runbook*, in order.

    *measured* holds the seconds the session saw a step run (from the state's
    changes), used when the transcript does not say (a step that failed).
    """
    selected = set(state.get("selected") or [])
    completed = set(state.get("completed") or [])
    current = state.get("current")
    stopped = str(state.get("status") or "")
    blocks = _blocks(transcript, runbook.steps)
    started = bool(state.get("selected"))  # no state: the runner stopped before the first step
    rows = []
    for step in runbook.steps:
        block = blocks.get(step.id, [])
        seconds = measured.get(step.id)
        for line in block:
            match = _OK.match(line)
            if match:
                seconds = float(match["seconds"])
        status: Status
        note = ""
        if not started:
            status, seconds = "not run", None
        elif step.id not in selected:
            status, note, seconds = "skipped", "not selected", None
        elif step.id in completed:
            if step.kind == "manual":
                status, note = "manual", "not rehearsed"
            elif _SKIPPED in block:
                status, note = "skipped", "already done (:skip-if:)"
            else:
                status = "passed"
        elif step.id == current and stopped == "interrupted":
            status = "interrupted"
        elif step.id == current and stopped in ("failed", "stopped"):
            status = "failed"
        else:
            status, seconds = "not run", None
        rows.append(StepResult(step, status, seconds, note))
    return rows


def gh_calls(home: Path) -> list[dict[str, Any]]:
    """The ``gh`` stand-in's record of its calls (``home/gh-calls.jsonl``)."""
    try:
        lines = (home / "gh-calls.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    calls = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:  # a line torn by a kill
            continue
        if isinstance(entry, dict):
            calls.append(entry)
    return calls
