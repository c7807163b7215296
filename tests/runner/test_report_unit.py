"""The runner's wording, from data to lines: plan, failure report, resume command."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import pytest

from sphinx_release_runbook.bump import FileEdit, VersionSite
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import BumpTarget, Runbook, Source, Step
from sphinx_release_runbook.runner.plan import plan
from sphinx_release_runbook.runner.report import (
    Invocation,
    edit_lines,
    failure_lines,
    finding_line,
    header,
    matching_troubleshoot,
    plan_lines,
    step_heading,
    step_label,
)
from sphinx_release_runbook.runner.validate import Release

from .conftest import Troubleshoot, step


def _numbered(*steps: Step) -> list[Step]:
    for number, item in enumerate(steps, start=1):
        item.number = number
    return list(steps)


def _entry(entry_id: str, match: str, *, url: str = "") -> Troubleshoot:
    return Troubleshoot(
        id=entry_id,
        title=f"Fix {entry_id}",
        match=match,
        text=f"\nFirst do {entry_id}.\nThen resume.\n",
        runbook="demo",
        source=Source("release", "docs/release.rst", 80),
        url=url,
    )


def _runbook(steps: list[Step], troubleshoot: Sequence[Troubleshoot] = ()) -> Runbook:
    return Runbook(
        name="demo",
        title="Release demo",
        version_scheme="pep440",
        tag="v{{ version }}",
        package="demo",
        source=Source("release", "docs/release.rst", 1),
        steps=steps,
        troubleshoot=list(troubleshoot),
    )


STEPS = _numbered(
    step("update-main", "git pull"),
    step("bump", kind="bump"),
    step("confirm-pypi", kind="manual", confirm=True),
    step("push", "git push", confirm=True, title="Push the release"),
)
VALUES = {"version": "0.4.0", "tag": "v0.4.0", "previous_version": "0.3.0", "package": "demo"}


def test_plan_lines_align_ids_and_kinds_and_flag_confirm_and_done() -> None:
    lines = plan_lines(plan(STEPS, VALUES), total=6, done=["bump", "push"])
    assert lines == [
        "Plan (4 of 6 steps):",
        "    1. update-main   command  Update main",
        "    2. bump          bump     Bump  [done]",
        "    3. confirm-pypi  manual   Confirm pypi  [confirm]",
        "    4. push          command  Push the release  [confirm, done]",
    ]


def test_plan_lines_of_an_empty_plan_is_its_heading() -> None:
    assert plan_lines([], total=3) == ["Plan (0 of 3 steps):"]


def test_header_shows_the_previous_version_when_there_is_one() -> None:
    runbook = _runbook(STEPS)
    assert header(runbook, Release("0.4.0", "0.3.0", "v0.4.0", VALUES)) == [
        "Release demo [demo]",
        "Release 0.4.0 (current 0.3.0), tag v0.4.0",
    ]
    assert header(runbook, Release("0.4.0", "", "v0.4.0", VALUES))[1] == (
        "Release 0.4.0, tag v0.4.0"
    )


def test_step_label_and_heading() -> None:
    push = STEPS[3]
    assert step_label(push, 4) == "[4/4] Push the release"
    assert step_heading(push, 4) == "[4/4] Push the release  (push, docs/release.rst:10)"


def test_failure_lines_name_the_step_its_source_docs_and_the_resume_command() -> None:
    runbook = _runbook(STEPS)
    lines = failure_lines(runbook, STEPS[0], 4, "`git pull` exited with status 1", "", "RESUME")
    assert lines == [
        "FAILED [1/4] Update main: `git pull` exited with status 1",
        "  step:   update-main",
        "  source: docs/release.rst:10",
        "  docs:   release.html#update-main",
        "  resume: RESUME",
    ]


def test_failure_lines_leave_out_docs_without_a_url() -> None:
    bare = _numbered(step("bare", "false"))[0]
    bare.url = ""
    lines = failure_lines(_runbook([bare]), bare, 1, "failed", "", "RESUME")
    assert not any(line.startswith("  docs:") for line in lines)


def test_failure_lines_add_each_matching_troubleshooting_entry_in_runbook_order() -> None:
    entries = [
        _entry("auth", r"^fatal: Authentication failed", url="release.html#auth"),
        _entry("other", r"no such thing"),
        _entry("broken", r"(unclosed"),
        _entry("rejected", r"\[rejected\]"),
        _entry("empty", ""),
    ]
    output = "To origin\n ! [rejected] main -> main\nfatal: Authentication failed\n"
    runbook = _runbook(STEPS, entries)
    assert [entry.id for entry in matching_troubleshoot(runbook, output)] == ["auth", "rejected"]
    lines = failure_lines(runbook, STEPS[3], 4, "`git push` exited with status 1", output, "R")
    assert lines[4:] == [
        "  troubleshooting: Fix auth (docs/release.rst:80)",
        "    docs: release.html#auth",
        "    First do auth.",
        "    Then resume.",
        "  troubleshooting: Fix rejected (docs/release.rst:80)",
        "    First do rejected.",
        "    Then resume.",
        "  resume: R",
    ]


def test_resume_command_repeats_the_options_that_shape_the_run() -> None:
    invocation = Invocation(
        runbook_file="build/my docs/runbook.json",
        name="pypi",
        secrets=("DEPLOY_HOOK", "A B"),
        assume_yes=True,
        force=True,
    )
    command = invocation.resume_command("0.4.0")
    assert command == (
        "python -m runbook run --version 0.4.0 --resume --runbook 'build/my docs/runbook.json' "
        "--name pypi --secret DEPLOY_HOOK --secret 'A B' --yes --force"
    )
    words = shlex.split(command)
    assert words[words.index("--runbook") + 1] == "build/my docs/runbook.json"
    assert words[-4:] == ["--secret", "A B", "--yes", "--force"]


def test_resume_command_of_a_plain_run_is_the_short_one() -> None:
    assert Invocation().resume_command("1.0.0rc1") == (
        "python -m runbook run --version 1.0.0rc1 --resume"
    )


@pytest.mark.parametrize(
    ("given", "override", "has_yes"),
    [(False, True, True), (True, False, False), (True, None, True), (False, None, False)],
)
def test_resume_command_assume_yes_overrides_the_invocation(
    given: bool, override: bool | None, has_yes: bool
) -> None:
    command = Invocation(assume_yes=given).resume_command("1.0.0", assume_yes=override)
    assert command.endswith(" --yes") is has_yes


def test_edit_lines_show_each_change_and_what_is_already_there() -> None:
    target = BumpTarget("pyproject.toml", "project.version")
    info = BumpTarget("demo/_version.py", "__version_info__")
    old = VersionSite(3, 'version = "0.3.0"  # bumped', 10, 17, "0.3.0")
    same = VersionSite(4, "__version_info__ = (0, 4, 0)", 19, 28, "0.4.0")
    edits = [
        FileEdit("pyproject.toml", "", "", ((target, old, '  version = "0.4.0"  # bumped'),)),
        FileEdit("demo/_version.py", "", "", ((info, same, same.text),)),
    ]
    assert edit_lines(edits) == [
        "  pyproject.toml:3: project.version",
        '    - version = "0.3.0"  # bumped',
        '    + version = "0.4.0"  # bumped',
        "  demo/_version.py:4: __version_info__ already __version_info__ = (0, 4, 0)",
    ]


def test_finding_line_is_path_line_text_and_type() -> None:
    finding = Finding("docs/release.rst", 12, "path", "no such file: dist/", diff="")
    assert finding_line(finding) == ("docs/release.rst:12: no such file: dist/ [runbook.path]")
    with_diff = Finding("docs/a.rst", 3, "mirror", "differs", diff="-a\n+b\n")
    # The type ends the message line; the diff follows on its own, indented lines.
    assert finding_line(with_diff) == "docs/a.rst:3: differs [runbook.mirror]\n    -a\n    +b"


@pytest.mark.parametrize(
    "odd", ["my docs/runbook.json", "it's.json", "$HOME/rb.json", "a;rm -rf b"]
)
def test_resume_command_quotes_what_a_shell_would_interpret(odd: str) -> None:
    command = Invocation(runbook_file=odd, secrets=(odd,)).resume_command("1.0.0")
    words = shlex.split(command)
    assert words[words.index("--runbook") + 1] == odd
    assert words[words.index("--secret") + 1] == odd
