"""One run of a runbook: validate, plan, then execute step by step with state and lock.

The order is the safety argument.  The lock is taken and the guard forked
first (:mod:`.guard`: if this process dies, the step's commands die with it,
and the lock stays taken until they are gone); every value is validated and
every template rendered before the first step; the state is written before the
first command, and every command is journaled before it starts and when it
ends, so whatever stops the run (a failure, a "no", Ctrl-C, a kill, a full
disk) leaves ``--resume`` exactly the work that is left, and knows which
command may have run in part.

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
from typing import TYPE_CHECKING

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import FileProblem, ensure_private_dir, file_problem
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.core.remote_tags import RemoteTags
from sphinx_release_runbook.runner import report, resume
from sphinx_release_runbook.runner.actions import StepRun, Workspace, action_for, describe
from sphinx_release_runbook.runner.errors import RunError, StepFailed
from sphinx_release_runbook.runner.gate import drift_gate
from sphinx_release_runbook.runner.plan import (
    PlanError,
    PlannedStep,
    missing_tools,
    plan,
    resolve_cwd,
    select,
)
from sphinx_release_runbook.runner.prompts import (
    Declined,
    ManualPending,
    NeedsConfirmation,
    NeedsDecision,
    Prompter,
)
from sphinx_release_runbook.runner.secrets import run_secrets
from sphinx_release_runbook.runner.state import RunState, StateStore, step_fingerprint
from sphinx_release_runbook.runner.transcript import Console, transcript_path
from sphinx_release_runbook.runner.validate import (
    Release,
    ValidationError,
    check_length,
    validate_release,
)

if TYPE_CHECKING:
    from sphinx_release_runbook.runner.guard import Guard
    from sphinx_release_runbook.runner.lock import RunLock

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
    #: Steps the maintainer says are done: manual steps, or an interrupted command.
    done: tuple[str, ...] = ()
    #: Steps whose interrupted (or changed) commands may run again (with --resume).
    repeat: tuple[str, ...] = ()


class Session:
    """Executes a validated plan; holds the state, console and prompter of one run."""

    def __init__(
        self,
        runbook: Runbook,
        root: Path,
        options: RunOptions,
        console: Console,
        environ: Mapping[str, str] | None = None,
        remote_tags: RemoteTags | None = None,
    ) -> None:
        self.runbook = runbook
        self.root = root
        self.options = options
        self.console = console
        self.environ = dict(os.environ if environ is None else environ)
        self.total = len(runbook.steps)
        self.store = StateStore(root)
        self.prompter = Prompter(assume_yes=options.assume_yes, say=console.line)
        self.lock: RunLock | None = None
        self.guard: Guard | None = None
        #: The step the loaded state was in when the run being resumed stopped.
        self.resume_at: str | None = None
        #: origin's tags, asked for by the caller before it loaded the runner (or None).
        self.remote_tags = remote_tags
        #: :func:`step_fingerprint` of every planned step, by id (see :meth:`_execute`).
        self._fingerprints: dict[str, str] = {}
        #: The environment of a step without :env: (see :meth:`_execute`).
        self._step_environ: Mapping[str, str] = self.environ

    # --- preparation -------------------------------------------------------------------

    def _release_and_steps(self) -> tuple[Release, list[Step], RunState | None]:
        options = self.options
        if options.resume:
            release, steps, state = resume.resumed(self.store, self.runbook, options.version)
            resume.check_answers(self.runbook, state, done=options.done, repeat=options.repeat)
            return release, steps, state
        if options.version is None:
            raise RunError(
                "--version is required (a version, or major, minor, patch)", ExitCode.USAGE
            )
        try:
            check_length(options.version)
        except ValidationError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        continuing = bool(options.start or options.only)
        resume.refuse_other_release(
            self.store,
            self.runbook,
            options.version,
            options.invocation,
            continuing=continuing,
        )
        try:
            release = validate_release(
                self.runbook,
                self.root,
                options.version,
                continuing=continuing,
                recorded_previous=resume.recorded_previous(
                    self.store, self.runbook, options.version
                ),
                remote=self.remote_tags,
            )
        except ValidationError as exc:
            hint = resume.resume_hint(self.store, self.runbook, options.invocation)
            raise RunError(str(exc) + hint, exc.code) from exc
        try:
            steps = select(self.runbook, start=options.start, only=options.only)
        except PlanError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        resume.check_answers(self.runbook, None, done=options.done, repeat=options.repeat)
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
        The guard is forked right after: it shares the lock, and stops the
        step's commands if this process dies.
        """
        if self.options.dry_run:
            return self._run()
        # Imported for a real run only: a dry run starts no process and takes no lock.
        from sphinx_release_runbook.runner.guard import Guard
        from sphinx_release_runbook.runner.lock import RunLock
        from sphinx_release_runbook.runner.processes import stop_grace

        ensure_private_dir(self.root)
        lock = RunLock(self.root, "run")
        lock.acquire(notice=partial(self.console.line, err=True))
        try:
            assert lock.fd is not None
            try:
                guard = Guard.start([lock.fd], stop_grace(self.environ))
            except OSError as exc:
                raise file_problem(exc, lock.path, "start the guard process of") from exc
            self.lock, self.guard = lock, guard
            lock.set_guard(guard.pid, guard.token)
            try:
                return self._run()
            finally:
                guard.close()
        finally:
            lock.release()

    def _run(self) -> ExitCode:
        options, console = self.options, self.console
        release, steps, state = self._release_and_steps()
        self.resume_at = state.current if state is not None else None
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
        # One write for the whole plan, not one per step (a thousand-step plan is printed
        # as quickly as a short one is).
        console.line("\n".join(lines))
        workspace = Workspace(
            self.root, release.version, self.runbook.version_scheme, release.values
        )
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
        from sphinx_release_runbook.runner.outcomes import Outcomes
        from sphinx_release_runbook.runner.signals import sigterm_as_interrupt

        if state is None:
            state = RunState(
                runbook=self.runbook.name,
                version=release.version,
                previous_version=release.previous_version,
                tag=release.tag,
                selected=[item.id for item in planned],
            )
        state.status, state.reason = "running", ""
        # All at once before the first step, not one between two steps: the same work,
        # done while the interpreter's caches are warm rather than after each command.
        self._fingerprints = {item.id: step_fingerprint(item.step) for item in planned}
        # Marked with the run's token once (see Commands), not copied for every step.
        self._step_environ = self.environ if self.guard is None else self.guard.marked(self.environ)
        assert self.console.log_path is not None
        state.transcripts.append(str(self.console.log_path.relative_to(self.root)))
        if state.current is None and planned:
            # Saved as begun with the state, as every later step is with the end of the one
            # before it, in the journal.
            state.begin_step(planned[0].id, self._fingerprints[planned[0].id])
        self.store.save(state)
        self.console.log_only(f"run of {self.runbook.name} {release.version}, pid {os.getpid()}")
        outcomes = Outcomes(
            self.runbook, release.version, self.store, self.console, self.options.invocation
        )
        started = time.monotonic()
        current: PlannedStep | None = None
        try:
            with sigterm_as_interrupt():
                for index, item in enumerate(planned):
                    current = item
                    following = planned[index + 1] if index + 1 < len(planned) else None
                    self._run_step(item, state, workspace, following)
            return outcomes.done(state, current, len(planned), started)
        except StepFailed as exc:
            return outcomes.failed(state, current, exc)
        except NeedsConfirmation:
            return outcomes.needs_confirmation(state, current)
        except Declined:
            return outcomes.declined(state, current)
        except ManualPending:
            return outcomes.manual_pending(state, current)
        except NeedsDecision as exc:
            return outcomes.needs_decision(state, current, exc)
        except FileProblem as exc:
            return outcomes.os_error(state, current, exc)
        except OSError as exc:  # one no check above foresaw: still a message, not a traceback
            where = Path(exc.filename) if exc.filename else self.root
            return outcomes.os_error(state, current, file_problem(exc, where, "use"))
        except KeyboardInterrupt:
            return outcomes.interrupted(state, current)
        finally:
            self.store.close()
            self.console.close()

    def _run_step(
        self,
        item: PlannedStep,
        state: RunState,
        workspace: Workspace,
        following: PlannedStep | None,
    ) -> None:
        step = item.step
        # The blank line and the heading in one write.
        self.console.line("\n" + report.step_heading(step, self.total))
        picked = resume.Resumption()
        resumed = self.resume_at == step.id
        if resumed:
            self.resume_at = None
            picked = resume.resumption(
                state,
                item,
                done=self.options.done,
                repeat=self.options.repeat,
                prompter=self.prompter,
                invocation=self.options.invocation,
            )
        if resumed:
            # What the resumption decided (a restart, a step said done) is saved whole.
            state.begin_step(step.id, self._fingerprints[step.id])
            self.store.save(state)
        elif state.current != step.id:
            # Not begun by the save that ended the step before: one journal line.
            self.store.note_begin(state, step.id, self._fingerprints[step.id])
        for notice in picked.notices:
            self.console.line(f"note: {notice}")
        started = time.monotonic()
        if picked.step_done:
            self._finish(step, state, started, following)
            return
        cwd = resolve_cwd(self.root, item)
        if not cwd.is_dir():
            what = "does not exist" if not cwd.exists() else "is not a folder"
            raise StepFailed(
                f"the step's folder {cwd} {what} (:cwd: {item.cwd}); create it, or correct "
                f"the step's :cwd: in {step.source}",
                "",
            )
        from sphinx_release_runbook.runner.commands import Commands

        # A step without :env: runs with the run's own environment, as it is: no copy.
        env = {**self.environ, **item.env} if item.env else self._step_environ
        commands = Commands(
            self.console,
            self.store,
            state,
            cwd,
            env,
            guard=self.guard,
            lock=self.lock,
            first=picked.first,
        )
        if item.skip_if and commands.already_done(item):
            self.console.line(f"skipped: already done (:skip-if: {item.skip_if})")
        else:
            run = StepRun(
                workspace, self.console, self.prompter, commands, frozenset(self.options.done)
            )
            action_for(step).do(item, run)
        self._finish(step, state, started, following)

    def _finish(
        self, step: Step, state: RunState, started: float, following: PlannedStep | None
    ) -> None:
        """Record the step done and the next one begun, in one line of the journal.

        A run stopped in between resumes at the next step with none of its commands
        done, as it would after a separate record of its beginning.
        """
        if following is None:
            self.store.note_finish(state, step.id, None, None)
        else:
            self.store.note_finish(state, step.id, following.id, self._fingerprints[following.id])
        self.console.line(f"ok: {step.title} ({time.monotonic() - started:.1f}s)")
