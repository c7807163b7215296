"""How a run ends: the state it leaves, what it says, and its exit code.

Whatever stops a run (a failed step, a "no", a question nobody can answer,
Ctrl-C or SIGTERM) is saved first, with a second Ctrl-C ignored meanwhile, so
``--resume`` finds exactly the work that is left; then the run says how to
continue.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.fs import FileProblem
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.prompts import NeedsDecision
from sphinx_release_runbook.runner.report import Invocation, failure_lines, step_label
from sphinx_release_runbook.runner.signals import no_interrupts
from sphinx_release_runbook.runner.state import RunState, StateStore, Status
from sphinx_release_runbook.runner.transcript import Console
from sphinx_release_runbook.runner.validate import ValidationError, release_for


@dataclass
class Outcomes:
    """The endings of one run of *runbook* for *version*."""

    runbook: Runbook
    version: str
    store: StateStore
    console: Console
    invocation: Invocation

    @property
    def total(self) -> int:
        return len(self.runbook.steps)

    def _stop(self, state: RunState, status: Status, reason: str) -> str:
        """Save the stopped state; ``""``, or a line saying it could not be saved."""
        state.status = status
        state.reason = reason
        try:
            self.store.save(state)
        except FileProblem as exc:
            return f"warning: {exc}"
        return ""

    def _say(self, *lines: str) -> None:
        for line in lines:
            if line:
                self.console.line(line, err=True)

    def _label(self, current: PlannedStep | None) -> str:
        assert current is not None, "stopped inside a step"
        return step_label(current.step, self.total)

    def done(
        self, state: RunState, last: PlannedStep | None, steps: int, started: float
    ) -> ExitCode:
        state.status = "done"
        state.reason = ""
        try:
            self.store.save(state)
        except FileProblem as exc:
            # Every step ran and the journal says so; only "done" is not recorded.
            after = f" after {step_label(last.step, self.total)}" if last else ""
            self._say(
                f"STOPPED{after}: every step of release {self.version} ran, but {exc}; "
                "then continue with: "
                + self.invocation.resume_command(self.version)
                + " (it runs nothing again)"
            )
            return exc.code
        self.console.line()
        self.console.line(
            f"Done: {steps} step(s) of release {self.version} in "
            f"{time.monotonic() - started:.1f}s (transcript: {state.transcripts[-1]})"
        )
        return ExitCode.OK

    def _values(self, state: RunState) -> Mapping[str, str] | None:
        """The release's placeholder values, from the state (a resumed run has no other)."""
        try:
            return release_for(self.runbook, state.version, state.previous_version).values
        except ValidationError:  # validated when the run began; a hand-edited state.json
            return None

    def failed(self, state: RunState, current: PlannedStep | None, exc: StepFailed) -> ExitCode:
        assert current is not None, "stopped inside a step"
        with no_interrupts():
            unsaved = self._stop(state, "failed", str(exc))
        lines = failure_lines(
            self.runbook,
            current.step,
            self.total,
            str(exc),
            exc.output,
            self.invocation.resume_command(self.version),
            values=self._values(state),
        )
        self._say(*lines, unsaved)
        return ExitCode.STEP_FAILED

    def needs_confirmation(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        label = self._label(current)
        with no_interrupts():
            unsaved = self._stop(state, "stopped", "needs confirmation")
        self._say(
            f"STOPPED before {label}: it needs a "
            "confirmation and there is no terminal to ask on (nothing of the step ran). "
            "To answer yes, continue with: "
            + self.invocation.resume_command(self.version, assume_yes=True),
            unsaved,
        )
        return ExitCode.NEEDS_CONFIRMATION

    def manual_pending(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        assert current is not None, "stopped inside a step"
        label = self._label(current)
        with no_interrupts():
            unsaved = self._stop(state, "stopped", "manual step not confirmed")
        self._say(
            f"STOPPED at {label}: it is a manual step, and there is no terminal to ask "
            "whether it is done (--yes does not answer that). Do it by hand (the "
            "instructions are above), then continue with: "
            + self.invocation.resume_command(self.version, done=(current.id,)),
            unsaved,
        )
        return ExitCode.MANUAL_STEP

    def needs_decision(
        self, state: RunState, current: PlannedStep | None, exc: NeedsDecision
    ) -> ExitCode:
        label = self._label(current)
        with no_interrupts():
            unsaved = self._stop(state, "stopped", "needs a decision")
        self._say(
            f"STOPPED at {label}: {exc}:",
            *(f"  {option}" for option in exc.options),
            unsaved,
        )
        return ExitCode.NEEDS_DECISION

    def os_error(self, state: RunState, current: PlannedStep | None, exc: RunbookError) -> ExitCode:
        """A file could not be written mid-run: the step is marked failed, resumable."""
        at = f" at {step_label(current.step, self.total)}" if current else ""
        with no_interrupts():
            unsaved = self._stop(state, "failed", str(exc))
        if unsaved == f"warning: {exc}":
            unsaved = ""  # the state could not be saved: that is the error itself
        self._say(
            f"STOPPED{at}: {exc}; then continue with: "
            + self.invocation.resume_command(self.version),
            unsaved,
        )
        return exc.code

    def declined(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        label = self._label(current)
        with no_interrupts():
            unsaved = self._stop(state, "stopped", "declined")
        self._say(
            f"STOPPED at {label}: you answered no. "
            "Continue later with: " + self.invocation.resume_command(self.version),
            unsaved,
        )
        return ExitCode.DECLINED

    def interrupted(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        with no_interrupts():
            unsaved = self._stop(state, "interrupted", "interrupted")
            at = f" at {step_label(current.step, self.total)}" if current else ""
            self.console.line()
            self._say(
                f"INTERRUPTED{at}; the state is saved. Continue with: "
                + self.invocation.resume_command(self.version),
                unsaved,
            )
        return ExitCode.INTERRUPTED
