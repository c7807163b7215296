"""The pure selection and comparison functions behind ``release-file`` (no Sphinx)."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinx_release_runbook.drift.mirror.compare import compare_data, compare_text
from sphinx_release_runbook.drift.mirror.select import (
    SelectionError,
    dedent,
    parse_line_spec,
    select,
)

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


# --- :select: in TOML is string-aware (core.toml_lines) ----------------------------------


def test_toml_select_a_string_value_holding_a_bracket_is_one_line() -> None:
    text = 'a = "["\nb = 1\nc = 2\n'
    selected = select(text, "x.toml", key_path="a")
    assert selected.lines == ((1, 'a = "["'),)
    assert selected.value == "["


def test_toml_select_brackets_inside_array_strings_are_not_counted() -> None:
    one = select('x = ["a]", "b"]\ny = 1\n', "x.toml", key_path="x")
    assert one.lines == ((1, 'x = ["a]", "b"]'),)
    opened = select('x = ["a[", "b"]\ny = 1\n', "x.toml", key_path="x")
    assert opened.lines == ((1, 'x = ["a[", "b"]'),)
    multi = select('x = [\n  "a]",\n  "b",\n]\ny = 1\n', "x.toml", key_path="x")
    assert [number for number, _ in multi.lines] == [1, 2, 3, 4]
    assert multi.value == ["a]", "b"]


def test_toml_select_a_bracket_line_inside_an_array_is_not_a_table_header() -> None:
    text = '[matrix]\ninclude = [\n  [1, 2],\n  [3],\n]\nname = "m"\n\n[other]\nk = 1\n'
    entry = select(text, "ci.toml", key_path="matrix.include")
    assert entry.lines == ((2, "include = ["), (3, "  [1, 2],"), (4, "  [3],"), (5, "]"))
    assert entry.value == [[1, 2], [3]]
    table = select(text, "ci.toml", key_path="matrix")
    assert [number for number, _ in table.lines] == [2, 3, 4, 5, 6]
    assert select(text, "ci.toml", key_path="matrix.name").lines == ((6, 'name = "m"'),)


def test_toml_select_a_hash_inside_a_string_is_not_a_comment() -> None:
    text = 'x = ["#", "[", "b"]\ny = ["a#b", # a comment with [\n  "c",\n]\nz = 1\n'
    assert select(text, "x.toml", key_path="x").lines == ((1, 'x = ["#", "[", "b"]'),)
    assert [number for number, _ in select(text, "x.toml", key_path="y").lines] == [2, 3, 4]
    assert select(text, "x.toml", key_path="y").value == ["a#b", "c"]


def test_toml_select_a_multi_line_string_holding_a_header_line() -> None:
    text = '[project]\ndescription = """\n[tool]\n"""\nversion = "1.0.0"\n\n[tool.x]\nk = 1\n'
    description = select(text, "pyproject.toml", key_path="project.description")
    assert [number for number, _ in description.lines] == [2, 3, 4]
    assert description.value == "[tool]\n"
    version = select(text, "pyproject.toml", key_path="project.version")
    assert version.lines == ((5, 'version = "1.0.0"'),)
    table = select(text, "pyproject.toml", key_path="project")
    assert [number for number, _ in table.lines] == [2, 3, 4, 5]  # trailing blank line trimmed


def test_toml_select_a_key_the_lines_cannot_show_is_an_error() -> None:
    text = "[a]\nb = {c = 1}\n"
    with pytest.raises(SelectionError, match=r"^cannot find the lines of a\.b\.c$"):
        select(text, "x.toml", key_path="a.b.c")


#: Pieces of text where dedent's rules meet: blanks, tabs, line breaks of every kind, text.
_PIECES = st.sampled_from([" ", "  ", "\t", "\n", "\n  ", "\n\t", "\r", "\r\n", "\x0c", "a", "b"])


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_the_quick_dedent_is_textwraps(text: str) -> None:
    assert dedent(text) == textwrap.dedent(text)
