"""The HTML visitors of the runbook nodes (``app.add_node(..., html=(visit, depart))``).

Each writes a node's markup: the step card and its header, the commands with
their placeholders marked up as spans (``runbook.js`` fills them as the reader
types a version), and the version form.  Other builders write the standard
docutils node each runbook node subclasses.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_release_runbook.sphinxext.nodes import (
    SENTINEL_RE,
    release_commands,
    release_step,
    release_step_title,
    release_var,
    release_version_box,
)

if TYPE_CHECKING:
    from sphinx.writers.html5 import HTML5Translator


def _placeholder_span(name: str, display: dict[str, str]) -> str:
    return (
        f'<span class="runbook-var" data-runbook-var="{name}">'
        f"{html.escape(display.get(name, name))}</span>"
    )


def mark_placeholders(markup: str, display: dict[str, str]) -> str:
    """Replace sentinels in highlighted HTML with marked-up placeholder spans."""
    return SENTINEL_RE.sub(lambda m: _placeholder_span(m.group(1), display), markup)


def visit_commands(self: HTML5Translator, node: release_commands) -> None:
    marked: str = node.get("marked", "")
    display: dict[str, str] = node.get("display", {})
    language = node.get("language", "bash")
    highlighted = ""
    if marked:
        highlighted = self.highlighter.highlight_block(marked, language, location=node, force=True)
        # A lexer that split a sentinel would leave a fragment behind: fall back to plain text.
        if len(SENTINEL_RE.findall(highlighted)) != len(SENTINEL_RE.findall(marked)):
            escaped = html.escape(marked)
            highlighted = f'<div class="highlight"><pre>{escaped}</pre></div>'
        highlighted = mark_placeholders(highlighted, display)
    else:
        highlighted = self.highlighter.highlight_block(
            node.astext(), language, location=node, force=True
        )
    caption = node.get("caption")
    self.body.append(self.starttag(node, "div", CLASS="runbook-commands"))
    if caption:
        self.body.append(f'<div class="runbook-commands-caption">{html.escape(caption)}</div>')
    self.body.append(
        '<button type="button" class="runbook-copy" title="Copy to clipboard" '
        'aria-label="Copy commands">Copy</button>'
    )
    self.body.append(highlighted)
    self.body.append("</div>\n")
    raise nodes.SkipNode


def visit_var(self: HTML5Translator, node: release_var) -> None:
    self.body.append(_placeholder_span(node["name"], {node["name"]: node.astext()}))
    raise nodes.SkipNode


def visit_step(self: HTML5Translator, node: release_step) -> None:
    self.body.append(
        self.starttag(node, "section", CLASS="runbook-step", **{"data-step": node["step_id"]})
    )


def depart_step(self: HTML5Translator, node: release_step) -> None:
    self.body.append("</section>\n")


def visit_step_title(self: HTML5Translator, node: release_step_title) -> None:
    number = node.get("number", 0)
    kind = node.get("kind", "command")
    title = html.escape(node.get("title", ""))
    anchor = node.get("anchor", "")
    self.body.append(
        '<div class="runbook-step-header">'
        f'<span class="runbook-step-number">{number or "?"}</span>'
        f'<span class="runbook-step-title">{title}</span>'
        f'<span class="runbook-badge runbook-badge-{kind}">{kind}</span>'
        f'<a class="headerlink" href="#{anchor}" title="Link to this step">¶</a>'
        "</div>\n"
    )
    raise nodes.SkipNode


def visit_version_box(self: HTML5Translator, node: release_version_box) -> None:
    attributes: dict[str, Any] = node.get("data", {})
    data = " ".join(
        f'data-{key}="{html.escape(str(value), quote=True)}"' for key, value in attributes.items()
    )
    self.body.append(
        f'<form class="runbook-version-box" {data} onsubmit="return false">'
        "<label>Release version "
        '<input type="text" class="runbook-version-input" placeholder="X.Y.Z" '
        'autocomplete="off" spellcheck="false" size="12"></label>'
        '<span class="runbook-version-status" aria-live="polite"></span>'
        "</form>\n"
    )
    raise nodes.SkipNode


def depart_nothing(self: Any, node: nodes.Node) -> None:
    """Departure for visitors that raise ``SkipNode``."""
