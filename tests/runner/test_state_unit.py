"""RunState transitions, the state file and its journal, and the lock, without a run."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.runner.state import (
    STATE_SCHEMA,
    LockedError,
    RunLock,
    RunState,
    StateError,
    StateStore,
)


def _state(**changes: object) -> RunState:
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b", "c"])
    for name, value in changes.items():
        setattr(state, name, value)
    return state


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    ensure_private_dir(tmp_path)
    return StateStore(tmp_path)


# --- transitions -----------------------------------------------------------------------


def test_a_new_state_is_running_with_every_selected_step_remaining() -> None:
    state = _state()
    assert (state.status, state.current, state.commands_done, state.completed) == (
        "running",
        None,
        0,
        [],
    )
    assert state.remaining() == ["a", "b", "c"]


def test_beginning_a_step_makes_it_current_with_no_command_done() -> None:
    state = _state(commands_done=4)
    state.begin_step("a")
    assert (state.current, state.commands_done) == ("a", 0)


def test_beginning_the_current_step_again_keeps_its_progress() -> None:
    # --resume inside a step: the commands it finished must not run again.
    state = _state(current="b", commands_done=2)
    state.begin_step("b")
    assert (state.current, state.commands_done) == ("b", 2)


def test_finishing_a_step_completes_it_once_and_clears_the_current_step() -> None:
    state = _state()
    state.begin_step("b")
    state.commands_done = 3
    state.finish_step("b")
    state.finish_step("b")
    assert (state.completed, state.current, state.commands_done) == (["b"], None, 0)
    assert state.remaining() == ["a", "c"]


def test_remaining_keeps_the_selection_order() -> None:
    state = _state(completed=["c", "a"])
    assert state.remaining() == ["b"]


# --- serialisation ---------------------------------------------------------------------


def test_to_dict_carries_the_schema_and_round_trips() -> None:
    state = _state(completed=["a"], current="b", commands_done=1, status="failed", reason="x")
    data = state.to_dict()
    assert data["schema"] == STATE_SCHEMA
    assert list(data) == [
        "schema",
        "runbook",
        "version",
        "previous_version",
        "tag",
        "selected",
        "completed",
        "current",
        "commands_done",
        "status",
        "reason",
        "started",
        "updated",
        "transcripts",
        "in_flight",
        "group",
        "step_hash",
        "generation",
    ]
    assert RunState.from_dict(data) == state


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schema": 99}, "unknown state schema 99"),
        ({"extra": 1}, "malformed state: unknown field extra"),
        ({"selected": "a,b"}, "malformed state: selected should be a list of texts, not a text"),
        ({"completed": None}, "malformed state: completed should be a list of texts, not null"),
        (
            {"completed": ["a", 2]},
            "malformed state: completed should be a list of texts, not a list",
        ),
        ({"current": 5}, "malformed state: current should be a text or null, not a number"),
        (
            {"transcripts": "x"},
            "malformed state: transcripts should be a list of texts, not a text",
        ),
        (
            {"previous_version": None},
            "malformed state: previous_version should be a text, not null",
        ),
        ({"version": 1.3}, "malformed state: version should be a text, not a number"),
        ({"group": [1]}, "malformed state: group should be an object or null, not a list"),
        ({"in_flight": "0"}, "malformed state: in_flight should be a whole number, not a text"),
        (
            {"commands_done": True},
            "malformed state: commands_done should be a whole number, not true or false",
        ),
        (
            {"status": "weird"},
            "malformed state: status is 'weird', not one of running, failed, interrupted, "
            "stopped, done",
        ),
    ],
)
def test_from_dict_refuses_what_it_cannot_trust(change: dict[str, object], message: str) -> None:
    data = {**_state().to_dict(), **change}
    with pytest.raises(StateError) as caught:
        RunState.from_dict(data)
    assert str(caught.value) == message


def test_a_state_without_the_fields_an_older_version_did_not_write_loads() -> None:
    data = _state().to_dict()
    for later in ("generation", "step_hash", "in_flight", "group", "transcripts"):
        del data[later]
    state = RunState.from_dict(data)
    assert (state.generation, state.step_hash, state.in_flight) == (0, None, None)
    assert (state.group, state.transcripts) == (None, [])


def test_from_dict_refuses_a_state_with_a_field_missing() -> None:
    data = _state().to_dict()
    del data["tag"]
    with pytest.raises(StateError, match=r"^malformed state: "):
        RunState.from_dict(data)


# --- the store -------------------------------------------------------------------------


def test_no_state_file_is_no_earlier_run(store: StateStore) -> None:
    assert store.load() is None


def test_save_then_load_gives_the_state_back(store: StateStore) -> None:
    state = _state(completed=["a"], transcripts=[".runbook/logs/x.log"])
    store.save(state)
    assert store.load() == state
    assert json.loads(store.path.read_text())["completed"] == ["a"]
    assert store.path.read_text().endswith("}\n")
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_progress_in_a_step_is_journaled_and_read_back(store: StateStore) -> None:
    state = _state()
    state.begin_step("b")
    store.save(state)
    for done in (1, 2):
        state.commands_done = done
        store.note_progress(state)
    store.close()
    loaded = store.load()
    assert loaded is not None
    assert (loaded.current, loaded.commands_done) == ("b", 2)


def test_a_torn_journal_line_and_other_steps_lines_are_ignored(store: StateStore) -> None:
    state = _state()
    state.begin_step("b")
    store.save(state)
    store.progress_path.write_text(
        '{"step": "b", "commands_done": 1}\n{"step": "a", "commands_done": 7}\n{"step": "b", "comm'
    )
    loaded = store.load()
    assert loaded is not None
    assert loaded.commands_done == 1


def test_saving_starts_an_empty_journal(store: StateStore) -> None:
    state = _state()
    state.begin_step("b")
    state.commands_done = 1
    store.note_progress(state)
    assert store.progress_path.exists()
    state.finish_step("b")
    store.save(state)
    assert not store.progress_path.exists()
    loaded = store.load()
    assert loaded is not None
    assert (loaded.current, loaded.commands_done, loaded.completed) == (None, 0, ["b"])


def test_the_journal_never_lowers_the_saved_progress(store: StateStore) -> None:
    state = _state(current="b", commands_done=3)
    store.save(state)
    store.progress_path.write_text('{"step": "b", "commands_done": 1}\n')
    loaded = store.load()
    assert loaded is not None
    assert loaded.commands_done == 3


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a run state"),
        ('{"schema": 0}', "unknown state schema 0"),
        ('{"schema": 1, "runbook": "demo"}', "malformed state"),
    ],
)
def test_an_unusable_state_file_says_so_and_how_to_start_over(
    store: StateStore, content: str, problem: str
) -> None:
    store.path.write_text(content)
    with pytest.raises(StateError) as caught:
        store.load()
    message = str(caught.value)
    assert message.startswith(f"{store.path}: ")
    assert problem in message
    assert message.endswith(
        "delete it to start the release over (the repository itself is untouched)"
    )


# --- the lock --------------------------------------------------------------------------


def test_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path)
    with RunLock(tmp_path) as first:
        holder = json.loads(first.path.read_text())
        assert (holder["pid"], holder["command"]) == (os.getpid(), "run")
        with pytest.raises(LockedError) as caught:
            RunLock(tmp_path, "bump").acquire()
    assert caught.value.code is ExitCode.LOCKED
    message = str(caught.value)
    lock = tmp_path / ".runbook" / "lock"
    assert message.startswith(
        f"another run holds the lock {lock} (`python -m runbook run`, pid {os.getpid()} on "
    )
    assert message.endswith("; wait for it to finish")


def test_a_released_lock_is_emptied_and_can_be_taken_again(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path)
    lock = RunLock(tmp_path)
    lock.acquire()
    lock.release()
    lock.release()  # a second release is harmless
    assert lock.path.read_text() == ""
    with RunLock(tmp_path):
        pass


def test_a_stale_lock_names_its_last_holder_when_taken_over(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path)
    lock = tmp_path / ".runbook" / "lock"
    host = socket.gethostname()
    left = {"pid": 999999999, "command": "run", "host": host, "since": "2025-01-01T00:00:00"}
    lock.write_text(json.dumps(left))
    notices: list[str] = []
    taken = RunLock(tmp_path, "bump")
    taken.acquire(notices.append)
    taken.release()
    assert notices == [
        f"note: took over the lock {lock} left by `python -m runbook run`, pid 999999999 on "
        f"{host}, since 2025-01-01T00:00:00, which is no longer running"
    ]
