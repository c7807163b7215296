"""Python version assignments (``__version__``, ``__version_info__``), edited via ``ast``."""

from __future__ import annotations

import ast

from sphinx_release_runbook.bump.site import BumpError, VersionSite
from sphinx_release_runbook.core.model import BumpTarget


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


def site(text: str, target: BumpTarget) -> VersionSite:
    node = _python_node(text, target)
    value = _literal_version(node, target)
    number, start, end = _char_span(text, node)
    return VersionSite(number, text.splitlines()[number - 1], start, end, value)


def apply(text: str, target: BumpTarget, version: str, info: tuple[int | str, ...]) -> str:
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
