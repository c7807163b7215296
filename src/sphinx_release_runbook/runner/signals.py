"""Signals during a run: SIGTERM stops it like Ctrl-C, and nothing stops the saving.

Both contexts act in the main thread only (``signal.signal`` refuses any other);
elsewhere they change nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM (a CI cancel) takes the Ctrl-C path: stop the child, save, exit 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def no_interrupts() -> Iterator[None]:
    """A second Ctrl-C while the state is being saved must not lose the state."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
