"""--resume without a run: what a recorded state must satisfy before it is continued."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Runbook, Source
from sphinx_release_runbook.runner.errors import RunError
from sphinx_release_runbook.runner.report import Invocation
from sphinx_release_runbook.runner.resume import recorded_previous, resume_hint, resumed
from sphinx_release_runbook.runner.state import RunState, StateStore

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
