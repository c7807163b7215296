"""TOML version keys: found with tomlkit and the key locator, edited by splicing the value.

tomlkit checks that the file is TOML and that the key holds a string; the
locator (:func:`~sphinx_release_runbook.core.toml_lines.key_lines`) says where
the value starts, and tomlkit's own text of the value (``"0.3.0"``, quotes and
escapes as written) where it ends.  The edit replaces exactly those characters
with the new value, of the same kind of string, so every other byte of the
file, its line endings included, stays as it was.

A key defined more than once (which TOML forbids; tomlkit refuses it too, with
a message that names neither line) or once in each table of an array of tables
is ambiguous and refused, naming every line.  Line numbers are counted where
TOML ends a line (``\\n``), whatever other separators a comment or string holds.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence

import tomlkit
import tomlkit.exceptions
from tomlkit.items import AoT, String

from sphinx_release_runbook.bump.site import BumpError, VersionSite, ambiguous
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.core.toml_lines import key_lines

#: How many definitions of one key are looked for (and named) at most.
_MAX_DEFINITIONS = 20


def _line_starts(text: str) -> list[int]:
    """The offset where each line starts, lines as :meth:`str.splitlines` counts them."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _offset(starts: Sequence[int], line: int, column: int) -> int:
    return starts[line - 1] + column


def _toml_line(text: str, offset: int) -> tuple[int, int, str]:
    """(line number, column, line text without its ending) of *offset*, lines ending at ``\\n``."""
    begin = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    line = text[begin : len(text) if end < 0 else end].removesuffix("\r")
    return text.count("\n", 0, offset) + 1, offset - begin, line


def _definitions(text: str, parts: Sequence[str]) -> list[int]:
    """The line (as :meth:`str.splitlines` counts) of every entry at *parts*.

    The locator answers the first entry it finds; blanking that entry (spaces for
    its characters, its line endings kept, so no offset moves) lets it find the next.
    """
    lines = text.splitlines(keepends=True)
    found_lines: list[int] = []
    while len(found_lines) <= _MAX_DEFINITIONS:
        found = key_lines("".join(lines), parts)
        if found is None or found.kind != "entry":
            break
        found_lines.append(found.first)
        for index in range(found.first - 1, found.last):
            line = lines[index]
            body = (line.splitlines() or [""])[0]  # the line without its ending, whichever
            lines[index] = " " * len(body) + line[len(body) :]
    return found_lines


def _refuse_ambiguous(text: str, target: BumpTarget) -> None:
    found = _definitions(text, target.key.split("."))
    if len(found) > 1:
        starts = _line_starts(text)
        lines = sorted({_toml_line(text, starts[line - 1])[0] for line in found})
        raise ambiguous(target.path, target.key, lines, "defined")


def _toml_container(document: tomlkit.TOMLDocument, target: BumpTarget) -> tuple[object, str]:
    parts = target.key.split(".")
    node: object = document
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            where = ".".join(parts[: depth + 1])
            raise BumpError(f"{target.path}: no table [{where}] (looking for {target.key})")
        node = node[part]
        if isinstance(node, AoT):
            where = ".".join(parts[: depth + 1])
            raise BumpError(
                f"{target.path}: [[{where}]] is an array of tables, so {target.key} "
                "is not one value"
            )
    if not isinstance(node, dict) or parts[-1] not in node:
        raise BumpError(f"{target.path}: no key {target.key}")
    return node, parts[-1]


def _strict_error_line(text: str) -> int | None:
    """The line the strict parser names for what tomlkit refused without a line."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        return int(match[1]) if match else None
    return None


def _parse_toml(text: str, target: BumpTarget) -> tomlkit.TOMLDocument:
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        _refuse_ambiguous(text, target)
        line = getattr(exc, "line", None) or _strict_error_line(text)
        where = f"{target.path}:{line}" if line else target.path
        raise BumpError(f"{where}: not valid TOML: {exc}") from exc
    _refuse_ambiguous(text, target)  # an array of tables holds the key once per table
    return document


def _value(text: str, target: BumpTarget) -> tuple[int, int, String]:
    """The value's ``[start, end)`` offsets in *text* (quotes included), and the value."""
    document = _parse_toml(text, target)
    container, key = _toml_container(document, target)
    value = container[key]  # type: ignore[index]
    if not isinstance(value, String):
        raise BumpError(f"{target.path}: {target.key} is not a string")
    found = key_lines(text, target.key.split("."))
    if found is None or found.value_column is None:
        raise BumpError(f"{target.path}: cannot find the line of {target.key}")
    start = _offset(_line_starts(text), found.first, found.value_column)
    written = value.as_string()
    if text[start : start + len(written)] != written:  # pragma: no cover - tomlkit's own text
        raise BumpError(f"{target.path}: cannot find the value of {target.key}")
    return start, start + len(written), value


def site(text: str, target: BumpTarget) -> VersionSite:
    start, end, value = _value(text, target)
    number, column, line = _toml_line(text, start)
    # The value's text, quotes included; a multi-line string shows its first line's part.
    return VersionSite(number, line, column, min(column + end - start, len(line)), str(value))


def apply(text: str, target: BumpTarget, version: str) -> str:
    start, end, old = _value(text, target)
    written = text[start:end]
    if str(old) and written.count(str(old)) == 1:  # the version as written: replace just it
        new = written.replace(str(old), version)
    else:  # written with escapes: a new string of the same kind ('literal' stays single-quoted)
        kind = {"literal": old.type.is_literal(), "multiline": old.type.is_multiline()}
        new = tomlkit.string(version, **kind).as_string()
    return text[:start] + new + text[end:]
