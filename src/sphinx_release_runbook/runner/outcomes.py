"""How a run ends: the state it leaves, what it says, and its exit code.

Whatever stops a run (a failed step, a "no", a question nobody can answer,
Ctrl-C or SIGTERM) is saved first, with a second Ctrl-C ignored meanwhile, so
``--resume`` finds exactly the work that is left; then the run says how to
continue.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.report import Invocation, failure_lines, step_label
from sphinx_release_runbook.runner.signals import no_interrupts
from sphinx_release_runbook.runner.state import RunState, StateStore, Status
from sphinx_release_runbook.runner.transcript import Console


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

    def _stop(self, state: RunState, status: Status, reason: str) -> None:
        state.status = status
        state.reason = reason
        self.store.save(state)

    def _label(self, current: PlannedStep | None) -> str:
        assert current is not None, "stopped inside a step"
        return step_label(current.step, self.total)

    def done(self, state: RunState, steps: int, started: float) -> ExitCode:
        state.status = "done"
        self.store.save(state)
        self.console.line()
        self.console.line(
            f"Done: {steps} step(s) of release {self.version} in "
            f"{time.monotonic() - started:.1f}s (transcript: {state.transcripts[-1]})"
        )
        return ExitCode.OK

    def failed(self, state: RunState, current: PlannedStep | None, exc: StepFailed) -> ExitCode:
        assert current is not None, "stopped inside a step"
        with no_interrupts():
            self._stop(state, "failed", str(exc))
        lines = failure_lines(
            self.runbook,
            current.step,
            self.total,
            str(exc),
            exc.output,
            self.invocation.resume_command(self.version),
        )
        for line in lines:
            self.console.line(line, err=True)
        return ExitCode.STEP_FAILED

    def needs_confirmation(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        label = self._label(current)
        with no_interrupts():
            self._stop(state, "stopped", "needs confirmation")
        self.console.line(
            f"STOPPED before {label}: it needs a "
            "confirmation and there is no terminal to ask on (nothing of the step ran). "
            "To answer yes, continue with: "
            + self.invocation.resume_command(self.version, assume_yes=True),
            err=True,
        )
        return ExitCode.NEEDS_CONFIRMATION

    def declined(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        label = self._label(current)
        with no_interrupts():
            self._stop(state, "stopped", "declined")
        self.console.line(
            f"STOPPED at {label}: you answered no. "
            "Continue later with: " + self.invocation.resume_command(self.version),
            err=True,
        )
        return ExitCode.DECLINED

    def interrupted(self, state: RunState, current: PlannedStep | None) -> ExitCode:
        with no_interrupts():
            self._stop(state, "interrupted", "interrupted")
            at = f" at {step_label(current.step, self.total)}" if current else ""
            self.console.line()
            self.console.line(
                f"INTERRUPTED{at}; the state is saved. Continue with: "
                + self.invocation.resume_command(self.version),
                err=True,
            )
        return ExitCode.INTERRUPTED
