"""Nothing of a guide is dropped or hidden without a finding (``doctree-read``).

Two ways a step could vanish, or run unseen, while the build says "fine":

* docutils (or MyST) drops a runbook directive it cannot parse (an option given twice,
  a misspelt directive name) with a system message of its own, or reports an error
  inside a directive's content.  Every such message of level ERROR or above, inside a
  runbook directive or about one, becomes a ``runbook.directive`` finding: located,
  counted by the build gate, and refused by the CLI as any malformed directive is.
* A step (or a runbook, or a troubleshooting entry) inside ``.. only::`` content that
  the HTML pages do not show would still be run.  It is a located error, and the entry
  is not collected: a step is the same for every reader of the guide, so the runbook
  does not depend on the builder that built it.

The system messages are still in the doctree at ``doctree-read`` (Sphinx filters them
out later, at priority 999); the domain has collected the entries already (priority 850).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util.tags import Tags

from sphinx_release_runbook.core.assemble import Entry, RunbookDeclaration
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Step, Troubleshoot
from sphinx_release_runbook.sphinxext.diagnostics import emit, relative_to_repo, repo_path
from sphinx_release_runbook.sphinxext.domain import domain_of
from sphinx_release_runbook.sphinxext.nodes import (
    release_runbook,
    release_step,
    release_troubleshoot,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Every directive of the extension (``extension.setup`` registers them by these names).
DIRECTIVES = (
    "release-file",
    "release-quickref",
    "release-runbook",
    "release-step",
    "release-troubleshoot",
)
_ERROR = 3  # docutils' ERROR level; SEVERE is 4
#: reST: a directive dropped because its block does not parse.
_REST_DROPPED = re.compile(r'Error in "(?P<name>[\w.:-]+)" directive:\s*(?P<detail>.*)', re.S)
#: MyST: the same (a MarkupError while the block was parsed).
_MYST_DROPPED = re.compile(r"Directive '(?P<name>[\w.:-]+)': (?P<detail>.*)", re.S)
#: reST and MyST: a directive name that no extension registers.
_UNKNOWN = re.compile(r"Unknown directive type:? [\"'](?P<name>[\w.:-]+)[\"']")
_DUPLICATE = re.compile(r'duplicate option "(?P<option>[^"]+)"')
_ENTRY_NODES = (release_step, release_troubleshoot, release_runbook)
_HTML_TAGS = ("html", "format_html", "builder_html")


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: report dropped directives, errors inside them, and hidden entries."""
    for message in list(doctree.findall(nodes.system_message)):
        finding = _about_runbook(app, message)
        if finding is not None:
            _record(app, finding)
    _hidden_entries(app, doctree)


def _record(app: Sphinx, finding: Finding) -> None:
    domain_of(app.env).add_finding(finding)
    emit(finding)


# --- system messages -----------------------------------------------------------------------


def _finding(app: Sphinx, node: nodes.Element, message: str, line: int | None = None) -> Finding:
    """A ``runbook.directive`` finding where *node* (or its nearest located ancestor) is."""
    env = app.env
    source: str | None = node.get("source")
    path = relative_to_repo(env, source) if source else repo_path(env, env.docname)
    found = next((n.get("line") for n in [node, *_ancestors(node)] if n.get("line")), 1)
    return Finding(path, line or int(found), "directive", message, docname=env.docname)


def _text(message: nodes.system_message) -> str:
    """The message as reported: its first paragraph's source (smart quotes have run since),
    without MyST's ``[type.subtype]`` suffix."""
    return re.sub(r" \[[\w.-]+\]$", "", _raw(message).strip())


def _raw(message: nodes.system_message) -> str:
    first = next(iter(message.findall(nodes.paragraph)), None)
    return (first.rawsource or first.astext()) if first is not None else ""


def _about_runbook(app: Sphinx, message: nodes.system_message) -> Finding | None:
    text = _text(message)
    level = int(message.get("level", 0))
    # MyST reports what docutils calls an error (an unknown role, a bad nested directive)
    # as a warning of its own type: inside a runbook directive it counts as an error.
    if level == _ERROR - 1 and re.search(r" \[myst\.[\w.-]+\]$", _raw(message).strip()):
        level = _ERROR if _inside_entry(message) else level
    unknown = _UNKNOWN.match(text)
    # MyST reports an unknown directive as a warning; docutils as an error.
    if unknown is not None and _ours_misspelt(unknown["name"]):
        name = unknown["name"]
        close = difflib.get_close_matches(name, DIRECTIVES, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}?" if close else "they are " + ", ".join(DIRECTIVES)
        return _finding(app, message, f"unknown directive {name!r}: nothing of it is built; {hint}")
    if level < _ERROR:
        return None
    dropped = _REST_DROPPED.match(text) or _MYST_DROPPED.match(text)
    if dropped is not None and dropped["name"] in DIRECTIVES:
        detail = " ".join(dropped["detail"].split()).rstrip(".")
        duplicate = _DUPLICATE.search(detail)
        if duplicate is not None:
            option = duplicate["option"]
            return _finding(
                app,
                message,
                f"option :{option}: is given twice; give each option once",
                _repeated_option_line(message, option),
            )
        return _finding(
            app, message, f"{_dropped_name(message, dropped['name'])} is not built: {detail}"
        )
    owner = _inside_entry(message)
    if owner is None:
        return None
    detail = " ".join(text.split())
    return _finding(app, message, f"error in the content of {_describe(owner)}: {detail}")


def _inside_entry(node: nodes.Node) -> nodes.Element | None:
    return next((a for a in _ancestors(node) if isinstance(a, _ENTRY_NODES)), None)


def _ours_misspelt(name: str) -> bool:
    return name.startswith("release") or bool(
        difflib.get_close_matches(name, DIRECTIVES, n=1, cutoff=0.8)
    )


def _dropped_name(message: nodes.system_message, name: str) -> str:
    """``release-step 'ID'`` for the dropped block that docutils quotes (the name alone without)."""
    block = next(iter(message.findall(nodes.literal_block)), None)
    first = block.astext().splitlines()[0] if block is not None and block.astext() else ""
    argument = re.match(r"\s*\.\.\s+[\w.:-]+::\s*(\S+)", first)
    return f"{name} {argument.group(1)!r}" if argument else name


def _repeated_option_line(message: nodes.system_message, option: str) -> int | None:
    """The line of the second ``:option:`` in the dropped block (docutils quotes the block)."""
    block = next(iter(message.findall(nodes.literal_block)), None)
    line = message.get("line")
    if block is None or not line:
        return None
    seen = 0
    for offset, text in enumerate(block.astext().splitlines()):
        if re.match(rf"\s*:{re.escape(option)}:(\s|$)", text):
            seen += 1
            if seen == 2:
                return int(line) + offset
    return None


def _ancestors(node: nodes.Node) -> list[nodes.Element]:
    found: list[nodes.Element] = []
    parent = node.parent
    while parent is not None:
        found.append(parent)
        parent = parent.parent
    return found


def _describe(node: nodes.Element) -> str:
    if isinstance(node, release_step):
        return f"release-step {node['step_id']!r}"
    if isinstance(node, release_runbook):
        return f"release-runbook {node['runbook']!r}"
    anchor = next((i for i in node["ids"] if i.startswith("troubleshoot-")), "")
    return f"release-troubleshoot {anchor.removeprefix('troubleshoot-')!r}"


# --- entries the HTML does not show --------------------------------------------------------


def html_tags(app: Sphinx) -> Tags:
    """The tags an HTML build has: this build's, with its builder's tags swapped for html's."""
    builder = app.builder
    own = {builder.name, builder.format, f"format_{builder.format}", f"builder_{builder.name}"}
    return Tags([*(tag for tag in app.tags if tag not in own), *_HTML_TAGS])


def _hidden_by(node: nodes.Node, tags: Tags) -> str | None:
    """The ``only`` expression that hides *node* from the HTML pages, if one does."""
    for ancestor in _ancestors(node):
        if isinstance(ancestor, addnodes.only):
            try:
                shown = tags.eval_condition(ancestor["expr"])
            except Exception:  # Sphinx keeps the content of an expression it cannot read
                shown = True
            if not shown:
                return str(ancestor["expr"])
    return None


def _hidden_entries(app: Sphinx, doctree: nodes.document) -> None:
    hidden: dict[str, str] = {}  # anchor of the entry -> the `only` expression hiding it
    tags: Tags | None = None
    for only in doctree.findall(addnodes.only):
        tags = tags or html_tags(app)
        for node in only.findall(lambda n: isinstance(n, _ENTRY_NODES)):
            assert isinstance(node, nodes.Element)
            expression = _hidden_by(node, tags)
            if expression is not None:
                for anchor in node["ids"]:
                    hidden.setdefault(anchor, expression)
    if not hidden:
        return
    domain = domain_of(app.env)
    record = domain.record(app.env.docname)
    kept: list[Entry] = []
    for entry in record.entries:
        anchor = entry.anchor if isinstance(entry, Step | Troubleshoot | RunbookDeclaration) else ""
        if anchor not in hidden:
            kept.append(entry)
            continue
        what, does = (
            ("release-step", "the runner would run it")
            if isinstance(entry, Step)
            else ("release-troubleshoot", "the runner would print it")
            if isinstance(entry, Troubleshoot)
            else ("release-runbook", "the runner would use it")
        )
        source = entry.source
        finding = Finding(
            source.path,
            source.line,
            "structure",
            f"{what} {entry.name_or_id!r} is inside `.. only:: {hidden[anchor]}`, which the HTML "
            f"pages do not show, but {does}: move it out of the `only` block",
            docname=source.docname,
        )
        domain.add_finding(finding)
        emit(finding)
    record.entries = kept
