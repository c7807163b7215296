"""The project's runbooks, assembled in toctree order and memoised on the ``runbook`` domain.

The assembly itself is pure (:mod:`sphinx_release_runbook.core.assemble`); this
module gives it the documents in toctree order, adds the cross-document drift
(every version source of a runbook holds one version) through the checks'
registry, and keeps the result until a record or the toctree changes.

The memo's key costs nothing to make: the domain empties its memo whenever a
document's record changes, and the toctree changes only when a document is
read (or removed), which empties it too (``clear_doc``).  So the key needs
only what can change without a document being read: the set of documents
found (its size) and the configured docs URL.  Walking the toctree for a key
at every ``doctree-resolved`` made a build quadratic in its pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_release_runbook.core.assemble import Resolved, assemble
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.drift import VersionItem
from sphinx_release_runbook.sphinxext.checking import check
from sphinx_release_runbook.sphinxext.domain import domain_of

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def document_order(env: BuildEnvironment) -> list[str]:
    """Documents in toctree order from the root; unreachable ones after, alphabetically."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.found_docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    order.extend(sorted(set(env.found_docs) - seen))
    return order


def version_items(runbooks: list[Runbook]) -> list[VersionItem]:
    """One item per runbook: each version source its bump steps name, with the step."""
    return [
        VersionItem(tuple((target, step.source) for step in runbook.steps for target in step.bump))
        for runbook in runbooks
    ]


def resolve(env: BuildEnvironment) -> Resolved:
    """The assembled runbooks; memoised until a document's record or the toctree changes."""
    domain = domain_of(env)
    key = f"resolved:{len(env.found_docs)}:{env.config.runbook_docs_url}"
    cached = domain.memo.get(key)
    if isinstance(cached, Resolved):
        return cached
    domain.memo.clear()
    order = document_order(env)
    result = assemble(domain.records(order), env.config.runbook_docs_url)
    # The version files are dependencies of the bump steps that name them already.
    result.findings.extend(check(env, version_items(result.runbooks), in_document=False))
    result.findings.sort()
    domain.memo[key] = result
    return result
