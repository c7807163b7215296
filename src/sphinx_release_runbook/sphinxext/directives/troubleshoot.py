"""``release-troubleshoot ID``: a known failure, matched against a failed step's output."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.statemachine import StringList

from sphinx_release_runbook.core.model import Source, Troubleshoot
from sphinx_release_runbook.drift import TemplateRef
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    RunbookDirective,
)
from sphinx_release_runbook.sphinxext.nodes import release_troubleshoot
from sphinx_release_runbook.sphinxext.plaintext import plain_text, protect


class ReleaseTroubleshootDirective(RunbookDirective):
    """Its content is the fix; ``:match:`` is the regex the runner looks for."""

    known_options: ClassVar[dict[str, OptionKind]] = {
        "title": "text",
        "match": "regex",
        "runbook": "text",
    }

    def run_checked(self) -> list[nodes.Node]:
        entry_id = self.identifier("an ID", "version-exists")
        options = self.options_checked()
        match = options.text("match")
        if not match:
            raise DirectiveError(
                "release-troubleshoot needs :match: REGEX (the output that identifies this failure)"
            )
        text = "\n".join(self.content).strip()
        if not text:
            raise DirectiveError(f"troubleshooting entry {entry_id!r} needs its fix as content")
        source = self.source()
        # The fix as written is checked; runbook.json gets it as plain text, placeholders
        # kept for the runner to fill.
        self.check([TemplateRef(text, Source(source.docname, source.path, self.content_line(0)))])
        # The script prints the fix filled line by line, as the runner does.
        self.check_exportable_lines(list(self.content))
        entry = Troubleshoot(
            id=entry_id,
            title=options.text("title") or "",
            match=match,
            text=text,
            runbook=options.text("runbook") or "",
            source=source,
            anchor=f"troubleshoot-{entry_id}",
        )
        shown, constructs = protect(list(self.content))
        node = release_troubleshoot(
            classes=["runbook-troubleshoot"], troubleshoot_id=entry_id, expressions=constructs
        )
        self.claim_anchor(node, entry.anchor)
        self.set_source_info(node)
        node["entry"] = entry
        if options.text("title"):
            # Located, or Sphinx dumps it as XML for a debug message (see step.py).
            title = nodes.rubric("", entry.title)
            self.set_source_info(title)
            node += title
        matches = nodes.paragraph("", "", classes=["runbook-troubleshoot-match"])
        matches += nodes.Text("Shown by the runner when a failed step's output matches ")
        matches += nodes.literal(match, match)
        node += matches
        fix = nodes.container()
        lines = StringList(shown, items=list(self.content.items))
        self.state.nested_parse(lines, self.content_offset, fix)
        entry.text = plain_text(self.env, fix, constructs)
        node.extend(fix.children)
        return [node]
