"""The script's helper (export/helper.py) against the code it mirrors, without a shell.

The helper is embedded in every exported script and may use python3's
standard library only, so it re-states the version grammars, the value
rules, the compiled expressions and the masking.  Each is compared here with
the runner's own code over generated inputs: same verdicts, same messages,
same order.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_release_runbook.core import versions
from sphinx_release_runbook.core.model import Runbook, Source, Step
from sphinx_release_runbook.core.template_tree import compile_template
from sphinx_release_runbook.core.templating import render
from sphinx_release_runbook.export import helper
from sphinx_release_runbook.export.script import _program
from sphinx_release_runbook.runner.plan import PlanError, select
from sphinx_release_runbook.runner.secrets import Masker

SCHEMES = st.sampled_from(["pep440", "semver"])
# Near-versions: the characters versions are made of, and some that must never pass.
VERSION_ISH = st.text(alphabet="0123456789.-+abcdefghijklmnoprstuvVxyz$() ;\t\u0661", max_size=16)


def _core(text: str, scheme: str) -> tuple[str, object]:
    try:
        parsed = versions.parse_version(text, scheme)  # type: ignore[arg-type]
    except versions.VersionError as exc:
        return "refused", str(exc)
    return "parsed", (parsed.release, parsed.extra)


def _helper(text: str, scheme: str) -> tuple[str, object]:
    try:
        parsed = helper.parse_version(text, scheme)
    except helper.Refused as exc:
        return "refused", str(exc)
    return "parsed", (parsed.release, parsed.extra)


@settings(max_examples=2000, deadline=None)
@given(st.one_of(VERSION_ISH, st.text(max_size=12)), SCHEMES)
def test_the_helper_parses_and_refuses_as_core_with_the_same_message(
    text: str, scheme: str
) -> None:
    assert _helper(text, scheme) == _core(text, scheme)


@pytest.mark.parametrize(
    ("text", "scheme"),
    [
        (text, scheme)
        for scheme in ("pep440", "semver")
        for text in (
            "",
            "0.4",
            "0.4.0",
            "v0.4.0",
            " 0.4.0",
            "0.4.0\n",
            "01.2.3",
            "1.2.3rc01",
            "1.2.3.post1.dev2",
            "1.2.3-rc.1",
            "1.2.3-01",
            "1.2.3+build",
            "1.2.3;touch PWNED",
            "$(touch PWNED)",
            "\u0661.\u0662.\u0663",
        )
    ],
)
def test_curated_versions(text: str, scheme: str) -> None:
    assert _helper(text, scheme) == _core(text, scheme)


PEP440 = st.builds(
    lambda release, pre, post, dev: ".".join(map(str, release)) + pre + post + dev,
    st.lists(st.integers(0, 3), min_size=3, max_size=5),
    st.sampled_from(["", "a0", "a1", "b2", "rc1", "rc10"]),
    st.sampled_from(["", ".post0", ".post1"]),
    st.sampled_from(["", ".dev0", ".dev3"]),
)
SEMVER = st.builds(
    lambda release, pre: ".".join(map(str, release)) + pre,
    st.lists(st.integers(0, 3), min_size=3, max_size=3),
    st.sampled_from(
        ["", "-alpha", "-alpha.1", "-alpha.beta", "-beta.2", "-beta.11", "-rc.1", "-1"]
    ),
)


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.tuples(st.just("pep440"), PEP440, PEP440), st.tuples(st.just("semver"), SEMVER, SEMVER)
    )
)
def test_the_helper_orders_versions_as_core(case: tuple[str, str, str]) -> None:
    scheme, left, right = case
    core_left, core_right = (versions.parse_version(v, scheme) for v in (left, right))  # type: ignore[arg-type]
    ours_left, ours_right = (helper.parse_version(v, scheme) for v in (left, right))
    assert (core_left < core_right) == (ours_left < ours_right)
    assert (core_left > core_right) == (ours_left > ours_right)
    assert (core_left == core_right) == (ours_left == ours_right)
    for part in versions.BUMP_PARTS:
        assert helper.next_version(left, part, scheme) == versions.next_version(left, part, scheme)  # type: ignore[arg-type]
    assert helper.version_info(left, scheme) == versions.format_version_info(
        versions.version_info(left, scheme)  # type: ignore[arg-type]
    )


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="aZ09._-/+@{}~^:?*[\\ ;$`'\"lock\n", max_size=14))
def test_the_helper_judges_packages_and_tags_as_core(text: str) -> None:
    assert helper.package_problem(text) == versions.package_problem(text)
    assert helper.tag_problem(text) == versions.tag_problem(text)


@settings(max_examples=300, deadline=None)
@given(VERSION_ISH, SCHEMES)
def test_the_refusal_wording_is_the_runner_s(text: str, scheme: str) -> None:
    try:
        versions.parse_version(text, scheme)  # type: ignore[arg-type]
    except versions.VersionError as exc:
        expected = versions.version_refusal("--version", text, scheme, exc)  # type: ignore[arg-type]
        assert helper.version_refusal("--version", text, scheme, str(exc)) == expected


# --- compiled templates ----------------------------------------------------------------

NAMES = ("version", "tag", "version_info", "previous_version", "package")
CONSTANT = st.sampled_from(["'.'", "'-'", "''", "'x y'", '"{{"', "1", "'A'"])
FILTER = st.sampled_from(
    [
        "upper",
        "lower",
        "capitalize",
        "string",
        "trim",
        "trim('.')",
        "replace('.', '-')",
        "replace('0', '', 1)",
        "replace('', '_')",
        "replace(1, 'one')",
    ]
)


@st.composite
def expressions(draw: st.DrawFn) -> str:
    operands = draw(st.lists(st.one_of(st.sampled_from(NAMES), CONSTANT), min_size=1, max_size=3))
    expression = " ~ ".join(operands)
    filters = draw(st.lists(FILTER, max_size=3))
    if filters:
        expression = f"({expression}) | " + " | ".join(filters)
    spacing = draw(st.sampled_from(["{{%s}}", "{{ %s }}", "{{   %s  }}", "{{- %s -}}"]))
    return spacing % expression


@st.composite
def templates(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(expressions(), st.text(alphabet="ab $'\"\\\n.-", max_size=5)), max_size=4
        )
    )
    return "".join(pieces)


VALUE = st.text(alphabet="aB0.-_ ()',", max_size=8)


@settings(max_examples=1500, deadline=None)
@given(templates(), st.fixed_dictionaries({name: VALUE for name in NAMES}))
def test_a_compiled_template_fills_as_the_runner_renders(
    template: str, values: dict[str, str]
) -> None:
    program = _program(compile_template(template))
    assert helper.fill(program, values) == render(template, values)


# --- masking and selection -------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.text(alphabet="ab\nc ", min_size=1, max_size=6), max_size=4),
    st.text(alphabet="abc\n -", max_size=20),
)
def test_the_helper_masks_as_the_runner(secrets: list[str], text: str) -> None:
    ours, runner = helper.Masker(secrets), Masker(secrets)
    assert ours.mask(text) == runner.mask(text)
    assert ours.unsafe_tail(text) == runner.unsafe_tail(text)


def _runbook(ids: list[str]) -> Runbook:
    source = Source("r", "r.rst", 1)
    steps = [Step(id=i, title=i, kind="command", runbook="demo", source=source) for i in ids]
    return Runbook("demo", "Demo", "pep440", "v{{ version }}", "demo", source, steps=steps)


@pytest.mark.parametrize(
    ("start", "only"),
    [(None, ()), ("b", ()), (None, ("c", "a")), ("x y", ()), (None, ("a", "it's"))],
)
def test_the_helper_selects_steps_as_the_runner(start: str | None, only: tuple[str, ...]) -> None:
    ids = ["a", "b", "c"]
    args = ["demo", start or "", str(len(only)), *only, *ids]
    try:
        expected: object = [
            ids.index(s.id) + 1 for s in select(_runbook(ids), start=start, only=only)
        ]
    except PlanError as exc:
        expected = str(exc)
    try:
        got: object = helper.select(args)
    except helper.Refused as exc:
        got = str(exc)
    assert got == expected


def test_the_helper_runs_on_a_bare_python3_without_the_package(tmp_path: Path) -> None:
    # -I -S: no site-packages, no PYTHONPATH, no current directory on the path.
    source = Path(helper.__file__).read_text(encoding="utf-8")
    result = subprocess.run(
        ["python3", "-I", "-S", "-c", source, "select", "demo", "b", "0", "a", "b", "c"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "2 3\n", "")
    refused = subprocess.run(
        ["python3", "-I", "-S", "-c", source, "select", "demo", "x", "0", "a"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
        check=False,
    )
    assert (refused.returncode, refused.stderr) == (
        2,
        "error: runbook 'demo' has no step 'x'; its steps are: a\n",
    )
