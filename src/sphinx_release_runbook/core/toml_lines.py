"""Where a key path sits in a TOML text: its lines, and the value's columns.

:func:`key_lines` answers for ``key = value`` entries (a multi-line array,
inline table or string included, up to the line where the value ends) and for
tables (the body under the ``[header]``, up to the next header).  The text is
scanned once, string-aware (basic, literal and multi-line strings, escapes,
comments), so a ``[`` or ``#`` inside a string, or a line of a multi-line
array that starts with ``[``, is never taken for structure.

The text must be valid TOML (callers parse it first, for their own error
messages); on other input the answer is unspecified but no exception escapes.
Lines are counted as :meth:`str.splitlines` counts them.  Pure; no project imports.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

_WHITESPACE = " \t"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class KeyLines:
    """The lines of a key path: 1-based, ``last`` included.

    For an entry, ``first`` is the line of the key and ``last`` the line where
    the value ends; ``value_column`` is where the value starts on line
    ``first``, and ``columns`` is the value's ``[start, end)`` on that line when
    the whole value sits on it (quotes included), else ``None``.

    For a table, the lines are its body: from the line after the header up to
    the line before the next header (comments and blank lines included), so an
    empty body has ``last == first - 1``; ``value_column`` and ``columns`` are ``None``.
    """

    kind: Literal["entry", "table"]
    first: int
    last: int
    value_column: int | None = None
    columns: tuple[int, int] | None = None


@dataclass(frozen=True)
class _Statement:
    kind: Literal["entry", "table"]  # an array-of-tables header counts as a table header
    key: tuple[str, ...]
    start: int  # offset of the key (entry) or of the opening bracket (header)
    value_start: int = 0  # entries only
    value_end: int = 0  # exclusive


# --- scanning ----------------------------------------------------------------------------


def _skip(text: str, i: int, chars: str = _WHITESPACE) -> int:
    while i < len(text) and text[i] in chars:
        i += 1
    return i


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _string_end(text: str, i: int) -> int:
    """The offset just past the string that starts at *i* (a quote)."""
    quote = text[i]
    escapes = quote == '"'
    if text.startswith(quote * 3, i):
        k = i + 3
        while k < len(text):
            if escapes and text[k] == "\\":
                k += 2
            elif text.startswith(quote * 3, k):
                # Up to two quotes right before the closing delimiter belong to the string.
                run = 3
                while run < 5 and k + run < len(text) and text[k + run] == quote:
                    run += 1
                return k + run
            else:
                k += 1
        return len(text)
    k = i + 1
    while k < len(text) and text[k] != "\n":
        if escapes and text[k] == "\\":
            k += 2
            continue
        if text[k] == quote:
            return k + 1
        k += 1
    return k


def _bracket_end(text: str, i: int) -> int:
    """The offset just past the array or inline table that opens at *i*."""
    depth = 0
    k = i
    while k < len(text):
        char = text[k]
        if char in "\"'":
            k = _string_end(text, k)
            continue
        if char == "#":
            k = _line_end(text, k)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return k + 1
        k += 1
    return len(text)


def _value_end(text: str, i: int) -> int:
    if i >= len(text):
        return i
    if text[i] in "\"'":
        return _string_end(text, i)
    if text[i] in "[{":
        return _bracket_end(text, i)
    # A number, boolean or date-time (which may hold a space): up to a comment or the line end.
    end = _line_end(text, i)
    comment = text.find("#", i, end)
    end = comment if comment >= 0 else end
    while end > i and text[end - 1] in " \t\r":
        end -= 1
    return end


def _simple_key(raw: str) -> str:
    if raw[0] == "'":
        return raw[1:-1]
    if raw[0] == '"':
        if "\\" not in raw:
            return raw[1:-1]
        try:  # let the TOML parser decode the escapes
            return str(tomllib.loads(f"k = {raw}")["k"])
        except tomllib.TOMLDecodeError:
            return raw[1:-1]
    return raw


def _key(text: str, i: int) -> tuple[tuple[str, ...], int]:
    """A dotted key starting at *i* (spaces around the dots allowed); its parts and end."""
    parts: list[str] = []
    while True:
        i = _skip(text, i)
        if i < len(text) and text[i] in "\"'":
            end = _string_end(text, i)
        else:
            match = _BARE_KEY.match(text, i)
            end = match.end() if match else i
        if end == i:
            break
        parts.append(_simple_key(text[i:end]))
        i = _skip(text, end)
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        break
    return tuple(parts), i


def _statements(text: str) -> list[_Statement]:
    """The headers and ``key = value`` entries of *text*, in order."""
    statements: list[_Statement] = []
    i = 0
    while True:
        i = _skip(text, i, " \t\r\n")
        if i >= len(text):
            return statements
        char = text[i]
        if char == "#":
            i = _line_end(text, i)
        elif char == "[":
            opening = 2 if text.startswith("[[", i) else 1
            key, end = _key(text, i + opening)
            statements.append(_Statement("table", key, i))
            i = _line_end(text, end)  # past "]" or "]]" and any comment
        else:
            key, end = _key(text, i)
            if not key or end >= len(text) or text[end] != "=":
                i = _line_end(text, i) + 1  # not TOML: skip the line
                continue
            value_start = _skip(text, end + 1)
            value_end = _value_end(text, value_start)
            statements.append(_Statement("entry", key, i, value_start, value_end))
            i = max(value_end, value_start + 1)


# --- positions ---------------------------------------------------------------------------


class _Lines:
    """Offset -> (1-based line, column), with lines as :meth:`str.splitlines` counts them."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        for line in text.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.count = len(self.starts) - 1

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        index = min(index, max(self.count - 1, 0))
        return index + 1, offset - self.starts[index]


def _entry_lines(statement: _Statement, lines: _Lines) -> KeyLines:
    first, _ = lines.position(statement.start)
    value_line, value_column = lines.position(statement.value_start)
    last, end_column = lines.position(max(statement.value_end - 1, statement.value_start))
    columns = (value_column, end_column + 1) if last == value_line else None
    return KeyLines("entry", first, last, value_column, columns)


def key_lines(text: str, key_path: Sequence[str]) -> KeyLines | None:
    """The lines of the table or entry at *key_path* (its parts, unquoted); ``None`` if absent.

    A table header naming the whole path wins (its body); otherwise the entry
    is looked for under the longest table path that has a header (``[a.b]``
    then ``c = ...``), down to the top level (``a.b.c = ...``).  Where a
    table path has several headers (an array of tables), the first entry found wins.
    """
    path = tuple(key_path)
    statements = _statements(text)
    lines = _Lines(text)
    headers = [index for index, s in enumerate(statements) if s.kind == "table"]

    def header_line(index: int) -> int:
        return lines.position(statements[index].start)[0]

    def body_end(header: int | None) -> int:
        """The index of the statement after the body of *header* (``None``: the top level)."""
        return next((h for h in headers if header is None or h > header), len(statements))

    for h in headers:
        if statements[h].key == path:
            following = body_end(h)
            last = header_line(following) - 1 if following < len(statements) else lines.count
            return KeyLines("table", header_line(h) + 1, last)
    for split in range(len(path) - 1, -1, -1):
        table, key = path[:split], path[split:]
        bodies = (
            [(h + 1, body_end(h)) for h in headers if statements[h].key == table]
            if table
            else [(0, body_end(None))]
        )
        for begin, end in bodies:
            for statement in statements[begin:end]:
                if statement.key == key:
                    return _entry_lines(statement, lines)
    return None
