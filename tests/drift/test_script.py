"""``runbook.script`` through the registry: the committed checklist script is fresh."""

from __future__ import annotations

from sphinx_release_runbook.core.model import Runbook, Source, Step
from sphinx_release_runbook.drift import ScriptItem
from sphinx_release_runbook.drift.registry import run
from sphinx_release_runbook.export.script import render_script

from .conftest import MakeRepo

SOURCE = Source("index", "docs/index.rst", 4)


def runbook(command: str = "git tag {{ tag }}") -> Runbook:
    step = Step(id="tag", title="Tag", kind="command", runbook="demo", source=SOURCE, number=1)
    step.commands = [command]
    return Runbook("demo", "Demo", "pep440", "v{{ version }}", "demo", SOURCE, steps=[step])


def test_a_fresh_script_passes(make_repo: MakeRepo) -> None:
    repo = make_repo({"scripts/release.sh": render_script(runbook(), "release.sh")})
    assert run(repo, [ScriptItem("scripts/release.sh", runbook())]) == []


def test_a_missing_script(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [ScriptItem("scripts/release.sh", runbook())])
    assert (finding.path, finding.line, finding.subtype) == ("scripts/release.sh", 1, "script")
    assert finding.message == (
        "scripts/release.sh is missing; regenerate it with `python -m runbook export`"
    )


def test_a_stale_script_names_its_first_changed_line_and_carries_a_diff(
    make_repo: MakeRepo,
) -> None:
    repo = make_repo({"release.sh": render_script(runbook("git tag old"), "release.sh")})
    (finding,) = run(repo, [ScriptItem("release.sh", runbook())])
    assert finding.message == "release.sh is stale; regenerate it with `python -m runbook export`"
    assert finding.line > 1
    assert "--- release.sh (committed)" in finding.diff
    assert "+++ release.sh (from the guide)" in finding.diff


def test_a_runbook_the_script_cannot_hold(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [ScriptItem("release.sh", runbook("echo {{ version[0] }}"))])
    assert finding.subtype == "script"
    assert "an index or slice (x[...]) cannot be exported" in finding.message
