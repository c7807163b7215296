"""Compile a template for the exported script, with the runner's own parser.

The exported script cannot run Jinja2, so the export compiles each template
here, with the runner's own environment and parser, into parts: literal text,
bare placeholders, and expressions over them.  An expression is a small tree
of placeholders, constants, ``~`` and the filters of EXPORTABLE_FILTERS, each
of which is one Python ``str`` method as Jinja2 applies it, so the script's
helper evaluates it exactly as the runner renders it.  Anything else (a block,
an attribute, a call, an operator) cannot be exported: NotExportable says which.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.nodes

from sphinx_release_runbook.core.model import PLACEHOLDERS
from sphinx_release_runbook.core.templating import ENVIRONMENT, PlaceholderError, is_plain

#: Filter name -> (fewest, most) positional arguments, each a constant.
EXPORTABLE_FILTERS: dict[str, tuple[int, int]] = {
    "capitalize": (0, 0),
    "lower": (0, 0),
    "replace": (2, 3),
    "string": (0, 0),
    "trim": (0, 1),
    "upper": (0, 0),
}

#: An expression tree, JSON-ready: ``["name", N]``, ``["const", V]``,
#: ``["concat", [TREE, ...]]`` or ``["filter", NAME, TREE, [ARG, ...]]``.
Tree = list[Any]


class NotExportable(PlaceholderError):
    """A template the runner renders but the exported script cannot fill the same way."""


@dataclass(frozen=True)
class Text:
    """Literal text of a compiled template."""

    text: str


@dataclass(frozen=True)
class Placeholder:
    """A bare ``{{ name }}`` (any spacing, any whitespace control)."""

    name: str


@dataclass(frozen=True)
class Expression:
    """A filtered or concatenated placeholder, e.g. ``{{ version | replace('.', '-') }}``."""

    tree: Tree
    names: frozenset[str]

    @property
    def key(self) -> str:
        """The tree as canonical text: two spellings of one expression share it."""
        return json.dumps(self.tree, separators=(",", ":"))


CompiledPart = Text | Placeholder | Expression

_STATEMENTS = {
    "If": "an {% if %} block",
    "For": "a {% for %} loop",
    "Macro": "a {% macro %}",
    "Assign": "a {% set %}",
    "AssignBlock": "a {% set %} block",
    "FilterBlock": "a {% filter %} block",
    "With": "a {% with %} block",
    "CallBlock": "a {% call %} block",
}
_EXPRESSIONS = {
    "Getattr": "an attribute (x.name)",
    "Getitem": "an index or slice (x[...])",
    "Call": "a call (x())",
    "Test": "a test (x is ...)",
    "CondExpr": "a conditional (a if b else c)",
    "Compare": "a comparison",
    "And": "'and'",
    "Or": "'or'",
    "Not": "'not'",
    "Tuple": "a tuple",
    "List": "a list",
    "Dict": "a dict",
}


def _unknown_name(name: str, allowed: tuple[str, ...]) -> PlaceholderError:
    known = ", ".join("{{ " + known + " }}" for known in allowed)
    return PlaceholderError(f"unknown placeholder {{{{ {name} }}}}; known: {known}")


def _tree(node: jinja2.nodes.Node, allowed: tuple[str, ...]) -> Tree:
    """The tree of one expression node; raises :class:`NotExportable` for anything else."""
    if isinstance(node, jinja2.nodes.Name):
        if node.name not in allowed:
            raise _unknown_name(node.name, allowed)
        return ["name", node.name]
    if isinstance(node, jinja2.nodes.Const):
        if not isinstance(node.value, str | int | float | bool | None):
            raise NotExportable(f"the constant {node.value!r} cannot be exported")
        return ["const", node.value]
    if isinstance(node, jinja2.nodes.Concat):
        return ["concat", [_tree(item, allowed) for item in node.nodes]]
    if isinstance(node, jinja2.nodes.Filter):
        return _filter_tree(node, allowed)
    kind = _EXPRESSIONS.get(type(node).__name__, f"the expression {type(node).__name__}")
    raise NotExportable(
        f"{kind} cannot be exported; the script fills placeholders, constants, '~' and the "
        f"filters {_filter_list()}"
    )


def _filter_list() -> str:
    return ", ".join(f"|{name}" for name in EXPORTABLE_FILTERS)


def _filter_tree(node: jinja2.nodes.Filter, allowed: tuple[str, ...]) -> Tree:
    if node.name not in EXPORTABLE_FILTERS:
        raise NotExportable(
            f"the filter |{node.name} cannot be exported; the script applies {_filter_list()}"
        )
    if node.node is None:  # a {% filter %} block's filter
        raise NotExportable(f"a {{% filter {node.name} %}} block cannot be exported")
    fewest, most = EXPORTABLE_FILTERS[node.name]
    if node.kwargs or node.dyn_args or node.dyn_kwargs or not fewest <= len(node.args) <= most:
        raise NotExportable(
            f"|{node.name} takes {fewest}"
            + (f" to {most}" if most != fewest else "")
            + " positional constant argument(s) in an exported script"
        )
    arguments = []
    for argument in node.args:
        if not isinstance(argument, jinja2.nodes.Const) or not isinstance(
            argument.value, str | int | None
        ):
            raise NotExportable(f"|{node.name} takes constant arguments in an exported script")
        arguments.append(argument.value)
    return ["filter", node.name, _tree(node.node, allowed), arguments]


def _names(tree: Tree) -> set[str]:
    kind = tree[0]
    if kind == "name":
        return {tree[1]}
    if kind == "concat":
        return set().union(*(_names(item) for item in tree[1]))
    if kind == "filter":
        return _names(tree[2])
    return set()


def compile_template(
    template: str, allowed: Iterable[str] = PLACEHOLDERS
) -> tuple[CompiledPart, ...]:
    """*template* as parts the exported script fills; parsed as :func:`render` parses it.

    Raises :class:`PlaceholderError` for bad syntax or an unknown name (as the
    build and the runner do) and :class:`NotExportable` for a construct the
    script cannot evaluate.  Literal text is kept exactly (``{% raw %}``,
    comments and whitespace control already applied by the parser).
    """
    allowed = tuple(allowed)
    if is_plain(template):
        return (Text(template),) if template else ()
    try:
        parsed = ENVIRONMENT.parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(f"bad placeholder syntax: {exc.message}") from exc
    parts: list[CompiledPart] = []

    def add_text(text: str) -> None:
        if parts and isinstance(parts[-1], Text):
            parts[-1] = Text(parts[-1].text + text)
        elif text:
            parts.append(Text(text))

    for statement in parsed.body:
        if not isinstance(statement, jinja2.nodes.Output):
            kind = _STATEMENTS.get(type(statement).__name__, "a {% ... %} statement")
            raise NotExportable(
                f"{kind} cannot be exported; the script fills placeholders, constants, '~' "
                f"and the filters {_filter_list()}"
            )
        for node in statement.nodes:
            if isinstance(node, jinja2.nodes.TemplateData):
                add_text(node.data)
                continue
            tree = _tree(node, allowed)
            if tree[0] == "name":
                parts.append(Placeholder(tree[1]))
            elif tree[0] == "const":
                add_text(str(tree[1]))  # as Jinja2 prints a constant
            else:
                parts.append(Expression(tree, frozenset(_names(tree))))
    return tuple(parts)
