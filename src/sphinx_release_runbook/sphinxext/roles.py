"""``:release-path:``: a repository path in prose, checked to exist."""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.util.docutils import SphinxRole

from sphinx_release_runbook.core.model import Source
from sphinx_release_runbook.drift import PathRef
from sphinx_release_runbook.drift.path import check_path
from sphinx_release_runbook.sphinxext.checking import record, repository
from sphinx_release_runbook.sphinxext.diagnostics import repo_path


class ReleasePathRole(SphinxRole):
    """Renders the path as a literal; a missing path is ``runbook.path``."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        path = self.text.strip()
        docname = self.env.docname
        source = Source(docname, repo_path(self.env, docname), self.lineno)
        repo = repository(self.env)
        # Noted either way: the path itself when it exists, its parent when it does not,
        # so creating or deleting it re-reads this document.
        record(self.env, repo, check_path(repo, PathRef(path, source, "release-path")))
        node = nodes.literal(self.rawtext, path, classes=["runbook-path"])
        return [node], []
