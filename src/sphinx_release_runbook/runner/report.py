"""What the runner prints: the plan, a step's header, and the report of a failure.

Pure functions from data to lines, so the wording is tested without a shell.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sphinx_release_runbook.bump import FileEdit
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Runbook, Step, Troubleshoot
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.validate import Release


@dataclass(frozen=True)
class Invocation:
    """The options that shape a run, so a resume command can repeat them."""

    runbook_file: str | None = None
    name: str | None = None
    secrets: tuple[str, ...] = ()
    assume_yes: bool = False
    force: bool = False

    def resume_command(
        self,
        version: str,
        *,
        assume_yes: bool | None = None,
        done: Sequence[str] = (),
        repeat: Sequence[str] = (),
    ) -> str:
        """The command that continues this run (with the given answers to its questions)."""
        words = ["python", "-m", "runbook", "run", "--version", version, "--resume"]
        if self.runbook_file:
            words += ["--runbook", self.runbook_file]
        if self.name:
            words += ["--name", self.name]
        for secret in self.secrets:
            words += ["--secret", secret]
        if self.assume_yes if assume_yes is None else assume_yes:
            words.append("--yes")
        if self.force:
            words.append("--force")
        for step_id in done:
            words += ["--done", step_id]
        for step_id in repeat:
            words += ["--repeat", step_id]
        return shlex.join(words)


def finding_line(finding: Finding) -> str:
    """A finding as the run prints it (:meth:`Finding.terminal_text`)."""
    return finding.terminal_text()


def header(runbook: Runbook, release: Release) -> list[str]:
    previous = f" (current {release.previous_version})" if release.previous_version else ""
    return [
        f"{runbook.title} [{runbook.name}]",
        f"Release {release.version}{previous}, tag {release.tag}",
    ]


def step_label(step: Step, total: int) -> str:
    return f"[{step.number}/{total}] {step.title}"


def step_heading(step: Step, total: int) -> str:
    """The line that opens a step, in a run and in a dry run."""
    return f"{step_label(step, total)}  ({step.id}, {step.source})"


def plan_lines(steps: Sequence[PlannedStep], total: int, done: Sequence[str] = ()) -> list[str]:
    """The plan overview: one line per step, marking what will not run."""
    lines = [f"Plan ({len(steps)} of {total} steps):"]
    width = max((len(planned.id) for planned in steps), default=0)
    for planned in steps:
        step = planned.step
        flags = [flag for flag, on in (("confirm", step.confirm), ("done", step.id in done)) if on]
        suffix = f"  [{', '.join(flags)}]" if flags else ""
        number = f"{step.number:>3}."
        lines.append(f"  {number} {step.id:<{width}}  {step.kind:<7}  {step.title}{suffix}")
    return lines


def edit_lines(edits: Sequence[FileEdit]) -> list[str]:
    lines = []
    for edit in edits:
        for target, site, new_line in edit.changes:
            if site.text == new_line:
                lines.append(f"  {edit.path}:{site.line}: {target.key} already {new_line.strip()}")
            else:
                lines.append(f"  {edit.path}:{site.line}: {target.key}")
                lines.append(f"    - {site.text.strip()}")
                lines.append(f"    + {new_line.strip()}")
    return lines


def matching_troubleshoot(runbook: Runbook, output: str) -> list[Troubleshoot]:
    """The entries whose ``:match:`` finds something in the failed step's output."""
    matched = []
    for entry in runbook.troubleshoot:
        try:
            if entry.match and re.search(entry.match, output, re.MULTILINE):
                matched.append(entry)
        except re.error:  # the build validates the regex; a hand-edited JSON may not
            continue
    return matched


def troubleshoot_text(entry: Troubleshoot, values: Mapping[str, str]) -> list[str]:
    """An entry's fix filled with the release's *values*, line by line.

    The fix is a plain-text template, as a manual step's instructions are.  A
    report of a failure must not fail in turn: a placeholder that cannot be
    filled (a hand-edited ``runbook.json``) leaves the text as written.
    """
    lines = entry.text.strip().splitlines()
    try:
        return [render(line, values) for line in lines]  # line by line, as for instructions
    except (PlaceholderError, TypeError, ValueError):  # a filter's own error, too
        return lines


def failure_lines(
    runbook: Runbook,
    step: Step,
    total: int,
    reason: str,
    output: str,
    resume: str,
    values: Mapping[str, str] | None = None,
) -> list[str]:
    """The report of a failed step: where it is written, the matching fixes, how to resume.

    The fixes are filled with *values* (the release's placeholders); without
    them they are shown as written.
    """
    lines = [
        f"FAILED {step_label(step, total)}: {reason}",
        f"  step:   {step.id}",
        f"  source: {step.source}",
    ]
    if step.url:
        lines.append(f"  docs:   {step.url}")
    for entry in matching_troubleshoot(runbook, output):
        lines.append(f"  troubleshooting: {entry.title} ({entry.source})")
        if entry.url:
            lines.append(f"    docs: {entry.url}")
        lines.extend(f"    {text}" for text in troubleshoot_text(entry, values or {}))
    lines.append(f"  resume: {resume}")
    return lines
