"""``:release-path:``: a repository path in prose, checked to exist."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.util.docutils import SphinxRole

from sphinx_release_runbook.core.model import Source
from sphinx_release_runbook.drift import PathRef
from sphinx_release_runbook.sphinxext.checking import check
from sphinx_release_runbook.sphinxext.diagnostics import repo_path


class ReleasePathRole(SphinxRole):
    """Shows the path as a literal; a missing path is ``runbook.path``."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        path = self.text.strip()
        docname = self.env.docname
        source = Source(docname, repo_path(self.env, docname), self.lineno)
        # The checks note the path either way: itself when it exists, its parent when it
        # does not, so creating or deleting it re-reads this document.
        check(self.env, [PathRef(path, source, "release-path")])
        node = nodes.literal(self.rawtext, path, classes=["runbook-path"])
        return [node], []
