"""``--resume``: the state of the last run, checked before it is trusted, and where it picks up.

The state file is input like the command line: it must name this runbook, a
run that did not complete, a release that still validates and steps the
runbook still has, and no process group of it may still run.  A fresh run
reads it too: a release in progress is found whatever ``--version`` says, and
a run of another release is refused with the command to resume or abandon it.

Where the stopped step picks up (:func:`resumption`) is the trust argument of
``--resume``: it never runs a command twice and never skips one without
saying so, and it runs a command that may already have taken effect only on
the maintainer's word, unless the step says it is safe to repeat.

* A step that changed since the run stopped (its fingerprint differs) restarts
  from its first command: the old command index means nothing in the new
  step.  When some of it ran already and the step has no ``:skip-if:`` and is
  no check, restarting it needs the maintainer's word.
* A command that was started and not seen to end (a kill, Ctrl-C, a timeout)
  may or may not have taken effect.  It runs again by itself only when the
  step declares ``:skip-if:`` (checked first) or is a ``check`` or ``wait``
  step; otherwise the runner asks on a terminal, and without one stops with
  exit 10: ``--repeat STEP`` runs it again, ``--done STEP`` continues after it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.runner.errors import RunError
from sphinx_release_runbook.runner.lock import LockedError
from sphinx_release_runbook.runner.plan import PlannedStep
from sphinx_release_runbook.runner.prompts import Declined, NeedsDecision, Prompter
from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.state import RunState, StateError, StateStore, step_fingerprint
from sphinx_release_runbook.runner.validate import Release, ValidationError, release_for, shown
from sphinx_release_runbook.runner.verdict import judged_whole

ABANDON = "python -m runbook abandon"


def recorded_previous(store: StateStore, runbook: Runbook, version: str) -> str | None:
    """The previous version an earlier run of this same release recorded, if any."""
    try:
        state = store.load()
    except StateError:
        return None
    if state and state.runbook == runbook.name and state.version == version:
        return state.previous_version
    return None


def _where(state: RunState) -> str:
    at = state.current or (state.remaining() or ["?"])[0]
    return f"step {at!r} ({state.status})"


def resume_hint(store: StateStore, runbook: Runbook, invocation: Invocation) -> str:
    """A note on an unfinished earlier run of *runbook* and how to continue it, or ``""``."""
    try:
        state = store.load()
    except StateError:
        return ""
    if state and state.status != "done" and state.runbook == runbook.name:
        return (
            f"\nnote: the run of {state.version} stopped at {_where(state)}; "
            "continue it with: " + invocation.resume_command(state.version)
        )
    return ""


def in_progress(store: StateStore) -> RunState | None:
    """The state of a release that did not complete, if any (a damaged state is an error)."""
    try:
        state = store.load()
    except StateError as exc:
        raise RunError(
            f"{exc}; or, to see what the damaged state says and clear it, run: {ABANDON}",
            ExitCode.USAGE,
        ) from exc
    return state if state is not None and state.status != "done" else None


def refuse_other_release(
    store: StateStore,
    runbook: Runbook,
    requested: str,
    invocation: Invocation,
    *,
    continuing: bool,
) -> None:
    """Refuse a fresh run while a release is in progress, unless it continues that release.

    In progress: a state that did not complete.  Whatever ``--version`` says (a
    keyword, another version, the same one without ``--resume``), the run must
    not start that release's steps anew or replace its state; only ``--from``
    or ``--only`` with the same version continue it by hand.
    """
    state = in_progress(store)
    if state is None:
        return
    if continuing and state.runbook == runbook.name and state.version == requested:
        return
    name = f" of runbook {state.runbook!r}" if state.runbook != runbook.name else ""
    asked = "" if requested == state.version else f" (--version {shown(requested)})"
    resume = Invocation(
        runbook_file=invocation.runbook_file,
        name=invocation.name if state.runbook == runbook.name else state.runbook,
        secrets=invocation.secrets,
        force=invocation.force,
    ).resume_command(state.version)
    raise RunError(
        f"a release is in progress: {state.version}{name}, stopped at {_where(state)}; a new "
        f"run{asked} would start its steps again. Continue it with: {resume}; or give it up "
        f"with: {ABANDON} (it shows what was done, then clears the state)",
        ExitCode.USAGE,
    )


def resumed(
    store: StateStore, runbook: Runbook, version: str | None
) -> tuple[Release, list[Step], RunState]:
    """The release, the steps left and the state of the run to continue; or :class:`RunError`."""
    try:
        state = store.load()
    except StateError as exc:
        raise RunError(f"cannot --resume: {exc}", ExitCode.USAGE) from exc
    if state is None:
        raise RunError(
            "cannot --resume: no earlier run recorded in .runbook/state.json", ExitCode.USAGE
        )
    if state.runbook != runbook.name:
        raise RunError(
            f"cannot --resume: the last run was of runbook {state.runbook!r}, not {runbook.name!r}",
            ExitCode.USAGE,
        )
    if version and version != state.version:
        raise RunError(
            f"cannot --resume version {shown(version)}: the last run was for "
            f"{state.version}; resume with --version {state.version}",
            ExitCode.USAGE,
        )
    if state.status == "done":
        raise RunError(f"nothing to resume: the run of {state.version} completed", ExitCode.USAGE)
    group = state.recorded_group
    if group is not None and group.alive():
        raise LockedError(
            f"cannot --resume yet: the command the last run was in when it stopped still runs "
            f"(step {state.current!r}, process group {group.pgid}); wait for it to end, or "
            f"stop it (kill -TERM -- -{group.pgid}), then --resume"
        )
    # The state file is input too: its values pass the same validation again.
    try:
        release = release_for(runbook, state.version, state.previous_version)
    except ValidationError as exc:
        raise RunError(f"cannot --resume: {exc}", ExitCode.USAGE) from exc
    if release.tag != state.tag:
        raise RunError(
            f"cannot --resume: the runbook's tag is now {release.tag}, the run used {state.tag}",
            ExitCode.USAGE,
        )
    known = {step.id: step for step in runbook.steps}
    gone = [step_id for step_id in state.remaining() if step_id not in known]
    if gone:
        raise RunError(
            f"cannot --resume: the runbook no longer has step(s) {', '.join(gone)}",
            ExitCode.USAGE,
        )
    return release, [known[step_id] for step_id in state.remaining()], state


# --- where the stopped step picks up ---------------------------------------------------


def safe_to_repeat(step: Step) -> str | None:
    """Why *step* may run a command again without asking, or None."""
    if step.skip_if:
        return "its :skip-if: is checked first"
    if step.kind == "check":
        return "it is a check"
    if step.kind == "wait":
        return "it is a wait step (it polls)"
    return None


def changed(state: RunState, step: Step) -> bool:
    """Whether the stopped step *step* is not what it was when it began."""
    return (
        state.current == step.id
        and state.step_hash is not None
        and state.step_hash != step_fingerprint(step)
    )


def interrupted(state: RunState, step: Step) -> bool:
    return state.current == step.id and state.in_flight is not None


def check_answers(
    runbook: Runbook,
    state: RunState | None,
    *,
    done: Collection[str],
    repeat: Collection[str],
) -> None:
    """``--done`` and ``--repeat`` must each answer a question this run will meet."""
    for flag, ids in (("--done", done), ("--repeat", repeat)):
        for step_id in ids:
            try:
                runbook.step(step_id)
            except KeyError as exc:
                raise RunError(f"{flag} {step_id}: {exc.args[0]}", ExitCode.USAGE) from exc
    for step_id in repeat:
        step = runbook.step(step_id)
        if state is None or not (interrupted(state, step) or changed(state, step)):
            stopped = f"step {state.current!r}" if state and state.current else "no step"
            raise RunError(
                f"--repeat {step_id}: the last run did not stop inside step {step_id!r} with "
                f"a command that may have run (it stopped in {stopped}); --repeat answers "
                "the question --resume asks about such a step",
                ExitCode.USAGE,
            )
    for step_id in done:
        step = runbook.step(step_id)
        if step.kind == "manual":
            continue
        if state is not None and interrupted(state, step) and not changed(state, step):
            continue
        raise RunError(
            f"--done {step_id}: step {step_id!r} is a {step.kind} step; --done names a manual "
            "step (done by hand), or, with --resume, the step whose command the last run "
            "was interrupted in (when that command took effect)",
            ExitCode.USAGE,
        )


@dataclass
class Resumption:
    """Where the stopped step picks up, and what the run says about it."""

    first: int | None = None  #: the command to start at (None: where the state says)
    notices: list[str] = field(default_factory=list)
    step_done: bool = False  #: the step counts as done (its interrupted command took effect)


def resumption(
    state: RunState,
    item: PlannedStep,
    *,
    done: Collection[str],
    repeat: Collection[str],
    prompter: Prompter,
    invocation: Invocation,
) -> Resumption:
    """Where the stopped step *item* picks up; may ask, or raise :class:`NeedsDecision`."""
    step = item.step
    if state.current != step.id:
        return Resumption()
    total = len(item.commands)
    again = invocation.resume_command(state.version, repeat=(step.id,))
    if changed(state, step):
        ran = state.commands_done > 0 or state.in_flight is not None
        notice = (
            f"step {step.id} changed since the run stopped (its content differs): it "
            "restarts from its first command"
        )
        if ran and safe_to_repeat(step) is None and step.id not in repeat:
            what = f"{state.commands_done} of its {total} command(s) ran" + (
                ", and one more was interrupted" if state.in_flight is not None else ""
            )
            question = (
                f"Step {step.id} changed since the run stopped, after {what}. Restart it from "
                "its first command, running those again?"
            )
            if not prompter.interactive:
                raise NeedsDecision(
                    f"step {step.id} changed since the run stopped, after {what}; restarting "
                    "it from its first command runs them again, and the step has no "
                    ":skip-if: to tell what is done already. Check what they did (see the "
                    "transcript), then restart the step",
                    [f"restart it: {again}", f"or give the release up: {ABANDON}"],
                )
            prompter.confirm(question, yes_answers=False)
        state.restart_step(step_fingerprint(step))
        return Resumption(first=0, notices=[notice])
    if state.in_flight is None:
        return Resumption()
    index = state.in_flight
    command = _brief(item.commands[index]) if index < total else "?"
    where = f"command {index + 1} of {total} (`{command}`)"
    head = f"step {step.id} was interrupted in {where}"
    restart_at = 0 if judged_whole(item) else index
    reason = safe_to_repeat(step)
    if reason is not None:
        return _again(state, restart_at, f"{head}; running it again: {reason}")
    if step.id in repeat:
        return _again(state, restart_at, f"{head}; running it again (--repeat {step.id})")
    if step.id in done:
        return _took_effect(state, item, index, f"{head}; it took effect (--done {step.id})")
    doubt = "it may or may not have taken effect"
    if prompter.interactive:
        answer = prompter.choose(
            f"Step {step.id} was interrupted in {where}; {doubt}.",
            [("r", "run it again"), ("d", "it took effect: continue after it"), ("s", "stop")],
        )
        if answer == "r":
            return _again(state, restart_at, f"{head}; running it again (you said so)")
        if answer == "d":
            return _took_effect(state, item, index, f"{head}; it took effect (you said so)")
        raise Declined(f"resume of step {step.id}")
    raise NeedsDecision(
        f"step {step.id} was interrupted in {where}; {doubt}, and the step declares no "
        ":skip-if: and is no check, so it does not run again on its own. Look "
        "(the transcript, the remote), then",
        [
            f"run it again: {again}",
            "or, if it took effect, continue after it: "
            + invocation.resume_command(state.version, done=(step.id,)),
        ],
    )


def _brief(command: str, limit: int = 60) -> str:
    """A command as one line of a message: its first line, cut short."""
    first = command.strip().splitlines()[0].rstrip(" \\") if command.strip() else command
    return first if first == command.strip() and len(first) <= limit else first[:limit] + " …"


def _again(state: RunState, first: int, notice: str) -> Resumption:
    state.in_flight = None
    state.group = None
    return Resumption(first=first, notices=[notice])


def _took_effect(state: RunState, item: PlannedStep, index: int, notice: str) -> Resumption:
    state.in_flight = None
    state.group = None
    if judged_whole(item):
        # Its verdict needs the output of a whole attempt: the maintainer's word is it.
        return Resumption(notices=[notice + "; the step counts as done"], step_done=True)
    state.commands_done = max(state.commands_done, index + 1)
    return Resumption(first=index + 1, notices=[notice])
