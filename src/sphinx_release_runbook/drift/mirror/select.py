"""Select part of a repository file for ``release-file``.

Selection order: ``:select:`` (a TOML/YAML key path), then ``:lines:`` (counted
within what is selected so far), then ``:start-after:`` / ``:end-before:``.
Every selected line keeps its line number in the file, so a mismatch is
reported as a unified diff with the file's real line numbers.  Pure functions;
no Sphinx import.
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.toml_lines import key_lines

if TYPE_CHECKING:
    # Imported where YAML is parsed: a build whose copies are compared as text (most
    # are) never needs PyYAML, and importing it is a cost paid by every build.
    import yaml


class SelectionError(RunbookError, ValueError):
    """The selection cannot be made (bad option value, or the file changed shape)."""

    exit_code = ExitCode.DRIFT


@dataclass(frozen=True)
class Selected:
    """Lines of a file, each with its 1-based line number, and (for ``:select:``) the value."""

    lines: tuple[tuple[int, str], ...]
    value: Any = None
    has_value: bool = False

    @property
    def text(self) -> str:
        return dedent("\n".join(text for _, text in self.lines)).strip("\n")

    @property
    def first_line(self) -> int:
        return self.lines[0][0] if self.lines else 1


def dedent(text: str) -> str:
    """``textwrap.dedent(text)``, at the cost of one look at each line when it changes nothing.

    It changes nothing when a line starts with no blank (the common margin is then empty)
    and no line is blanks alone (it would empty them): most copies of a file start at
    column 0.  Lines are what ``dedent`` takes them to be: split at ``\\n`` only.
    """
    lines = text.split("\n")
    if any(line[:1] not in _MARGIN for line in lines) and all(
        line.strip(" \t") or not line for line in lines
    ):
        return text
    return textwrap.dedent(text)


#: What ``textwrap.dedent`` takes a margin to be made of (and a line's empty start).
_MARGIN = ("", " ", "\t")


def file_format(path: str) -> str | None:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"toml": "toml", "yaml": "yaml", "yml": "yaml", "json": "json"}.get(suffix)


#: The largest data text parsed (a file for ``:compare: data`` or ``:select:``, or a copy).
MAX_DATA_BYTES = 1_000_000
#: The most YAML nodes a document may stand for once its aliases are expanded.
MAX_YAML_NODES = 100_000


def _limited(text: str, fmt: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DATA_BYTES:
        raise SelectionError(
            f"is {size} bytes of {fmt.upper()}; data over {MAX_DATA_BYTES} bytes is not parsed "
            "(compare it as text, or select a smaller part with :lines:)"
        )


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes *root* stands for with every alias expanded (stops past the limit).

    An alias is the node it names, shared: a few lines of anchors can stand for billions of
    nodes, which constructing, comparing or printing would walk.  Each node's size is
    counted once (memoised), so this costs one pass over the composed graph.
    """
    import yaml

    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if not children_done:
            if key in open_nodes:
                raise SelectionError("does not parse as YAML: an alias refers to itself")
            open_nodes.add(key)
            stack.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise SelectionError("does not parse as YAML: an alias refers to itself")
                stack.append((child, False))
            continue
        open_nodes.discard(key)
        total = 1 + sum(sizes[id(child)] for child in children)
        if total > MAX_YAML_NODES:
            raise SelectionError(
                f"is YAML whose aliases expand to more than {MAX_YAML_NODES} values; "
                "it is not parsed (write the values out, or compare it as text)"
            )
        sizes[key] = total
    return sizes[id(root)]


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML node graph of *text*, within the size and alias-expansion limits."""
    import yaml

    _limited(text, "yaml")
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise SelectionError(f"does not parse as YAML: {exc}".replace("\n", " ")) from exc
    except RecursionError as exc:
        raise SelectionError("does not parse as YAML: it is nested too deeply") from exc
    if node is not None:
        _expanded_size(node)
    return node


def parse_data(text: str, fmt: str) -> Any:
    """Parse TOML, YAML or JSON; raises :class:`SelectionError` with the parser's message.

    YAML is composed first and its alias expansion bounded (:func:`compose_yaml`); every
    format is refused past :data:`MAX_DATA_BYTES` or when nested too deeply to parse.
    """
    if fmt == "yaml":
        node = compose_yaml(text)
        return None if node is None else _yaml_value(node)
    _limited(text, fmt)
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        return json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise SelectionError(f"does not parse as {fmt.upper()}: {exc}".replace("\n", " ")) from exc
    except RecursionError as exc:
        raise SelectionError(f"does not parse as {fmt.upper()}: it is nested too deeply") from exc


def numbered(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(enumerate(text.splitlines(), start=1))


# --- :select: ------------------------------------------------------------------------


def _walk(data: Any, parts: list[str], key_path: str) -> Any:
    node = data
    for depth, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            where = ".".join(parts[:depth]) or "the top level"
            raise SelectionError(f"no key {part!r} under {where} (selecting {key_path})")
    return node


def _yaml_node(text: str, parts: list[str], key_path: str) -> yaml.Node:
    """The node at *parts*, matched on the keys as written (YAML 1.1 reads ``on:`` as True)."""
    import yaml

    node = compose_yaml(text)
    for depth, part in enumerate(parts):
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if str(k.value) == part), None)
        elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
            child = node.value[int(part)]
        if child is None:
            where = ".".join(parts[:depth]) or "the top level"
            raise SelectionError(f"no key {part!r} under {where} (selecting {key_path})")
        node = child
    assert node is not None
    return node


def _yaml_value(node: yaml.Node) -> Any:
    import yaml

    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise SelectionError(f"does not parse as YAML: {exc}".replace("\n", " ")) from exc
    except RecursionError as exc:
        raise SelectionError("does not parse as YAML: it is nested too deeply") from exc
    finally:
        loader.dispose()


def _yaml_lines(node: yaml.Node) -> tuple[int, int]:
    """0-based [start, end) line span of *node*."""
    start, end = node.start_mark.line, node.end_mark.line
    # A block node ends where the next token starts: that line is not part of it.
    if node.end_mark.column > 0 or end == start:
        end += 1
    return start, end


def select_key(text: str, fmt: str | None, key_path: str) -> Selected:
    if fmt not in ("toml", "yaml", "json"):
        raise SelectionError(":select: needs a TOML, YAML or JSON file")
    parts = [part for part in key_path.split(".") if part]
    if not parts:
        raise SelectionError(f":select: {key_path!r} is not a key path (write a.b.c)")
    lines = text.splitlines()
    if fmt == "toml":
        value = _walk(parse_data(text, fmt), parts, key_path)
        found = key_lines(text, parts)
        if found is None:
            raise SelectionError(f"cannot find the lines of {key_path}")
        start, end = found.first - 1, found.last
    else:  # JSON is YAML: one walker for both, matching keys as written
        node = _yaml_node(text, parts, key_path)
        value = _yaml_value(node)
        start, end = _yaml_lines(node)
    while end > start and not lines[end - 1].strip():
        end -= 1
    chosen = tuple((i + 1, lines[i]) for i in range(start, end))
    return Selected(chosen, value=value, has_value=True)


# --- :lines:, :start-after:, :end-before: --------------------------------------------


def parse_line_spec(spec: str, count: int) -> list[int]:
    """``1-5,8,10-`` -> 0-based indices (as ``literalinclude`` reads them)."""
    indices: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d*)\s*-\s*(\d*)|(\d+)", part)
        if not part or not match:
            raise SelectionError(f":lines: {spec!r} is not a line list like 1-5,8,10-")
        if match.group(3):
            first = last = int(match.group(3))
        else:
            first = int(match.group(1) or 1)
            last = int(match.group(2) or count)
        if first < 1 or last < first:
            raise SelectionError(f":lines: {part!r} is not a valid range")
        if first > count:
            raise SelectionError(f":lines: {part!r} is past the end ({count} lines)")
        indices.extend(range(first - 1, min(last, count)))
    return indices


def select(
    text: str,
    path: str,
    *,
    key_path: str | None = None,
    lines: str | None = None,
    start_after: str | None = None,
    end_before: str | None = None,
) -> Selected:
    """Apply the selection options to *text* (the content of the file at *path*)."""
    selected = (
        select_key(text, file_format(path), key_path) if key_path else Selected(numbered(text))
    )
    chosen = list(selected.lines)
    if lines:
        chosen = [chosen[i] for i in parse_line_spec(lines, len(chosen))]
    if start_after is not None:
        index = next((i for i, (_, line) in enumerate(chosen) if start_after in line), None)
        if index is None:
            raise SelectionError(f":start-after: text {start_after!r} not found")
        chosen = chosen[index + 1 :]
    if end_before is not None:
        index = next((i for i, (_, line) in enumerate(chosen) if end_before in line), None)
        if index is None:
            raise SelectionError(f":end-before: text {end_before!r} not found")
        chosen = chosen[:index]
    narrowed = bool(lines or start_after is not None or end_before is not None)
    return Selected(
        tuple(chosen), value=selected.value, has_value=selected.has_value and not narrowed
    )
