"""Actions without a shell: what each kind of step says in a dry run, and its own part of a run."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import STEP_KINDS, BumpTarget, Step
from sphinx_release_runbook.runner.actions import (
    ACTIONS,
    BumpAction,
    CommandAction,
    ManualAction,
    StepRun,
    Workspace,
    action_for,
    describe,
)
from sphinx_release_runbook.runner.commands import Commands
from sphinx_release_runbook.runner.errors import StepFailed
from sphinx_release_runbook.runner.plan import PlannedStep, plan_step
from sphinx_release_runbook.runner.prompts import (
    Declined,
    ManualPending,
    NeedsConfirmation,
    Prompter,
)
from sphinx_release_runbook.runner.secrets import Masker
from sphinx_release_runbook.runner.state import RunState, StateStore
from sphinx_release_runbook.runner.transcript import Console
from sphinx_release_runbook.runner.verdict import judge, judged_whole

from .conftest import BUMP_STEP, PYPROJECT, VERSION_PY, step

VALUES = {"version": "1.3.0", "tag": "v1.3.0", "previous_version": "1.2.0", "package": "demo"}


def _planned(item: Step, number: int = 2) -> PlannedStep:
    """*item* (a copy: the conftest's steps are shared) planned as step *number*."""
    return plan_step(replace(item, number=number), VALUES)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "demo").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "demo" / "_version.py").write_text(VERSION_PY)
    return tmp_path


@pytest.fixture
def workspace(project: Path) -> Workspace:
    return Workspace(project, "1.3.0", "pep440")


# --- the one dispatch ------------------------------------------------------------------


def test_every_step_kind_has_exactly_one_action() -> None:
    assert sorted(ACTIONS) == sorted(STEP_KINDS)
    assert {kind for kind, action in ACTIONS.items() if isinstance(action, CommandAction)} == {
        "command",
        "check",
        "wait",
    }
    assert isinstance(ACTIONS["manual"], ManualAction)
    assert isinstance(ACTIONS["bump"], BumpAction)
    assert action_for(step("x", kind="wait")) is ACTIONS["wait"]


# --- describe() ------------------------------------------------------------------------


def test_a_command_step_lists_its_commands(workspace: Workspace) -> None:
    item = _planned(step("build", "poetry build", "ls dist/*{{ version }}*"))
    assert action_for(item.step).describe(item, workspace) == [
        "  $ poetry build",
        "  $ ls dist/*1.3.0*",
    ]


def test_a_command_step_with_confirm_says_it_asks_first(workspace: Workspace) -> None:
    item = _planned(step("push", "git push", confirm=True))
    assert action_for(item.step).describe(item, workspace) == [
        "  asks for confirmation before it runs",
        "  $ git push",
    ]


def test_how_the_output_is_judged_follows_the_commands(workspace: Workspace) -> None:
    item = _planned(
        step(
            "poll",
            "gh run list",
            kind="wait",
            expect="completed {{ tag }}",
            expect_empty=True,
            timeout=90.0,
            retry=3,
            interval=0.5,
        )
    )
    assert action_for(item.step).describe(item, workspace) == [
        "  $ gh run list",
        r"  (expect /completed v1\.3\.0/; expect empty output; timeout 90s; retry 3 every 0.5s)",
    ]


def test_a_check_without_options_has_no_judgement_line(workspace: Workspace) -> None:
    item = _planned(step("clean", "git status --porcelain", kind="check"))
    assert action_for(item.step).describe(item, workspace) == ["  $ git status --porcelain"]


def test_a_manual_step_shows_its_instructions_and_asks_once(workspace: Workspace) -> None:
    item = _planned(
        step(
            "announce",
            kind="manual",
            instructions="\nPost the release notes.\n  Link the tag.\n",
            confirm=True,
        )
    )
    assert action_for(item.step).describe(item, workspace) == [
        "  manual step; asks whether it is done (without a terminal: --done announce):",
        "    Post the release notes.",
        "      Link the tag.",
    ]


def test_a_bump_step_lists_the_edits_it_would_make(workspace: Workspace) -> None:
    item = _planned(BUMP_STEP)
    assert action_for(item.step).describe(item, workspace) == [
        "  pyproject.toml:4: project.version",
        '    - version = "1.2.0"   # bumped by the runbook',
        '    + version = "1.3.0"   # bumped by the runbook',
        "  demo/_version.py:3: __version__",
        "    - __version__ = '1.2.0'",
        "    + __version__ = '1.3.0'",
        "  demo/_version.py:4: __version_info__",
        "    - __version_info__ = (1, 2, 0)",
        "    + __version_info__ = (1, 3, 0)",
    ]


def test_a_bump_step_already_at_the_version_says_so(project: Path) -> None:
    item = _planned(
        step("bump", kind="bump", bump=[BumpTarget("pyproject.toml", "project.version")])
    )
    lines = action_for(item.step).describe(item, Workspace(project, "1.2.0", "pep440"))
    assert lines == [
        '  pyproject.toml:4: project.version already version = "1.2.0"   # bumped by the runbook'
    ]


def test_a_bump_step_that_cannot_plan_says_why_and_goes_on(workspace: Workspace) -> None:
    item = _planned(
        step(
            "bump",
            "git add -A",
            kind="bump",
            confirm=True,
            bump=[BumpTarget("pyproject.toml", "project.nope")],
        )
    )
    assert action_for(item.step).describe(item, workspace) == [
        "  asks for confirmation before it runs",
        "  bump: pyproject.toml: no key project.nope",
        "  $ git add -A",
    ]


def test_describe_opens_with_the_heading_then_the_options_then_the_action(
    workspace: Workspace,
) -> None:
    item = _planned(
        step(
            "publish",
            "twine upload dist/*",
            line=33,
            skip_if="pip download demo=={{ version }}",
            env={"TWINE_USERNAME": "__token__", "TAG": "{{ tag }}"},
            cwd="dist",
            confirm=True,
        ),
        number=5,
    )
    assert describe(item, workspace, total=9) == [
        "",
        "[5/9] Publish  (publish, docs/release.rst:33)",
        "  skip if: pip download demo==1.3.0",
        "  env: TWINE_USERNAME=__token__",
        "  env: TAG=v1.3.0",
        "  cwd: dist",
        "  asks for confirmation before it runs",
        "  $ twine upload dist/*",
    ]


def test_describe_writes_nothing(workspace: Workspace, project: Path) -> None:
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    describe(_planned(BUMP_STEP), workspace, total=3)
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


# --- do(), the part before any command -------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _NoShell(Commands):
    """Records the steps whose commands would run, instead of running them."""

    ran: list[str]

    def run(self, item: PlannedStep) -> None:
        self.ran.append(item.id)


def _run(
    project: Path,
    *,
    assume_yes: bool = True,
    answers: str | None = None,
    done: frozenset[str] = frozenset(),
) -> tuple[StepRun, io.StringIO, list[str]]:
    out = io.StringIO()
    console = Console(Masker(), out=out, err=out)
    stdin = _Terminal(answers) if answers is not None else io.StringIO()
    prompter = Prompter(assume_yes=assume_yes, stdin=stdin, say=console.line)
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=[])
    commands = _NoShell(console, StateStore(project), state, project, {})
    commands.ran = []
    return (
        StepRun(Workspace(project, "1.3.0", "pep440"), console, prompter, commands, done),
        out,
        commands.ran,
    )


def test_a_command_step_asks_before_its_commands(project: Path) -> None:
    run, out, ran = _run(project)
    item = _planned(step("push", "git push", confirm=True))
    action_for(item.step).do(item, run)
    assert out.getvalue() == "Run step 2 (push)? [y/N] yes (--yes)\n"
    assert ran == ["push"]


def test_a_command_step_without_confirm_runs_its_commands_unasked(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=False)
    item = _planned(step("build", "make"))
    action_for(item.step).do(item, run)
    assert (out.getvalue(), ran) == ("", ["build"])


def test_answering_no_runs_no_command(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=False, answers="n\n")
    item = _planned(step("push", "git push", confirm=True))
    with pytest.raises(Declined):
        action_for(item.step).do(item, run)
    assert ran == []
    assert out.getvalue() == "Run step 2 (push)? [y/N] \n"


def test_without_a_terminal_a_question_stops_the_step_before_it_starts(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=False)
    item = _planned(replace(BUMP_STEP, confirm=True))
    with pytest.raises(NeedsConfirmation):
        action_for(item.step).do(item, run)
    assert (out.getvalue(), ran) == ("", [])
    assert (project / "pyproject.toml").read_text() == PYPROJECT


def test_a_manual_step_shows_its_instructions_then_asks_if_done(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=False, answers="maybe\ny\n")
    item = _planned(step("announce", kind="manual", instructions="Post the notes.\nTweet.\n"))
    action_for(item.step).do(item, run)
    assert out.getvalue() == (
        "  Post the notes.\n"
        "  Tweet.\n"
        "Step 2 (announce): done? [y/N] \n"
        "Please answer y or n.\n"
        "Step 2 (announce): done? [y/N] \n"
    )
    assert ran == ["announce"]


def test_yes_does_not_say_a_manual_step_is_done(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=True)
    item = _planned(step("announce", kind="manual", instructions="Post the notes.\n"))
    with pytest.raises(ManualPending):
        action_for(item.step).do(item, run)
    assert (out.getvalue(), ran) == ("  Post the notes.\n", [])


def test_a_manual_step_named_done_is_done_without_a_question(project: Path) -> None:
    run, out, ran = _run(project, assume_yes=False, done=frozenset({"announce"}))
    item = _planned(step("announce", kind="manual", instructions="Post the notes.\n"))
    action_for(item.step).do(item, run)
    assert out.getvalue() == ("  Post the notes.\nStep 2 (announce): done? yes (--done announce)\n")
    assert ran == ["announce"]


def test_on_a_terminal_a_manual_step_asks_even_with_yes(project: Path) -> None:
    run, _out, ran = _run(project, assume_yes=True, answers="n\n")
    item = _planned(step("announce", kind="manual", instructions="Post the notes.\n"))
    with pytest.raises(Declined):
        action_for(item.step).do(item, run)
    assert ran == []


def test_a_bump_step_writes_every_target_and_prints_the_edits(project: Path) -> None:
    run, out, ran = _run(project)
    item = _planned(BUMP_STEP)
    action_for(item.step).do(item, run)
    assert "__version__ = '1.3.0'" in (project / "demo" / "_version.py").read_text()
    assert 'version = "1.3.0"   # bumped by the runbook' in (project / "pyproject.toml").read_text()
    assert out.getvalue().splitlines()[:3] == [
        "  pyproject.toml:4: project.version",
        '    - version = "1.2.0"   # bumped by the runbook',
        '    + version = "1.3.0"   # bumped by the runbook',
    ]
    assert ran == [item.id]  # BUMP_STEP is shared; another test may have renamed it


def test_a_bump_that_cannot_plan_fails_the_step_and_writes_nothing(project: Path) -> None:
    run, out, ran = _run(project)
    targets = [*BUMP_STEP.bump, BumpTarget("demo/_version.py", "__missing__")]
    item = _planned(step("bump", kind="bump", bump=targets))
    with pytest.raises(StepFailed) as caught:
        action_for(item.step).do(item, run)
    reason = "demo/_version.py: no assignment to __missing__"
    assert str(caught.value) == caught.value.output == reason
    assert (project / "pyproject.toml").read_text() == PYPROJECT
    assert (project / "demo" / "_version.py").read_text() == VERSION_PY
    assert (out.getvalue(), ran) == ("", [])


# --- the verdict on a step's output ----------------------------------------------------


@pytest.mark.parametrize(
    ("options", "whole"),
    [({}, False), ({"expect": "ok"}, True), ({"expect_empty": True}, True), ({"retry": 2}, True)],
)
def test_a_step_that_judges_its_output_reruns_whole(
    options: dict[str, object], whole: bool
) -> None:
    assert judged_whole(_planned(step("s", "true", **options))) is whole  # type: ignore[arg-type]


def test_output_that_matches_passes() -> None:
    judge(
        _planned(step("s", kind="check", expect=r"^version {{ version }}$")), "x\nversion 1.3.0\n"
    )
    judge(_planned(step("s", kind="check", expect_empty=True)), "  \n\n")


@pytest.mark.parametrize(
    ("options", "output", "reason"),
    [
        (
            {"expect_empty": True},
            "M  file\n",
            "the output should be empty (:expect-empty:) but is not",
        ),
        (
            {"expect": "v{{ version }}"},
            "v1x3y0\n",
            r"the output does not match :expect: /v1\.3\.0/",
        ),
        ({"expect": "(unclosed"}, "", ":expect: '(unclosed' is not a valid regex: "),
    ],
)
def test_output_that_does_not_match_fails_the_step_with_its_output(
    options: dict[str, object], output: str, reason: str
) -> None:
    with pytest.raises(StepFailed) as caught:
        judge(_planned(step("s", kind="check", **options)), output)  # type: ignore[arg-type]
    assert str(caught.value).startswith(reason)
    assert caught.value.output == output


def test_a_step_without_commands_runs_none(project: Path) -> None:
    out = io.StringIO()
    state = RunState("demo", "1.3.0", "1.2.0", "v1.3.0", selected=["m"])
    commands = Commands(
        Console(Masker(), out=out, err=out), StateStore(project), state, project, {}
    )
    commands.run(_planned(step("m", kind="manual")))
    assert out.getvalue() == ""
