"""Prose of a directive as plain text: what ``runbook.json`` keeps for the runner to print.

A manual step's instructions and a troubleshooting entry's fix are reST (or MyST) on the
page; the runner prints them on a terminal.  :func:`protect` swaps every placeholder (any
Jinja2 construct: ``{{ ... }}``, ``{% ... %}``, ``{# ... #}``) for a token before the
content is parsed, so the markup cannot touch it; the page fills the tokens on
``doctree-resolved`` (:mod:`.fill`), and :func:`plain_text` writes a copy of the parsed
content with Sphinx's text writer, inline markup dropped (``**Error**`` is ``Error``), a
link's address after its text, code blocks indented, then puts each placeholder back as
written.  The result is a plain-text *template*: the runner fills it with the release's values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.util.docutils import new_document
from sphinx.writers.text import TextTranslator

if TYPE_CHECKING:
    from sphinx.builders.text import TextBuilder
    from sphinx.environment import BuildEnvironment

#: A placeholder while the content is parsed: identifier-shaped, so markup leaves it alone.
TOKEN = "RUNBOOKxEXPRx{index}xEND"
TOKEN_RE = re.compile(r"RUNBOOKxEXPRx(\d+)xEND")
_CONSTRUCT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_SIMPLE = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def protect(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """*lines* with each placeholder replaced by a token, and the placeholders in order."""
    constructs: list[str] = []

    def swap(match: re.Match[str]) -> str:
        constructs.append(match.group(0))
        return TOKEN.format(index=len(constructs) - 1)

    return [_CONSTRUCT.sub(swap, line) for line in lines], constructs


def restore(text: str, constructs: Sequence[str]) -> str:
    """*text* with every token replaced by the placeholder it stands for, as written."""
    return TOKEN_RE.sub(lambda match: constructs[int(match.group(1))], text)


def simple_name(construct: str) -> str | None:
    """``version`` for ``{{ version }}``; None for any other construct."""
    match = _SIMPLE.fullmatch(construct)
    return match.group(1) if match else None


class PlainTextTranslator(TextTranslator):
    """Sphinx's text writer without inline markup: text a terminal shows as it is."""

    def _plain(self, node: nodes.Element) -> None:
        pass

    visit_strong = depart_strong = _plain
    visit_emphasis = depart_emphasis = _plain
    visit_literal = depart_literal = _plain
    visit_literal_strong = depart_literal_strong = _plain
    visit_literal_emphasis = depart_literal_emphasis = _plain
    visit_title_reference = depart_title_reference = _plain
    visit_problematic = depart_problematic = _plain

    def end_state(
        self, wrap: bool = True, end: Sequence[str] | None = ("",), first: str | None = None
    ) -> None:
        # Lines stay as the author broke them: a terminal wraps, and a placeholder's token
        # is not as long as the value it stands for.
        super().end_state(False, end, first)

    def depart_paragraph(self, node: nodes.Element) -> None:
        # A list item's last paragraph ends the item without a blank line: lists stay compact.
        item = node.parent
        if isinstance(item, nodes.list_item) and item.children[-1] is node:
            self.end_state(end=None)
            return
        super().depart_paragraph(node)

    def depart_bullet_list(self, node: nodes.Element) -> None:
        super().depart_bullet_list(node)
        self._blank_after_list(node)

    def depart_enumerated_list(self, node: nodes.Element) -> None:
        super().depart_enumerated_list(node)
        self._blank_after_list(node)

    def _blank_after_list(self, node: nodes.Element) -> None:
        if not isinstance(node.parent, nodes.list_item):
            self.states[-1].append((0, [""]))

    def visit_reference(self, node: nodes.Element) -> None:
        pass

    def depart_reference(self, node: nodes.Element) -> None:
        uri = node.get("refuri", "")
        if uri and "://" in uri and uri != node.astext() and not uri.startswith("mailto:"):
            self.add_text(f" <{uri}>")

    def visit_system_message(self, node: nodes.Element) -> None:
        raise nodes.SkipNode  # reported, and it fails the build: not part of the text

    def unknown_visit(self, node: nodes.Node) -> None:
        pass  # nodes of other extensions: their text, without their markup

    def unknown_departure(self, node: nodes.Node) -> None:
        pass


def plain_text(env: BuildEnvironment, content: nodes.Element, constructs: Sequence[str]) -> str:
    """The children of *content* (parsed, not yet resolved) as a plain-text template."""
    document = new_document("<runbook>")
    for child in content.children:
        document += child.deepcopy()
    builder = SimpleNamespace(config=env.config, env=env, secnumbers={})
    translator = PlainTextTranslator(document, cast("TextBuilder", builder))
    document.walkabout(translator)
    body: Any = translator.body
    lines = [line.rstrip() for line in str(body).splitlines()]
    return restore("\n".join(lines).strip("\n"), constructs)
