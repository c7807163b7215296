"""How a step's commands are judged and shown: what a dry run prints, what a verdict needs.

Apart from :mod:`.commands`, which runs them, so that a dry run (and
``--resume``'s questions) need none of the modules that start processes.
"""

from __future__ import annotations

import re

from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.plan import PlannedStep


def describe_commands(item: PlannedStep) -> list[str]:
    """The dry-run lines of a step's commands and of how their output is judged."""
    step = item.step
    lines = [f"  $ {command}" for command in item.commands]
    extras = []
    if item.expect:
        extras.append(f"expect /{item.expect}/")
    if step.expect_empty:
        extras.append("expect empty output")
    if step.timeout:
        extras.append(f"timeout {step.timeout:g}s")
    if step.retry:
        extras.append(f"retry {step.retry} every {step.interval:g}s")
    if extras:
        lines.append(f"  ({'; '.join(extras)})")
    return lines


def judged_whole(item: PlannedStep) -> bool:
    """Whether the step's verdict needs the output of every command of one attempt."""
    step = item.step
    return bool(step.expect or step.expect_empty or step.retry)


def judge(item: PlannedStep, output: str) -> None:
    """Check one attempt's whole output against ``:expect-empty:`` and ``:expect:``."""
    if item.step.expect_empty and output.strip():
        raise StepFailed("the output should be empty (:expect-empty:) but is not", output)
    if item.expect:
        try:
            matched = re.search(item.expect, output, re.MULTILINE)
        except re.error as exc:
            raise StepFailed(
                f":expect: {item.expect!r} is not a valid regex: {exc}", output
            ) from exc
        if not matched:
            raise StepFailed(f"the output does not match :expect: /{item.expect}/", output)
