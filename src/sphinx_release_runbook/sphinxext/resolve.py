"""Assemble the project's runbooks from the per-document records, in toctree order.

Steps belong to the latest runbook declared above them (or to ``:runbook:``),
numbered across documents.  Problems only visible across documents (duplicate
IDs, a step before any runbook) are findings of this module.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Runbook, Source, Step, Troubleshoot
from sphinx_release_runbook.sphinxext.checking import version_findings
from sphinx_release_runbook.sphinxext.store import (
    Entry,
    QuickrefReference,
    RunbookDeclaration,
    store_of,
)

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


class Problem(Protocol):
    def __call__(
        self,
        entry: Step | Troubleshoot | RunbookDeclaration | QuickrefReference,
        subtype: str,
        text: str,
    ) -> None: ...


@dataclass
class Resolved:
    """The project's runbooks with numbered steps, and the cross-document findings."""

    runbooks: list[Runbook] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    steps: dict[str, Step] = field(default_factory=dict)
    troubleshoot: dict[str, Troubleshoot] = field(default_factory=dict)

    def runbook(self, name: str) -> Runbook | None:
        if not name:
            return self.runbooks[0] if len(self.runbooks) == 1 else None
        return next((runbook for runbook in self.runbooks if runbook.name == name), None)


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


def _url(base: str, docname: str, anchor: str) -> str:
    return f"{base}{docname}.html#{anchor}"


def resolve(env: BuildEnvironment) -> Resolved:
    """The assembled runbooks; memoised until the store or the toctree changes."""
    store = store_of(env)
    key = f"resolved:{len(env.found_docs)}:{hash(tuple(document_order(env)))}"
    cached = store.memo.get(key)
    if isinstance(cached, Resolved):
        return cached
    store.memo.clear()
    result = _assemble(env)
    store.memo[key] = result
    return result


def _assemble(env: BuildEnvironment) -> Resolved:
    """Assemble runbooks from the store (pure over the environment's data)."""
    store = store_of(env)
    base = env.config.runbook_docs_url
    if base and not base.endswith("/"):
        base += "/"
    result = Resolved()
    declared: dict[str, Runbook] = {}
    current: Runbook | None = None
    pending_troubleshoot: list[Troubleshoot] = []
    quickrefs: list[QuickrefReference] = []

    def problem(
        entry: Step | Troubleshoot | RunbookDeclaration | QuickrefReference,
        subtype: str,
        text: str,
    ) -> None:
        result.findings.append(
            Finding(
                entry.source.path,
                entry.source.line,
                subtype,  # type: ignore[arg-type]
                text,
                docname=entry.source.docname,
            )
        )

    def already_used(seen: dict[str, Source], key: str, entry: Entry, message: str) -> bool:
        """Report a second use of *key*, naming where it was first used; else remember it."""
        if key in seen:
            problem(entry, "duplicate", message.format(key=key, first=seen[key]))
            return True
        seen[key] = entry.source
        return False

    runbook_sources: dict[str, Source] = {}
    step_sources: dict[str, Source] = {}
    entry_sources: dict[str, Source] = {}

    for docname in document_order(env):
        record = store.documents.get(docname)
        if record is None:
            continue
        for entry in record.entries:
            if isinstance(entry, QuickrefReference):
                quickrefs.append(entry)
            elif isinstance(entry, RunbookDeclaration):
                if already_used(
                    runbook_sources,
                    entry.name,
                    entry,
                    "runbook {key!r} is already declared at {first}",
                ):
                    continue
                current = Runbook(
                    name=entry.name,
                    title=entry.title,
                    version_scheme=entry.version_scheme,
                    tag=entry.tag,
                    package=entry.package,
                    source=entry.source,
                    anchor=entry.anchor,
                    url=_url(base, entry.source.docname, entry.anchor),
                )
                declared[entry.name] = current
                result.runbooks.append(current)
            elif isinstance(entry, Step):
                if already_used(
                    step_sources,
                    entry.id,
                    entry,
                    "duplicate step ID {key!r}: already used at {first}",
                ):
                    continue
                owner = _owner(entry, declared, current, problem)
                if owner is None:
                    continue
                step = dataclasses.replace(
                    entry,
                    runbook=owner.name,
                    number=len(owner.steps) + 1,
                    url=_url(base, entry.source.docname, entry.anchor),
                )
                owner.steps.append(step)
                result.steps[step.id] = step
            else:
                if already_used(
                    entry_sources,
                    entry.id,
                    entry,
                    "duplicate troubleshooting ID {key!r}: already used at {first}",
                ):
                    continue
                pending_troubleshoot.append(entry)
    # Troubleshooting often precedes nothing or follows the steps; attach after all declarations.
    for entry in pending_troubleshoot:
        owner = declared.get(entry.runbook) if entry.runbook else None
        if entry.runbook and owner is None:
            problem(entry, "structure", f"unknown runbook {entry.runbook!r} in :runbook:")
            continue
        if owner is None:
            owner = _nearest_runbook(entry, result.runbooks)
        if owner is None:
            problem(
                entry,
                "structure",
                f"troubleshooting entry {entry.id!r} belongs to no runbook: declare one with "
                "`.. release-runbook:: NAME`",
            )
            continue
        resolved_entry = dataclasses.replace(
            entry, runbook=owner.name, url=_url(base, entry.source.docname, entry.anchor)
        )
        owner.troubleshoot.append(resolved_entry)
        result.troubleshoot[entry.id] = resolved_entry
    # Drift across documents: every version source of a runbook holds one version.
    result.findings.extend(version_findings(env, result.runbooks))
    for quickref in quickrefs:
        if result.runbook(quickref.runbook) is None:
            names = ", ".join(runbook.name for runbook in result.runbooks) or "none"
            problem(
                quickref,
                "structure",
                f"release-quickref names unknown runbook {quickref.runbook!r}; declared: {names}"
                if quickref.runbook
                else f"release-quickref needs a runbook name when there is not exactly one; "
                f"declared: {names}",
            )
    result.findings.sort()
    return result


def _owner(
    step: Step, declared: dict[str, Runbook], current: Runbook | None, problem: Problem
) -> Runbook | None:
    if step.runbook:
        owner = declared.get(step.runbook)
        if owner is None:
            problem(
                step,
                "structure",
                f"unknown runbook {step.runbook!r} in :runbook: of step {step.id!r} "
                "(it must be declared above the step, in toctree order)",
            )
        return owner
    if current is None:
        problem(
            step,
            "structure",
            f"release-step {step.id!r} is outside any runbook: put `.. release-runbook:: NAME` "
            "above it (in toctree order) or give :runbook: NAME",
        )
    return current


def _nearest_runbook(entry: Troubleshoot, runbooks: list[Runbook]) -> Runbook | None:
    """The runbook declared in the entry's document, else the only runbook."""
    same_document = [r for r in runbooks if r.source.docname == entry.source.docname]
    if same_document:
        return same_document[-1]
    return runbooks[0] if len(runbooks) == 1 else None
