"""Issue 13, acceptance 2: the run state is rewritten when a run starts and stops, and
between only as a checkpoint every few hundred journal lines; the journal, which
``--resume`` reads as the truth, holds the rest.

A rewrite of ``state.json`` costs more the more steps a run has (it holds their
ids) and a rename over a file costs a flush; a journal line costs the same at
every step.  The rewrites are counted as the renames onto ``state.json``.
"""

from __future__ import annotations

import io
import itertools
import os
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.fs import ensure_private_dir
from sphinx_release_runbook.core.model import Export
from sphinx_release_runbook.runner import RunOptions, Session
from sphinx_release_runbook.runner.secrets import Masker
from sphinx_release_runbook.runner.state import CHECKPOINT_LINES, RunState, StateStore
from sphinx_release_runbook.runner.transcript import Console

from .conftest import SmallRepo, step

STEPS = 12


def _count_state_rewrites(monkeypatch: pytest.MonkeyPatch, state_path: Path) -> list[str]:
    renamed: list[str] = []
    replace = os.replace

    def counting(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if Path(target) == state_path:
            renamed.append(str(source))
        replace(source, target)

    monkeypatch.setattr(os, "replace", counting)
    return renamed


@pytest.mark.parametrize("steps", [STEPS, 150])
def test_a_run_rewrites_the_state_at_its_start_its_end_and_its_checkpoints(
    small_repo: SmallRepo, monkeypatch: pytest.MonkeyPatch, steps: int
) -> None:
    small_repo.write_runbook(
        [step(f"s{number}", f"echo {number} >> ../calls") for number in range(steps)]
    )
    runbook = Export.load(small_repo.runbook_json).runbook()
    renamed = _count_state_rewrites(monkeypatch, small_repo.root / ".runbook" / "state.json")
    monkeypatch.setenv("HOME", small_repo.env["HOME"])
    sink = io.StringIO()
    console = Console(Masker(), out=sink, err=sink)
    options = RunOptions(version="1.3.0", assume_yes=True)
    code = Session(runbook, small_repo.root, options, console).run()
    assert code == ExitCode.OK, sink.getvalue()
    assert (small_repo.root.parent / "calls").read_text().split() == [
        str(number) for number in range(steps)
    ]
    # A one-command step journals 4 lines (start, its group, end, done), so the end of
    # step 65 is the first to find CHECKPOINT_LINES lines: the state before the first step,
    # "done", and one checkpoint per 65 steps.
    per_checkpoint = -(-(CHECKPOINT_LINES + 1) // 4)
    assert len(renamed) == 2 + steps // per_checkpoint, len(renamed)
    saved = StateStore(small_repo.root).load()
    assert saved is not None
    assert (saved.status, saved.completed) == ("done", [f"s{n}" for n in range(steps)])


def test_steps_ended_in_the_journal_only_are_done_on_load(tmp_path: Path) -> None:
    """What a SIGKILL leaves after three steps and no rewrite: they are done, the fourth
    is current with its first command in flight."""
    ensure_private_dir(tmp_path)
    store = StateStore(tmp_path)
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b", "c", "d"])
    state.begin_step("a", "hash-a")
    store.save(state)
    for done, following in [("a", "b"), ("b", "c"), ("c", "d")]:
        store.note_start(state, 0)
        store.note_end(state, 0, 1)
        store.note_finish(state, done, following, f"hash-{following}")
    store.note_start(state, 0)
    store.close()
    loaded = StateStore(tmp_path).load()
    assert loaded is not None
    assert (loaded.completed, loaded.current, loaded.step_hash) == (["a", "b", "c"], "d", "hash-d")
    assert (loaded.commands_done, loaded.in_flight, loaded.generation) == (0, 0, 1)


def test_a_checkpoint_starts_a_new_journal_that_load_reads_on_top(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path)
    store = StateStore(tmp_path)
    ids = [f"s{n}" for n in range(CHECKPOINT_LINES + 10)]
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=ids)
    state.begin_step(ids[0], None)
    store.save(state)
    for done, following in itertools.pairwise(ids):
        store.note_finish(state, done, following, None)
    store.close()
    assert state.generation == 2  # the first save, then one checkpoint
    lines = store.progress_path.read_text().splitlines()
    assert 0 < len(lines) < CHECKPOINT_LINES
    loaded = StateStore(tmp_path).load()
    assert loaded is not None
    assert (loaded.completed, loaded.current) == (ids[:-1], ids[-1])


def test_a_step_begun_in_the_journal_only_is_the_current_step_on_load(tmp_path: Path) -> None:
    ensure_private_dir(tmp_path)
    store = StateStore(tmp_path)
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b"])
    state.begin_step("a", "hash-a")
    store.save(state)
    state.finish_step("a")
    store.save(state)
    # No rewrite from here on: what a SIGKILL would leave behind.
    store.note_begin(state, "b", "hash-b")
    store.note_start(state, 0)
    store.note_end(state, 0, 1)
    store.note_start(state, 1)
    store.close()
    loaded = StateStore(tmp_path).load()
    assert loaded is not None
    assert (loaded.completed, loaded.current, loaded.step_hash) == (["a"], "b", "hash-b")
    assert (loaded.commands_done, loaded.in_flight) == (1, 1)


def test_the_saved_state_is_not_a_copy_of_the_run_state(tmp_path: Path) -> None:
    """The state is written from its own lists (no deep copy), and compactly."""
    ensure_private_dir(tmp_path)
    store = StateStore(tmp_path)
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["a", "b"])
    assert state.to_dict()["selected"] is state.selected
    store.save(state)
    assert "\n" not in store.path.read_text().rstrip("\n")
