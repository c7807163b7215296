"""--resume without a run: what a recorded state must satisfy before it is continued."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Runbook, Source, Step
from sphinx_release_runbook.runner.errors import RunError
from sphinx_release_runbook.runner.plan import PlannedStep, plan_step
from sphinx_release_runbook.runner.prompts import (
    Declined,
    NeedsDecision,
    Prompter,
)
from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.resume import (
    Resumption,
    check_answers,
    recorded_previous,
    resume_hint,
    resumed,
    resumption,
)
from sphinx_release_runbook.runner.state import RunState, StateStore, step_fingerprint

from .conftest import step


def _runbook(tag: str = "v{{ version }}") -> Runbook:
    steps = [step("a", "true"), step("b", "true"), step("c", "true")]
    return Runbook("demo", "Release demo", "pep440", tag, "demo", Source("r", "r.rst", 1), steps)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    ensure_private_dir(tmp_path)
    return StateStore(tmp_path)


def _record(store: StateStore, **changes: object) -> RunState:
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b", "c"])
    state.completed, state.current, state.status = ["a"], "b", "failed"
    for name, value in changes.items():
        setattr(state, name, value)
    store.save(state)
    return state


def test_resumed_gives_the_release_the_steps_left_and_the_state(store: StateStore) -> None:
    recorded = _record(store)
    release, steps, state = resumed(store, _runbook(), None)
    assert (release.version, release.previous_version, release.tag) == ("1.3.0", "1.2.0", "v1.3.0")
    assert [item.id for item in steps] == ["b", "c"]
    assert state == recorded


def test_resumed_accepts_the_same_version_again(store: StateStore) -> None:
    _record(store)
    assert resumed(store, _runbook(), "1.3.0")[0].version == "1.3.0"


@pytest.mark.parametrize(
    ("changes", "version", "runbook", "message"),
    [
        (None, None, _runbook(), "cannot --resume: no earlier run recorded in .runbook/state.json"),
        (
            {"runbook": "other"},
            None,
            _runbook(),
            "cannot --resume: the last run was of runbook 'other', not 'demo'",
        ),
        (
            {},
            "1.4.0",
            _runbook(),
            "cannot --resume version 1.4.0: the last run was for 1.3.0; resume with --version "
            "1.3.0",
        ),
        ({"status": "done"}, None, _runbook(), "nothing to resume: the run of 1.3.0 completed"),
        (
            {"version": "1.3.0; rm -rf ~"},
            None,
            _runbook(),
            "cannot --resume: --version: ",
        ),
        (
            {},
            None,
            _runbook("release-{{ version }}"),
            "cannot --resume: the runbook's tag is now release-1.3.0, the run used v1.3.0",
        ),
        (
            {"selected": ["a", "gone", "c", "old"]},
            None,
            _runbook(),
            "cannot --resume: the runbook no longer has step(s) gone, old",
        ),
    ],
)
def test_resumed_refuses_a_state_it_cannot_continue(
    store: StateStore,
    changes: dict[str, object] | None,
    version: str | None,
    runbook: Runbook,
    message: str,
) -> None:
    if changes is not None:
        _record(store, **changes)
    with pytest.raises(RunError) as caught:
        resumed(store, runbook, version)
    assert caught.value.code is ExitCode.USAGE
    assert str(caught.value).startswith(message)


def test_resumed_refuses_an_unreadable_state_file(store: StateStore) -> None:
    store.path.write_text("{")
    with pytest.raises(RunError, match=r"^cannot --resume: .*state\.json: not valid JSON"):
        resumed(store, _runbook(), None)


def test_recorded_previous_is_that_of_the_same_release_only(store: StateStore) -> None:
    assert recorded_previous(store, _runbook(), "1.3.0") is None
    _record(store)
    assert recorded_previous(store, _runbook(), "1.3.0") == "1.2.0"
    assert recorded_previous(store, _runbook(), "1.4.0") is None
    store.path.write_text("{")
    assert recorded_previous(store, _runbook(), "1.3.0") is None


def test_resume_hint_names_where_an_unfinished_run_stopped(store: StateStore) -> None:
    invocation = Invocation(name="demo")
    assert resume_hint(store, _runbook(), invocation) == ""
    _record(store)
    assert resume_hint(store, _runbook(), invocation) == (
        "\nnote: the run of 1.3.0 stopped at step 'b' (failed); continue it with: "
        "python -m runbook run --version 1.3.0 --resume --name demo"
    )
    _record(store, current=None, status="stopped")
    assert "stopped at step 'b' (stopped)" in resume_hint(store, _runbook(), invocation)


def test_resume_hint_is_silent_after_a_completed_run_or_another_runbook(store: StateStore) -> None:
    _record(store, status="done")
    assert resume_hint(store, _runbook(), Invocation()) == ""
    _record(store, runbook="other")
    assert resume_hint(store, _runbook(), Invocation()) == ""


# --- where a stopped step picks up -----------------------------------------------------

INVOCATION = Invocation(name="demo")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _stopped(item_step: Step, **changes: object) -> RunState:
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["push"], current="push")
    state.step_hash = step_fingerprint(item_step)
    for name, value in changes.items():
        setattr(state, name, value)
    return state


def _pick(
    state: RunState,
    item: PlannedStep,
    answers: str | None = None,
    *,
    done: tuple[str, ...] = (),
    repeat: tuple[str, ...] = (),
) -> Resumption:
    stdin = _Terminal(answers) if answers is not None else io.StringIO()
    prompter = Prompter(assume_yes=True, stdin=stdin, say=lambda text: None)
    return resumption(
        state, item, done=done, repeat=repeat, prompter=prompter, invocation=INVOCATION
    )


PUSH = step("push", "git add .", "git push origin main")


def test_a_step_stopped_between_commands_continues_where_the_state_says() -> None:
    state = _stopped(PUSH, commands_done=1)
    assert _pick(state, plan_step(PUSH, {})) == Resumption()


def test_an_interrupted_command_of_a_plain_step_needs_the_maintainer_s_word() -> None:
    state = _stopped(PUSH, commands_done=1, in_flight=1)
    with pytest.raises(NeedsDecision) as caught:
        _pick(state, plan_step(PUSH, {}))
    assert "step push was interrupted in command 2 of 2 (`git push origin main`)" in str(
        caught.value
    )
    assert caught.value.options == (
        "run it again: python -m runbook run --version 1.3.0 --resume --name demo --repeat push",
        "or, if it took effect, continue after it: python -m runbook run --version 1.3.0 "
        "--resume --name demo --done push",
    )
    assert state.in_flight == 1  # still recorded: the next --resume asks again


@pytest.mark.parametrize(
    ("flags", "first"), [({"repeat": ("push",)}, 1), ({"done": ("push",)}, 2)], ids=str
)
def test_repeat_and_done_answer_for_an_interrupted_command(
    flags: dict[str, tuple[str, ...]], first: int
) -> None:
    state = _stopped(PUSH, commands_done=1, in_flight=1)
    picked = _pick(state, plan_step(PUSH, {}), **flags)  # type: ignore[arg-type]
    assert picked.first == first
    assert state.in_flight is None


@pytest.mark.parametrize(("answer", "first"), [("r\n", 1), ("d\n", 2)])
def test_on_a_terminal_the_maintainer_is_asked(answer: str, first: int) -> None:
    state = _stopped(PUSH, commands_done=1, in_flight=1)
    assert _pick(state, plan_step(PUSH, {}), answers=answer).first == first


def test_on_a_terminal_the_default_answer_stops() -> None:
    state = _stopped(PUSH, commands_done=1, in_flight=1)
    with pytest.raises(Declined):
        _pick(state, plan_step(PUSH, {}), answers="\n")


@pytest.mark.parametrize(
    "safe",
    [
        step("push", "git add .", "git push origin main", skip_if="git diff --quiet @{u}"),
        step("push", "git add .", "git status", kind="check"),
        step("push", "git add .", "gh run list", kind="wait"),
    ],
    ids=["skip-if", "check", "wait"],
)
def test_a_step_that_says_it_may_repeat_runs_the_command_again_unasked(safe: Step) -> None:
    state = _stopped(safe, commands_done=1, in_flight=1)
    picked = _pick(state, plan_step(safe, {}))
    assert picked.first == 1 and "running it again" in picked.notices[0]


def test_an_edited_step_restarts_from_its_first_command() -> None:
    guarded = step("push", "git push origin main", skip_if="git diff --quiet @{u}")
    state = _stopped(guarded, commands_done=1, in_flight=None)
    edited = step("push", "git fetch", "git push origin main", skip_if="git diff --quiet @{u}")
    picked = _pick(state, plan_step(edited, {}))
    assert picked.first == 0
    assert picked.notices == [
        "step push changed since the run stopped (its content differs): it restarts from "
        "its first command"
    ]
    assert (state.commands_done, state.step_hash) == (0, step_fingerprint(edited))


def test_an_edited_plain_step_that_ran_in_part_needs_repeat() -> None:
    state = _stopped(PUSH, commands_done=1)
    edited = step("push", "git add -A", "git push origin main")
    with pytest.raises(NeedsDecision, match="after 1 of its 2 command"):
        _pick(state, plan_step(edited, {}))
    assert _pick(state, plan_step(edited, {}), repeat=("push",)).first == 0


def test_answers_that_answer_nothing_are_refused() -> None:
    runbook = _runbook()
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b"], current="b")
    with pytest.raises(RunError, match=r"^--repeat b: the last run did not stop inside"):
        check_answers(runbook, state, done=(), repeat=("b",))
    with pytest.raises(RunError, match=r"^--done a: step 'a' is a command step"):
        check_answers(runbook, state, done=("a",), repeat=())
    with pytest.raises(RunError, match=r"^--done zz: runbook 'demo' has no step 'zz'"):
        check_answers(runbook, None, done=("zz",), repeat=())
    state.in_flight = 0
    check_answers(runbook, state, done=("b",), repeat=("b",))
