"""A step's commands: where a resumed step picks up, retries, the timeout, :expect:.

Every kind of step may carry commands; this module runs them (and a step's
``:skip-if:`` check); :mod:`.verdict` judges their output and describes them
for a dry run.  Each command is
recorded in the state's journal before it starts (a command whose start
cannot be recorded does not run), with its process group once it runs, and
when it ends; a command that was started and not seen to end (a kill, Ctrl-C,
a timeout) is what ``--resume`` asks about (:mod:`.resume`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.core.fs import FileProblem
from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.execute import CommandResult, run_command
from sphinx_release_runbook.runner.guard import Guard
from sphinx_release_runbook.runner.lock import RunLock
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.processes import Group, boot_ticks
from sphinx_release_runbook.runner.state import RunState, StateStore
from sphinx_release_runbook.runner.transcript import Console
from sphinx_release_runbook.runner.verdict import judge, judged_whole


@dataclass
class Commands:
    """Runs commands of one step in *cwd* with *env*, on *console*, recording progress."""

    console: Console
    store: StateStore
    state: RunState
    cwd: Path
    env: Mapping[str, str]
    guard: Guard | None = None
    lock: RunLock | None = None
    #: Where a resumed step starts (:mod:`.resume` decides); None: where the state says.
    first: int | None = None

    def __post_init__(self) -> None:
        if self.guard is not None:
            # Once for the step's commands; run_command sees the token in place.
            self.env = self.guard.marked(self.env)

    def already_done(self, item: PlannedStep) -> bool:
        """Run the step's ``:skip-if:`` check; true when it succeeds."""
        assert item.skip_if is not None
        self.console.line(f"$ {item.skip_if}    (skip-if)")
        result = self._spawn(item.skip_if)
        return result.ok

    def _spawn(
        self, command: str, deadline: float | None = None, index: int | None = None
    ) -> CommandResult:
        since = boot_ticks()

        def started(pid: int) -> None:
            group = Group.started_since(pid, since)
            if index is not None:
                self.store.note_start(self.state, index, group)
            if self.lock is not None:
                self.lock.set_group(group)

        if index is None:  # a command of the step checked the guard before its journal line
            self._check_guard(command)
        try:
            return run_command(
                command,
                cwd=self.cwd,
                env=self.env,
                sink=self.console.stream(),
                deadline=deadline,
                guard=self.guard,
                started=started,
            )
        except OSError as exc:  # it could not start: nothing of it ran
            if index is not None:
                self.store.note_end(self.state, index, self.state.commands_done)
            raise StepFailed(
                f"cannot start `{command}` in {self.cwd}: {exc.strerror or exc}", ""
            ) from exc

    def _note_start(self, index: int) -> None:
        """Journal that command *index* starts; if that fails, it never started.

        The state saved on the way out must not say the command is in flight: it
        did not run, so ``--resume`` has nothing to ask about it.
        """
        try:
            self.store.note_start(self.state, index)
        except FileProblem:
            self.state.in_flight = None
            self.state.group = None
            raise

    def _check_guard(self, command: str) -> None:
        """No command starts unguarded (see :mod:`.guard`)."""
        if self.guard is not None and not self.guard.alive():
            raise FileProblem(
                f"the run's guard process (pid {self.guard.pid}) is gone, and without it a "
                "kill of this run could leave a command running; stopped before "
                f"`{command}` ran"
            )

    def run(self, item: PlannedStep) -> None:
        """Run the step's commands, retrying as the step says; raise :class:`StepFailed`."""
        step = item.step
        if not item.commands:
            return
        # A plain step resumes at its first unfinished command: `git commit` must not
        # run twice.  A step that checks its output or polls restarts whole: its
        # verdict needs the output of every command of one attempt.
        if self.first is not None:
            first = min(self.first, len(item.commands))
        else:
            first = 0 if judged_whole(item) else min(self.state.commands_done, len(item.commands))
        if first:
            self.console.line(f"(resuming after command {first} of {len(item.commands)})")
        attempts = 1 + max(step.retry, 0)
        for attempt in range(1, attempts + 1):
            try:
                self._attempt(item, first)
                return
            except StepFailed as exc:
                if attempt == attempts:
                    raise
                self.console.line(
                    f"attempt {attempt}/{attempts} failed: {exc}; retrying in {step.interval:g}s"
                )
                time.sleep(step.interval)

    def _attempt(self, item: PlannedStep, first: int) -> None:
        step = item.step
        deadline = time.monotonic() + step.timeout if step.timeout else None
        whole = judged_whole(item)
        outputs: list[str] = []
        for index in range(first, len(item.commands)):
            command = item.commands[index]
            self.console.line(f"$ {command}")
            # Recorded before it starts: if this cannot be written, it does not run.
            self._check_guard(command)
            self._note_start(index)
            result = self._spawn(command, deadline, index)
            outputs.append(result.output)
            if result.timed_out:
                # Stopped half-way: like an interrupted command, its effect is unknown,
                # so it stays recorded as started (--resume asks about it).
                raise StepFailed(
                    f"timed out after {step.timeout:g}s in `{command}` (stopped; it may have "
                    "done part of its work)",
                    "".join(outputs),
                )
            done = index + 1 if result.ok and not whole else self.state.commands_done
            self.store.note_end(self.state, index, done)
            if result.returncode != 0:
                raise StepFailed(
                    f"`{command}` exited with status {result.returncode}", "".join(outputs)
                )
        judge(item, "".join(outputs))
