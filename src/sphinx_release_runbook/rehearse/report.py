"""The rehearsal's report: one row per step, then what the sandbox, the stand-in and the index saw.

Pure functions from a :class:`~.session.Rehearsal` to lines.  A failed step's
title, docs link and troubleshooting entries are not repeated here: the
runner printed them when the step failed, as in a real run.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.rehearse.results import StepResult
from sphinx_release_runbook.rehearse.sandbox import UNCOMMITTED_MESSAGE
from sphinx_release_runbook.rehearse.session import Rehearsal

_CALL_WIDTH = 100


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}s"


def table(rows: Sequence[StepResult]) -> list[str]:
    """The step table: number, id, kind, status, time."""
    header = ("#", "step", "kind", "status", "time")
    cells = [
        (
            str(row.step.number),
            row.step.id,
            row.step.kind,
            row.status + (f" ({row.note})" if row.note else ""),
            _seconds(row.seconds),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]

    def line(values: Sequence[str]) -> str:
        first = values[0].rjust(widths[0])
        rest = [value.ljust(width) for value, width in zip(values[1:], widths[1:], strict=True)]
        return "  " + "  ".join([first, *rest]).rstrip()

    return [line(header), *(line(values) for values in cells)]


def verdict(rehearsal: Rehearsal) -> str:
    """One line: did the release go through?"""
    version = rehearsal.options.version
    failed = [row for row in rehearsal.steps if row.status in ("failed", "interrupted")]
    if rehearsal.exit_code == ExitCode.OK:
        manual = sum(row.status == "manual" for row in rehearsal.steps)
        tail = f"; {manual} manual step(s) not rehearsed" if manual else ""
        return f"Rehearsal of {version}: every step passed ({rehearsal.elapsed:.1f}s){tail}"
    if rehearsal.exit_code == ExitCode.INTERRUPTED:
        return f"Rehearsal of {version}: interrupted ({rehearsal.elapsed:.1f}s)"
    if failed:
        step = failed[0].step
        return (
            f"Rehearsal of {version}: FAILED at step {step.number} ({step.id}: {step.title}), "
            f"exit {rehearsal.exit_code} ({rehearsal.elapsed:.1f}s)"
        )
    return f"Rehearsal of {version}: stopped, exit {rehearsal.exit_code} ({rehearsal.elapsed:.1f}s)"


def _call(entry: dict[str, Any]) -> str:
    argv = entry.get("argv")
    words = [str(word) for word in argv] if isinstance(argv, list) else [str(argv)]
    text = " ".join(shlex.quote(word) for word in words).replace("\n", "\\n")
    if len(text) > _CALL_WIDTH:
        text = text[: _CALL_WIDTH - 3] + "..."
    return f"  gh {text}  -> exit {entry.get('exit', '?')}"


def lines(rehearsal: Rehearsal) -> list[str]:
    """The whole report."""
    out = ["", verdict(rehearsal)]
    if rehearsal.steps:
        out += table(rehearsal.steps)
    kept = "kept: --keep" if rehearsal.options.keep else "removed"
    out.append(f"Rehearsal folder: {rehearsal.folder} ({kept})")
    if rehearsal.uncommitted:
        out.append(
            f"Uncommitted changes: {len(rehearsal.uncommitted)} file(s) rehearsed as one extra "
            f'commit "{UNCOMMITTED_MESSAGE}": {", ".join(rehearsal.uncommitted[:8])}'
            + (" ..." if len(rehearsal.uncommitted) > 8 else "")
        )
    if rehearsal.transcript is not None:
        out.append(f"Transcript: {rehearsal.transcript}")
    out.append(f"gh stand-in calls: {len(rehearsal.gh_calls)}")
    out += [_call(entry) for entry in rehearsal.gh_calls]
    where = f" ({rehearsal.index_url}, stopped)" if rehearsal.index_url else ""
    out.append(f"Local index{where}: {len(rehearsal.index_packages)} file(s)")
    out += [f"  {name}" for name in rehearsal.index_packages]
    if rehearsal.left_running:
        pids = ", ".join(map(str, rehearsal.left_running))
        out.append(f"Stopped processes left running by the release's commands: {pids}")
    return out
