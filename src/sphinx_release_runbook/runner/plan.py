"""The plan: which steps run, every command with its values filled in, before anything runs.

Rendering every template up front means a placeholder problem, an unknown
step id or a missing tool stops the run before step 1, not at step 7 after a
push.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.core.templating import PlaceholderError, render


class PlanError(RunbookError, ValueError):
    """The plan cannot be made (unknown step, bad template); nothing has run."""


@dataclass(frozen=True)
class PlannedStep:
    """A step with every template rendered for this release."""

    step: Step
    commands: tuple[str, ...]
    skip_if: str | None
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | None = None
    expect: str | None = None

    @property
    def id(self) -> str:
        return self.step.id


def select(
    runbook: Runbook,
    *,
    start: str | None = None,
    only: Sequence[str] = (),
) -> list[Step]:
    """The steps of a run: all, those from *start* on, or the *only* ones (in runbook order)."""
    try:
        if only:
            wanted = {runbook.step(step_id).id for step_id in only}
            return [step for step in runbook.steps if step.id in wanted]
        if start is not None:
            first = runbook.steps.index(runbook.step(start))
            return runbook.steps[first:]
    except KeyError as exc:
        raise PlanError(exc.args[0]) from exc
    return list(runbook.steps)


def _render(template: str, values: Mapping[str, str], step: Step, what: str) -> str:
    if "{" not in template:
        return template  # most commands have no placeholder; compiling one costs ~0.5 ms
    try:
        return render(template, values)
    except PlaceholderError as exc:
        raise PlanError(f"{step.source}: step {step.id!r}, {what}: {exc}") from exc


def _escaped(values: Mapping[str, str]) -> dict[str, str]:
    """The values as they stand in an ``:expect:`` regex: 0.4.0 must not match 0x4y0."""
    return {name: re.escape(value) for name, value in values.items()}


def plan_step(
    step: Step, values: Mapping[str, str], escaped: Mapping[str, str] | None = None
) -> PlannedStep:
    """*step* for this release; *escaped* is :func:`_escaped` of *values*, if made already."""
    commands = tuple(
        # The test of _render, here: most commands have no placeholder to name.
        _render(command, values, step, f"command {index}") if "{" in command else command
        for index, command in enumerate(step.commands, start=1)
    )
    skip_if = _render(step.skip_if, values, step, ":skip-if:") if step.skip_if else None
    env = {name: _render(value, values, step, f":env: {name}") for name, value in step.env.items()}
    cwd = _render(step.cwd, values, step, ":cwd:") if step.cwd else None
    expect = None
    if step.expect:
        regex_values = escaped if escaped is not None else _escaped(values)
        expect = _render(step.expect, regex_values, step, ":expect:")
    return PlannedStep(step, commands, skip_if, env, cwd, expect)


def plan(steps: Sequence[Step], values: Mapping[str, str]) -> list[PlannedStep]:
    escaped = _escaped(values)  # once for the run, not once per step
    return [plan_step(step, values, escaped) for step in steps]


def missing_tools(steps: Sequence[PlannedStep], path: str | None) -> dict[str, list[str]]:
    """Tool name -> ids of the steps that require it, for tools not on *path*."""
    missing: dict[str, list[str]] = {}
    for planned in steps:
        for tool in planned.step.requires:
            if shutil.which(tool, path=path) is None:
                missing.setdefault(tool, []).append(planned.id)
    return missing


def resolve_cwd(root: Path, planned: PlannedStep) -> Path:
    """The directory a step runs in; it must exist and stay inside the repository."""
    if planned.cwd is None:
        return root
    directory = (root / planned.cwd).resolve()
    if not directory.is_relative_to(root.resolve()):
        raise PlanError(
            f"{planned.step.source}: step {planned.id!r}: :cwd: {planned.cwd} is outside the "
            "repository"
        )
    return directory
