"""TOML version keys, edited with tomlkit so every other byte of the file stays as it was."""

from __future__ import annotations

import tomlkit
import tomlkit.exceptions
from tomlkit.items import String

from sphinx_release_runbook.bump.site import BumpError, VersionSite
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.core.toml_lines import key_lines


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
    found = key_lines(text, target.key.split("."))
    if found is None or found.value_column is None:  # pragma: no cover - tomlkit found it
        raise BumpError(f"{target.path}: cannot find the line of {target.key}")
    original = text.splitlines()[found.first - 1]
    # The value's text, quotes included; a multi-line string shows its first line's part.
    start, end = found.columns or (found.value_column, len(original))
    return VersionSite(found.first, original, start, end, str(value))


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
