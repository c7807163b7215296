"""The one locator of a TOML key's lines (core.toml_lines): string-aware, for entries and tables."""

from __future__ import annotations

import tomllib

import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_release_runbook.core.toml_lines import KeyLines, key_lines


def lines_of(text: str, key: str | tuple[str, ...]) -> tuple[int, int]:
    """First and last line of *key* (a dotted path, or its parts when a part holds a dot)."""
    found = key_lines(text, key.split(".") if isinstance(key, str) else key)
    assert found is not None, key
    return found.first, found.last


def value_text(text: str, key: str) -> str:
    found = key_lines(text, key.split("."))
    assert found is not None and found.columns is not None, found
    start, end = found.columns
    return text.splitlines()[found.first - 1][start:end]


# --- entries -----------------------------------------------------------------------------


def test_a_string_holding_an_open_bracket_is_one_line() -> None:
    text = 'a = "["\nb = 1\nc = 2\n'
    assert key_lines(text, ["a"]) == KeyLines("entry", 1, 1, 4, (4, 7))


@pytest.mark.parametrize(
    "text",
    ['x = ["a]", "b"]\ny = 1\n', 'x = ["a[", "b"]\ny = 1\n', "x = ['[', \"]]\"]\ny = 1\n"],
)
def test_brackets_inside_strings_of_an_array_are_not_counted(text: str) -> None:
    assert lines_of(text, "x") == (1, 1)
    assert value_text(text, "x") == text.splitlines()[0][4:]


def test_a_multi_line_array_ends_at_its_closing_bracket_not_at_one_in_a_string() -> None:
    text = 'x = [\n  "a]",\n  "b[",\n]\ny = 1\n'
    assert key_lines(text, ["x"]) == KeyLines("entry", 1, 4, 4, None)
    assert lines_of(text, "y") == (5, 5)


def test_a_line_starting_with_a_bracket_inside_an_array_is_not_a_header() -> None:
    text = "[t]\nx = [\n  [1, 2],\n  [3],\n]\ny = 1\n\n[u]\nz = 1\n"
    assert lines_of(text, "t.x") == (2, 5)
    assert lines_of(text, "t.y") == (6, 6)
    assert key_lines(text, ["t"]) == KeyLines("table", 2, 7)  # up to the real next header
    assert lines_of(text, "u.z") == (9, 9)


def test_a_hash_inside_a_string_is_not_a_comment_and_a_comment_is_not_counted() -> None:
    text = 'x = ["#", "[", "b"]\ny = ["a#b", # a comment with [ and "\n  "c",\n]\nz = 1\n'
    assert lines_of(text, "x") == (1, 1)
    assert lines_of(text, "y") == (2, 4)
    assert lines_of(text, "z") == (5, 5)
    commented = "v = '1.0'  # was [2.0\nw = 2\n"
    assert value_text(commented, "v") == "'1.0'"
    assert lines_of(commented, "w") == (2, 2)


def test_a_multi_line_string_holding_a_header_line_is_one_entry() -> None:
    text = '[project]\ndescription = """\n[tool]\nx = 1\n"""\nversion = "1"\n\n[other]\nk = 2\n'
    assert lines_of(text, "project.description") == (2, 5)
    assert lines_of(text, "project.version") == (6, 6)
    assert key_lines(text, ["project"]) == KeyLines("table", 2, 7)
    assert key_lines(text, ["tool"]) is None
    assert key_lines(text, ["project", "x"]) is None  # the `x = 1` is inside the string


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('"a\\"[b"', '"a\\"[b"'),  # an escaped quote does not end a basic string
        ("'C:\\'", "'C:\\'"),  # a literal string has no escapes
        ('"""x"""""', '"""x"""""'),  # two quotes before the closing delimiter are content
        ("'''['''", "'''['''"),
        ("1979-05-27 07:32:00Z  # a date-time holds a space", "1979-05-27 07:32:00Z"),
        ('{ a = "}", b = [1] }', '{ a = "}", b = [1] }'),
    ],
)
def test_value_columns_cover_exactly_the_value(value: str, shown: str) -> None:
    text = f"[t]\nk = {value}\nafter = 1\n"
    tomllib.loads(text)  # the cases are valid TOML
    assert value_text(text, "t.k") == shown
    assert lines_of(text, "t.after") == (3, 3)


def test_multi_line_literal_and_basic_strings_with_escapes_end_where_they_close() -> None:
    text = 'a = \'\'\'\n\\\'\'\'\nb = """\n\\"""[\n"""\nc = 1\n'
    assert tomllib.loads(text) == {"a": "\\", "b": '"""[\n', "c": 1}
    assert lines_of(text, "a") == (1, 2)
    assert lines_of(text, "b") == (3, 5)
    assert lines_of(text, "c") == (6, 6)


# --- keys and tables ---------------------------------------------------------------------


def test_quoted_and_dotted_keys_and_spaced_headers() -> None:
    text = (
        '[ tool . "poe.try" ]  # a comment [x]\n'
        '"ver\\u0073ion" = "1"\n'
        "'lit.key' = 2\n"
        "dotted . sub = 3\n"
    )
    assert key_lines(text, ("tool", "poe.try", "version")) == KeyLines("entry", 2, 2, 17, (17, 20))
    assert lines_of(text, ("tool", "poe.try", "lit.key")) == (3, 3)
    assert lines_of(text, ("tool", "poe.try", "dotted", "sub")) == (4, 4)
    assert key_lines(text, ("tool", "poe.try")) == KeyLines("table", 2, 4)


def test_the_most_specific_table_wins_and_a_dotted_key_is_found_under_its_table() -> None:
    text = (
        "version = 0\n"
        '[tool]\npoetry.name = "x"\n'
        '[tool.poetry]\nversion = "1"\n'
        '[tool.poetry.dependencies]\nversion = "not this one"\n'
    )
    assert lines_of(text, "version") == (1, 1)
    assert lines_of(text, "tool.poetry.version") == (5, 5)
    assert lines_of(text, "tool.poetry.name") == (3, 3)
    assert lines_of(text, "tool.poetry.dependencies.version") == (7, 7)


def test_an_empty_table_body_and_the_last_table_and_an_array_of_tables() -> None:
    text = "[a]\n[b]\nc = 1\n\n[[d]]\ne = 1\n[[d]]\ne = 2\n"
    assert key_lines(text, ["a"]) == KeyLines("table", 2, 1)
    assert key_lines(text, ["b"]) == KeyLines("table", 3, 4)
    assert key_lines(text, ["d"]) == KeyLines("table", 6, 6)  # the first element
    assert lines_of(text, "d.e") == (6, 6)
    assert key_lines(text, ["missing"]) is None


def test_lines_are_counted_as_splitlines_counts_them() -> None:
    text = '[t]\r\nv = [\r\n  "a",\r\n]\r\nw = "1"\r\n'
    assert lines_of(text, "t.v") == (2, 4)
    assert value_text(text, "t.w") == '"1"'


# --- property: tomlkit's own output ------------------------------------------------------

TRICKY = st.text(alphabet="ab []{}#=\"'\\.,\n\t", max_size=12)


@st.composite
def toml_values(draw: st.DrawFn) -> object:
    """A tomlkit value: a string of some kind, or a (possibly multi-line, nested) array."""
    kind = draw(st.sampled_from(["basic", "literal", "multiline", "array"]))
    if kind == "array":
        array = tomlkit.array()
        for _ in range(draw(st.integers(0, 4))):
            item = draw(st.one_of(TRICKY, st.lists(TRICKY, max_size=3)))
            array.append(item)
        array.multiline(draw(st.booleans()))
        return array
    text = draw(TRICKY)
    if kind == "literal":
        text = text.replace("'", "").replace("\n", "")
        return tomlkit.string(text, literal=True)
    return tomlkit.string(text, multiline=kind == "multiline")


@settings(max_examples=150, deadline=None)
@given(before=toml_values(), value=toml_values(), inner=toml_values())
def test_the_lines_of_a_dumped_value_are_exactly_the_lines_tomlkit_wrote(
    before: object, value: object, inner: object
) -> None:
    pieces = [
        tomlkit.dumps({"before": before}),
        tomlkit.dumps({"x": value}),
        "after = 1\n\n[t]\n",
        tomlkit.dumps({"y": inner}),
        "[u]\nz = 1\n",
    ]
    text = "".join(pieces)
    data = tomllib.loads(text)  # tomlkit's output is valid TOML
    counts = [len(piece.splitlines()) for piece in pieces]
    x_first = counts[0] + 1
    x_last = counts[0] + counts[1]
    assert lines_of(text, "x") == (x_first, x_last)
    assert lines_of(text, "after") == (x_last + 1, x_last + 1)
    y_first = sum(counts[:3]) + 1
    assert lines_of(text, "t.y") == (y_first, y_first + counts[3] - 1)
    assert key_lines(text, ["t"]) == KeyLines("table", y_first, y_first + counts[3] - 1)
    assert lines_of(text, "u.z") == (len(text.splitlines()),) * 2
    # The selected lines alone parse back to the value.
    lines = text.splitlines()
    alone = tomllib.loads("\n".join(lines[x_first - 1 : x_last]))
    assert alone == {"x": data["x"]}
    found = key_lines(text, ["x"])
    assert found is not None
    if found.columns is not None:
        start, end = found.columns
        assert tomllib.loads("v = " + lines[x_first - 1][start:end])["v"] == data["x"]
