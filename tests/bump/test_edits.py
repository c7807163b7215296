"""Format-preserving version edits (bump.locate / bump.apply), without Sphinx."""

from __future__ import annotations

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import BumpTarget

# --- bump.locate / bump.apply ------------------------------------------------------------

PYPROJECT = """\
# the project
[tool.poetry]
name = "demo"  # the name
version   =   '0.3.0'   # keep this comment

[tool.poetry.dependencies]
python = "^3.11"
version = "not this one"
"""

VERSION_PY = """\
\"\"\"Version.\"\"\"
# héllo: a non-ASCII comment before the value
__version__: str = "0.3.0"  # trailing
__version_info__ = (0, 3, 0)
other = "0.3.0"
"""


def only_change(old: str, new: str, before: str, after: str) -> None:
    """*new* is *old* with exactly one occurrence span *before* replaced by *after*."""
    start = old.index(before)
    assert new == old[:start] + after + old[start + len(before) :]


def test_locate_toml_key_gives_line_and_span_of_the_value() -> None:
    site = bump.locate(PYPROJECT, BumpTarget("pyproject.toml", "tool.poetry.version"))
    assert (site.line, site.value) == (4, "0.3.0")
    assert site.text == "version   =   '0.3.0'   # keep this comment"
    assert site.text[site.start : site.end] == "'0.3.0'"


def test_apply_toml_changes_only_the_value() -> None:
    target = BumpTarget("pyproject.toml", "tool.poetry.version")
    new = bump.apply(PYPROJECT, target, "0.4.0", (0, 4, 0))
    only_change(PYPROJECT, new, "'0.3.0'", "'0.4.0'")


def test_locate_python_assignments() -> None:
    version = bump.locate(VERSION_PY, BumpTarget("pkg/_version.py", "__version__"))
    assert (version.line, version.value) == (3, "0.3.0")
    assert version.text[version.start : version.end] == '"0.3.0"'
    info = bump.locate(VERSION_PY, BumpTarget("pkg/_version.py", "__version_info__"))
    assert (info.line, info.value) == (4, "0.3.0")
    assert info.text[info.start : info.end] == "(0, 3, 0)"


def test_apply_python_changes_only_the_value_every_other_byte_unchanged() -> None:
    version = bump.apply(VERSION_PY, BumpTarget("v.py", "__version__"), "1.2.3rc1", ())
    only_change(VERSION_PY, version, '"0.3.0"  # trailing', '"1.2.3rc1"  # trailing')
    info = bump.apply(
        VERSION_PY, BumpTarget("v.py", "__version_info__"), "1.2.3rc1", (1, 2, 3, "rc1")
    )
    only_change(VERSION_PY, info, "(0, 3, 0)", "(1, 2, 3, 'rc1')")


def test_apply_keeps_crlf_line_endings() -> None:
    text = VERSION_PY.replace("\n", "\r\n")
    new = bump.apply(text, BumpTarget("v.py", "__version__"), "0.4.0", (0, 4, 0))
    only_change(text, new, '"0.3.0"', '"0.4.0"')


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        (
            PYPROJECT,
            BumpTarget("pyproject.toml", "project.version"),
            "pyproject.toml: no table [project] (looking for project.version)",
        ),
        (
            PYPROJECT,
            BumpTarget("pyproject.toml", "tool.poetry.missing"),
            "pyproject.toml: no key tool.poetry.missing",
        ),
        (
            "[a]\nversion = 3\n",
            BumpTarget("x.toml", "a.version"),
            "x.toml: a.version is not a string",
        ),
        (VERSION_PY, BumpTarget("v.py", "__missing__"), "v.py: no assignment to __missing__"),
        (
            "__version__ = get()\n",
            BumpTarget("v.py", "__version__"),
            "v.py:1: __version__ is not a string or a tuple literal, so it cannot be bumped",
        ),
        ("[a\n", BumpTarget("x.toml", "a.version"), None),
        ("def (:\n", BumpTarget("v.py", "__version__"), "v.py:1: not valid Python: invalid syntax"),
        ("x", BumpTarget("setup.cfg", "metadata.version"), None),
    ],
)
def test_locate_refuses_with_a_message_naming_the_file(
    text: str, target: BumpTarget, message: str | None
) -> None:
    with pytest.raises(bump.BumpError) as error:
        bump.locate(text, target)
    assert str(error.value).startswith(target.path)
    if message is not None:
        assert str(error.value) == message
