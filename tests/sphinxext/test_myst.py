"""MyST Markdown and reST twins of one guide export the same runbook.

Root ``test-twins`` holds ``rst/index.rst`` and ``md/index.md``: the same
directives and options in both syntaxes (multi-line MyST options in a ``---``
YAML block).  Each test builds one twin (``root_doc`` and ``exclude_patterns``
pick it) and compares every field except where the entry is written.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOTS, copy_root, load_export, sphinx_build, steps_of

#: The fields that say where an entry is written: they differ between twins by design.
LOCATION_FIELDS = ("source", "url")


def without_location(data: dict[str, Any]) -> dict[str, Any]:
    stripped = copy.deepcopy(data)
    for runbook in stripped["runbooks"]:
        for entry in [runbook, *runbook["steps"], *runbook["troubleshoot"]]:
            for name in LOCATION_FIELDS:
                del entry[name]
    return stripped


def build_twin(destination: Path, twin_name: str, other: str) -> dict[str, Any]:
    srcdir = copy_root("test-twins", destination)
    result = sphinx_build(
        srcdir,
        "runbook",
        "-D",
        f"root_doc={twin_name}/index",
        "-D",
        f"exclude_patterns=_build,{other}",
    )
    assert result.status == 0
    assert result.stderr == ""
    return load_export(result.outdir / "runbook.json")


@pytest.fixture
def rst_export(tmp_path: Path) -> dict[str, Any]:
    return build_twin(tmp_path / "rst", "rst", "md")


@pytest.fixture
def md_export(tmp_path: Path) -> dict[str, Any]:
    return build_twin(tmp_path / "md", "md", "rst")


def test_myst_twin_exports_the_same_entries_as_rest(
    rst_export: dict[str, Any], md_export: dict[str, Any]
) -> None:
    assert without_location(md_export) == without_location(rst_export)


def test_twins_cover_every_kind_and_option(rst_export: dict[str, Any]) -> None:
    """The comparison above means something only if the twins use the options."""
    steps = {step["id"]: step for step in steps_of(rst_export)}
    assert {step["kind"] for step in steps.values()} == {
        "check",
        "bump",
        "command",
        "manual",
        "wait",
    }
    build = steps["build"]
    assert build["env"] == {"PIP_NO_INPUT": "1", "SOURCE_DATE_EPOCH": "0"}
    assert build["skip_if"] == "test -d dist/{{ version }}"
    assert (build["cwd"], build["timeout"], build["title"]) == (
        "dist",
        120.5,
        "Build the distributions",
    )
    assert build["commands"] == [
        "python -m build",
        "twine upload \\\n  --skip-existing dist/*",
        'gh release create {{ tag }} --notes "Release\nof {{ package }} {{ version }}"',
    ]
    assert steps["bump-version"]["bump"] == [{"path": "pyproject.toml", "key": "project.version"}]
    assert steps["publish"]["confirm"] is True
    # Plain text (the same from reST and MyST): markup gone, placeholders kept.
    assert steps["publish"]["instructions"] == (
        "Publish the GitHub release for {{ tag }}.\n\nThen check the Actions tab."
    )
    assert steps["check-clean"]["expect_empty"] is True
    assert steps["check-clean"]["requires"] == ["git"]
    assert (steps["wait-index"]["retry"], steps["wait-index"]["interval"]) == (3, 2.5)
    runbook = rst_export["runbooks"][0]
    assert (runbook["version_scheme"], runbook["tag"], runbook["package"]) == (
        "semver",
        "release-{{ version }}",
        "twins",
    )
    assert runbook["troubleshoot"][0]["title"] == "Already on the index"


def test_myst_sources_point_at_the_fence_lines(md_export: dict[str, Any]) -> None:
    lines = (ROOTS / "test-twins" / "md" / "index.md").read_text(encoding="utf-8").splitlines()
    runbook = md_export["runbooks"][0]
    entries = [
        ("release-runbook", runbook["name"], runbook["source"]),
        *(("release-step", step["id"], step["source"]) for step in runbook["steps"]),
        *(("release-troubleshoot", e["id"], e["source"]) for e in runbook["troubleshoot"]),
    ]
    for directive, name, source in entries:
        assert source["path"] == "md/index.md"
        assert lines[source["line"] - 1] == f"```{{{directive}}} {name}", name
