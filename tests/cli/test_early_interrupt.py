"""A Ctrl-C right after ``python -m runbook`` starts: one line and exit 130, never a traceback.

The command line takes tens of milliseconds to import; a SIGINT in that time
used to print the traceback of whichever import it interrupted.  The test
starts the real CLI 20 times and sends SIGINT at staggered moments over its
first 200 ms.  Each run must end in one of the ways a user can live with:
finished (0), interrupted with the one-line message (130), or killed by the
signal before Python could catch it.  The interpreter's own start (before
``runbook/__main__.py`` runs, about 5 ms) is no code of this project: a
traceback from there is told apart by having no frame in this project's files.

The child is started with SIGINT at its default: a test run started in the
background inherits SIGINT ignored, and an ignored SIGINT would prove nothing.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import sphinx_release_runbook

ATTEMPTS = 20
SPAN = 0.2
PROJECT = (
    Path(sphinx_release_runbook.__file__).resolve().parent,
    Path(__file__).resolve().parents[2] / "src" / "runbook",
)
MESSAGES = (
    "error: interrupted while starting; nothing ran",
    "error: interrupted outside a step; nothing more ran (a saved run state is intact: --resume "
    "continues it)",
)
_FRAME = re.compile(r'^\s*File "([^"]+)", line', re.MULTILINE)


def _sigint_at_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _in_project(frame: str) -> bool:
    path = Path(frame)
    return path.is_absolute() and any(path.resolve().is_relative_to(root) for root in PROJECT)


def _interrupted_after(delay: float, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "runbook", "--help"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_sigint_at_default,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_an_early_ctrl_c_never_shows_a_traceback_of_ours(tmp_path: Path) -> None:
    outcomes: list[str] = []
    for attempt in range(ATTEMPTS):
        delay = SPAN * attempt / (ATTEMPTS - 1)
        result = _interrupted_after(delay, tmp_path)
        seen = (delay, result.returncode, result.stderr)
        ours = [frame for frame in _FRAME.findall(result.stderr) if _in_project(frame)]
        assert not ours, seen
        if result.returncode == 0:
            assert "Traceback" not in result.stderr, seen
            outcomes.append("finished")
        elif result.returncode == 130:
            assert "Traceback" not in result.stderr, seen
            assert result.stderr.strip() in MESSAGES, seen
            outcomes.append("one line")
        elif "Traceback" in result.stderr:
            outcomes.append("interpreter start")  # no frame of ours: asserted above
        else:
            assert (result.returncode, result.stderr) == (-signal.SIGINT, ""), seen
            outcomes.append("before Python caught it")
    # The import window was hit: otherwise the test proved nothing about it.
    assert "one line" in outcomes, outcomes


def test_a_sigint_ignored_at_start_stays_ignored(tmp_path: Path) -> None:
    """A background job of a shell script is started with SIGINT ignored, meant to outlive
    a Ctrl-C at the terminal: the CLI keeps it so rather than installing its own handler."""
    code = (
        "import runpy, signal, sys; sys.argv = ['runbook', '--version']; "
        "signal.signal(signal.SIGINT, signal.SIG_IGN); "
        "runpy.run_module('runbook', run_name='__main__')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    check = (
        "import runpy, signal, sys; sys.argv = ['runbook', '--version']; "
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "try:\n    runpy.run_module('runbook', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('SIGINT', 'ignored' if signal.getsignal(signal.SIGINT) is signal.SIG_IGN "
        "else 'caught')"
    )
    kept = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert kept.stdout.splitlines()[-1] == "SIGINT ignored", kept.stdout + kept.stderr
