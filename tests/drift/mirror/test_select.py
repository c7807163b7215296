"""The pure selection and comparison functions behind ``release-file`` (no Sphinx)."""

from __future__ import annotations

import pytest

from sphinx_release_runbook.drift.mirror.compare import compare_data, compare_text
from sphinx_release_runbook.drift.mirror.select import SelectionError, parse_line_spec, select

WORKFLOW = """name: Publish

on:
  release:
    types: [published]

jobs:
  publish:
    permissions:
      id-token: write   # trusted publishing
      contents: read
"""

PYPROJECT = """[project]
name = "demo"
version = "1.0.0"
optional-dependencies.docs = ["sphinx"]

[tool.poetry]
version = "1.0.0"
"""


def test_yaml_select_keeps_file_line_numbers_and_reads_on_as_a_key() -> None:
    """`on:` is YAML 1.1 True when parsed; :select: matches the key as written."""
    selected = select(WORKFLOW, "publish.yml", key_path="on")
    assert selected.lines == ((4, "  release:"), (5, "    types: [published]"))
    assert selected.value == {"release": {"types": ["published"]}}


def test_toml_select_table_and_dotted_key() -> None:
    table = select(PYPROJECT, "pyproject.toml", key_path="tool.poetry")
    assert table.lines == ((7, 'version = "1.0.0"'),)
    dotted = select(PYPROJECT, "pyproject.toml", key_path="project.optional-dependencies.docs")
    assert dotted.lines == ((4, 'optional-dependencies.docs = ["sphinx"]'),)
    assert dotted.value == ["sphinx"]


def test_missing_key_and_marker_are_errors() -> None:
    with pytest.raises(SelectionError, match="no key 'deploy' under jobs"):
        select(WORKFLOW, "publish.yml", key_path="jobs.deploy")
    with pytest.raises(SelectionError, match=":end-before: text 'nope' not found"):
        select(WORKFLOW, "publish.yml", end_before="nope")


def test_line_spec_like_literalinclude() -> None:
    assert parse_line_spec("1-2,4,6-", 7) == [0, 1, 3, 5, 6]
    with pytest.raises(SelectionError):
        parse_line_spec("9", 7)


def test_text_mismatch_diff_names_real_lines_on_both_sides() -> None:
    selected = select(WORKFLOW, "publish.yml", start_after="jobs:")
    copy = selected.text.replace("contents: read", "contents: write")
    mismatch = compare_text(selected, copy, "publish.yml", "guide.rst", 40)
    assert mismatch is not None
    assert mismatch.line == 11
    assert "@@ -9,3 +41,3 @@" in mismatch.diff
    assert "-    contents: read\n+    contents: write" in mismatch.diff


def test_data_compare_ignores_comments_order_and_formatting() -> None:
    selected = select(WORKFLOW, "publish.yml", key_path="jobs.publish.permissions")
    same = "contents: read\n# comment\nid-token: 'write'"
    assert compare_data(selected, WORKFLOW, "publish.yml", same, "copy") is None
    differs = compare_data(selected, WORKFLOW, "publish.yml", "contents: write", "copy")
    assert differs is not None and '+  "contents": "write"' in differs.diff
