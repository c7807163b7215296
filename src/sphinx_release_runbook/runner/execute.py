"""Run one shell command: output streamed live, a deadline, and a clean stop on Ctrl-C.

The child runs in its own session (its own process group, no controlling
terminal).  Two reasons: a Ctrl-C reaches the runner alone, which then stops
the child's whole group (a pipeline, a ``poetry run`` grandchild) before it
saves the state; and a command that would prompt on the terminal (a git
credential prompt) fails at once instead of hanging a CI job.  The runner
itself asks every question a step needs.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

#: Seconds a stopped child gets between SIGTERM and SIGKILL.
TERMINATE_GRACE = 3.0
# How long a quiet stream waits before its partial last line is shown.
_IDLE = 0.1
# After the shell exits, how long to keep reading output of a lingering
# background child that still holds the pipe, before giving up on it.
_DRAIN = 0.2


class Sink(Protocol):
    def write(self, chunk: str) -> None: ...

    def idle(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class CommandResult:
    """How a command ended, and everything it printed (unmasked, kept in memory only)."""

    returncode: int | None
    output: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


def shell_argv(command: str) -> list[str]:
    # pipefail: `poetry build | tee log` fails when poetry fails, as a reader expects.
    return ["bash", "-o", "pipefail", "-c", command]


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop the child's whole process group: SIGTERM, then SIGKILL after a grace period."""
    if process.poll() is not None:
        _kill_group(process.pid, signal.SIGKILL)  # stray grandchildren of an exited shell
        return
    _kill_group(process.pid, signal.SIGTERM)
    try:
        process.wait(TERMINATE_GRACE)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid, signal.SIGKILL)
        process.wait()


def _kill_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def run_command(
    command: str,
    *,
    cwd: Path,
    env: Mapping[str, str],
    sink: Sink,
    deadline: float | None = None,
) -> CommandResult:
    """Run *command* with bash, streaming its output to *sink*; stop it at *deadline*.

    A ``KeyboardInterrupt`` raised while waiting stops the child's group and
    propagates, so the caller can save its state.
    """
    process = subprocess.Popen(
        shell_argv(command),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    fd = process.stdout.fileno()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    captured: list[str] = []
    timed_out = False
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)
    exited_at: float | None = None
    try:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                timed_out = True
                break
            if exited_at is None and process.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > _DRAIN:
                break
            wait = _IDLE if exited_at is None else _DRAIN
            if deadline is not None:
                wait = min(wait, max(deadline - now, 0.0))
            if not selector.select(wait):
                sink.idle()
                continue
            data = os.read(fd, 65536)
            if not data:
                break
            text = decoder.decode(data)
            captured.append(text)
            sink.write(text)
        tail = decoder.decode(b"", final=True)
        if tail:
            captured.append(tail)
            sink.write(tail)
        if timed_out:
            stop_group(process)
        else:
            process.wait()
            # A background job the command started must not outlive its step.
            _kill_group(process.pid, signal.SIGKILL)
    except BaseException:
        stop_group(process)
        raise
    finally:
        selector.close()
        process.stdout.close()
        sink.close()
    return CommandResult(
        returncode=None if timed_out else process.returncode,
        output="".join(captured),
        timed_out=timed_out,
    )
