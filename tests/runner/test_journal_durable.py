"""A command starts only once the record that it starts is on disk, as the exported
script's record is: after a power cut, ``--resume`` knows the command may have run and
asks about it, rather than running it again."""

from __future__ import annotations

import errno
import io
import json
import os
from pathlib import Path

import pytest

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Export
from sphinx_release_runbook.runner import RunOptions, Session
from sphinx_release_runbook.runner.secrets import Masker
from sphinx_release_runbook.runner.state import CHECKPOINT_LINES
from sphinx_release_runbook.runner.transcript import Console

from .conftest import SmallRepo, step

Event = tuple[str, object]


def _record(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[Event]:
    """What reaches the disk (the journal's last line, the folder) and what starts."""
    events: list[Event] = []
    journal, folder = root / ".runbook" / "progress", root / ".runbook"
    real_fsync, real_spawn = os.fsync, os.posix_spawn

    def fsync(fd: int) -> None:
        target = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if target == journal:
            events.append(("flushed", json.loads(journal.read_text().splitlines()[-1])))
        elif target == folder:
            events.append(("folder flushed", None))
        real_fsync(fd)

    def spawn(path: str, argv: list[str], *args: object, **kwargs: object) -> int:
        events.append(("started", argv[-1]))
        return real_spawn(path, argv, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "posix_spawn", spawn)
    return events


def _release(small_repo: SmallRepo) -> tuple[int, str]:
    """Run the runbook in this process (where os.fsync can be watched): its code and output."""
    runbook = Export.load(small_repo.runbook_json).runbook()
    sink = io.StringIO()
    console = Console(Masker(), out=sink, err=sink)
    options = RunOptions(version="1.3.0", assume_yes=True)
    return Session(runbook, small_repo.root, options, console).run(), sink.getvalue()


def test_every_command_starts_after_its_start_record_is_flushed(
    small_repo: SmallRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_repo.write_runbook(
        [step("one", "echo 1 >> ../calls"), step("two", "echo 2 >> ../calls", "echo 3")]
    )
    monkeypatch.setenv("HOME", small_repo.env["HOME"])
    # Commands in the runner's own folder start with posix_spawn, where they are seen.
    monkeypatch.chdir(small_repo.root)
    events = _record(monkeypatch, small_repo.root)
    code, said = _release(small_repo)
    assert code == ExitCode.OK, said

    started = [index for index, (kind, _) in enumerate(events) if kind == "started"]
    assert [events[index][1] for index in started] == [
        "echo 1 >> ../calls",
        "echo 2 >> ../calls",
        "echo 3",
    ]
    expected = [("one", 0), ("two", 0), ("two", 1)]
    for index, (step_id, command) in zip(started, expected, strict=True):
        before = [event for event in events[:index] if event[0] != "folder flushed"]
        kind, line = before[-1]
        # Just before each start: the journal flushed with that command's start record.
        assert kind == "flushed", events
        assert isinstance(line, dict)
        assert (line["step"], line["start"], "group" in line) == (step_id, command, False)
    # The journal file is new to this run: its folder was flushed with it, once.
    assert [kind for kind, _ in events].count("folder flushed") == 1, events
    assert len(expected) < CHECKPOINT_LINES  # no checkpoint started a second journal


def test_a_start_record_that_cannot_be_flushed_stops_the_run_before_the_command(
    small_repo: SmallRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fails the flush (EIO) is a disk the run cannot trust: nothing starts."""
    small_repo.write_runbook([step("one", "echo 1 >> ../calls")])
    monkeypatch.setenv("HOME", small_repo.env["HOME"])
    journal = small_repo.root / ".runbook" / "progress"
    real_fsync = os.fsync

    def failing(fd: int) -> None:
        if Path(os.readlink(f"/proc/self/fd/{fd}")) == journal:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    code, said = _release(small_repo)
    assert code == ExitCode.OS_ERROR, said
    assert f"cannot record the progress in {journal}: Input/output error" in said
    assert not (small_repo.root.parent / "calls").exists()


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EOPNOTSUPP])
def test_a_file_system_that_cannot_flush_leaves_the_flush_to_it(
    small_repo: SmallRepo, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Some network and FUSE file systems refuse fsync itself: the run goes on there."""
    small_repo.write_runbook([step("one", "echo 1 >> ../calls")])
    monkeypatch.setenv("HOME", small_repo.env["HOME"])

    def unsupported(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", unsupported)
    result, said = _release(small_repo)
    assert result == ExitCode.OK, said
    assert (small_repo.root.parent / "calls").read_text() == "1\n"
