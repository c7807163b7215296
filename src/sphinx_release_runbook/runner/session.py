"""One run of a runbook: validate, plan, then execute step by step with state and lock.

The order is the safety argument.  Every value is validated and every template
rendered before the first step; the lock is taken and the state written before
the first command; the state is rewritten after every command, so whatever
stops the run (a failure, a "no", Ctrl-C, a kill) leaves ``--resume`` exactly
the work that is left.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.core.versions import version_info
from sphinx_release_runbook.runner import report
from sphinx_release_runbook.runner.execute import CommandResult, run_command
from sphinx_release_runbook.runner.plan import (
    PlanError,
    PlannedStep,
    missing_tools,
    plan,
    resolve_cwd,
    select,
)
from sphinx_release_runbook.runner.prompts import Declined, NeedsConfirmation, Prompter
from sphinx_release_runbook.runner.secrets import is_secret_name, secret_values
from sphinx_release_runbook.runner.state import (
    LockedError,
    RunLock,
    RunState,
    StateError,
    StateStore,
)
from sphinx_release_runbook.runner.transcript import Console, transcript_path
from sphinx_release_runbook.runner.validate import (
    Release,
    ValidationError,
    release_for,
    validate_release,
)


class RunError(RunbookError):
    """The run cannot start; nothing has run.  Carries its exit code."""


class StepFailed(RunbookError):
    """A step's command failed; *output* is what the step printed (for troubleshooting)."""

    exit_code = ExitCode.STEP_FAILED

    def __init__(self, reason: str, output: str) -> None:
        super().__init__(reason)
        self.output = output


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


def drift_gate(
    findings: Sequence[Finding], force: bool, console: Console, *, continuing: bool = False
) -> None:
    """Print drift findings; refuse to run unless *force*.

    When *continuing* a release (``--from``, ``--only``, ``--resume``), version sources
    that disagree are expected: an earlier run bumped some of them.  The runner's own
    validation decides then, with the state of that run as evidence, so
    ``runbook.version`` findings do not block it here.
    """
    drift = sorted(
        f for f in findings if f.is_drift and not (continuing and f.subtype == "version")
    )
    if not drift:
        return
    for finding in drift:
        console.line(report.finding_line(finding), err=True)
    if not force:
        raise RunError(
            f"the guide has drifted from the repository ({len(drift)} finding(s) above); "
            "fix them, or run anyway with --force",
            ExitCode.DRIFT,
        )
    console.line(f"warning: running despite {len(drift)} drift finding(s) (--force)", err=True)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI cancel) takes the Ctrl-C path: stop the child, save, exit 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _no_interrupts() -> Iterator[None]:
    """A second Ctrl-C while the state is being saved must not lose the state."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
        self._release: Release | None = None

    # --- preparation -------------------------------------------------------------------

    def _release_and_steps(self) -> tuple[Release, list[Step], RunState | None]:
        options = self.options
        if options.resume:
            return self._resumed()
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
                recorded_previous=self._recorded_previous(options.version),
            )
        except ValidationError as exc:
            raise RunError(str(exc) + self._resume_hint(options.version), ExitCode.USAGE) from exc
        try:
            steps = select(self.runbook, start=options.start, only=options.only)
        except PlanError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        return release, steps, None

    def _recorded_previous(self, version: str) -> str | None:
        """The previous version an earlier run of this same release recorded, if any."""
        try:
            state = self.store.load()
        except StateError:
            return None
        if state and state.runbook == self.runbook.name and state.version == version:
            return state.previous_version
        return None

    def _resume_hint(self, version: str) -> str:
        try:
            state = self.store.load()
        except StateError:
            return ""
        if state and state.status != "done" and state.runbook == self.runbook.name:
            at = state.current or (state.remaining() or ["?"])[0]
            return (
                f"\nnote: the run of {state.version} stopped at step {at!r} ({state.status}); "
                "continue it with: " + self.options.invocation.resume_command(state.version)
            )
        return ""

    def _resumed(self) -> tuple[Release, list[Step], RunState]:
        try:
            state = self.store.load()
        except StateError as exc:
            raise RunError(f"cannot --resume: {exc}", ExitCode.USAGE) from exc
        if state is None:
            raise RunError(
                "cannot --resume: no earlier run recorded in .runbook/state.json", ExitCode.USAGE
            )
        if state.runbook != self.runbook.name:
            raise RunError(
                f"cannot --resume: the last run was of runbook {state.runbook!r}, not "
                f"{self.runbook.name!r}",
                ExitCode.USAGE,
            )
        if self.options.version and self.options.version != state.version:
            raise RunError(
                f"cannot --resume version {self.options.version}: the last run was for "
                f"{state.version}; resume with --version {state.version}",
                ExitCode.USAGE,
            )
        if state.status == "done":
            raise RunError(
                f"nothing to resume: the run of {state.version} completed", ExitCode.USAGE
            )
        # The state file is input too: its values pass the same validation again.
        try:
            release = release_for(self.runbook, state.version, state.previous_version)
        except ValidationError as exc:
            raise RunError(f"cannot --resume: {exc}", ExitCode.USAGE) from exc
        if release.tag != state.tag:
            raise RunError(
                f"cannot --resume: the runbook's tag is now {release.tag}, the run used "
                f"{state.tag}",
                ExitCode.USAGE,
            )
        known = {step.id: step for step in self.runbook.steps}
        gone = [step_id for step_id in state.remaining() if step_id not in known]
        if gone:
            raise RunError(
                f"cannot --resume: the runbook no longer has step(s) {', '.join(gone)}",
                ExitCode.USAGE,
            )
        return release, [known[step_id] for step_id in state.remaining()], state

    def _secrets(self, planned: Sequence[PlannedStep]) -> set[str]:
        """Values to mask: secret-named variables of the environment and of steps' :env:."""
        for name in self.options.secrets:
            if name not in self.environ:
                self.console.line(
                    f"warning: --secret {name}: no such environment variable", err=True
                )
        values = secret_values(self.environ, self.options.secrets)
        for item in planned:
            values |= {value for name, value in item.env.items() if is_secret_name(name)}
        return values

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
        release, steps, state = self._release_and_steps()
        try:
            planned = plan(steps, release.values)
            for item in planned:
                resolve_cwd(self.root, item)
        except PlanError as exc:
            raise RunError(str(exc), ExitCode.USAGE) from exc
        # Masked from here on: no secret value was printed before this point.
        self.console.masker.add(self._secrets(planned))
        self._release = release
        missing = missing_tools(planned, self.environ.get("PATH"))
        listing = "; ".join(f"{tool} (step {', '.join(ids)})" for tool, ids in missing.items())
        if missing and not self.options.dry_run:
            raise RunError(f"required tools not on PATH: {listing}", ExitCode.MISSING_TOOLS)
        if not self.options.dry_run:
            # Opened before the plan is printed, so the transcript shows what was planned.
            path = transcript_path(self.root / ".runbook", release.version)
            self.console.open_transcript(path)
        for line in report.header(self.runbook, release):
            self.console.line(line)
        done = state.completed if state else []
        for line in report.plan_lines(planned, self.total, done):
            self.console.line(line)
        if self.options.dry_run:
            if missing:
                self.console.line(f"note: required tools not on PATH: {listing}")
            self._print_dry_run(planned, state)
            return ExitCode.OK
        return self._execute(planned, release, state)

    @property
    def release(self) -> Release:
        assert self._release is not None, "validated in run() before any step"
        return self._release

    def _print_dry_run(self, planned: Sequence[PlannedStep], state: RunState | None) -> None:
        self.console.line("Dry run: nothing is executed, no file is written.")
        for item in planned:
            step = item.step
            self.console.line()
            self.console.line(f"{report.step_label(step, self.total)}  ({step.id}, {step.source})")
            if item.skip_if:
                self.console.line(f"  skip if: {item.skip_if}")
            for name, value in item.env.items():
                self.console.line(f"  env: {name}={value}")
            if item.cwd:
                self.console.line(f"  cwd: {item.cwd}")
            if step.kind == "manual":
                self.console.line("  manual step; asks for confirmation:")
                for text in step.instructions.strip().splitlines():
                    self.console.line(f"    {text}")
            elif step.confirm:
                self.console.line("  asks for confirmation before it runs")
            if step.kind == "bump":
                try:
                    edits = bump.plan_edits(
                        self.root,
                        step.bump,
                        self.release.version,
                        version_info(self.release.version, self.runbook.version_scheme),
                    )
                    for line in report.edit_lines(edits):
                        self.console.line(line)
                except bump.BumpError as exc:
                    self.console.line(f"  bump: {exc}")
            for command in item.commands:
                self.console.line(f"  $ {command}")
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
                self.console.line(f"  ({'; '.join(extras)})")

    def _execute(
        self, planned: Sequence[PlannedStep], release: Release, state: RunState | None
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
        started = time.monotonic()
        current: PlannedStep | None = None
        try:
            with _sigterm_as_interrupt():
                for item in planned:
                    current = item
                    self._run_step(item, state)
            state.status = "done"
            self.store.save(state)
            self.console.line()
            self.console.line(
                f"Done: {len(planned)} step(s) of release {release.version} in "
                f"{time.monotonic() - started:.1f}s (transcript: {state.transcripts[-1]})"
            )
            return ExitCode.OK
        except StepFailed as exc:
            assert current is not None
            with _no_interrupts():
                self._stop(state, "failed", str(exc))
            lines = report.failure_lines(
                self.runbook,
                current.step,
                self.total,
                str(exc),
                exc.output,
                self.options.invocation.resume_command(release.version),
            )
            for line in lines:
                self.console.line(line, err=True)
            return ExitCode.STEP_FAILED
        except NeedsConfirmation:
            assert current is not None
            with _no_interrupts():
                self._stop(state, "stopped", "needs confirmation")
            self.console.line(
                f"STOPPED before {report.step_label(current.step, self.total)}: it needs a "
                "confirmation and there is no terminal to ask on (nothing of the step ran). "
                "To answer yes, continue with: "
                + self.options.invocation.resume_command(release.version, assume_yes=True),
                err=True,
            )
            return ExitCode.NEEDS_CONFIRMATION
        except Declined:
            assert current is not None
            with _no_interrupts():
                self._stop(state, "stopped", "declined")
            self.console.line(
                f"STOPPED at {report.step_label(current.step, self.total)}: you answered no. "
                "Continue later with: " + self.options.invocation.resume_command(release.version),
                err=True,
            )
            return ExitCode.DECLINED
        except KeyboardInterrupt:
            with _no_interrupts():
                self._stop(state, "interrupted", "interrupted")
                at = f" at {report.step_label(current.step, self.total)}" if current else ""
                self.console.line()
                self.console.line(
                    f"INTERRUPTED{at}; the state is saved. Continue with: "
                    + self.options.invocation.resume_command(release.version),
                    err=True,
                )
            return ExitCode.INTERRUPTED
        finally:
            self.store.close()
            self.console.close()

    def _stop(self, state: RunState, status: str, reason: str) -> None:
        state.status = status  # type: ignore[assignment]
        state.reason = reason
        self.store.save(state)

    # --- one step ----------------------------------------------------------------------

    def _run_step(self, item: PlannedStep, state: RunState) -> None:
        step = item.step
        state.begin_step(step.id)
        self.store.save(state)
        self.console.line()
        self.console.line(f"{report.step_label(step, self.total)}  ({step.id}, {step.source})")
        started = time.monotonic()
        cwd = resolve_cwd(self.root, item)
        env = {**self.environ, **item.env}
        if item.skip_if and self._already_done(item, cwd, env):
            self.console.line(f"skipped: already done (:skip-if: {item.skip_if})")
        else:
            if step.kind == "manual":
                for text in step.instructions.strip().splitlines():
                    self.console.line(f"  {text}")
                self.prompter.confirm(f"Step {step.number} ({step.id}): done?")
            elif step.confirm:
                self.prompter.confirm(f"Run step {step.number} ({step.id})?")
            if step.kind == "bump":
                self._bump(step)
            self._commands(item, state, cwd, env)
        state.finish_step(step.id)
        self.store.save(state)
        self.console.line(f"ok: {step.title} ({time.monotonic() - started:.1f}s)")

    def _already_done(self, item: PlannedStep, cwd: Path, env: Mapping[str, str]) -> bool:
        assert item.skip_if is not None
        self.console.line(f"$ {item.skip_if}    (skip-if)")
        result = run_command(item.skip_if, cwd=cwd, env=env, sink=self.console.stream())
        return result.ok

    def _bump(self, step: Step) -> None:
        release = self.release
        info = version_info(release.version, self.runbook.version_scheme)
        try:
            # Plan every file's edit, then write: a target that fails to parse leaves
            # every file as it was.
            edits = bump.plan_edits(self.root, step.bump, release.version, info)
        except bump.BumpError as exc:
            raise StepFailed(str(exc), str(exc)) from exc
        for line in report.edit_lines(edits):
            self.console.line(line)
        try:
            bump.write_edits(self.root, edits)
        except OSError as exc:
            raise StepFailed(f"cannot write: {exc}", str(exc)) from exc

    def _commands(
        self, item: PlannedStep, state: RunState, cwd: Path, env: Mapping[str, str]
    ) -> None:
        step = item.step
        if not item.commands:
            return
        # A plain step resumes at its first unfinished command: `git commit` must not
        # run twice.  A step that checks its output or polls restarts whole: its
        # verdict needs the output of every command of one attempt.
        whole = bool(step.expect or step.expect_empty or step.retry)
        first = 0 if whole else min(state.commands_done, len(item.commands))
        if first:
            self.console.line(f"(resuming after command {first} of {len(item.commands)})")
        attempts = 1 + max(step.retry, 0)
        for attempt in range(1, attempts + 1):
            try:
                self._attempt(item, state, cwd, env, first)
                return
            except StepFailed as exc:
                if attempt == attempts:
                    raise
                self.console.line(
                    f"attempt {attempt}/{attempts} failed: {exc}; retrying in {step.interval:g}s"
                )
                time.sleep(step.interval)

    def _attempt(
        self, item: PlannedStep, state: RunState, cwd: Path, env: Mapping[str, str], first: int
    ) -> None:
        step = item.step
        deadline = time.monotonic() + step.timeout if step.timeout else None
        outputs: list[str] = []
        for index in range(first, len(item.commands)):
            command = item.commands[index]
            self.console.line(f"$ {command}")
            result: CommandResult = run_command(
                command, cwd=cwd, env=env, sink=self.console.stream(), deadline=deadline
            )
            outputs.append(result.output)
            if result.timed_out:
                raise StepFailed(
                    f"timed out after {step.timeout:g}s in `{command}`", "".join(outputs)
                )
            if result.returncode != 0:
                raise StepFailed(
                    f"`{command}` exited with status {result.returncode}", "".join(outputs)
                )
            if not (step.expect or step.expect_empty or step.retry):
                state.commands_done = index + 1
                self.store.note_progress(state)
        output = "".join(outputs)
        if step.expect_empty and output.strip():
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
