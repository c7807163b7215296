"""The TOML bump site comes from the one locator (core.toml_lines): decoys in strings and arrays."""

from __future__ import annotations

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import BumpTarget

TARGET = BumpTarget("pyproject.toml", "tool.poetry.version")


@pytest.mark.parametrize(
    ("text", "line", "shown"),
    [
        (  # a multi-line string that holds a header and a `version =` line
            '[tool.poetry]\ndescription = """\n[tool.poetry]\nversion = "9.9.9"\n"""\n'
            'version = "0.3.0"\n',
            6,
            '"0.3.0"',
        ),
        (  # a multi-line array whose lines start with brackets, and a bracket in a string
            '[tool.poetry]\nmatrix = [\n  ["[", "a"],\n  [1],\n]\nversion = \'0.3.0\'  # [\n',
            6,
            "'0.3.0'",
        ),
        (  # a dotted key under the parent table
            '[tool]\npoetry.name = "x"\npoetry.version = "0.3.0"\n',
            3,
            '"0.3.0"',
        ),
    ],
)
def test_locate_finds_the_value_past_decoys(text: str, line: int, shown: str) -> None:
    site = bump.locate(text, TARGET)
    assert (site.line, site.value) == (line, "0.3.0")
    assert site.text == text.splitlines()[line - 1]
    assert site.text[site.start : site.end] == shown
    new = bump.apply(text, TARGET, "0.4.0", (0, 4, 0))
    assert new.splitlines()[line - 1] == site.text.replace("0.3.0", "0.4.0")
    assert bump.locate(new, TARGET).line == line


def test_a_multi_line_version_string_shows_the_part_on_its_first_line() -> None:
    """As before the locator: the site spans the value's first line, from the opening quotes."""
    text = '[tool.poetry]\nversion = """\n0.3.0"""\n'
    site = bump.locate(text, TARGET)
    assert (site.line, site.value, site.text[site.start : site.end]) == (2, "0.3.0", '"""')
