"""The exported script answers questions as the runner does: ``--yes``, ``--done``, ``--repeat``.

``--yes`` confirms ``:confirm:`` prompts only.  A manual step without a
terminal stops the run (exit 9) with the command that continues it, unless it
is named done (``--done STEP``); a command a run was interrupted in runs again
only in a step that is safe to repeat, otherwise the run stops (exit 10) and
``--repeat STEP`` or ``--done STEP`` decides.  Each case runs the real CLI in
one repository and the exported script in its twin, and both must end alike:
the same exit code, the same message but for the command that continues, and
the same commands run after following that command.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time

import pytest
from runner.conftest import sigint_at_default, step, wait_until_gone

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.model import Step, StepKind
from sphinx_release_runbook.export import helper
from sphinx_release_runbook.runner.plan import plan_step
from sphinx_release_runbook.runner.resume import safe_to_repeat
from sphinx_release_runbook.runner.verdict import judged_whole

from .conftest import Both, write_runbook

CHANGELOG = "Add the release to CHANGELOG.md and commit it."


def _manual_guide() -> list[Step]:
    return [
        step("build", "echo build >> ../calls"),
        step(
            "changelog",
            "echo changelog-checked >> ../calls",
            kind="manual",
            title="Write the changelog",
            instructions=CHANGELOG,
        ),
        step("publish", "echo publish >> ../calls", confirm=True),
    ]


def _calls(pair: Both) -> list[str]:
    path = pair.repo.root.parent / "calls"
    return path.read_text().split() if path.exists() else []


def _prepare(pair: Both, steps: list[Step], runner: bool) -> None:
    write_runbook(pair.repo, steps)
    if not runner:
        exported = pair.export()
        assert exported.returncode == 0, exported.stderr


def _invoke(pair: Both, runner: bool, args: list[str]) -> subprocess.CompletedProcess[str]:
    return pair.runner(*args) if runner else pair.bash(*args)


def _continuation(text: str, marker: str) -> tuple[str, list[str]]:
    """The message before *marker*, and the arguments of the command after it."""
    head, found, command = text.strip().partition(marker)
    assert found, text
    words = shlex.split(command.splitlines()[0])
    if words[:4] == ["python", "-m", "runbook", "run"]:
        words = words[4:]
    else:
        assert words[0] == "release.sh", words
        words = words[1:]
    if "--runbook" in words:  # Both.runner adds it itself
        at = words.index("--runbook")
        del words[at : at + 2]
    return head.rstrip(), words


@pytest.mark.parametrize("yes", [["--yes"], []], ids=["yes", "no-yes"])
def test_a_manual_step_stops_both_alike_then_done_continues(
    twins: tuple[Both, Both], yes: list[str]
) -> None:
    marker = "then continue with: "
    heads, continued = [], []
    for pair, runner in zip(twins, (True, False), strict=True):
        _prepare(pair, _manual_guide(), runner)
        stopped = _invoke(pair, runner, ["--version", "1.3.0", *yes])
        who = "runner" if runner else "script"
        assert stopped.returncode == ExitCode.MANUAL_STEP, (who, stopped.stdout, stopped.stderr)
        assert f"  {CHANGELOG}" in stopped.stdout.splitlines(), who
        assert "done? [y/N] yes" not in stopped.stdout, who
        assert "Traceback" not in stopped.stderr, who
        assert _calls(pair) == ["build"], who  # the manual step's commands did not run
        head, args = _continuation(stopped.stderr, marker)
        heads.append(head)
        assert args[-2:] == ["--done", "changelog"], (who, args)
        assert ("--yes" in args) == bool(yes), (who, args)
        continued.append(_invoke(pair, runner, args))
    assert (
        heads[0]
        == heads[1]
        == (
            "STOPPED at [2/3] Write the changelog: it is a manual step, and there is no terminal "
            "to ask whether it is done (--yes does not answer that). Do it by hand (the "
            "instructions are above),"
        )
    )
    for pair, result in zip(twins, continued, strict=True):
        assert "Step 2 (changelog): done? yes (--done changelog)" in result.stdout
        if yes:  # the :confirm: of publish is answered by --yes
            assert result.returncode == ExitCode.OK, (result.stdout, result.stderr)
            assert _calls(pair) == ["build", "changelog-checked", "publish"]
        else:  # and without it, both stop before publish for the same reason
            assert result.returncode == ExitCode.NEEDS_CONFIRMATION, result.stderr
            assert _calls(pair) == ["build", "changelog-checked"]


def test_done_up_front_runs_the_whole_guide_in_both(twins: tuple[Both, Both]) -> None:
    for pair, runner in zip(twins, (True, False), strict=True):
        _prepare(pair, _manual_guide(), runner)
        result = _invoke(pair, runner, ["--version", "1.3.0", "--yes", "--done", "changelog"])
        assert result.returncode == ExitCode.OK, (runner, result.stdout, result.stderr)
        assert "Step 2 (changelog): done? yes (--done changelog)" in result.stdout
        assert _calls(pair) == ["build", "changelog-checked", "publish"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--done", "nope"],
            "error: --done nope: runbook 'demo' has no step 'nope'; its steps are: build, "
            "changelog, publish",
        ),
        (["--done", "build"], "error: --done build: step 'build' is a command step; --done "),
    ],
    ids=["done-unknown", "done-command-step"],
)
def test_an_answer_to_no_question_is_refused_by_both(
    twins: tuple[Both, Both], args: list[str], message: str
) -> None:
    for pair, runner in zip(twins, (True, False), strict=True):
        _prepare(pair, _manual_guide(), runner)
        result = _invoke(pair, runner, ["--version", "1.3.0", "--yes", *args])
        assert result.returncode == ExitCode.USAGE, (runner, result.stderr)
        assert result.stderr.startswith(message), (runner, result.stderr)
        assert _calls(pair) == []


# --- a command a run was interrupted in ------------------------------------------------

# Slow the first time only (long enough to be interrupted in), quick when it runs again.
SLOW = (
    "echo two-start >> ../calls; if [ ! -e ../started ]; then touch ../started; sleep 30; fi; "
    "echo two-end >> ../calls"
)


def _interrupted_guide() -> list[Step]:
    return [
        step("build", "echo build >> ../calls"),
        step("publish", "echo one >> ../calls", SLOW, "echo three >> ../calls"),
    ]


def _interrupt(
    pair: Both, runner: bool, sig: signal.Signals = signal.SIGINT
) -> subprocess.CompletedProcess[str]:
    """Start the run and press Ctrl-C (*sig* to its process group) inside the slow command."""
    process = pair.start(
        [*pair.release_argv(runner), "--version", "1.3.0", "--yes"],
        # The signal sent at its default, as from a terminal, whatever the harness left
        # ignored (a nohup ignores SIGHUP; see test_step_signals for a run so started).
        preexec_fn=lambda: (sigint_at_default(), signal.signal(sig, signal.SIG_DFL)),
    )
    started = pair.repo.root.parent / "started"
    deadline = time.monotonic() + 60
    while not started.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the slow command never started"
        time.sleep(0.02)
    os.killpg(process.pid, sig)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize(
    ("answer", "calls"),
    [
        ("--repeat", ["build", "one", "two-start", "two-start", "two-end", "three"]),
        ("--done", ["build", "one", "two-start", "three"]),
    ],
    ids=["repeat", "done"],
)
def test_an_interrupted_command_runs_again_only_on_the_maintainer_s_word_in_both(
    twins: tuple[Both, Both], answer: str, calls: list[str]
) -> None:
    heads, options = [], []
    for pair, runner in zip(twins, (True, False), strict=True):
        who = "runner" if runner else "script"
        _prepare(pair, _interrupted_guide(), runner)
        stopped = _interrupt(pair, runner)
        assert stopped.returncode == ExitCode.INTERRUPTED, (who, stopped.stdout, stopped.stderr)
        _, args = _continuation(stopped.stderr, "Continue with: ")
        asked = _invoke(pair, runner, args)
        assert asked.returncode == ExitCode.NEEDS_DECISION, (who, asked.stdout, asked.stderr)
        assert _calls(pair) == ["build", "one", "two-start"], who  # nothing ran again
        lines = asked.stderr.strip().splitlines()
        heads.append(lines[0])
        chosen = [line for line in lines[1:] if f" {answer} publish" in line]
        assert len(chosen) == 1, (who, lines)
        label, args = _continuation(chosen[0], ": ")
        options.append(label)
        result = _invoke(pair, runner, args)
        assert result.returncode == ExitCode.OK, (who, result.stdout, result.stderr)
        assert _calls(pair) == calls, who
    assert heads[0] == heads[1]
    assert heads[0].startswith(
        "STOPPED at [2/2] Publish: step publish was interrupted in command 2 of 3 (`echo "
        "two-start >> ../calls; if [ ! -e ../started ]; then tou …`); it may or may not "
        "have taken effect, and the step declares no :skip-if: and is no check"
    ), heads[0]
    assert options[0] == options[1]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=lambda sig: sig.name)
def test_sigterm_and_sighup_stop_the_step_as_ctrl_c_does_in_both(
    twins: tuple[Both, Both], sig: signal.Signals
) -> None:
    """The step's commands are stopped (not left running), and the run says how on:
    continued, it asks about the interrupted command, as after a Ctrl-C."""
    slow = SLOW.replace("touch ../started;", "echo $$ > ../slow.pid; touch ../started;")
    guide = [
        step("build", "echo build >> ../calls"),
        step("publish", "echo one >> ../calls", slow, "echo three >> ../calls"),
    ]
    for pair, runner in zip(twins, (True, False), strict=True):
        _prepare(pair, guide, runner)
        stopped = _interrupt(pair, runner, sig)
        assert stopped.returncode == ExitCode.INTERRUPTED, (runner, stopped.stdout, stopped.stderr)
        assert "Traceback" not in stopped.stderr, (runner, stopped.stderr)
        # The command's shell is gone well before its sleep would end (the stop's grace).
        wait_until_gone(int((pair.repo.root.parent / "slow.pid").read_text()), limit=15)
        assert _calls(pair) == ["build", "one", "two-start"], runner
        _, args = _continuation(stopped.stderr, "Continue with: ")
        asked = _invoke(pair, runner, args)
        assert asked.returncode == ExitCode.NEEDS_DECISION, (runner, asked.stdout, asked.stderr)
        assert _calls(pair) == ["build", "one", "two-start"], runner


def test_an_interrupted_check_runs_again_by_itself_in_both(twins: tuple[Both, Both]) -> None:
    guide = [step("build", "echo build >> ../calls"), step("watch", SLOW, kind="check")]
    for pair, runner in zip(twins, (True, False), strict=True):
        _prepare(pair, guide, runner)
        stopped = _interrupt(pair, runner)
        assert stopped.returncode == ExitCode.INTERRUPTED, (runner, stopped.stderr)
        _, args = _continuation(stopped.stderr, "Continue with: ")
        result = _invoke(pair, runner, args)
        assert result.returncode == ExitCode.OK, (runner, result.stdout, result.stderr)
        assert (
            "note: step watch was interrupted in command 1 of 1 (`echo two-start >> ../calls; "
            "if [ ! -e ../started ]; then tou …`); running it again: it is a check"
        ) in result.stdout.splitlines(), (runner, result.stdout)
        assert _calls(pair) == ["build", "two-start", "two-start", "two-end"]


@pytest.mark.parametrize("kind", ["command", "check", "wait", "manual", "bump"])
@pytest.mark.parametrize(
    "options",
    [{}, {"skip_if": "true"}, {"expect": "x"}, {"expect_empty": True}, {"retry": 2}],
    ids=["plain", "skip-if", "expect", "expect-empty", "retry"],
)
def test_the_script_judges_a_repeat_as_the_runner(
    kind: StepKind, options: dict[str, object]
) -> None:
    """Which interrupted command runs again by itself, and which step restarts whole."""
    item = plan_step(step("s", "true", kind=kind, **options), {})
    facts = {
        "kind": kind,
        "skip_if": bool(item.skip_if),
        "expect": bool(item.expect),
        "expect_empty": bool(item.step.expect_empty),
        "retry": item.step.retry,
    }
    assert helper.safe_to_repeat(facts) == safe_to_repeat(item.step)
    assert helper.judged_whole(facts) == judged_whole(item)
