"""The ``--jq`` filters the release guides use, evaluated as gh's built-in jq does.

Supported: paths (``.``, ``.name``, ``.[N]`` with negative ``N``, ``.[]``,
``.["name"]``, chained: ``.[0].databaseId``, ``.[].conclusion``), ``length``,
``first``, ``last`` and pipes between them.  Any other filter is an error
naming it, never a guess.  Results print as gh prints them: strings raw,
everything else as JSON, one result a line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from sphinx_release_runbook.rehearse.gh.flags import GhError

_SEGMENT = re.compile(
    r"\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\.?\[(?P<index>-?\d+)\]"
    r"|\.?\[(?P<all>)\]"
    r'|\.?\["(?P<quoted>[^"]*)"\]'
)


def _unsupported(text: str) -> GhError:
    return GhError(
        f"the rehearsal's gh does not support the jq filter '{text}' "
        "(it supports paths such as .[0].databaseId or .[].conclusion, length, first, last, "
        "and pipes between them)"
    )


def _path(part: str, values: list[object], whole: str) -> list[object]:
    if part == ".":
        return values
    position = 0
    while position < len(part):
        match = _SEGMENT.match(part, position)
        if match is None:
            raise _unsupported(whole)
        values = list(_step(match, values, whole))
        position = match.end()
    return values


def _step(match: re.Match[str], values: list[object], whole: str) -> Iterator[object]:
    for value in values:
        name = match["name"] if match["name"] is not None else match["quoted"]
        if name is not None:
            if value is None:
                yield None
            elif isinstance(value, dict):
                yield value.get(name)
            else:
                raise GhError(f'jq: cannot index {type(value).__name__} with "{name}"')
        elif match["index"] is not None:
            if value is None:
                yield None
            elif isinstance(value, list):
                index = int(match["index"])
                yield value[index] if -len(value) <= index < len(value) else None
            else:
                raise GhError(f"jq: cannot index {type(value).__name__} with number")
        elif isinstance(value, list):
            yield from value
        elif isinstance(value, dict):
            yield from value.values()
        else:
            raise GhError(f"jq: cannot iterate over {type(value).__name__} in '{whole}'")


def _builtin(name: str, values: list[object]) -> list[object]:
    results: list[object] = []
    for value in values:
        if name == "length":
            results.append(len(value) if isinstance(value, list | dict | str) else 0)
        elif isinstance(value, list):
            results.append((value[0] if name == "first" else value[-1]) if value else None)
        else:
            raise GhError(f"jq: {name} needs an array")
    return results


def evaluate(text: str, document: object) -> list[object]:
    """The results of the filter *text* on *document*."""
    values: list[object] = [document]
    for raw in text.split("|"):
        part = raw.strip()
        if part in ("length", "first", "last"):
            values = _builtin(part, values)
        elif part.startswith("."):
            values = _path(part, values, text)
        else:
            raise _unsupported(text)
    return values


def render(results: list[object]) -> str:
    """The results one a line: strings raw, the rest as JSON (``null`` for nothing)."""
    lines = [item if isinstance(item, str) else json.dumps(item) for item in results]
    return "".join(f"{line}\n" for line in lines)
