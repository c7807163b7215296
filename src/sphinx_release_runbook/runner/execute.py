"""Run one shell command: output streamed live, a deadline, and a clean stop on Ctrl-C.

The child runs in its own session (its own process group, no controlling
terminal).  Two reasons: a Ctrl-C reaches the runner alone, which then stops
the child's whole group (a pipeline, a ``poetry run`` grandchild) before it
saves the state; and a command that would prompt on the terminal (a git
credential prompt) fails at once instead of hanging a CI job.  The runner
itself asks every question a step needs.

No Python code runs in the child between fork and exec: a command that runs
in the runner's own directory starts with ``posix_spawn`` (glibc's
``clone(CLONE_VM|CLONE_VFORK)``), one that needs another directory with
:mod:`subprocess` (``vfork``, and a ``chdir`` the spawn cannot do on Python
3.11).  Both are a fraction of a full fork of the runner, and the spawn skips
``Popen``'s Python set-up, about a tenth of a millisecond on every command.
What the child needs is set up from the runner instead:

* a group of its own must not outlive a runner that dies without cleaning up
  (SIGKILL, an out-of-memory kill): the command carries the run's token in its
  environment (:meth:`.guard.Guard.marked`), the runner registers its group
  with the run's :class:`~.guard.Guard` right after it has started, and the
  guard stops it when the runner is gone, found by its group or by its token
  (a runner killed between the start and the registration);
* where the guard looks for the token (Linux), the child's descriptors are
  left for its exec to close (all of them are close-on-exec,
  :func:`_inherited_closed_on_exec`) rather than closed by :mod:`subprocess` a
  moment before: the child's copy of the guard's pipe then closes with the
  exec itself, so the guard cannot hear of the runner's death while a command
  has started but does not show its token yet;
* the stopping signals start at their defaults (the spawn resets them itself;
  for :mod:`subprocess` see :func:`_ignored_signals_handled`), and so do
  SIGPIPE and SIGXFSZ, which Python ignores: ``yes | head -1`` ends as in a
  terminal.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import os
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Protocol

from sphinx_release_runbook.runner.guard import Guard
from sphinx_release_runbook.runner.processes import (
    can_scan,
    group_alive,
    signal_group,
    stop_grace,
)
from sphinx_release_runbook.runner.signals import no_interrupts

#: Seconds a stopped child gets between SIGTERM and SIGKILL (``RUNBOOK_STOP_GRACE``).
TERMINATE_GRACE = stop_grace()
# How long a quiet stream waits before its partial last line is shown.
_IDLE = 0.1
# After the shell exits, how long to keep reading output of a lingering
# background child that still holds the pipe, before giving up on it.
_DRAIN = 0.2
#: Signals every step's command starts with at their default disposition.
STEP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
#: What the spawn resets: those, and the two Python ignores (``Popen`` restores them).
_SPAWN_DEFAULTS = (*STEP_SIGNALS, signal.SIGPIPE, signal.SIGXFSZ)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """A handler that does nothing: the runner goes on as if the signal were ignored."""


@contextlib.contextmanager
def _ignored_signals_handled() -> Iterator[bool]:
    """While a child is started, the stopping signals the runner ignores are handled instead.

    A runner started with SIGINT or SIGTERM ignored (a background job of a
    script, ``nohup``) keeps them so, but its steps start as from a terminal: a
    step's own Ctrl-C handling works, and the SIGTERM that stops the group is
    not lost.  An ignored signal is inherited through exec, a handled one is
    reset to its default, so for the moment of the spawn each ignored signal
    gets a handler that does nothing, which leaves the runner as deaf to it as
    before.  Yields whether that worked: ``signal.signal`` acts in the main
    thread only, so elsewhere the child must reset them itself.
    """
    ignored = [sig for sig in STEP_SIGNALS if signal.getsignal(sig) is signal.SIG_IGN]
    if not ignored:
        yield True
        return
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    for sig in ignored:
        signal.signal(sig, _ignore)
    try:
        yield True
    finally:
        for sig in ignored:
            signal.signal(sig, signal.SIG_IGN)


def _reset_step_signals() -> None:
    """In the child, before exec: the slow path, for a spawn outside the main thread."""
    for number in STEP_SIGNALS:
        signal.signal(number, signal.SIG_DFL)


#: Whether the guard finds commands by their token (Linux): then the order in which the
#: child's descriptors close matters, see the module's docstring.
_GUARD_SCANS = can_scan()
_OWN_FDS = Path("/proc/self/fd")
#: Whether the sweep ran, and whether it could list the descriptors.
_swept: bool | None = None


def _inherited_closed_on_exec() -> bool:
    """Mark close-on-exec every descriptor above 2 that a child would inherit.

    Python opens its files close-on-exec (PEP 446), and so does the runner; an
    inheritable one comes from the runner's caller (a ``make`` jobserver, a CI
    agent's pipe), there from the start.  So one sweep, before the first
    command, leaves every command with no descriptor but its standard streams,
    as if :mod:`subprocess` had closed the others in the child.  False where
    the descriptors cannot be listed: then the child must close them itself.
    """
    global _swept
    if _swept is not None:
        return _swept
    try:
        names = os.listdir(_OWN_FDS)
    except OSError:
        _swept = False
        return False
    _swept = True
    for name in names:
        fd = int(name)
        if fd > 2:
            with contextlib.suppress(OSError):  # the listing's own descriptor, closed since
                if os.get_inheritable(fd):
                    os.set_inheritable(fd, False)
    return True


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


@functools.lru_cache(maxsize=16)
def _bash(path: str | None) -> str:
    """The bash an exec through *path* would run, as a path (``bash`` if none is found).

    Found once per ``PATH`` rather than at every command: given a bare name, the
    exec tries each folder of ``PATH`` in turn, a failed exec each, before it
    reaches ``/usr/bin``.
    """
    return shutil.which("bash", path=path) or "bash"


def shell_argv(command: str, path: str | None = None) -> list[str]:
    """The argv of *command* run by the bash found on *path* (a ``PATH`` value)."""
    # pipefail: `poetry build | tee log` fails when poetry fails, as a reader expects.
    return [_bash(path), "-o", "pipefail", "-c", command]


def stop_group(process: Child, grace: float = TERMINATE_GRACE) -> None:
    """Stop the child's whole process group: SIGTERM, then SIGKILL after a grace period."""
    if process.poll() is not None and not group_alive(process.pid):
        signal_group(process.pid, signal.SIGKILL)  # stray grandchildren of an exited shell
        return
    signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and (process.poll() is None or group_alive(process.pid)):
        time.sleep(0.02)
    signal_group(process.pid, signal.SIGKILL)
    process.wait()


class Child(Protocol):
    """A started command, as :class:`subprocess.Popen` and :class:`_Spawned` both are."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def wait(self) -> int: ...


class _Spawned:
    """A child started with ``posix_spawn``: its exit status, as ``Popen`` reports it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


@dataclass
class _Started:
    child: Child
    #: The read end of the pipe that is the child's stdout and stderr.
    output: int
    close_output: Callable[[], None]
    #: Set once the child's group is known to have no process left.
    group_gone: bool = False


def _start(argv: list[str], cwd: Path, env: Mapping[str, str]) -> _Started:
    """Start *argv* in *cwd* in a session of its own, stdin empty, output on one pipe."""
    # The spawn closes no descriptor: it needs them all close-on-exec (and the guard
    # wants them closed by the exec, not a moment before it, see above).  It runs a
    # path as given: a bare name would be looked for in the current folder, not on
    # the command's PATH, as subprocess does.
    if (
        not _inherited_closed_on_exec()
        or not os.path.isabs(argv[0])
        or os.fspath(cwd) != os.getcwd()
    ):
        return _start_in(argv, cwd, env)
    read, write = os.pipe()
    try:
        pid = os.posix_spawn(
            argv[0],
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, write, 1),
                (os.POSIX_SPAWN_DUP2, write, 2),
            ],
            setsid=True,
            setsigdef=_SPAWN_DEFAULTS,
        )
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    return _Started(_Spawned(pid), read, functools.partial(os.close, read))


def _start_in(argv: list[str], cwd: Path, env: Mapping[str, str]) -> _Started:
    """The same in another directory, which :mod:`subprocess` changes to in the child."""
    with _ignored_signals_handled() as defaults_on_exec:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=not _GUARD_SCANS,
            preexec_fn=None if defaults_on_exec else _reset_step_signals,
        )
    assert process.stdout is not None
    return _Started(process, process.stdout.fileno(), process.stdout.close)


def run_command(
    command: str,
    *,
    cwd: Path,
    env: Mapping[str, str],
    sink: Sink,
    deadline: float | None = None,
    guard: Guard | None = None,
    started: Callable[[int], None] | None = None,
) -> CommandResult:
    """Run *command* with bash, streaming its output to *sink*; stop it at *deadline*.

    *started* hears the child's process group id as soon as it runs (to record
    it).  A ``KeyboardInterrupt`` raised while waiting stops the child's group
    and propagates, so the caller can save its state.  A child that cannot be
    started (its directory is gone) raises :class:`OSError`.
    """
    run = _start(
        shell_argv(command, env.get("PATH", os.defpath)),
        cwd,
        guard.marked(env) if guard is not None else env,
    )
    if guard is not None:
        # A SIGKILL before this line leaves a command the guard has not heard of: it
        # finds that one by the token in its environment.
        guard.register(run.child.pid)
    try:
        return _follow(run, sink, deadline, started)
    finally:
        # Left registered while it lives: the guard stops it when the runner exits.
        if guard is not None and (run.group_gone or not group_alive(run.child.pid)):
            guard.forget(run.child.pid)


def _follow(
    run: _Started,
    sink: Sink,
    deadline: float | None,
    started: Callable[[int], None] | None,
) -> CommandResult:
    process, fd = run.child, run.output
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    captured: list[str] = []
    timed_out = False
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    exited_at: float | None = None
    try:
        if started is not None:
            started(process.pid)
        while True:
            wait = _IDLE if exited_at is None else _DRAIN
            if deadline is not None:
                now = time.monotonic()
                if now >= deadline:
                    timed_out = True
                    break
                wait = min(wait, max(deadline - now, 0.0))
            if not poller.poll(wait * 1000):
                # Quiet: show a partial last line, and see whether the shell is gone while
                # something it started holds the pipe (read for _DRAIN more, then give up).
                sink.idle()
                now = time.monotonic()
                if exited_at is None and process.poll() is not None:
                    exited_at = now
                elif exited_at is not None and now - exited_at > _DRAIN:
                    break
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
            # A background job the command started must not outlive its step.  With no
            # process left to take the signal, the group is gone: no need to look again.
            run.group_gone = not signal_group(process.pid, signal.SIGKILL)
    except BaseException:
        with no_interrupts():  # a second Ctrl-C must not leave the group running
            stop_group(process)
        raise
    finally:
        run.close_output()
        sink.close()
    return CommandResult(
        returncode=None if timed_out else process.returncode,
        output="".join(captured),
        timed_out=timed_out,
    )
