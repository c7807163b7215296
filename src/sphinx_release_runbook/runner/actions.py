"""What each kind of step does: one action per kind, chosen in one place (:data:`ACTIONS`).

An action describes a step for a dry run (:meth:`Action.describe`, lines to
print) and does it in a real run (:meth:`Action.do`).  Every kind may carry
commands; they run last, after the kind's own part (a question, the edits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import Step, StepKind, VersionScheme
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import version_info
from sphinx_release_runbook.runner import report
from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.prompts import ManualPending, NeedsConfirmation, Prompter
from sphinx_release_runbook.runner.transcript import Console
from sphinx_release_runbook.runner.verdict import describe_commands

if TYPE_CHECKING:  # a dry run describes steps and needs none of what runs them
    from sphinx_release_runbook.runner.commands import Commands


@dataclass(frozen=True)
class Workspace:
    """Where a run acts and for which release: what a bump step plans its edits with,
    and the values a manual step's instructions are filled with."""

    root: Path
    version: str
    scheme: VersionScheme
    #: Every placeholder's value for this release (:attr:`.validate.Release.values`).
    values: Mapping[str, str] = field(default_factory=dict)

    def plan_edits(self, step: Step) -> list[bump.FileEdit]:
        info = version_info(self.version, self.scheme)
        return bump.plan_edits(self.root, step.bump, self.version, info)


@dataclass(frozen=True)
class StepRun:
    """What doing one step uses: the workspace, the console, the prompter, its commands."""

    workspace: Workspace
    console: Console
    prompter: Prompter
    commands: Commands
    #: The manual steps named done on the command line (``--done STEP``).
    done: frozenset[str] = field(default_factory=frozenset)


class Action(Protocol):
    def describe(self, item: PlannedStep, workspace: Workspace) -> list[str]:
        """The dry-run lines of what the step does (after its options)."""
        ...

    def do(self, item: PlannedStep, run: StepRun) -> None:
        """Do the step; raise :class:`StepFailed`, or the prompter's answers."""
        ...


def _describe_confirm(step: Step) -> list[str]:
    return ["  asks for confirmation before it runs"] if step.confirm else []


def _confirm(step: Step, run: StepRun) -> None:
    if step.confirm:
        run.prompter.confirm(f"Run step {step.number} ({step.id})?")


class CommandAction:
    """``command``, ``check`` and ``wait``: run the commands (after a ``:confirm:``)."""

    def describe(self, item: PlannedStep, workspace: Workspace) -> list[str]:
        return [*_describe_confirm(item.step), *describe_commands(item)]

    def do(self, item: PlannedStep, run: StepRun) -> None:
        _confirm(item.step, run)
        run.commands.run(item)


class ManualAction:
    """``manual``: show the instructions and ask whether they are done.

    The instructions are a plain-text template (``runbook.json`` keeps it as the
    build wrote it); they are filled with the release's values the way commands
    are, so the screen, the dry run and the transcript show what the page shows.
    Only a person can say the step is done: ``--yes`` does not, ``--done STEP``
    does.  With neither a terminal nor ``--done`` the run stops here
    (:class:`ManualPending`).
    """

    def describe(self, item: PlannedStep, workspace: Workspace) -> list[str]:
        step = item.step
        head = f"  manual step; asks whether it is done (without a terminal: --done {step.id}):"
        try:
            text = instructions(step, workspace.values)
        except StepFailed as exc:
            return [head, f"    {exc}", *describe_commands(item)]
        return [head, *(f"    {line}" for line in text), *describe_commands(item)]

    def do(self, item: PlannedStep, run: StepRun) -> None:
        step = item.step
        for text in instructions(step, run.workspace.values):
            run.console.line(f"  {text}")
        question = f"Step {step.number} ({step.id}): done?"
        if step.id in run.done:
            run.console.line(f"{question} yes (--done {step.id})")
        elif run.prompter.interactive:
            try:
                run.prompter.confirm(question, yes_answers=False)
            except NeedsConfirmation as exc:  # the terminal went away (EOF)
                raise ManualPending(question) from exc
        else:
            raise ManualPending(question)
        run.commands.run(item)


def instructions(step: Step, values: Mapping[str, str]) -> list[str]:
    """A manual step's instructions filled with *values*, line by line.

    Each line of the template is filled on its own, as the exported script fills
    it (a line is one bash word there), so both print the same lines.  The build
    checked every placeholder; a hand-edited ``runbook.json`` that breaks one
    fails the step (before anything is shown as done), not the run.
    """
    try:
        return [render(line, values) for line in step.instructions.strip().splitlines()]
    except (PlaceholderError, TypeError, ValueError) as exc:  # a filter's own error, too
        message = f"cannot fill the instructions of step {step.id!r} ({step.source}): {exc}"
        raise StepFailed(message, "") from exc


class BumpAction:
    """``bump``: write the new version into every ``:bump:`` target."""

    def describe(self, item: PlannedStep, workspace: Workspace) -> list[str]:
        lines = _describe_confirm(item.step)
        try:
            lines += report.edit_lines(workspace.plan_edits(item.step))
        except bump.BumpError as exc:
            lines.append(f"  bump: {exc}")
        return [*lines, *describe_commands(item)]

    def do(self, item: PlannedStep, run: StepRun) -> None:
        step = item.step
        _confirm(step, run)
        for leftover in bump.sweep_leftovers(run.workspace.root, step.bump):
            run.console.line(f"  removed {leftover.name}, left by an interrupted write")
        try:
            # Plan every file's edit, then write: a target that fails to parse leaves
            # every file as it was.
            edits = run.workspace.plan_edits(step)
        except bump.BumpError as exc:
            raise StepFailed(str(exc), str(exc)) from exc
        for line in report.edit_lines(edits):
            run.console.line(line)
        try:
            bump.write_edits(run.workspace.root, edits)
        except OSError as exc:
            raise StepFailed(f"cannot write: {exc}", str(exc)) from exc
        run.commands.run(item)


_COMMAND = CommandAction()

#: The one place a step's kind decides what happens.
ACTIONS: dict[StepKind, Action] = {
    "command": _COMMAND,
    "check": _COMMAND,
    "wait": _COMMAND,
    "manual": ManualAction(),
    "bump": BumpAction(),
}


def action_for(step: Step) -> Action:
    return ACTIONS[step.kind]


def describe(item: PlannedStep, workspace: Workspace, total: int) -> list[str]:
    """The dry-run block of one step: its heading and options, then what its kind does."""
    lines = ["", report.step_heading(item.step, total)]
    if item.skip_if:
        lines.append(f"  skip if: {item.skip_if}")
    lines += [f"  env: {name}={value}" for name, value in item.env.items()]
    if item.cwd:
        lines.append(f"  cwd: {item.cwd}")
    return lines + action_for(item.step).describe(item, workspace)
