"""Cross-document runbook data: the ``runbook`` domain.

Each document's runbook declarations, steps and troubleshooting entries are
kept in document order, with the findings reported while reading it, as a
:class:`~.core.assemble.DocumentRecord` in the domain's data (pickled with the
environment).  ``clear_doc`` drops a document's record before it is read again;
``merge_domaindata`` adopts the records of documents read by a ``-j`` worker,
without which a parallel build would silently lose them.

The memo of derived values (the resolved runbooks) lives on the domain object,
not in its data: Sphinx never pickles the domain objects, so the memo is
neither written with the environment nor sent back from a worker.  So do the
facts the checks learn about the repository's files in one build
(:class:`~.drift.repository.Facts`) and the dependencies already noted, which
:meth:`RunbookDomain.forget_facts` drops when a build starts reading and when it
has read every document.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from sphinx.domains import Domain

from sphinx_release_runbook.core.assemble import DocumentRecord, Entry
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.repository import Facts
from sphinx_release_runbook.sphinxext.nodes import (
    find,
    release_quickref,
    release_runbook,
    release_step,
    release_step_title,
    release_troubleshoot,
)

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


class RunbookDomain(Domain):
    """Per-document records: the only place runbook data lives in the environment."""

    name = "runbook"
    label = "Release runbook"
    #: Bump when the shape of the records changes: an older pickled environment is discarded.
    data_version = 2
    initial_data: ClassVar[dict[str, Any]] = {"documents": {}}

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: Derived values (the resolved runbooks), dropped on every change of the records.
        self.memo: dict[str, object] = {}
        self.forget_facts()

    def forget_facts(self) -> None:
        """Start afresh: a file may have changed since the last build read it."""
        #: What the checks learnt about the repository's files while this build reads.
        self.facts = Facts()
        #: (docname, path) of each dependency noted while this build reads: noted once.
        self.noted: set[tuple[str, Path]] = set()
        #: The repository's settings, and the config values they were made from
        #: (:func:`~.checking.repository`).
        self.repository_settings: tuple[object, tuple[Path, dict[str, str], str, bool]] | None = (
            None
        )

    @property
    def documents(self) -> dict[str, DocumentRecord]:
        return cast("dict[str, DocumentRecord]", self.data["documents"])

    def record(self, docname: str) -> DocumentRecord:
        self.memo.clear()
        return self.documents.setdefault(docname, DocumentRecord())

    def add_finding(self, finding: Finding) -> None:
        self.record(finding.docname).findings.append(finding)

    def findings(self) -> list[Finding]:
        return sorted(f for record in self.documents.values() for f in record.findings)

    def records(self, docnames: Iterable[str]) -> list[DocumentRecord]:
        """The records of *docnames* that have one, in that order."""
        return [self.documents[name] for name in docnames if name in self.documents]

    # --- the Domain protocol -------------------------------------------------------

    def clear_doc(self, docname: str) -> None:
        self.memo.clear()
        self.documents.pop(docname, None)

    def merge_domaindata(self, docnames: AbstractSet[str], otherdata: dict[str, Any]) -> None:
        self.memo.clear()
        theirs: dict[str, DocumentRecord] = otherdata["documents"]
        for docname in docnames:
            if docname in theirs:
                self.documents[docname] = theirs[docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Collect the entries the directives left on their nodes; document order is tree order."""
        record = self.record(docname)
        entries: list[Entry] = []
        for node in find(document, _ENTRY_NODES):
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

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: Any,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        return []  # the domain holds data, no objects to cross-reference


def domain_of(env: BuildEnvironment) -> RunbookDomain:
    return cast(RunbookDomain, env.get_domain(RunbookDomain.name))


_ENTRY_NODES: tuple[type[nodes.Element], ...] = (
    release_runbook,
    release_step,
    release_troubleshoot,
    release_quickref,
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
