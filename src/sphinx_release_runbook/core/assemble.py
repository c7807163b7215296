"""Assemble the project's runbooks from the per-document records, in document order.

Steps belong to the latest runbook declared above them (or to ``:runbook:``),
numbered across documents.  Problems only visible across documents (duplicate
IDs, a step before any runbook, a quickref naming no runbook) are findings of
this module.  Pure: the Sphinx layer gives the records in toctree order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from sphinx_release_runbook.core.findings import Finding, Subtype
from sphinx_release_runbook.core.model import (
    Runbook,
    Source,
    Step,
    Troubleshoot,
    VersionScheme,
)
from sphinx_release_runbook.core.templating import PlaceholderError, placeholder_names
from sphinx_release_runbook.core.versions import PACKAGE_NAME


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
    #: False when the package name is the Sphinx project's, not checked where it is defined.
    package_checked: bool = True

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
    #: Links into a GitHub repository the link check skipped, and that repository's URL.
    unchecked_links: list[tuple[Source, str]] = field(default_factory=list)


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


def docs_base(url: str) -> str:
    """The docs base URL with its trailing slash (empty when there is none)."""
    return url if not url or url.endswith("/") else url + "/"


def _url(base: str, docname: str, anchor: str) -> str:
    return f"{base}{docname}.html#{anchor}"


class _Assembly:
    """The state of one assembly: what is declared so far, and what went wrong."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.result = Resolved()
        self.declared: dict[str, Runbook] = {}
        self.current: Runbook | None = None
        self.pending_troubleshoot: list[Troubleshoot] = []
        self.quickrefs: list[QuickrefReference] = []
        self.runbook_sources: dict[str, Source] = {}
        self.step_sources: dict[str, Source] = {}
        self.entry_sources: dict[str, Source] = {}
        #: Runbooks whose package (the Sphinx project's name) is no package name.
        self.bad_packages: set[str] = set()

    def problem(self, entry: Entry, subtype: Subtype, text: str) -> None:
        self.result.findings.append(
            Finding(
                entry.source.path, entry.source.line, subtype, text, docname=entry.source.docname
            )
        )

    def already_used(self, seen: dict[str, Source], key: str, entry: Entry, message: str) -> bool:
        """Report a second use of *key*, naming where it was first used; else remember it."""
        if key in seen:
            self.problem(entry, "duplicate", message.format(key=key, first=seen[key]))
            return True
        seen[key] = entry.source
        return False

    def add(self, entry: Entry) -> None:
        if isinstance(entry, QuickrefReference):
            self.quickrefs.append(entry)
        elif isinstance(entry, RunbookDeclaration):
            self.declare(entry)
        elif isinstance(entry, Step):
            self.add_step(entry)
        elif not self.already_used(
            self.entry_sources,
            entry.id,
            entry,
            "duplicate troubleshooting ID {key!r}: already used at {first}",
        ):
            self.pending_troubleshoot.append(entry)

    def declare(self, entry: RunbookDeclaration) -> None:
        if self.already_used(
            self.runbook_sources,
            entry.name,
            entry,
            "runbook {key!r} is already declared at {first}",
        ):
            return
        self.current = Runbook(
            name=entry.name,
            title=entry.title,
            version_scheme=entry.version_scheme,
            tag=entry.tag,
            package=entry.package,
            source=entry.source,
            anchor=entry.anchor,
            url=_url(self.base, entry.source.docname, entry.anchor),
        )
        self.declared[entry.name] = self.current
        self.result.runbooks.append(self.current)
        if not entry.package_checked and not PACKAGE_NAME.fullmatch(entry.package):
            self.bad_packages.add(entry.name)

    def add_step(self, entry: Step) -> None:
        if self.already_used(
            self.step_sources, entry.id, entry, "duplicate step ID {key!r}: already used at {first}"
        ):
            return
        owner = self.owner(entry)
        if owner is None:
            return
        step = dataclasses.replace(
            entry,
            runbook=owner.name,
            number=len(owner.steps) + 1,
            url=_url(self.base, entry.source.docname, entry.anchor),
        )
        owner.steps.append(step)
        self.result.steps[step.id] = step
        if owner.name in self.bad_packages and _uses_package(step):
            self.problem(
                step,
                "placeholder",
                f"step {step.id!r} uses {{{{ package }}}}, but runbook {owner.name!r} has no "
                f"package name: it defaults to the Sphinx project {owner.package!r}, which is not "
                "one (PEP 508: letters, digits, '.', '-' and '_'); give the runbook "
                ":package: NAME",
            )

    def owner(self, step: Step) -> Runbook | None:
        if step.runbook:
            owner = self.declared.get(step.runbook)
            if owner is None:
                self.problem(
                    step,
                    "structure",
                    f"unknown runbook {step.runbook!r} in :runbook: of step {step.id!r} "
                    "(it must be declared above the step, in toctree order)",
                )
            return owner
        if self.current is None:
            self.problem(
                step,
                "structure",
                f"release-step {step.id!r} is outside any runbook: put "
                "`.. release-runbook:: NAME` above it (in toctree order) or give :runbook: NAME",
            )
        return self.current

    def attach_troubleshoot(self) -> None:
        """Troubleshooting often precedes nothing or follows the steps: after all declarations."""
        result = self.result
        for entry in self.pending_troubleshoot:
            owner = self.declared.get(entry.runbook) if entry.runbook else None
            if entry.runbook and owner is None:
                self.problem(entry, "structure", f"unknown runbook {entry.runbook!r} in :runbook:")
                continue
            if owner is None:
                owner = _nearest_runbook(entry, result.runbooks)
            if owner is None:
                self.problem(
                    entry,
                    "structure",
                    f"troubleshooting entry {entry.id!r} belongs to no runbook: declare one with "
                    "`.. release-runbook:: NAME`",
                )
                continue
            resolved_entry = dataclasses.replace(
                entry, runbook=owner.name, url=_url(self.base, entry.source.docname, entry.anchor)
            )
            owner.troubleshoot.append(resolved_entry)
            result.troubleshoot[entry.id] = resolved_entry

    def check_quickrefs(self) -> None:
        result = self.result
        for quickref in self.quickrefs:
            if result.runbook(quickref.runbook) is None:
                names = ", ".join(runbook.name for runbook in result.runbooks) or "none"
                self.problem(
                    quickref,
                    "structure",
                    f"release-quickref names unknown runbook {quickref.runbook!r}; "
                    f"declared: {names}"
                    if quickref.runbook
                    else f"release-quickref needs a runbook name when there is not exactly one; "
                    f"declared: {names}",
                )


def assemble(records: Iterable[DocumentRecord], docs_url: str = "") -> Resolved:
    """The runbooks of *records* (in document order); *docs_url* prefixes every page URL.

    The result's findings are sorted.  The records are not changed: each step and
    entry of the result is a copy with its runbook, number and URL filled in.
    """
    assembly = _Assembly(docs_base(docs_url))
    for record in records:
        for entry in record.entries:
            assembly.add(entry)
    assembly.attach_troubleshoot()
    assembly.check_quickrefs()
    assembly.result.findings.sort()
    return assembly.result


def _uses_package(step: Step) -> bool:
    """Whether a shell template of *step* (commands, :skip-if:, :cwd:, :env:) names package."""
    for template in [*step.commands, step.skip_if or "", step.cwd or "", *step.env.values()]:
        try:
            if "package" in placeholder_names(template):
                return True
        except PlaceholderError:
            continue  # reported where it is written
    return False


def _nearest_runbook(entry: Troubleshoot, runbooks: list[Runbook]) -> Runbook | None:
    """The runbook declared in the entry's document, else the only runbook."""
    same_document = [r for r in runbooks if r.source.docname == entry.source.docname]
    if same_document:
        return same_document[-1]
    return runbooks[0] if len(runbooks) == 1 else None
