"""TOML version keys, edited with tomlkit so every other byte of the file stays as it was."""

from __future__ import annotations

import tomlkit
import tomlkit.exceptions
from tomlkit.items import String

from sphinx_release_runbook.bump.site import BumpError, VersionSite
from sphinx_release_runbook.core.model import BumpTarget

# An identifier-shaped marker: it survives TOML quoting unchanged, so the line it
# lands on is the line that holds the key.
_MARKER = "RUNBOOKxVERSIONxMARKER"


def _toml_container(document: tomlkit.TOMLDocument, target: BumpTarget) -> tuple[object, str]:
    parts = target.key.split(".")
    node: object = document
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            where = ".".join(parts[: depth + 1])
            raise BumpError(f"{target.path}: no table [{where}] (looking for {target.key})")
        node = node[part]
    if not isinstance(node, dict) or parts[-1] not in node:
        raise BumpError(f"{target.path}: no key {target.key}")
    return node, parts[-1]


def _parse_toml(text: str, target: BumpTarget) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise BumpError(f"{target.path}:{exc.line}: not valid TOML: {exc}") from exc


def site(text: str, target: BumpTarget) -> VersionSite:
    document = _parse_toml(text, target)
    container, key = _toml_container(document, target)
    value = container[key]  # type: ignore[index]
    if not isinstance(value, String):
        raise BumpError(f"{target.path}: {target.key} is not a string")
    container[key] = _MARKER  # type: ignore[index]
    marked = tomlkit.dumps(document)
    for number, line in enumerate(marked.splitlines(), start=1):
        column = line.find(_MARKER)
        if column >= 0:
            original = text.splitlines()[number - 1]
            # The marker replaced the value's text; the quotes stay where they were.
            start = column - 1
            end = start + len(original) - len(line) + len(_MARKER) + 2
            return VersionSite(number, original, start, end, str(value))
    raise BumpError(f"{target.path}: cannot find the line of {target.key}")  # pragma: no cover


def apply(text: str, target: BumpTarget, version: str) -> str:
    document = _parse_toml(text, target)
    container, key = _toml_container(document, target)
    old = container[key]  # type: ignore[index]
    if not isinstance(old, String):
        raise BumpError(f"{target.path}: {target.key} is not a string")
    # Keep the string's kind: a 'literal' value stays single-quoted (only the version changes).
    container[key] = tomlkit.string(  # type: ignore[index]
        version, literal=old.type.is_literal(), multiline=old.type.is_multiline()
    )
    return tomlkit.dumps(document)
