"""Fill the doctree with what only the whole project knows, on ``doctree-resolved``.

Step numbers, the overview list of each runbook, the quick reference, and the
placeholders' display values (the tag template is a runbook option, and a step
may live in another document than its runbook).  Every placeholder the page
shows becomes a ``release_var`` node (a live span in HTML): in commands, in a
step's details (``:expect:``, ``:skip-if:``, ``:cwd:``, ``:env:``), in titles, in
prose and in the ``:release-var:`` and ``:release-code:`` roles.  A role takes the
runbook of the nearest step or runbook above it on the page, else the first one
on the page, else the project's only runbook.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import NoUri

from sphinx_release_runbook.core.assemble import Resolved
from sphinx_release_runbook.core.model import PLACEHOLDERS, Runbook, Step
from sphinx_release_runbook.core.shell_units import split_commands
from sphinx_release_runbook.core.templating import PlaceholderError, is_plain, render
from sphinx_release_runbook.core.versions import display_values
from sphinx_release_runbook.sphinxext.nodes import (
    SENTINEL_PREFIX,
    SENTINEL_RE,
    find,
    release_commands,
    release_instructions,
    release_literal,
    release_overview,
    release_quickref,
    release_runbook,
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


#: Every placeholder as its sentinel: made once, as render only reads it.
_SENTINELS = sentinel_values(list(PLACEHOLDERS))

#: Languages whose blocks are shell: the Copy button leaves their comment lines out.
SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console", "zsh"})


def copy_lines(template: str) -> str:
    """The 1-based line ranges of *template* that are commands (``"1-2 4"``).

    The shell units of the template (:func:`~.core.shell_units.split_commands`, the
    runner's own cut) without the comment and blank lines between them; a ``#`` line
    inside a unit (a heredoc, a quoted string) is part of the unit and stays.
    """
    lines = template.splitlines()
    ranges: list[str] = []
    for command in split_commands(lines):
        first = command.offset + 1
        last = command.offset + command.text.count("\n") + 1
        ranges.append(str(first) if first == last else f"{first}-{last}")
    return " ".join(ranges)


def _fill_commands(node: release_commands, runbook: Runbook | None) -> None:
    template: str = node["template"]
    display = _display(runbook)
    try:
        shown = render(template, display)
        marked = render(template, _SENTINELS)
    except PlaceholderError:  # already reported at read time; show the source as written
        shown, marked = template, ""
    node["display"] = display
    node["marked"] = marked
    if node.get("language", "bash") in SHELL_LANGUAGES and shown.count("\n") == template.count(
        "\n"
    ):
        node["copy_lines"] = copy_lines(template)
    node.children = [nodes.Text(shown)]
    node.rawsource = shown


def pieces(template: str, display: dict[str, str]) -> list[nodes.Node]:
    """*template* as text and ``release_var`` nodes, one per plain placeholder.

    A placeholder that is not a plain ``{{ name }}`` (a filter, a statement) is shown
    filled with the display values, as text; a template that does not render (already
    reported) is shown as written.
    """
    if is_plain(template) and SENTINEL_PREFIX not in template:
        # No placeholder (most titles): what the renders below would come to.
        return [nodes.Text(template)] if template else []
    try:
        shown = render(template, display)
        marked = render(template, _SENTINELS)
    except PlaceholderError:
        return [nodes.Text(template)]
    if SENTINEL_RE.sub(lambda m: display.get(m.group(1), m.group(0)), marked) != shown:
        return [nodes.Text(shown)]
    result: list[nodes.Node] = []
    position = 0
    for match in SENTINEL_RE.finditer(marked):
        if match.start() > position:
            result.append(nodes.Text(marked[position : match.start()]))
        name = match.group(1)
        result.append(release_var("", display[name], name=name))
        position = match.end()
    if position < len(marked):
        result.append(nodes.Text(marked[position:]))
    return result


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
            children.append(nodes.Text(": "))
            literal = nodes.literal(value, "")
            literal.extend(pieces(value, display))
            children.append(literal)
    node.clear()
    node.extend(children)


def _fill_title(node: release_step_title, step: Step | None, runbook: Runbook | None) -> None:
    """``N. `` then the title, its placeholders live (the HTML visitor shows them after it)."""
    node["number"] = step.number if step else 0
    node["runbook"] = runbook.name if runbook else ""
    node.clear()
    node += nodes.Text(f"{node['number'] or '?'}. ")
    node.extend(pieces(node["title"], _display(runbook)))


def _fill_role(node: release_var | release_literal, runbook: Runbook | None) -> None:
    display = _display(runbook)
    if isinstance(node, release_literal):
        node.clear()
        node.extend(pieces(node["template"], display))
    else:
        node.clear()
        node += nodes.Text(display.get(node["name"], node["name"]))


def _fill_runbook_title(node: release_runbook, runbook: Runbook | None) -> None:
    for rubric in node.findall(nodes.rubric):
        if "runbook-title" in rubric["classes"] and "{" in rubric.astext():
            title = rubric.astext()
            rubric.clear()
            rubric.extend(pieces(title, _display(runbook)))


def _reference(
    app: Sphinx, fromdocname: str, step: Step | Runbook, text: list[nodes.Node]
) -> nodes.Node:
    paragraph = nodes.paragraph()
    try:
        uri = app.builder.get_relative_uri(fromdocname, step.source.docname)
    except NoUri:
        paragraph.extend(text)
        return paragraph
    reference = nodes.reference("", "", internal=True, refuri=f"{uri}#{step.anchor}")
    reference.extend(text)
    paragraph += reference
    return paragraph


def _overview(app: Sphinx, docname: str, runbook: Runbook) -> nodes.Node:
    listing = nodes.enumerated_list(classes=["runbook-overview"])
    display = _display(runbook)
    for step in runbook.steps:
        item = nodes.list_item()
        text = [*pieces(step.title, display), nodes.Text(f" ({step.kind})")]
        item += _reference(app, docname, step, text)
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
    found = find(doctree, _RUNBOOK_NODES)
    if not found:
        return
    resolved = resolve(app.env)

    def runbook_of(node: nodes.Element) -> Runbook | None:
        if isinstance(node, release_runbook):
            return resolved.runbook(node["runbook"])
        step = resolved.steps.get(node.get("step_id", ""))
        entry = resolved.troubleshoot.get(node.get("troubleshoot_id", ""))
        owner = step.runbook if step else entry.runbook if entry else node.get("runbook", "")
        return resolved.runbook(owner)

    # A role is filled with the values of the runbook above it on the page (see above).
    owners = [node for node in found if isinstance(node, release_runbook | release_step_title)]
    current = runbook_of(owners[0]) if owners else resolved.runbook("")

    for node in found:
        if isinstance(node, release_runbook):
            current = runbook_of(node) or current
            _fill_runbook_title(node, current)
        elif isinstance(node, release_step_title):
            step = resolved.steps.get(node["step_id"])
            current = runbook_of(node) or current
            _fill_title(node, step, current)
        elif isinstance(node, release_var | release_literal):
            _fill_role(node, current)
        elif isinstance(node, release_commands):
            _fill_commands(node, runbook_of(node))
            _label_copy(node, resolved)
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


def _label_copy(node: release_commands, resolved: Resolved) -> None:
    """The Copy button's accessible name: it starts with its visible label, "Copy"."""
    step = resolved.steps.get(node.get("step_id", ""))
    if step is None:
        return
    if node.get("caption"):
        path = node["caption"].split(" (", 1)[0]
        node["copy_label"] = f"Copy the {path} lines of step {step.number}"
    else:
        node["copy_label"] = f"Copy the commands of step {step.number}"


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
    block["copy_label"] = "Copy the quick reference"
    node.replace_self(block)


#: The nodes fill_doctree fills.
_RUNBOOK_NODES: tuple[type[nodes.Element], ...] = (
    release_runbook,
    release_step_title,
    release_var,
    release_literal,
    release_instructions,
    release_troubleshoot,
    release_step_meta,
    release_commands,
    release_overview,
    release_quickref,
    release_version_box,
)
