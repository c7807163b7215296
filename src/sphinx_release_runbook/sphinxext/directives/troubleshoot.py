"""``release-troubleshoot ID``: a known failure, matched against a failed step's output."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from sphinx_release_runbook.core.model import Troubleshoot
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    RunbookDirective,
)
from sphinx_release_runbook.sphinxext.nodes import release_troubleshoot


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
        entry = Troubleshoot(
            id=entry_id,
            title=options.text("title") or "",
            match=match,
            text=text,
            runbook=options.text("runbook") or "",
            source=self.source(),
            anchor=f"troubleshoot-{entry_id}",
        )
        node = release_troubleshoot(classes=["runbook-troubleshoot"])
        self.claim_anchor(node, entry.anchor)
        self.set_source_info(node)
        node["entry"] = entry
        if options.text("title"):
            node += nodes.rubric("", entry.title)
        matches = nodes.paragraph("", "", classes=["runbook-troubleshoot-match"])
        matches += nodes.Text("Shown by the runner when a failed step's output matches ")
        matches += nodes.literal(match, match)
        node += matches
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]
