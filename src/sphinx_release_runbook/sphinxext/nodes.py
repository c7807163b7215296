"""The doctree nodes of the runbook directives, and the placeholder sentinels.

Every node subclasses a standard docutils node, so builders without an HTML
visitor (text, latex, man, texinfo) write the standard node: Sphinx's
translators dispatch along the class's MRO.  ``release_version_box`` is a
comment for them, so only HTML shows the form.  The HTML visitors are in
:mod:`.html_visitors`; :mod:`.fill` fills the nodes on ``doctree-resolved``.
"""

from __future__ import annotations

import re
from typing import TypeVar

from docutils import nodes

NodeT = TypeVar("NodeT", bound=nodes.Node)


class release_runbook(nodes.container):
    """A runbook header: title, version box and the overview of its steps."""


class release_step(nodes.container):
    """One step card."""


class release_step_title(nodes.rubric):
    """The numbered heading of a step; the number is filled on ``doctree-resolved``."""


class release_commands(nodes.literal_block):
    """Commands with placeholders; the text child shows them as ``X.Y.Z``.

    ``template`` keeps the Jinja2 source so HTML can mark each placeholder up.
    """


class release_instructions(nodes.container):
    """A manual step's instructions; placeholder sentinels become spans on resolve."""


class release_var(nodes.inline):
    """One placeholder in prose, shown as its display value (``X.Y.Z``).

    Made from a token of a step's or an entry's prose on ``doctree-resolved``, or by
    the ``:release-var:`` role (``from_role``), whose display value is filled then.
    """


class release_literal(nodes.literal):
    """Inline code with placeholders (the ``:release-code:`` role).

    ``template`` keeps the source; on ``doctree-resolved`` the text becomes text and
    ``release_var`` children.  A literal, so no writer gives it typographic quotes.
    """


class release_step_meta(nodes.paragraph):
    """A step's options in words; placeholders are filled on ``doctree-resolved``."""


class release_troubleshoot(nodes.container):
    """A known failure and its fix."""


class release_overview(nodes.General, nodes.Element):
    """Stands for a runbook's linked step list; replaced on ``doctree-resolved``."""


class release_quickref(nodes.General, nodes.Element):
    """Stands for the quick reference; replaced on ``doctree-resolved``."""


class release_version_box(nodes.comment):
    """The live version form (HTML only; other writers skip comments)."""


# Identifier-shaped so a Pygments lexer keeps each one inside a single token.
SENTINEL = "RUNBOOKxVARx{name}xEND"
#: How every sentinel starts: a text without it holds none.
SENTINEL_PREFIX = "RUNBOOKxVARx"
SENTINEL_RE = re.compile(r"RUNBOOKxVARx([a-z_]+)xEND")


def sentinel_values(names: list[str]) -> dict[str, str]:
    return {name: SENTINEL.format(name=name) for name in names}


def find(tree: nodes.Node, kinds: tuple[type[NodeT], ...]) -> list[NodeT]:
    """Every node of *kinds* in *tree* (itself included), in document order.

    What ``list(tree.findall(condition))`` gives for an ``isinstance`` condition, walked
    without a generator per node: the handlers walk every page on every build, and
    docutils' walk with a function for a condition costs several times this one.
    """
    found: list[NodeT] = []
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, kinds):
            found.append(node)
        if node.children:
            stack.extend(reversed(node.children))
    return found
