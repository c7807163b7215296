"""Signals during a run: SIGTERM and SIGHUP stop it like Ctrl-C, and nothing stops the saving.

Both contexts act in the main thread only (``signal.signal`` refuses any other);
elsewhere they change nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The signals that stop a run the way Ctrl-C does.
STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI cancel) and SIGHUP (a closed terminal) take the Ctrl-C path.

    Stop the child, save, exit 130.  One the run was started with ignored stays
    ignored (``nohup`` means a hang-up is not a stop), as the exported script's
    bash, which cannot trap a signal ignored at its start, leaves it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    stopping = [
        sig
        for sig in (signal.SIGTERM, signal.SIGHUP)
        if signal.getsignal(sig) is not signal.SIG_IGN
    ]
    previous = {sig: signal.signal(sig, handler) for sig in stopping}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, signal.SIG_DFL if old is None else old)


@contextmanager
def no_interrupts() -> Iterator[None]:
    """A second Ctrl-C (or SIGTERM) while the state is being saved must not lose the state."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOPPING}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, signal.SIG_DFL if old is None else old)
