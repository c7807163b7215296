"""The link collector (``doctree-read``): every external link of a document, as a ``LinkRef``.

Whether a link points into the repository's own GitHub tree, and whether that
path exists, is the ``runbook.link`` check's business (:mod:`.drift.link`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from docutils import nodes
from docutils.utils import get_source_line

from sphinx_release_runbook.core.model import Source
from sphinx_release_runbook.drift import LinkRef
from sphinx_release_runbook.drift.link import unchecked_repository
from sphinx_release_runbook.sphinxext.checking import check, repository
from sphinx_release_runbook.sphinxext.diagnostics import repo_path
from sphinx_release_runbook.sphinxext.domain import domain_of
from sphinx_release_runbook.sphinxext.nodes import release_step

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: hand each ``http(s)`` link of the document to the checks."""
    env = app.env
    docname = env.docname
    path = ""
    items: list[LinkRef] = []
    for reference in doctree.findall(nodes.reference):
        url = reference.get("refuri", "")
        if not url.startswith("http"):
            continue
        path = path or repo_path(env, docname)  # most pages link nowhere: asked only then
        line = get_source_line(reference)[1] or 0
        step = next((a for a in _ancestors(reference) if isinstance(a, release_step)), None)
        if step is not None and step.line and line < step.line:
            # Instructions of a manual step are parsed from a fresh StringList that
            # numbers its lines from 1; the step's own line is the honest location.
            line = step.line
        items.append(LinkRef(url, Source(docname, path, line)))
    if not items:
        return
    check(env, items)
    if env.config.runbook_repo_url:
        return  # the URL is what the author says; links elsewhere are external
    repo_url = repository(env).repo_url
    skipped = [(item.source, unchecked_repository(repo_url, item.url)) for item in items]
    unchecked = [(source, linked) for source, linked in skipped if linked is not None]
    if unchecked:
        domain_of(env).record(docname).unchecked_links.extend(unchecked)


def _ancestors(node: nodes.Node) -> Iterable[nodes.Element]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
