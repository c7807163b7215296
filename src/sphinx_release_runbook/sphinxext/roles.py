"""The roles: ``:release-path:`` (a repository path, checked to exist), and the two that
show placeholders in prose, live as on the rest of the page.

``:release-var:`NAME``` is one placeholder (``version``, ``tag``, ...), rendered as the
same span the commands use; ``:release-code:`TEXT``` is inline code whose placeholders
(``{{ version }}``) are such spans.  Both are filled on ``doctree-resolved`` with the
display values of their runbook (:mod:`.fill`); an unknown name is a
``runbook.placeholder`` error where the role is written.
"""

from __future__ import annotations

from docutils import nodes
from docutils.nodes import Node, system_message
from sphinx.util.docutils import SphinxRole

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import PLACEHOLDERS, Source
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import display_values
from sphinx_release_runbook.drift import PathRef, TemplateRef
from sphinx_release_runbook.sphinxext.checking import check
from sphinx_release_runbook.sphinxext.diagnostics import emit, repo_path
from sphinx_release_runbook.sphinxext.domain import domain_of
from sphinx_release_runbook.sphinxext.nodes import release_literal, release_var
from sphinx_release_runbook.sphinxext.plaintext import TOKEN_RE


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


def _defaults(role: SphinxRole) -> dict[str, str]:
    """The display values before the runbook is known (its tag template comes on resolve)."""
    return display_values("v{{ version }}", str(role.config.project))


class ReleaseVarRole(SphinxRole):
    """``:release-var:`version```: the placeholder's live span."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        name = self.text.strip()
        if name not in PLACEHOLDERS:
            docname = self.env.docname
            finding = Finding(
                repo_path(self.env, docname),
                self.lineno,
                "placeholder",
                f":release-var:`{name}` names no placeholder; use one of "
                + ", ".join(PLACEHOLDERS),
                docname=docname,
            )
            domain_of(self.env).add_finding(finding)
            emit(finding)
            return [nodes.literal(self.rawtext, name)], []
        return [release_var(self.rawtext, _defaults(self)[name], name=name, from_role=True)], []


class ReleaseCodeRole(SphinxRole):
    """``:release-code:`git tag {{ tag }}```: inline code, its placeholders live spans."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        template = self.text
        if TOKEN_RE.search(template):
            # Inside a manual step's instructions or a fix, whose placeholders are already
            # tokens: the directive's own filling makes them spans.
            return [nodes.literal(self.rawtext, template)], []
        docname = self.env.docname
        source = Source(docname, repo_path(self.env, docname), self.lineno)
        findings = check(self.env, [TemplateRef(template, source, label=":release-code:")])
        try:
            shown = render(template, _defaults(self))
        except PlaceholderError:
            shown = template
        if findings:
            return [nodes.literal(self.rawtext, template)], []
        return [release_literal(self.rawtext, shown, template=template)], []
