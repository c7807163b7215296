"""Format-preserving version edits: TOML keys via tomlkit, Python assignments via ``ast``.

Every function takes the file's text and returns text, so callers plan every
edit before writing any file; :func:`write_atomic` then replaces each file in
one ``os.replace``, so a killed run never leaves a half-written file.
"""

from __future__ import annotations

import ast
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import tomlkit
import tomlkit.exceptions
from tomlkit.items import String

from .model import BumpTarget
from .repository import outside_repository

# An identifier-shaped marker: it survives TOML quoting unchanged, so the line it
# lands on is the line that holds the key.
_MARKER = "RUNBOOKxVERSIONxMARKER"


class BumpError(ValueError):
    """A bump target is missing, does not parse, or holds no version where expected."""


@dataclass(frozen=True)
class VersionSite:
    """Where a version value sits in a file."""

    line: int  # 1-based
    text: str  # the whole line
    start: int  # column span of the value (quotes included) within ``text``
    end: int
    value: str  # the version as a string ("0.3.0"; tuples joined with dots)


def _is_python(path: str) -> bool:
    return path.endswith(".py")


def _is_toml(path: str) -> bool:
    return path.endswith(".toml")


def check_target(target: BumpTarget) -> None:
    """Refuse a target outside the repository, or whose file type this module cannot edit."""
    outside = outside_repository(target.path)
    if outside:
        raise BumpError(outside)
    if not (_is_python(target.path) or _is_toml(target.path)):
        raise BumpError(
            f"{target.path}: cannot bump this file type; bump targets are .toml keys "
            "(tool.poetry.version) or .py assignments (__version__, __version_info__)"
        )
    if _is_python(target.path) and not target.key.isidentifier():
        raise BumpError(f"{target.path}: {target.key!r} is not a Python name")


# --- TOML ------------------------------------------------------------------------------


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


def _toml_site(text: str, target: BumpTarget) -> VersionSite:
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


def _toml_apply(text: str, target: BumpTarget, version: str) -> str:
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


# --- Python ----------------------------------------------------------------------------


def _python_node(text: str, target: BumpTarget) -> ast.expr:
    try:
        module = ast.parse(text)
    except SyntaxError as exc:
        raise BumpError(f"{target.path}:{exc.lineno}: not valid Python: {exc.msg}") from exc
    for statement in module.body:
        if isinstance(statement, ast.Assign):
            names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            value = statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            names = [statement.target.id] if isinstance(statement.target, ast.Name) else []
            value = statement.value
        else:
            continue
        if target.key in names:
            return value
    raise BumpError(f"{target.path}: no assignment to {target.key}")


def _literal_version(node: ast.expr, target: BumpTarget) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts):
        parts = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        if all(isinstance(p, int | str) and not isinstance(p, bool) for p in parts):
            numbers = [str(p) for p in parts if isinstance(p, int)]
            suffix = "".join(str(p) for p in parts if isinstance(p, str))
            return ".".join(numbers) + suffix
    raise BumpError(
        f"{target.path}:{node.lineno}: {target.key} is not a string or a tuple literal, "
        "so it cannot be bumped"
    )


def _char_span(text: str, node: ast.expr) -> tuple[int, int, int]:
    """(line, start, end) of *node* in characters; ``ast`` columns count UTF-8 bytes."""
    if node.end_lineno != node.lineno or node.end_col_offset is None:
        raise BumpError(f"line {node.lineno}: the version value spans several lines")
    line = text.splitlines()[node.lineno - 1]
    encoded = line.encode("utf-8")
    start = len(encoded[: node.col_offset].decode("utf-8"))
    end = len(encoded[: node.end_col_offset].decode("utf-8"))
    return node.lineno, start, end


def _python_site(text: str, target: BumpTarget) -> VersionSite:
    node = _python_node(text, target)
    value = _literal_version(node, target)
    number, start, end = _char_span(text, node)
    return VersionSite(number, text.splitlines()[number - 1], start, end, value)


def _python_apply(text: str, target: BumpTarget, version: str, info: tuple[int | str, ...]) -> str:
    node = _python_node(text, target)
    _literal_version(node, target)
    number, start, end = _char_span(text, node)
    lines = text.splitlines(keepends=True)
    line = lines[number - 1]
    old = line[start:end]
    if isinstance(node, ast.Tuple):
        new = repr(tuple(info))
    else:
        quote = old[0] if old[:1] in ("'", '"') else '"'
        new = f"{quote}{version}{quote}"
    lines[number - 1] = line[:start] + new + line[end:]
    return "".join(lines)


# --- public interface ------------------------------------------------------------------


def locate(text: str, target: BumpTarget) -> VersionSite:
    """Where *target*'s version sits in *text* (the file's content)."""
    check_target(target)
    if _is_toml(target.path):
        return _toml_site(text, target)
    return _python_site(text, target)


def apply(text: str, target: BumpTarget, version: str, info: tuple[int | str, ...]) -> str:
    """*text* with *target*'s value set to *version* (or *info* for tuples), all else unchanged."""
    check_target(target)
    if _is_toml(target.path):
        return _toml_apply(text, target, version)
    return _python_apply(text, target, version, info)


def read_text(repo_root: Path, target: BumpTarget) -> str:
    path = repo_root / target.path
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BumpError(f"{target.path}: file not found (named as a bump target)") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BumpError(f"{target.path}: cannot read: {exc}") from exc


def write_atomic(path: Path, text: str) -> None:
    """Replace *path* with *text* in one rename; the old content survives any interruption."""
    directory = path.parent
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- planned edits ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileEdit:
    """The new text of one file, with each changed target's old and new line."""

    path: str
    old_text: str
    new_text: str
    changes: tuple[tuple[BumpTarget, VersionSite, str], ...]  # target, old site, new line

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text


def plan_edits(
    repo_root: Path, targets: list[BumpTarget], version: str, info: tuple[int | str, ...]
) -> list[FileEdit]:
    """Every file's new text for *version*, computed before anything is written.

    Targets in one file are applied in turn to that file's text, so
    ``__version__`` and ``__version_info__`` land in one write.  Re-planning
    after the edits were written yields no change: a bump is idempotent, which
    is what makes ``--resume`` after an interrupted bump safe.
    """
    by_path: dict[str, list[BumpTarget]] = {}
    for target in targets:
        check_target(target)
        by_path.setdefault(target.path, []).append(target)
    edits: list[FileEdit] = []
    for path, file_targets in by_path.items():
        old = read_text(repo_root, file_targets[0])
        text = old
        changes: list[tuple[BumpTarget, VersionSite, str]] = []
        for target in file_targets:
            site = locate(text, target)
            text = apply(text, target, version, info)
            changes.append((target, site, text.splitlines()[site.line - 1]))
        edits.append(FileEdit(path, old, text, tuple(changes)))
    return edits


def write_edits(repo_root: Path, edits: list[FileEdit]) -> list[str]:
    """Write every changed file atomically; the paths written, in order."""
    written = []
    for edit in edits:
        if edit.changed:
            write_atomic(repo_root / edit.path, edit.new_text)
            written.append(edit.path)
    return written
