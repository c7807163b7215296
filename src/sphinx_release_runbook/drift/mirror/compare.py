"""Compare a ``release-file`` copy with the selected part of the file.

``compare_text`` goes line by line (trailing spaces and common indentation
ignored) and names the file's real line numbers in the diff; ``compare_data``
parses both sides, so formatting, comments and key order do not matter.
Pure functions; no Sphinx import.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from sphinx_release_runbook.drift.mirror.select import (
    Selected,
    SelectionError,
    dedent,
    file_format,
    parse_data,
)


def _normalise(text: str) -> list[str]:
    return [line.rstrip() for line in dedent(text).strip("\n").splitlines()]


def _renumber(diff: list[str], left: list[int], right_first: int) -> list[str]:
    """Rewrite hunk headers so both sides carry real line numbers."""
    header = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")
    out: list[str] = []
    for line in diff:
        match = header.match(line)
        if match:
            a, b = int(match.group(1)), int(match.group(3))
            a_real = left[a - 1] if 0 < a <= len(left) else (left[-1] if left else 0) + 1
            b_real = right_first + b - 1 if b > 0 else right_first
            line = f"@@ -{a_real}{match.group(2) or ''} +{b_real}{match.group(4) or ''} @@"
        out.append(line)
    return out


@dataclass(frozen=True)
class Mismatch:
    """How a copy differs: the first differing line of the file and of the copy, the diff.

    ``copy_line`` is 0 when the copy is compared as data (no line of it is "first").
    """

    line: int
    diff: str
    copy_line: int = 0


def compare_text(
    selected: Selected, copy: str, file_label: str, copy_label: str, copy_first_line: int
) -> Mismatch | None:
    """Line-by-line comparison (trailing spaces and common indentation ignored)."""
    # The selection is dedented and stripped already (Selected.text): _normalise would
    # change nothing more than the trailing blanks of its lines.
    expected = [line.rstrip() for line in selected.text.splitlines()]
    actual = _normalise(copy)
    if expected == actual:
        return None
    text_lines = [number for number, _ in selected.lines]
    # Skip the leading blank lines that _normalise dropped, so the numbers line up.
    first_content = next((i for i, (_, line) in enumerate(selected.lines) if line.strip()), 0)
    numbers = text_lines[first_content:]
    raw = list(difflib.unified_diff(expected, actual, file_label, copy_label, lineterm="", n=2))
    differing = next(
        (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    line = numbers[differing] if differing < len(numbers) else (numbers[-1] if numbers else 1)
    # The copy's first lines may be blank; _normalise dropped them too.
    lead = next((i for i, text in enumerate(copy.splitlines()) if text.strip()), 0)
    copy_line = copy_first_line + lead + min(differing, max(len(actual) - 1, 0))
    return Mismatch(line, "\n".join(_renumber(raw, numbers, copy_first_line + lead)), copy_line)


def _canonical(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, default=str).splitlines()


def compare_data(
    selected: Selected, file_text: str, path: str, copy: str, copy_label: str
) -> Mismatch | None:
    """Parsed comparison: formatting, comments and key order do not matter."""
    fmt = file_format(path)
    if fmt is None:
        raise SelectionError(":compare: data needs a TOML, YAML or JSON file")
    expected = selected.value if selected.has_value else parse_data(selected.text, fmt)
    if (
        not selected.has_value
        and selected.lines
        and len(selected.lines) == len(file_text.splitlines())
    ):
        expected = parse_data(file_text, fmt)
    try:
        actual = parse_data(copy, fmt)
    except SelectionError as exc:
        raise SelectionError(f"the copy {exc}") from exc
    if actual == expected:
        return None
    if fmt == "toml" and isinstance(actual, dict) and len(actual) == 1:
        # `docs = [...]` as the copy of the value selected by `...docs`.
        only = next(iter(actual.values()))
        if only == expected:
            return None
    diff = difflib.unified_diff(
        _canonical(expected),
        _canonical(actual),
        f"{path} (parsed)",
        f"{copy_label} (parsed)",
        lineterm="",
        n=2,
    )
    return Mismatch(selected.first_line, "\n".join(diff))
