"""The console: what a run says, on screen and in the transcript, always masked.

Every line the runner prints and every byte a step prints goes through one
:class:`Console`, so masking cannot be forgotten on one of the two paths.
Transcripts are ``0600`` in a ``0700`` folder: masking cannot catch every form
of a secret (see :mod:`.secrets`).  A transcript that cannot be written (a full
disk) is given up with a warning on screen; the run itself goes on.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from sphinx_release_runbook.core.fs import PRIVATE_DIR_MODE, FileProblem, file_problem, open_private
from sphinx_release_runbook.runner.secrets import Masker, StreamMasker

LOGS_DIR = Path("logs")
# A version is validated before a transcript is named; this keeps the name a name anyway.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._+-]")


def transcript_path(runbook_dir: Path, version: str, now: _dt.datetime | None = None) -> Path:
    """A fresh ``.runbook/logs/<timestamp>-<version>.log`` (never an existing file)."""
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    directory = runbook_dir / LOGS_DIR
    version = _UNSAFE_NAME.sub("_", version)[:64]
    candidate = directory / f"{stamp}-{version}.log"
    counter = 2
    while candidate.exists():
        # Two runs in one second (a quick --resume) each keep their own transcript.
        candidate = directory / f"{stamp}-{version}-{counter}.log"
        counter += 1
    return candidate


class Console:
    """Screen plus optional transcript, with secrets masked on both."""

    def __init__(
        self,
        masker: Masker,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.masker = masker
        self._out = out or sys.stdout
        self._err = err or sys.stderr
        self._log: TextIO | None = None
        self.log_path: Path | None = None

    def open_transcript(self, path: Path) -> None:
        """Create the transcript (``0600``); a :class:`FileProblem` names what is in the way."""
        directory = path.parent
        if directory.exists() and not directory.is_dir():
            raise FileProblem(
                f"cannot create the transcript folder {directory}: a file of that name is in "
                f"the way; remove it (rm {directory}), then run again"
            )
        try:
            directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
            fd = open_private(path)
        except OSError as exc:
            raise file_problem(exc, path, "create the transcript", "then run again") from exc
        # Line buffered: a killed run still leaves a transcript up to its last line.
        self._log = os.fdopen(fd, "w", encoding="utf-8", buffering=1)
        self.log_path = path

    def close(self) -> None:
        if self._log is not None:
            with contextlib.suppress(OSError):
                self._log.close()
            self._log = None

    def _write(self, text: str, *, err: bool = False) -> None:
        stream = self._err if err else self._out
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:  # `run ... | head`: keep running, keep the transcript
            pass
        if self._log is not None:
            self._log_write(text)

    def _log_write(self, text: str) -> None:
        assert self._log is not None
        try:
            self._log.write(text)
        except OSError as exc:
            log, self._log = self._log, None
            with contextlib.suppress(OSError):
                log.close()
            self.line(
                f"warning: cannot write the transcript {self.log_path}: "
                f"{exc.strerror or exc}; the run goes on without it",
                err=True,
            )

    def line(self, text: str = "", *, err: bool = False) -> None:
        """Print one line (masked)."""
        self._write(self.masker.mask(text) + "\n", err=err)

    def log_only(self, text: str) -> None:
        if self._log is not None:
            self._log_write(self.masker.mask(text) + "\n")

    def stream(self) -> StreamSink:
        """A sink for one child's output, masked across chunk boundaries."""
        return StreamSink(self, StreamMasker(self.masker))

    def raw(self, text: str) -> None:
        """Already-masked text from a :class:`StreamSink`."""
        if text:
            self._write(text)


class StreamSink:
    """Feeds a child's output to the console as it arrives."""

    def __init__(self, console: Console, masker: StreamMasker) -> None:
        self._console = console
        self._masker = masker
        self.ended_with_newline = True

    def write(self, chunk: str) -> None:
        if chunk:
            self.ended_with_newline = chunk.endswith("\n")
        self._console.raw(self._masker.feed(chunk))

    def idle(self) -> None:
        self._console.raw(self._masker.idle())

    def close(self) -> None:
        self._console.raw(self._masker.flush())
        if not self.ended_with_newline:
            self._console.raw("\n")
            self.ended_with_newline = True
