"""The plan without a shell: selection, rendering, :expect: escaping, tools and :cwd:."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sphinx_release_runbook.core.model import Runbook, Source, Step
from sphinx_release_runbook.runner.plan import (
    PlanError,
    PlannedStep,
    missing_tools,
    plan,
    plan_step,
    resolve_cwd,
    select,
)

from .conftest import step

VALUES = {"version": "0.4.0", "tag": "v0.4.0", "previous_version": "0.3.0", "package": "demo"}


def _runbook(*steps: Step) -> Runbook:
    for number, item in enumerate(steps, start=1):
        item.number = number
    return Runbook(
        name="demo",
        title="Release demo",
        version_scheme="pep440",
        tag="v{{ version }}",
        package="demo",
        source=Source("release", "docs/release.rst", 1),
        steps=list(steps),
    )


RUNBOOK = _runbook(step("one", "true"), step("two", "true"), step("three", "true"))


def _ids(steps: list[Step]) -> list[str]:
    return [item.id for item in steps]


def test_select_takes_every_step_by_default() -> None:
    assert _ids(select(RUNBOOK)) == ["one", "two", "three"]


def test_select_from_a_step_takes_it_and_every_later_step() -> None:
    assert _ids(select(RUNBOOK, start="two")) == ["two", "three"]


def test_select_only_keeps_runbook_order_and_ignores_repeats() -> None:
    assert _ids(select(RUNBOOK, only=["three", "one", "three"])) == ["one", "three"]


@pytest.mark.parametrize("kwargs", [{"start": "nope"}, {"only": ["one", "nope"]}])
def test_select_refuses_an_unknown_step_and_names_the_known_ones(kwargs: dict[str, object]) -> None:
    with pytest.raises(PlanError) as caught:
        select(RUNBOOK, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "runbook 'demo' has no step 'nope'; its steps are: one, two, three"
    )


def test_plan_step_renders_every_template_of_a_step() -> None:
    item = step(
        "publish",
        "git tag {{ tag }}",
        "echo plain",
        skip_if="git rev-parse {{ tag }}",
        env={"RELEASE": "{{ package }}-{{ version }}", "PLAIN": "x"},
        cwd="dist/{{ version }}",
    )
    planned = plan_step(item, VALUES)
    assert planned.commands == ("git tag v0.4.0", "echo plain")
    assert planned.skip_if == "git rev-parse v0.4.0"
    assert planned.env == {"RELEASE": "demo-0.4.0", "PLAIN": "x"}
    assert planned.cwd == "dist/0.4.0"
    assert planned.expect is None
    assert planned.id == "publish"
    assert planned.step is item


def test_plan_step_leaves_options_a_step_does_not_have_empty() -> None:
    planned = plan_step(step("plain", "true"), VALUES)
    assert (planned.skip_if, planned.cwd, planned.expect, dict(planned.env)) == (
        None,
        None,
        None,
        {},
    )


@pytest.mark.parametrize(
    ("options", "where"),
    [
        ({"commands": ["true", "echo {{ nope }}"]}, "command 2"),
        ({"skip_if": "test {{ nope }}"}, ":skip-if:"),
        ({"env": {"NAME": "{{ nope }}"}}, ":env: NAME"),
        ({"cwd": "{{ nope }}"}, ":cwd:"),
        ({"expect": "{{ nope }}"}, ":expect:"),
    ],
)
def test_a_placeholder_error_names_the_source_the_step_and_the_option(
    options: dict[str, object], where: str
) -> None:
    commands = options.pop("commands", [])
    item = step("broken", *commands, line=42, **options)  # type: ignore[arg-type]
    with pytest.raises(PlanError, match=rf"^docs/release\.rst:42: step 'broken', {where}: "):
        plan_step(item, VALUES)


def test_values_in_expect_are_escaped_and_stand_for_themselves() -> None:
    planned = plan_step(
        step("check", "true", kind="check", expect=r"^v{{ version }}\s+ok$"), VALUES
    )
    assert planned.expect == r"^v0\.4\.0\s+ok$"
    assert re.search(planned.expect, "v0.4.0  ok", re.MULTILINE)
    assert not re.search(planned.expect, "v0x4y0  ok", re.MULTILINE)


def test_values_in_commands_are_not_escaped() -> None:
    assert plan_step(step("c", "echo {{ version }}"), VALUES).commands == ("echo 0.4.0",)


def test_plan_renders_the_steps_in_order() -> None:
    planned = plan([step("a", "echo {{ tag }}"), step("b", "echo {{ package }}")], VALUES)
    assert [(item.id, item.commands) for item in planned] == [
        ("a", ("echo v0.4.0",)),
        ("b", ("echo demo",)),
    ]


def _tool(directory: Path, name: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)


def test_missing_tools_lists_each_absent_tool_with_the_steps_that_need_it(tmp_path: Path) -> None:
    _tool(tmp_path, "present")
    (tmp_path / "not-executable").write_text("")
    planned = plan(
        [
            step("a", "true", requires=["present", "absent"]),
            step("b", "true", requires=["not-executable"]),
            step("c", "true", requires=["absent"]),
            step("d", "true"),
        ],
        VALUES,
    )
    assert missing_tools(planned, str(tmp_path)) == {
        "absent": ["a", "c"],
        "not-executable": ["b"],
    }


def test_missing_tools_is_empty_when_every_tool_is_there(tmp_path: Path) -> None:
    _tool(tmp_path, "present")
    assert missing_tools(plan([step("a", requires=["present"])], VALUES), str(tmp_path)) == {}


def _with_cwd(cwd: str | None) -> PlannedStep:
    return PlannedStep(step("in-dir", "true", line=7), ("true",), None, cwd=cwd)


def test_resolve_cwd_is_the_root_without_a_cwd(tmp_path: Path) -> None:
    assert resolve_cwd(tmp_path, _with_cwd(None)) == tmp_path


def test_resolve_cwd_resolves_a_directory_inside_the_repository(tmp_path: Path) -> None:
    (tmp_path / "docs" / "api").mkdir(parents=True)
    assert resolve_cwd(tmp_path, _with_cwd("docs/../docs/api")) == (tmp_path / "docs/api").resolve()


@pytest.mark.parametrize("cwd", ["..", "docs/../../elsewhere", "/tmp", "link"])
def test_resolve_cwd_refuses_a_directory_outside_the_repository(tmp_path: Path, cwd: str) -> None:
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(PlanError) as caught:
        resolve_cwd(root, _with_cwd(cwd))
    assert str(caught.value) == (
        f"docs/release.rst:7: step 'in-dir': :cwd: {cwd} is outside the repository"
    )
