"""``release-quickref [NAME]``: every command of a runbook in one block, from its steps."""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes

from sphinx_release_runbook.core.assemble import QuickrefReference
from sphinx_release_runbook.sphinxext.directives.base import (
    DirectiveError,
    OptionKind,
    RunbookDirective,
)
from sphinx_release_runbook.sphinxext.nodes import release_quickref


class ReleaseQuickrefDirective(RunbookDirective):
    """A quick reference generated from the steps, so it cannot disagree with them."""

    known_options: ClassVar[dict[str, OptionKind]] = {}

    def run_checked(self) -> list[nodes.Node]:
        name = self.identifier("a runbook name", "pypi") if self.arguments else ""
        self.options_checked()
        if "".join(self.content).strip():
            raise DirectiveError("release-quickref takes no content; it is built from the steps")
        node = release_quickref(runbook=name, docname=self.env.docname)
        self.set_source_info(node)
        node["entry"] = QuickrefReference(name, self.source())
        return [node]
