"""The append-only progress journal beside ``.runbook/state.json``.

One JSON object per line, appended with a single ``write`` on a descriptor
opened with ``O_APPEND``: a line reaches the file whole or (killed in the
middle of the write) torn at its end, and a torn last line is skipped when
the journal is read.  Appending costs the same whatever the length of the
run, which is why progress goes here rather than into a rewrite of the state.

The line that says a command is about to start is *durable*: flushed to disk
(with, once per journal file, the folder that names it) before the command
starts, so that after a power cut ``--resume`` still knows the command may have
run and asks about it rather than running it again, as the exported script's
record does.  The other lines are not flushed: losing one leaves an earlier
record (a command in flight, a step not done), and ``--resume`` asks instead of
assuming.  A flush costs a fraction of a millisecond a command on a local disk.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx_release_runbook.core.fs import (
    file_problem,
    flush_to_disk,
    open_private,
    sync_directory,
)

# Made once: json.dumps with separators builds a new encoder at every call.
_encode = json.JSONEncoder(separators=(",", ":")).encode


class Journal:
    """Appends lines to, reads and discards one progress file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        #: Lines this object appended since the file was last discarded.
        self.appended = 0
        #: The journal file (device, inode) whose name was last flushed with its folder.
        self._named: tuple[int, int] | None = None

    def append(self, entry: dict[str, Any], *, durable: bool = False) -> None:
        """Write *entry* as one line, flushed to disk when *durable*.

        A failure is a :class:`FileProblem` naming the file.
        """
        line = (_encode(entry) + "\n").encode("utf-8")
        try:
            if self._fd is None:
                self._fd = open_private(self.path, append=True)
            os.write(self._fd, line)
            if durable:
                self._flush(self._fd)
        except OSError as exc:
            raise file_problem(exc, self.path, "record the progress in") from exc
        self.appended += 1

    def _flush(self, fd: int) -> None:
        flush_to_disk(fd)
        facts = os.fstat(fd)
        identity = (facts.st_dev, facts.st_ino)
        if identity != self._named:
            # A journal started since the last save: its name must outlive a power cut too.
            sync_directory(self.path.parent)
            self._named = identity

    def entries(self) -> Iterator[dict[str, Any]]:
        """The lines that are whole JSON objects, in order; an unreadable journal has none."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:  # a line torn by a kill mid-write
                continue
            if isinstance(entry, dict):
                yield entry

    def discard(self) -> None:
        """Close and delete the journal (a newer state covers every line of it)."""
        self.close()
        self.appended = 0
        with contextlib.suppress(OSError):
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
