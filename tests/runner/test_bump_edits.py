"""Planned bump edits: only the version values change, and re-planning is a no-op."""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.bump import plan_edits, write_edits
from sphinx_release_runbook.core.model import BumpTarget

from .conftest import PYPROJECT, VERSION_PY

TARGETS = [
    BumpTarget("pyproject.toml", "project.version"),
    BumpTarget("demo/_version.py", "__version__"),
    BumpTarget("demo/_version.py", "__version_info__"),
]


def _project(tmp_path: Path) -> Path:
    (tmp_path / "demo").mkdir()
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "demo" / "_version.py").write_text(VERSION_PY)
    return tmp_path


def test_edits_change_only_the_version_values(tmp_path: Path) -> None:
    root = _project(tmp_path)
    edits = plan_edits(root, TARGETS, "1.3.0rc1", (1, 3, 0, "rc1"))
    assert [edit.path for edit in edits] == ["pyproject.toml", "demo/_version.py"]
    assert (root / "pyproject.toml").read_text() == PYPROJECT, "planning must not write"
    assert write_edits(root, edits) == ["pyproject.toml", "demo/_version.py"]
    assert (root / "pyproject.toml").read_text() == PYPROJECT.replace('"1.2.0"', '"1.3.0rc1"')
    assert (root / "demo" / "_version.py").read_text() == VERSION_PY.replace(
        "'1.2.0'", "'1.3.0rc1'"
    ).replace("(1, 2, 0)", "(1, 3, 0, 'rc1')")


def test_replanning_after_the_write_changes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    write_edits(root, plan_edits(root, TARGETS, "1.3.0", (1, 3, 0)))
    again = plan_edits(root, TARGETS, "1.3.0", (1, 3, 0))
    assert not any(edit.changed for edit in again)
    assert write_edits(root, again) == []
