"""``runbook.version``: the version sources disagree.

All bump targets of a runbook must hold the same current version, and a
``__version_info__`` tuple must equal the tuple of ``__version__``.  The files
are the truth, read as the bump reads them; installed metadata is never
consulted.  A target that is missing or does not parse is reported where it is
named (the bump step), not here.
"""

from __future__ import annotations

from sphinx_release_runbook import bump
from sphinx_release_runbook.bump import CurrentValue
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Source
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import VersionItem, located
from sphinx_release_runbook.drift.repository import Repository
from sphinx_release_runbook.drift.targets import source_reader


def current_versions(repo: Repository, item: VersionItem) -> list[tuple[CurrentValue, Source]]:
    """Each readable target's current value, with the step that names it."""
    targets = [target for target, _ in item.targets]
    results = bump.read_current(targets, source_reader(repo))
    return [
        (result, source)
        for (_, source), result in zip(item.targets, results, strict=True)
        if isinstance(result, CurrentValue)
    ]


def check_versions(repo: Repository, item: VersionItem) -> list[Finding]:
    found = current_versions(repo, item)
    if not found:
        return []
    reference, _ = found[0]
    findings: list[Finding] = []
    for other, source in found[1:]:
        if other.value == reference.value:
            continue
        message = (
            f"the version sources disagree: {reference.target.path}:{reference.site.line} "
            f"{reference.target.key} = {reference.shown}, but {other.target.path}:"
            f"{other.site.line} {other.target.key} = {other.shown}"
        )
        findings.append(located(source, "version", message))
    return findings


CHECK = Check("version", VersionItem, check_versions)
