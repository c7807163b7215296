"""One run of a runbook: validate, plan, then execute step by step with state and lock.

The order is the safety argument.  Every value is validated and every template
rendered before the first step; the lock is taken and the state written before
the first command; the state is rewritten after every command, so whatever
stops the run (a failure, a "no", Ctrl-C, a kill) leaves ``--resume`` exactly
the work that is left.

This module is that order and nothing else: what each kind of step does is in
:mod:`.actions`, a step's commands in :mod:`.commands`, ``--resume`` in
:mod:`.resume`, the endings in :mod:`.outcomes`, the drift gate in :mod:`.gate`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.runner import report, resume
from sphinx_release_runbook.runner.actions import StepRun, Workspace, action_for, describe
from sphinx_release_runbook.runner.commands import Commands
from sphinx_release_runbook.runner.errors import RunError, StepFailed
from sphinx_release_runbook.runner.gate import drift_gate
from sphinx_release_runbook.runner.outcomes import Outcomes
from sphinx_release_runbook.runner.plan import (
    PlanError,
    PlannedStep,
    missing_tools,
    plan,
    resolve_cwd,
    select,
)
from sphinx_release_runbook.runner.prompts import Declined, NeedsConfirmation, Prompter
from sphinx_release_runbook.runner.secrets import run_secrets
from sphinx_release_runbook.runner.signals import sigterm_as_interrupt
from sphinx_release_runbook.runner.state import LockedError, RunLock, RunState, StateStore
from sphinx_release_runbook.runner.transcript import Console, transcript_path
from sphinx_release_runbook.runner.validate import Release, ValidationError, validate_release

# Importable from here as before the runner was split by concern.
__all__ = ["RunError", "RunOptions", "Session", "StepFailed", "drift_gate"]


@dataclass
class RunOptions:
    version: str | None
    dry_run: bool = False
    assume_yes: bool = False
    start: str | None = None
    only: tuple[str, ...] = ()
    resume: bool = False
    force: bool = False
    secrets: tuple[str, ...] = ()
    invocation: report.Invocation = field(default_factory=report.Invocation)


class Session:
    """Executes a validated plan; holds the state, console and prompter of one run."""

    def __init__(
        self,
        runbook: Runbook,
        root: Path,
        options: RunOptions,
        console: Console,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.runbook = runbook
        self.root = root
        self.options = options
        self.console = console
        self.environ = dict(os.environ if environ is None else environ)
        self.total = len(runbook.steps)
        self.store = StateStore(root)
        self.prompter = Prompter(assume_yes=options.assume_yes, say=console.line)

    # --- preparation -------------------------------------------------------------------

    def _release_and_steps(self) -> tuple[Release, list[Step], RunState | None]:
        options = self.options
        if options.resume:
            return resume.resumed(self.store, self.runbook, options.version)
        if options.version is None:
            raise RunError(
                "--version is required (a version, or major, minor, patch)", ExitCode.USAGE
            )
        try:
            release = validate_release(
                self.runbook,
                self.root,
                options.version,
                continuing=bool(options.start or options.only),
                recorded_previous=resume.recorded_previous(
                    self.store, self.runbook, options.version
                ),
            )
        except ValidationError as exc:
            hint = resume.resume_hint(self.store, self.runbook, options.invocation)
            raise RunError(str(exc) + hint, ExitCode.USAGE) from exc
        try:
            steps = select(self.runbook, start=options.start, only=options.only)
        except PlanError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        return release, steps, None

    def _plan(self, steps: Sequence[Step], release: Release) -> list[PlannedStep]:
        try:
            planned = plan(steps, release.values)
            for item in planned:
                resolve_cwd(self.root, item)
        except PlanError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        return planned

    # --- the run -----------------------------------------------------------------------

    def run(self) -> ExitCode:
        """Validate, plan and execute; a real run holds the lock from before validation.

        Locking first means a second run is refused for what it is (another run
        is going on), not for what the first run already did (bumped the files).
        """
        if self.options.dry_run:
            return self._run()
        ensure_private_dir(self.root)
        lock = RunLock(self.root)
        try:
            lock.acquire()
        except LockedError as exc:
            raise RunError(str(exc), ExitCode.LOCKED) from exc
        try:
            return self._run()
        finally:
            lock.release()

    def _run(self) -> ExitCode:
        options, console = self.options, self.console
        release, steps, state = self._release_and_steps()
        planned = self._plan(steps, release)
        # Masked from here on: no secret value was printed before this point.
        envs = (item.env for item in planned)
        warn = partial(console.line, err=True)
        console.masker.add(run_secrets(self.environ, options.secrets, envs, warn))
        missing = missing_tools(planned, self.environ.get("PATH"))
        listing = "; ".join(f"{tool} (step {', '.join(ids)})" for tool, ids in missing.items())
        if missing and not options.dry_run:
            raise RunError(f"required tools not on PATH: {listing}", ExitCode.MISSING_TOOLS)
        if not options.dry_run:
            # Opened before the plan is printed, so the transcript shows what was planned.
            console.open_transcript(transcript_path(self.root / ".runbook", release.version))
        done = state.completed if state else []
        lines = [
            *report.header(self.runbook, release),
            *report.plan_lines(planned, self.total, done),
        ]
        for line in lines:
            console.line(line)
        workspace = Workspace(self.root, release.version, self.runbook.version_scheme)
        if options.dry_run:
            if missing:
                console.line(f"note: required tools not on PATH: {listing}")
            self._dry_run(planned, workspace)
            return ExitCode.OK
        return self._execute(planned, release, state, workspace)

    def _dry_run(self, planned: Sequence[PlannedStep], workspace: Workspace) -> None:
        self.console.line("Dry run: nothing is executed, no file is written.")
        for item in planned:
            for line in describe(item, workspace, self.total):
                self.console.line(line)

    def _execute(
        self,
        planned: Sequence[PlannedStep],
        release: Release,
        state: RunState | None,
        workspace: Workspace,
    ) -> ExitCode:
        if state is None:
            state = RunState(
                runbook=self.runbook.name,
                version=release.version,
                previous_version=release.previous_version,
                tag=release.tag,
                selected=[item.id for item in planned],
            )
        state.status, state.reason = "running", ""
        assert self.console.log_path is not None
        state.transcripts.append(str(self.console.log_path.relative_to(self.root)))
        self.store.save(state)
        self.console.log_only(f"run of {self.runbook.name} {release.version}, pid {os.getpid()}")
        outcomes = Outcomes(
            self.runbook, release.version, self.store, self.console, self.options.invocation
        )
        started = time.monotonic()
        current: PlannedStep | None = None
        try:
            with sigterm_as_interrupt():
                for item in planned:
                    current = item
                    self._run_step(item, state, workspace)
            return outcomes.done(state, len(planned), started)
        except StepFailed as exc:
            return outcomes.failed(state, current, exc)
        except NeedsConfirmation:
            return outcomes.needs_confirmation(state, current)
        except Declined:
            return outcomes.declined(state, current)
        except KeyboardInterrupt:
            return outcomes.interrupted(state, current)
        finally:
            self.store.close()
            self.console.close()

    def _run_step(self, item: PlannedStep, state: RunState, workspace: Workspace) -> None:
        step = item.step
        state.begin_step(step.id)
        self.store.save(state)
        self.console.line()
        self.console.line(report.step_heading(step, self.total))
        started = time.monotonic()
        env = {**self.environ, **item.env}
        commands = Commands(self.console, self.store, state, resolve_cwd(self.root, item), env)
        if item.skip_if and commands.already_done(item):
            self.console.line(f"skipped: already done (:skip-if: {item.skip_if})")
        else:
            run = StepRun(workspace, self.console, self.prompter, commands)
            action_for(step).do(item, run)
        state.finish_step(step.id)
        self.store.save(state)
        self.console.line(f"ok: {step.title} ({time.monotonic() - started:.1f}s)")
