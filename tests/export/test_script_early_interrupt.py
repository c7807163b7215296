"""A Ctrl-C while the exported script plans (before its first step): one line and exit 130.

The script spends its first fraction of a second in python3 (validating the
version, selecting steps, finding the secrets), each call starting an
interpreter that imports the embedded helper.  A Ctrl-C there used to kill the
script silently or print the traceback of whichever import or compile it hit.
As the runner (``runbook/__main__.py``), it must print the same one line and
exit 130.  The test sends SIGINT to the script's process group, as a terminal
does, at staggered moments of a dry run, 20 times.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

from runner.conftest import BUMP_STEP, sigint_at_default, step

from runbook.__main__ import EARLY_INTERRUPT

from .conftest import Both, write_runbook

ATTEMPTS = 20
#: The moments of the run the signal lands at: spread over the script's planning.
SPAN = 0.4


def _interrupted_after(both: Both, delay: float) -> subprocess.CompletedProcess[str]:
    # Its own process group, sent SIGINT as by a terminal.
    process = both.start(
        ["bash", str(both.script), "--version", "1.3.0", "--dry-run"],
        preexec_fn=sigint_at_default,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_an_early_ctrl_c_prints_the_runners_one_line_and_exits_130(both: Both) -> None:
    write_runbook(both.repo, [BUMP_STEP, step("show", "echo {{ version | upper }}")])
    assert both.export().returncode == 0
    outcomes: list[str] = []
    for attempt in range(ATTEMPTS):
        delay = SPAN * (attempt + 1) / ATTEMPTS
        result = _interrupted_after(both, delay)
        seen = (delay, result.returncode, result.stderr)
        assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, seen
        if result.returncode == 0:
            outcomes.append("finished")  # the dry run was done before the signal
        elif result.returncode == 130:
            # The same line whether the signal landed in the planning or while the dry
            # run printed its steps (on a loaded machine it can reach "[1/2]"): in a dry
            # run nothing runs, and a real run sets its own trap before its first step.
            assert result.stderr == f"\n{EARLY_INTERRUPT}\n", seen
            assert "ok: " not in result.stdout, seen
            outcomes.append("one line")
        else:
            # bash itself had not yet read the script's first lines (a loaded machine).
            assert (result.returncode, result.stderr) == (-signal.SIGINT, ""), seen
            outcomes.append("before bash set its trap")
    assert outcomes.count("one line") >= ATTEMPTS // 2, outcomes
    assert git_clean(both)


def git_clean(both: Both) -> bool:
    """A dry run, interrupted or not, leaves nothing in the work tree."""
    done = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=both.repo.root,
        env=both.repo.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout == ""
