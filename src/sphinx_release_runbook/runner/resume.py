"""``--resume``: the state of the last run, checked before it is trusted.

The state file is input like the command line: it must name this runbook, a
run that did not complete, a release that still validates and steps the
runbook still has.  A fresh run of the same release reads it too, for the
version it started from and for a hint when an earlier run stopped.
"""

from __future__ import annotations

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Runbook, Step
from sphinx_release_runbook.runner.errors import RunError
from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.state import RunState, StateError, StateStore
from sphinx_release_runbook.runner.validate import Release, ValidationError, release_for


def recorded_previous(store: StateStore, runbook: Runbook, version: str) -> str | None:
    """The previous version an earlier run of this same release recorded, if any."""
    try:
        state = store.load()
    except StateError:
        return None
    if state and state.runbook == runbook.name and state.version == version:
        return state.previous_version
    return None


def resume_hint(store: StateStore, runbook: Runbook, invocation: Invocation) -> str:
    """A note on an unfinished earlier run of *runbook* and how to continue it, or ``""``."""
    try:
        state = store.load()
    except StateError:
        return ""
    if state and state.status != "done" and state.runbook == runbook.name:
        at = state.current or (state.remaining() or ["?"])[0]
        return (
            f"\nnote: the run of {state.version} stopped at step {at!r} ({state.status}); "
            "continue it with: " + invocation.resume_command(state.version)
        )
    return ""


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
            f"cannot --resume version {version}: the last run was for "
            f"{state.version}; resume with --version {state.version}",
            ExitCode.USAGE,
        )
    if state.status == "done":
        raise RunError(f"nothing to resume: the run of {state.version} completed", ExitCode.USAGE)
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
