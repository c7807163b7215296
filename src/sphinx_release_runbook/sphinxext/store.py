"""Cross-document runbook data: an EnvironmentCollector with purge and merge.

Each document's runbook declarations, steps and troubleshooting entries are
kept in document order, with the findings the directives reported, in a
:class:`RunbookStore` pickled with the environment.  Without ``merge_other``
a ``-j 2`` build would silently lose the data of documents read in workers.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Source, Step, Troubleshoot, VersionScheme
from sphinx_release_runbook.sphinxext.nodes import (
    release_quickref,
    release_runbook,
    release_step,
    release_step_title,
    release_troubleshoot,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


@dataclass
class RunbookDeclaration:
    """A ``release-runbook`` directive: a runbook's header and variables."""

    name: str
    title: str
    version_scheme: VersionScheme
    tag: str
    package: str
    source: Source
    anchor: str

    @property
    def name_or_id(self) -> str:
        return self.name


@dataclass
class QuickrefReference:
    """A ``release-quickref``: checked once all runbooks are known."""

    runbook: str
    source: Source
    title: str = "quickref"

    @property
    def name_or_id(self) -> str:
        return self.runbook


Entry = RunbookDeclaration | Step | Troubleshoot | QuickrefReference


@dataclass
class DocumentRecord:
    """What one document contributes, in the order it is written."""

    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class RunbookStore:
    """Per-document records; the only place runbook data lives in the environment."""

    def __init__(self) -> None:
        self.documents: dict[str, DocumentRecord] = {}
        #: A memo of derived values (the resolved runbooks), dropped on every change and
        #: never pickled: each write-phase document would otherwise re-assemble them.
        self.memo: dict[str, object] = {}

    def __getstate__(self) -> dict[str, object]:
        return {"documents": self.documents}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.documents = state["documents"]  # type: ignore[assignment]
        self.memo = {}

    def record(self, docname: str) -> DocumentRecord:
        self.memo.clear()
        return self.documents.setdefault(docname, DocumentRecord())

    def forget(self, docname: str) -> None:
        self.memo.clear()
        self.documents.pop(docname, None)

    def adopt(self, docname: str, record: DocumentRecord) -> None:
        self.memo.clear()
        self.documents[docname] = record

    def add_finding(self, finding: Finding) -> None:
        self.record(finding.docname).findings.append(finding)

    def findings(self) -> list[Finding]:
        return sorted(f for record in self.documents.values() for f in record.findings)


STORE_ATTRIBUTE = "runbook_store"


def store_of(env: BuildEnvironment) -> RunbookStore:
    """The environment's runbook store (created with the environment's first read)."""
    store = getattr(env, STORE_ATTRIBUTE, None)
    if store is None:
        store = RunbookStore()
        setattr(env, STORE_ATTRIBUTE, store)
    return store


class RunbookCollector(EnvironmentCollector):
    """Collects runbook entries from each document's doctree."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        store_of(env).forget(docname)

    def merge_other(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        docnames: AbstractSet[str],
        other: BuildEnvironment,
    ) -> None:
        ours, theirs = store_of(env), store_of(other)
        for docname in docnames:
            if docname in theirs.documents:
                ours.adopt(docname, theirs.documents[docname])

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        record = store_of(env).record(env.docname)
        # The directives carry their parsed entry on the node; document order is tree order.
        entries: list[Entry] = []
        for node in doctree.findall(_entry_node):
            assert isinstance(node, nodes.Element)  # _entry_node matches only elements
            entry = node.attributes.pop("entry", None)
            if entry is None:
                continue
            if not entry.title:
                entry.title = _section_title(node) or entry.name_or_id
                for title in node.findall(release_step_title):
                    title["title"] = entry.title
                for rubric in node.findall(nodes.rubric):
                    if "runbook-title" in rubric["classes"]:
                        rubric.children = [nodes.Text(entry.title)]
            entries.append(entry)
        record.entries = entries


def _entry_node(node: nodes.Node) -> bool:
    return isinstance(
        node, release_runbook | release_step | release_troubleshoot | release_quickref
    )


def _section_title(node: nodes.Node) -> str | None:
    """The title of the section a directive stands in: a step reads like the original guide."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    if parent is None:
        return None
    title = next((child for child in parent.children if isinstance(child, nodes.title)), None)
    return title.astext() if title is not None else None
