"""A run started with Ctrl-C ignored still starts its steps as a terminal would.

A shell script that starts a job in the background (``runbook run ... &``) or
``nohup`` leaves SIGINT (and SIGHUP) ignored, and an ignored signal is inherited
through ``exec``.  The runner and the exported script keep it so for
themselves, as the shell meant, but every step's command starts with SIGINT,
SIGTERM, SIGHUP and SIGQUIT at their defaults: a step's own Ctrl-C handling
(a test suite that interrupts itself, ``timeout -s INT``) works as it does
from a terminal, and the SIGTERM that stops a step's group is not lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from runner.conftest import step

from .conftest import Both, write_runbook

SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT")
PROBE = (
    "python3 -c \"import signal; print(*('%s=%s' % (n, 'ignored' if signal.getsignal("
    "getattr(signal, n)) is signal.SIG_IGN else 'default') for n in "
    f'{SIGNALS!r}))"'
)


def _ignoring() -> None:
    for name in SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_IGN)


def _started_ignoring(argv: list[str], pair: Both) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=pair.repo.root,
        env=pair.repo.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_ignoring,
    )


def _release_command(pair: Both, runner: bool) -> list[str]:
    """The run of the pair's runbook, by the runner or by its exported script."""
    if not runner:
        assert pair.export().returncode == 0
    return pair.release_argv(runner)


def test_steps_start_with_the_stopping_signals_at_their_defaults(twins: tuple[Both, Both]) -> None:
    expected = " ".join(f"{name}=default" for name in SIGNALS)
    for pair, runner in zip(twins, (True, False), strict=True):
        write_runbook(pair.repo, [step("probe", PROBE)])
        argv = _release_command(pair, runner)
        # The probe itself, started the same way but not by a run, sees them ignored.
        direct = _started_ignoring(["bash", "-c", PROBE], pair)
        assert direct.stdout.split() == [f"{name}=ignored" for name in SIGNALS], direct.stderr
        result = _started_ignoring([*argv, "--version", "1.3.0"], pair)
        assert result.returncode == 0, (runner, result.stdout, result.stderr)
        assert expected in result.stdout.splitlines(), (runner, result.stdout)


@pytest.mark.parametrize("cwd", [None, "demo"], ids=["at the root", "in a :cwd: folder"])
def test_steps_start_with_no_signal_ignored(twins: tuple[Both, Both], cwd: str | None) -> None:
    """Nor SIGPIPE and SIGXFSZ, which Python ignores: `yes | head -1` ends as in a terminal.

    bash's ``trap -p`` lists the signals it found ignored when it started, so a
    step that prints it shows every disposition the runner let through.  The
    runner starts a command in its own folder one way and in another folder
    another way (see ``runner/execute.py``): both are tried.
    """
    for pair, runner in zip(twins, (True, False), strict=True):
        write_runbook(
            pair.repo,
            [
                step(
                    "probe",
                    'trap -p; yes | head -n 1 >/dev/null; echo "yes=${PIPESTATUS[0]}"',
                    cwd=cwd,
                )
            ],
        )
        argv = _release_command(pair, runner)
        result = _started_ignoring([*argv, "--version", "1.3.0"], pair)
        assert result.returncode == 0, (runner, result.stdout, result.stderr)
        assert "trap --" not in result.stdout, (runner, result.stdout)
        # Killed by SIGPIPE (128 + 13) once head has its line, not an EPIPE error.
        assert "yes=141" in result.stdout.splitlines(), (runner, result.stdout)


def _hangups_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def test_a_run_started_under_nohup_goes_on_through_a_hang_up_in_both(
    twins: tuple[Both, Both],
) -> None:
    """``nohup`` means a closed terminal is no stop: the runner keeps SIGHUP ignored, as the
    script's bash must (it cannot trap a signal ignored at its start)."""
    slow = "touch ../started; sleep 2; echo slow-end"
    for pair, runner in zip(twins, (True, False), strict=True):
        write_runbook(pair.repo, [step("slow", slow), step("after", "echo after")])
        process = pair.start(
            [*_release_command(pair, runner), "--version", "1.3.0", "--yes"],
            preexec_fn=_hangups_ignored,
        )
        started = pair.repo.root.parent / "started"
        deadline = time.monotonic() + 60
        while not started.exists():
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGHUP)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, (runner, out, err)
        assert "slow-end" in out and "after" in out, (runner, out)
