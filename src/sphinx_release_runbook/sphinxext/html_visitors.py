"""The HTML visitors of the runbook nodes (``app.add_node(..., html=(visit, depart))``).

Each writes a node's markup: the step card and its header (a checkbox, a real
heading one level below the enclosing section's, the kind badge), the commands
with their placeholders marked up as spans (``runbook.js`` fills them as the
reader types a version) under a header row that holds the Copy button, and the
runbook's bar: the version box, the progress and the checklist actions.  What
needs JavaScript has the class ``runbook-js-only``: the stylesheet shows it only
once the script has marked the page (``<html class="runbook-js">``), so a page
read without JavaScript shows every command with its placeholders and no dead
control.  Other builders write the standard docutils node each runbook node
subclasses.
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
    from collections.abc import Iterable

    from sphinx.writers.html5 import HTML5Translator


def _placeholder_span(name: str, display: dict[str, str]) -> str:
    return (
        f'<span class="runbook-var" data-runbook-var="{name}">'
        f"{html.escape(display.get(name, name))}</span>"
    )


def mark_placeholders(markup: str, display: dict[str, str]) -> str:
    """Replace sentinels in highlighted HTML with marked-up placeholder spans."""
    return SENTINEL_RE.sub(lambda m: _placeholder_span(m.group(1), display), markup)


def inline_html(children: Iterable[nodes.Node]) -> str:
    """Text and placeholder nodes (as :mod:`.fill` makes them) as HTML."""
    parts: list[str] = []
    for child in children:
        if isinstance(child, release_var):
            parts.append(_placeholder_span(child["name"], {child["name"]: child.astext()}))
        else:
            parts.append(html.escape(child.astext()))
    return "".join(parts)


def _attribute(value: object) -> str:
    return html.escape(str(value), quote=True)


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
    attributes: dict[str, Any] = {"data-language": language}
    if node.get("copy_lines"):
        # The lines the Copy button takes: the commands, without comment lines.
        attributes["data-copy-lines"] = node["copy_lines"]
    self.body.append(self.starttag(node, "div", CLASS="runbook-commands", **attributes))
    # The header row holds the button, so it never covers a line of the code; without a
    # caption the row holds only the button, and goes with it when there is no JavaScript.
    header_class = "runbook-commands-header" + ("" if caption else " runbook-js-only")
    self.body.append(f'<div class="{header_class}">')
    if caption:
        self.body.append(f'<span class="runbook-commands-caption">{html.escape(caption)}</span>')
    label = node.get("copy_label") or "Copy the commands"
    self.body.append(
        '<button type="button" class="runbook-copy runbook-js-only" '
        f'aria-label="{_attribute(label)}">Copy</button>'
    )
    self.body.append("</div>\n")
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


def heading_level(self: HTML5Translator) -> int:
    """One level below the heading of the section that holds the step (h2 to h6)."""
    level = self.section_level + self.initial_header_level
    return max(2, min(6, level))


def visit_step_title(self: HTML5Translator, node: release_step_title) -> None:
    number = node.get("number", 0) or "?"
    kind = node.get("kind", "command")
    step_id = node.get("step_id", "")
    anchor = node.get("anchor", "")
    runbook = node.get("runbook", "")
    # fill.py makes the children "N. " and the title as text and placeholders.
    pieces = node.children[1:] if len(node.children) > 1 else [nodes.Text(node.get("title", ""))]
    title = inline_html(pieces)
    level = heading_level(self)
    check_id = f"runbook-check-{step_id}"
    heading_id = f"{anchor}-title"
    self.body.append(
        '<div class="runbook-step-header">'
        '<span class="runbook-print-box" aria-hidden="true"></span>'
        f'<span class="runbook-check-box runbook-js-only">'
        f'<input type="checkbox" class="runbook-check" id="{check_id}" '
        f'data-runbook="{_attribute(runbook)}" data-step="{_attribute(step_id)}" '
        f'aria-labelledby="{check_id}-label {heading_id}-label" />'
        f'<span class="runbook-visually-hidden" id="{check_id}-label">Done:</span></span>'
        f'<h{level} class="runbook-step-heading" id="{heading_id}">'
        f'<span class="runbook-step-label" id="{heading_id}-label">'
        '<span class="runbook-visually-hidden">Step </span>'
        f'<span class="runbook-step-number">{number}</span>'
        '<span class="runbook-visually-hidden">: </span>'
        f'<span class="runbook-step-title">{title}</span></span>'
        f'<a class="headerlink" href="#{anchor}" title="Link to this step">¶</a>'
        f"</h{level}>"
        f'<span class="runbook-badge runbook-badge-{kind}">{kind}</span>'
        "</div>\n"
    )
    raise nodes.SkipNode


def visit_version_box(self: HTML5Translator, node: release_version_box) -> None:
    """The runbook's bar (version box, status, progress, actions) and its summary line.

    The bar stays in the runbook's header until the reader scrolls past it; the
    script then pins it to the bottom of the window, the place it left kept free.
    """
    attributes: dict[str, Any] = node.get("data", {})
    data = " ".join(f'data-{key}="{_attribute(value)}"' for key, value in attributes.items())
    name = str(attributes.get("runbook", ""))
    steps = str(attributes.get("steps", "0"))
    prefix = f"runbook-{name}"
    progress = f"0 of {steps} done"
    self.body.append(
        '<div class="runbook-bar-slot runbook-js-only">'
        f'<form class="runbook-version-box" {data} onsubmit="return false" '
        f'aria-label="Release checklist"><div class="runbook-bar-inner">'
        '<span class="runbook-bar-field">'
        f'<label class="runbook-version-label" for="{prefix}-version">'
        '<span class="runbook-label-full">Release version</span>'
        '<span class="runbook-label-short" aria-hidden="true">Version</span></label>'
        f'<input type="text" class="runbook-version-input" id="{prefix}-version" '
        'name="version" placeholder="X.Y.Z" autocomplete="off" spellcheck="false" size="12" '
        f'aria-describedby="{prefix}-status" /></span>'
        f'<span class="runbook-version-status" id="{prefix}-status" aria-live="polite"></span>'
        f'<span class="runbook-bar-progress runbook-progress-text">{progress}</span>'
        '<span class="runbook-bar-actions">'
        '<button type="button" class="runbook-issue">Copy as GitHub issue</button>'
        '<button type="button" class="runbook-reset">Reset checklist</button>'
        f'<a class="runbook-bar-top" href="#{prefix}">Top</a>'
        "</span>"
        "</div></form></div>\n"
        '<p class="runbook-summary runbook-js-only">'
        '<span class="runbook-meter" aria-hidden="true"><span class="runbook-meter-fill">'
        "</span></span>"
        f'<span class="runbook-summary-text runbook-progress-text" aria-live="polite">{progress}'
        "</span></p>\n"
    )
    raise nodes.SkipNode


def depart_nothing(self: Any, node: nodes.Node) -> None:
    """Departure for visitors that raise ``SkipNode``."""
