"""An ambiguous target (the key bound or defined more than once) is an error naming every line."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import BumpTarget

VERSION = BumpTarget("pkg/_version.py", "__version__")
POETRY = BumpTarget("pyproject.toml", "tool.poetry.version")
KEEP_ONE = "bump cannot tell which one holds the version: keep one"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('__version__ = "1.2.0"\n__version__ = "1.3.0"\n', "1 and 2"),
        ('__version__: str = "1.2.0"\nx = 1\n__version__ = "1.2.0"\n', "1 and 3"),
        ('__version__ = "1.2.0"\n__version__ += ".post1"\n', "1 and 2"),
        ('__version__ = "1.2.0"\n__version__, other = "1.3.0", 2\n', "1 and 2"),
        ('__version__ = "1.2.0"\r\n\r\n__version__ = "1.2.0"\r\n', "1 and 3"),  # CRLF lines
        ('"""A\n\n\ndocstring."""\n__version__ = "1"\n__version__ = "2"\n', "5 and 6"),
    ],
)
def test_a_python_key_assigned_twice_is_refused_naming_both_lines(text: str, lines: str) -> None:
    message = f"pkg/_version.py: __version__ is assigned twice at module level, on lines {lines}"
    with pytest.raises(bump.BumpError) as error:
        bump.locate(text, VERSION)
    assert str(error.value) == f"{message}; {KEEP_ONE}"
    with pytest.raises(bump.BumpError) as error:
        bump.apply(text, VERSION, "1.4.0", ())
    assert str(error.value) == f"{message}; {KEEP_ONE}"


def test_three_assignments_are_all_named() -> None:
    text = '__version__ = "1"\n__version__ = "2"\n__version__ = "3"\n'
    with pytest.raises(
        bump.BumpError, match=r"is assigned 3 times at module level, on lines 1, 2 and 3;"
    ):
        bump.locate(text, VERSION)


@pytest.mark.parametrize(
    "text",
    [
        'if True:\n    __version__ = "0"\n__version__ = "1.2.0"\n',  # not at module level
        'def f():\n    __version__ = "0"\n__version__ = "1.2.0"\n',
        '__version__: str\n__version__ = "1.2.0"\n',  # an annotation assigns nothing
        '__version_info__ = (1, 2, 0)\n__version__ = "1.2.0"\n',  # another key
    ],
)
def test_one_module_level_assignment_is_not_ambiguous(text: str) -> None:
    assert bump.locate(text, VERSION).value == "1.2.0"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # tomlkit refuses each of these (TOML forbids them), with messages naming no line
        # or another one; the bump names every definition of the key.
        ('[tool.poetry]\nversion = "1.2.0"\nversion = "1.3.0"\n', "2 and 3"),
        ('[tool.poetry]\nversion = "1.2.0"\n"version" = "1.3.0"\n', "2 and 3"),
        ('[tool.poetry]\nversion = "1.2.0"\n[x]\n[tool.poetry]\nversion = "1.3.0"\n', "2 and 5"),
        ('tool.poetry.version = "1.2.0"\n[tool.poetry]\nversion = "1.3.0"\n', "1 and 3"),
        ('[tool]\npoetry.version = "1.2.0"\n[tool.poetry]\nversion = "1.3.0"\n', "2 and 4"),
        ('[tool.poetry]\r\nversion = "1.2.0"\r\n\r\nversion = "1.2.0"\r\n', "2 and 4"),
        # a line separator in a comment does not end a TOML line
        ('[tool.poetry]\nversion = "1.2.0"  # a\u2028b\nversion = "1.3.0"\n', "2 and 3"),
        # valid TOML that tomlkit reads: the key once in each table of an array of tables
        ('[[tool.poetry]]\nversion = "1.2.0"\n[[tool.poetry]]\nversion = "1.3.0"\n', "2 and 4"),
    ],
)
def test_a_toml_key_defined_twice_is_refused_naming_both_lines(text: str, lines: str) -> None:
    message = f"pyproject.toml: tool.poetry.version is defined twice, on lines {lines}"
    with pytest.raises(bump.BumpError) as error:
        bump.locate(text, POETRY)
    assert str(error.value) == f"{message}; {KEEP_ONE}"
    with pytest.raises(bump.BumpError) as error:
        bump.apply(text, POETRY, "1.4.0", ())
    assert str(error.value) == f"{message}; {KEEP_ONE}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (  # another key defined twice: invalid TOML, with the line the strict parser names
            '[tool.poetry]\nname = "a"\nname = "b"\nversion = "1.2.0"\n',
            'pyproject.toml:3: not valid TOML: Key "name" already exists.',
        ),
        (
            '[[tool.poetry]]\nversion = "1.2.0"\n[[tool.poetry]]\nname = "b"\n',
            "pyproject.toml: [[tool.poetry]] is an array of tables, so tool.poetry.version "
            "is not one value",
        ),
    ],
)
def test_other_duplicates_are_invalid_toml_not_a_traceback(text: str, message: str) -> None:
    with pytest.raises(bump.BumpError) as error:
        bump.locate(text, POETRY)
    assert str(error.value) == message


def test_an_ambiguous_target_fails_the_plan_before_any_file_is_written(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pyproject.toml").write_text('[tool.poetry]\nversion = "1.2.0"\n')
    module = '__version__ = "1.2.0"\n__version__ = "1.2.0"\n'
    (tmp_path / "pkg" / "_version.py").write_text(module)
    with pytest.raises(bump.BumpError, match="assigned twice at module level, on lines 1 and 2"):
        bump.plan_edits(tmp_path, [POETRY, VERSION], "1.3.0", (1, 3, 0))
    assert (tmp_path / "pyproject.toml").read_text() == '[tool.poetry]\nversion = "1.2.0"\n'
    results = bump.read_current([POETRY, VERSION], tmp_path)
    assert isinstance(results[0], bump.CurrentValue)
    assert str(results[1]).startswith("pkg/_version.py: __version__ is assigned twice")
