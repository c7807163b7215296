"""TOML version keys: found with tomllib and the key locator, edited by splicing the value.

:mod:`tomllib` checks that the file is TOML and that the key holds a string;
the locator (:func:`~sphinx_release_runbook.core.toml_lines.key_lines`) says
where the value starts and ends on its line (quotes and escapes as written).
The edit replaces exactly those characters with the new value, of the same
kind of string, so every other byte of the file, its line endings included,
stays as it was.

Each text is parsed once per process (a command reads a file's versions, then
edits them: the parse is memoized on the text).  tomlkit, slow to import and to
parse, is imported only where tomllib has no answer: to write a string with
escapes in its own kind, to find a value spread over lines, and for the
messages of a file that is refused (its errors name the line where tomllib's
do not always).

A key defined more than once (which TOML forbids; tomlkit refuses it too, with
a message that names neither line) or once in each table of an array of tables
is ambiguous and refused, naming every line.  Line numbers are counted where
TOML ends a line (``\\n``), whatever other separators a comment or string holds.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sphinx_release_runbook.bump.site import BumpError, VersionSite, ambiguous
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.core.toml_lines import key_lines

if TYPE_CHECKING:
    import tomlkit
    from tomlkit.items import String

#: How many definitions of one key are looked for (and named) at most.
_MAX_DEFINITIONS = 20


@functools.lru_cache(maxsize=32)
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


@functools.lru_cache(maxsize=64)
def _definitions(text: str, parts: tuple[str, ...]) -> list[int]:
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
    found = _definitions(text, tuple(target.key.split(".")))
    if len(found) > 1:
        starts = _line_starts(text)
        lines = sorted({_toml_line(text, starts[line - 1])[0] for line in found})
        raise ambiguous(target.path, target.key, lines, "defined")


def _toml_container(document: tomlkit.TOMLDocument, target: BumpTarget) -> tuple[object, str]:
    from tomlkit.items import AoT

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
    import tomlkit
    import tomlkit.exceptions

    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.TOMLKitError as exc:
        _refuse_ambiguous(text, target)
        line = getattr(exc, "line", None) or _strict_error_line(text)
        where = f"{target.path}:{line}" if line else target.path
        raise BumpError(f"{where}: not valid TOML: {exc}") from exc
    _refuse_ambiguous(text, target)  # an array of tables holds the key once per table
    return document


@functools.lru_cache(maxsize=32)
def _strict(text: str) -> dict[str, Any] | None:
    """*text* parsed by tomllib, once per text; ``None`` when tomllib refuses it."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _fast_value(text: str, target: BumpTarget) -> tuple[int, int, str] | None:
    """:func:`_value` through tomllib, or ``None`` where only tomlkit answers (or refuses)."""
    node: object = _strict(text)
    parts = target.key.split(".")
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None  # tomlkit's walk names what is missing, or an array of tables
        node = node[part]
    if not isinstance(node, str):
        return None
    _refuse_ambiguous(text, target)  # an array of tables holds the key once per table
    found = key_lines(text, parts)
    if found is None or found.value_column is None or found.columns is None:
        return None  # a value over several lines: tomlkit knows where it ends
    start = _offset(_line_starts(text), found.first, found.value_column)
    end = start + found.columns[1] - found.columns[0]
    if _strict(f"v = {text[start:end]}") != {"v": node}:  # pragma: no cover - locator's text
        return None
    return start, end, node


def _value(text: str, target: BumpTarget) -> tuple[int, int, str]:
    """The value's ``[start, end)`` offsets in *text* (quotes included), and the value."""
    fast = _fast_value(text, target)
    if fast is not None:
        return fast
    start, end, value = _tomlkit_value(text, target)
    return start, end, str(value)


def _tomlkit_value(text: str, target: BumpTarget) -> tuple[int, int, String]:
    """:func:`_value` through tomlkit, with its messages for what it refuses."""
    from tomlkit.items import String

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
    return VersionSite(number, line, column, min(column + end - start, len(line)), value)


def apply(text: str, target: BumpTarget, version: str) -> str:
    start, end, old = _value(text, target)
    written = text[start:end]
    if old and written.count(old) == 1:  # the version as written: replace just it
        new = written.replace(old, version)
    else:  # written with escapes: a new string of the same kind ('literal' stays single-quoted)
        import tomlkit

        kind = {"literal": written.startswith("'"), "multiline": written[:3] in ('"""', "'''")}
        new = tomlkit.string(version, **kind).as_string()
    return text[:start] + new + text[end:]
