"""Fill the doctree with what only the whole project knows, on ``doctree-resolved``.

Step numbers, the overview list of each runbook, the quick reference, and the
placeholders' display values (the tag template is a runbook option, and a step
may live in another document than its runbook).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri

from sphinx_release_runbook.core.assemble import Resolved
from sphinx_release_runbook.core.model import PLACEHOLDERS, Runbook, Step
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import display_values
from sphinx_release_runbook.sphinxext.nodes import (
    release_commands,
    release_instructions,
    release_overview,
    release_quickref,
    release_step_meta,
    release_step_title,
    release_troubleshoot,
    release_var,
    release_version_box,
    sentinel_values,
)
from sphinx_release_runbook.sphinxext.plaintext import TOKEN_RE, simple_name
from sphinx_release_runbook.sphinxext.resolve import resolve

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _display(runbook: Runbook | None) -> dict[str, str]:
    if runbook is None:
        return display_values("v{{ version }}", "PACKAGE")
    return display_values(runbook.tag, runbook.package)


def _fill_commands(node: release_commands, runbook: Runbook | None) -> None:
    template: str = node["template"]
    display = _display(runbook)
    try:
        shown = render(template, display)
        marked = render(template, sentinel_values(list(PLACEHOLDERS)))
    except PlaceholderError:  # already reported at read time; show the source as written
        shown, marked = template, ""
    node["display"] = display
    node["marked"] = marked
    node.children = [nodes.Text(shown)]
    node.rawsource = shown


def _shown(construct: str, display: dict[str, str]) -> str:
    try:
        return render(construct, display)
    except PlaceholderError:  # reported at read time (or a statement): show it as written
        return construct


def _fill_prose(container: nodes.Element, display: dict[str, str]) -> None:
    """Turn the placeholder tokens of prose into ``release_var`` nodes (spans in HTML).

    A placeholder that is not a plain ``{{ name }}`` (a filter, a statement) is shown
    rendered with the display values, as text.
    """
    constructs: list[str] = container.get("expressions", [])

    def construct(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return constructs[index] if index < len(constructs) else match.group(0)

    for text in list(container.findall(nodes.Text)):
        if TOKEN_RE.search(text) is None:
            continue
        parent = text.parent
        pieces: list[nodes.Node] = []
        position = 0
        for match in TOKEN_RE.finditer(text):
            if match.start() > position:
                pieces.append(nodes.Text(text[position : match.start()]))
            written = construct(match)
            name = simple_name(written)
            if name is not None and name in display:
                pieces.append(release_var("", display[name], name=name))
            else:
                pieces.append(nodes.Text(_shown(written, display)))
            position = match.end()
        if position < len(text):
            pieces.append(nodes.Text(text[position:]))
        index = parent.index(text)
        parent[index : index + 1] = pieces
    for element in container.findall(nodes.Element):
        for attribute in ("refuri", "refid"):
            value = element.get(attribute)
            if isinstance(value, str) and TOKEN_RE.search(value):
                element[attribute] = TOKEN_RE.sub(lambda m: _shown(construct(m), display), value)


def _fill_meta(node: release_step_meta, runbook: Runbook | None) -> None:
    """Label, then the value as a literal: commands must not get typographic quotes."""
    display = _display(runbook)
    children: list[nodes.Node] = []
    for label, value in node["parts"]:
        if children:
            children.append(nodes.Text(" · "))
        children.append(nodes.Text(label))
        if value:
            try:
                shown = render(value, display)
            except PlaceholderError:
                shown = value
            children.append(nodes.Text(": "))
            children.append(nodes.literal(shown, shown))
    node.children = children


def _reference(app: Sphinx, fromdocname: str, step: Step | Runbook, text: str) -> nodes.Node:
    paragraph = nodes.paragraph()
    try:
        uri = app.builder.get_relative_uri(fromdocname, step.source.docname)
    except NoUri:
        paragraph += nodes.Text(text)
        return paragraph
    reference = nodes.reference("", "", internal=True, refuri=f"{uri}#{step.anchor}")
    reference += nodes.Text(text)
    paragraph += reference
    return paragraph


def _overview(app: Sphinx, docname: str, runbook: Runbook) -> nodes.Node:
    listing = nodes.enumerated_list(classes=["runbook-overview"])
    for step in runbook.steps:
        item = nodes.list_item()
        item += _reference(app, docname, step, f"{step.title} ({step.kind})")
        listing += item
    return listing


def quickref_template(runbook: Runbook) -> str:
    """All of a runbook's steps as one commented shell block."""
    blocks: list[str] = []
    bumped = False
    for step in runbook.steps:
        lines = [f"# {step.number}. {step.title}"]
        if step.kind == "bump":
            lines.extend(
                f"#    set {target.key} in {target.path} to "
                + ("{{ version_info }}" if target.key.endswith("_info__") else "{{ version }}")
                for target in step.bump
            )
            if not bumped:  # one call sets every version source of the runbook
                lines.append("python -m runbook bump --version {{ version }}")
                bumped = True
        elif step.kind == "manual":
            lines.append("#    (manual step: follow the instructions in the guide)")
        else:
            lines.extend(step.commands)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def fill_doctree(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` handler: one walk of the tree, then each node is filled."""
    found = list(doctree.findall(_runbook_node))
    if not found:
        return
    resolved = resolve(app.env)

    def runbook_of(node: nodes.Element) -> Runbook | None:
        step = resolved.steps.get(node.get("step_id", ""))
        entry = resolved.troubleshoot.get(node.get("troubleshoot_id", ""))
        owner = step.runbook if step else entry.runbook if entry else node.get("runbook", "")
        return resolved.runbook(owner)

    for node in found:
        if isinstance(node, release_step_title):
            step = resolved.steps.get(node["step_id"])
            node["number"] = step.number if step else 0
            node.children = [nodes.Text(f"{node['number'] or '?'}. {node['title']}")]
        elif isinstance(node, release_commands):
            _fill_commands(node, runbook_of(node))
        elif isinstance(node, release_instructions | release_troubleshoot):
            _fill_prose(node, _display(runbook_of(node)))
        elif isinstance(node, release_step_meta):
            _fill_meta(node, runbook_of(node))
        elif isinstance(node, release_overview):
            runbook = resolved.runbook(node["runbook"])
            node.replace_self(_overview(app, docname, runbook) if runbook else [])
        elif isinstance(node, release_quickref):
            _replace_quickref(node, resolved)
        elif isinstance(node, release_version_box):
            runbook = resolved.runbook(node["data"]["runbook"])
            if runbook is not None:
                node["data"]["steps"] = str(len(runbook.steps))


def _replace_quickref(node: release_quickref, resolved: Resolved) -> None:
    runbook = resolved.runbook(node["runbook"])
    if runbook is None:
        node.replace_self([])
        return
    template = quickref_template(runbook)
    block = release_commands(
        template, template, template=template, language="bash", runbook=runbook.name
    )
    block.source, block.line = node.source, node.line
    _fill_commands(block, runbook)
    node.replace_self(block)


def _runbook_node(node: nodes.Node) -> bool:
    return isinstance(
        node,
        release_step_title
        | release_instructions
        | release_troubleshoot
        | release_step_meta
        | release_commands
        | release_overview
        | release_quickref
        | release_version_box,
    )
