"""Entry point of ``python -m runbook``.

Importing the command line takes tens of milliseconds (click, the loader, the
commands).  A Ctrl-C in that time would surface as a traceback of whichever
import it happened to interrupt.  Until the command line is ready, SIGINT
therefore ends the process at once with one line and exit 130: nothing has run,
so there is nothing to save.  From then on Ctrl-C is Python's KeyboardInterrupt
again, which the commands handle (a run saves its state first); one that still
escapes them is the same one line.  A SIGINT the process was started with
ignored (a background job of a shell script) stays ignored, as the shell meant.

The handler is the first thing this module does, with modules the interpreter
has loaded already: ``signal`` itself would first import ``enum`` (3 ms), so it
is set through ``_signal``, the C module under it.  What the interpreter does
before this module runs (its own start, about 5 ms) no code of a package can
cover.
"""

from __future__ import annotations

import os
import sys

_signal = __import__("_signal")

#: What an early Ctrl-C prints: like the commands' own message, on one line.
EARLY_INTERRUPT = "error: interrupted while starting; nothing ran"
INTERRUPTED = 130  # core.errors.ExitCode.INTERRUPTED, not imported: it is not loaded yet


def _interrupted_early(signum: int, frame: object) -> None:
    # os.write and os._exit: no Python-level I/O or cleanup that a half-done import
    # could be in the middle of.
    os.write(2, b"\n" + EARLY_INTERRUPT.encode() + b"\n")
    os._exit(INTERRUPTED)


# Only when run as the program: a tool that imports this module keeps its own Ctrl-C.
_CATCHING = (
    __name__ == "__main__" and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler
)
if _CATCHING:
    _signal.signal(_signal.SIGINT, _interrupted_early)


def _run() -> None:
    try:
        from sphinx_release_runbook.cli import main
    finally:
        if _CATCHING:
            _signal.signal(_signal.SIGINT, _signal.default_int_handler)
    try:
        main()
    except KeyboardInterrupt:
        # Between the hand-over above and the commands' own handling, or after it.
        print(f"\n{EARLY_INTERRUPT}", file=sys.stderr)
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    _run()
