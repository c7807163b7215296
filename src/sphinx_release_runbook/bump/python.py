"""Python version assignments (``__version__``, ``__version_info__``), edited via ``ast``.

The target is the one module-level assignment to the key; a key bound more
than once at module level (assigned twice, re-bound by an augmented
assignment or an unpacking) is ambiguous and refused, naming every line.
Lines are Python's (``\\n``, ``\\r\\n`` or ``\\r`` ends one; a form feed or a
Unicode line separator in a comment does not), so the edit lands on the line
``ast`` names.
"""

from __future__ import annotations

import ast
import re

from sphinx_release_runbook.bump.site import BumpError, VersionSite, ambiguous
from sphinx_release_runbook.core.model import BumpTarget

#: One line with its ending, as Python's tokenizer splits source text.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
#: A string literal's opening: its prefix (``u``, ``r``) and its quotes, kept by an edit.
_OPENING = re.compile(r"""(?P<prefix>[A-Za-z]*)(?P<quote>'''|"{3}|'|")""")


def _lines(text: str) -> list[str]:
    """*text*'s lines with their endings, split where Python ends a line."""
    return _LINE.findall(text)


def _without_ending(line: str) -> str:
    return line.rstrip("\r\n")


def _bound_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    if isinstance(target, ast.Tuple | ast.List):
        return [name for element in target.elts for name in _bound_names(element)]
    return []


def _bindings(module: ast.Module, key: str) -> list[tuple[ast.stmt, ast.expr | None]]:
    """Each module-level statement that assigns *key*, with the value (``None``: not plain)."""
    found: list[tuple[ast.stmt, ast.expr | None]] = []
    for statement in module.body:
        if isinstance(statement, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == key for t in statement.targets):
                found.append((statement, statement.value))
            elif any(key in _bound_names(t) for t in statement.targets):
                found.append((statement, None))  # unpacked: no literal of its own
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            if key in _bound_names(statement.target):
                found.append((statement, statement.value))
        elif isinstance(statement, ast.AugAssign) and key in _bound_names(statement.target):
            found.append((statement, None))
    return found


def _python_node(text: str, target: BumpTarget) -> ast.expr:
    try:
        module = ast.parse(text)
    except SyntaxError as exc:
        raise BumpError(f"{target.path}:{exc.lineno}: not valid Python: {exc.msg}") from exc
    except ValueError as exc:  # a NUL byte (Python 3.11)
        raise BumpError(f"{target.path}: not valid Python: {exc}") from exc
    found = _bindings(module, target.key)
    if not found:
        raise BumpError(f"{target.path}: no assignment to {target.key}")
    if len(found) > 1:
        lines = [statement.lineno for statement, _ in found]
        raise ambiguous(target.path, target.key, lines, "assigned", " at module level")
    statement, value = found[0]
    if value is None:
        raise BumpError(
            f"{target.path}:{statement.lineno}: {target.key} is not a string or a tuple "
            "literal, so it cannot be bumped"
        )
    return value


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


def _char_span(lines: list[str], node: ast.expr, target: BumpTarget) -> tuple[int, int, int]:
    """(line, start, end) of *node* in characters; ``ast`` columns count UTF-8 bytes."""
    if node.end_lineno != node.lineno or node.end_col_offset is None:
        raise BumpError(
            f"{target.path}:{node.lineno}: {target.key} spans several lines; "
            "write its value on one line to bump it"
        )
    encoded = lines[node.lineno - 1].encode("utf-8", "surrogatepass")
    start = len(encoded[: node.col_offset].decode("utf-8", "surrogatepass"))
    end = len(encoded[: node.end_col_offset].decode("utf-8", "surrogatepass"))
    return node.lineno, start, end


def site(text: str, target: BumpTarget) -> VersionSite:
    node = _python_node(text, target)
    value = _literal_version(node, target)
    lines = _lines(text)
    number, start, end = _char_span(lines, node, target)
    return VersionSite(number, _without_ending(lines[number - 1]), start, end, value)


def apply(text: str, target: BumpTarget, version: str, info: tuple[int | str, ...]) -> str:
    node = _python_node(text, target)
    _literal_version(node, target)
    lines = _lines(text)
    number, start, end = _char_span(lines, node, target)
    line = lines[number - 1]
    old = line[start:end]
    if isinstance(node, ast.Tuple):
        new = repr(tuple(info))
    else:
        opening = _OPENING.match(old)
        prefix, quote = (opening["prefix"], opening["quote"]) if opening else ("", '"')
        new = f"{prefix}{quote}{version}{quote}"
    lines[number - 1] = line[:start] + new + line[end:]
    return "".join(lines)
