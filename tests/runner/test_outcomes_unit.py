"""How a run ends, and the drift gate before it starts: state, messages, exit codes."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Runbook, Source
from sphinx_release_runbook.runner.errors import RunError, StepFailed
from sphinx_release_runbook.runner.gate import drift_gate
from sphinx_release_runbook.runner.outcomes import Outcomes
from sphinx_release_runbook.runner.plan import PlannedStep, plan_step
from sphinx_release_runbook.runner.report import Invocation, failure_lines
from sphinx_release_runbook.runner.secrets import Masker
from sphinx_release_runbook.runner.state import RunState, StateStore
from sphinx_release_runbook.runner.transcript import Console

from .conftest import Troubleshoot, step

RESUME = "python -m runbook run --version 1.3.0 --resume --name demo"


class Screen:
    def __init__(self) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        self.console = Console(Masker(["s3cret-value"]), out=self.out, err=self.err)


def _runbook() -> Runbook:
    steps = [step("first", "true"), step("push", "git push", title="Push")]
    for number, item in enumerate(steps, start=1):
        item.number = number
    entry = Troubleshoot(
        "auth", "Log in", "denied", "Run gh auth login.", "demo", Source("r", "r.rst", 3)
    )
    source = Source("r", "r.rst", 1)
    return Runbook(
        "demo", "Release demo", "pep440", "v{{ version }}", "demo", source, steps, [entry]
    )


@pytest.fixture
def ending(tmp_path: Path) -> tuple[Outcomes, Screen, RunState, PlannedStep]:
    ensure_private_dir(tmp_path)
    runbook, screen = _runbook(), Screen()
    store = StateStore(tmp_path)
    outcomes = Outcomes(runbook, "1.3.0", store, screen.console, Invocation(name="demo"))
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["first", "push"])
    state.transcripts.append(".runbook/logs/t.log")
    state.begin_step("push")
    push = plan_step(runbook.steps[1], {})
    return outcomes, screen, state, push


def _saved(outcomes: Outcomes) -> tuple[str, str]:
    loaded = outcomes.store.load()
    assert loaded is not None
    return loaded.status, loaded.reason


def test_done_saves_done_and_says_how_long_and_where_the_transcript_is(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep],
) -> None:
    outcomes, screen, state, push = ending
    assert outcomes.done(state, push, 2, time.monotonic()) is ExitCode.OK
    assert _saved(outcomes) == ("done", "")
    assert screen.out.getvalue() == (
        "\nDone: 2 step(s) of release 1.3.0 in 0.0s (transcript: .runbook/logs/t.log)\n"
    )


def test_a_failure_saves_failed_and_reports_with_troubleshooting(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep],
) -> None:
    outcomes, screen, state, push = ending
    error = StepFailed("`git push` exited with status 1", "permission denied: s3cret-value\n")
    assert outcomes.failed(state, push, error) is ExitCode.STEP_FAILED
    assert _saved(outcomes) == ("failed", "`git push` exited with status 1")
    lines = failure_lines(outcomes.runbook, push.step, 2, str(error), error.output, RESUME)
    assert screen.err.getvalue() == "".join(line + "\n" for line in lines)
    assert "  troubleshooting: Log in (r.rst:3)" in lines
    assert screen.out.getvalue() == ""


def test_a_question_without_a_terminal_stops_and_says_to_resume_with_yes(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep],
) -> None:
    outcomes, screen, state, push = ending
    assert outcomes.needs_confirmation(state, push) is ExitCode.NEEDS_CONFIRMATION
    assert _saved(outcomes) == ("stopped", "needs confirmation")
    assert screen.err.getvalue() == (
        "STOPPED before [2/2] Push: it needs a confirmation and there is no terminal to ask on "
        f"(nothing of the step ran). To answer yes, continue with: {RESUME} --yes\n"
    )


def test_a_no_stops_and_says_how_to_continue_later(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep],
) -> None:
    outcomes, screen, state, push = ending
    assert outcomes.declined(state, push) is ExitCode.DECLINED
    assert _saved(outcomes) == ("stopped", "declined")
    assert screen.err.getvalue() == (
        f"STOPPED at [2/2] Push: you answered no. Continue later with: {RESUME}\n"
    )


@pytest.mark.parametrize("inside", [True, False])
def test_an_interrupt_saves_interrupted_and_names_the_step_it_hit(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep], inside: bool
) -> None:
    outcomes, screen, state, push = ending
    assert outcomes.interrupted(state, push if inside else None) is ExitCode.INTERRUPTED
    assert _saved(outcomes) == ("interrupted", "interrupted")
    at = " at [2/2] Push" if inside else ""
    assert screen.out.getvalue() == "\n"
    assert screen.err.getvalue() == (
        f"INTERRUPTED{at}; the state is saved. Continue with: {RESUME}\n"
    )


def test_every_ending_keeps_the_progress_made_in_the_step(
    ending: tuple[Outcomes, Screen, RunState, PlannedStep],
) -> None:
    outcomes, _, state, push = ending
    state.commands_done = 1
    outcomes.declined(state, push)
    loaded = outcomes.store.load()
    assert loaded is not None
    assert (loaded.current, loaded.commands_done) == ("push", 1)


# --- the drift gate --------------------------------------------------------------------


FINDINGS = [
    Finding("docs/release.rst", 9, "tool", "`poetry` is not installed"),
    Finding("docs/release.rst", 4, "version", "pyproject.toml says 1.2.0, _version.py 1.1.0"),
    Finding("docs/release.rst", 2, "directive", "an authoring error, not drift"),
]


def test_no_drift_says_nothing() -> None:
    screen = Screen()
    drift_gate(FINDINGS[2:], force=False, console=screen.console)
    assert (screen.out.getvalue(), screen.err.getvalue()) == ("", "")


def test_drift_is_listed_in_order_and_stops_the_run() -> None:
    screen = Screen()
    with pytest.raises(RunError) as caught:
        drift_gate(FINDINGS, force=False, console=screen.console)
    assert caught.value.code is ExitCode.DRIFT
    assert str(caught.value) == (
        "the guide has drifted from the repository (2 finding(s) above); "
        "fix them, or run anyway with --force"
    )
    assert screen.err.getvalue() == (
        "docs/release.rst:4: pyproject.toml says 1.2.0, _version.py 1.1.0 [runbook.version]\n"
        "docs/release.rst:9: `poetry` is not installed [runbook.tool]\n"
    )


def test_force_runs_despite_drift_and_says_so() -> None:
    screen = Screen()
    drift_gate(FINDINGS, force=True, console=screen.console)
    assert screen.err.getvalue().endswith("warning: running despite 2 drift finding(s) (--force)\n")


def test_continuing_a_release_lets_disagreeing_versions_pass() -> None:
    screen = Screen()
    drift_gate(FINDINGS[1:], force=False, console=screen.console, continuing=True)
    assert screen.err.getvalue() == ""
    with pytest.raises(RunError):
        drift_gate(FINDINGS, force=False, console=screen.console, continuing=True)
