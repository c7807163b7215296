"""``runbook.version``: the version sources disagree.

All bump targets of a runbook must hold the same current version, and a
``__version_info__`` tuple must equal the tuple of ``__version__``.  The files
are the truth; installed metadata is never consulted.  A target that is missing
or does not parse is reported where it is named (the bump step), not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_release_runbook import bump as bumping
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import BumpTarget, Source
from sphinx_release_runbook.drift.items import VersionItem, located
from sphinx_release_runbook.drift.repository import Repository


@dataclass(frozen=True)
class Current:
    target: BumpTarget
    source: Source
    line: int
    shown: str  # as written in the file, e.g. "0.3.0" or (0, 3, 0)
    value: str  # normalised: tuples joined with dots


def current_versions(repo: Repository, item: VersionItem) -> list[Current]:
    found: list[Current] = []
    texts: dict[str, str | None] = {}
    for target, source in item.targets:
        if target.path not in texts:
            try:
                texts[target.path] = repo.read_text(target.path)
            except (OSError, UnicodeDecodeError):
                texts[target.path] = None
        text = texts[target.path]
        if text is None:
            continue
        try:
            site = bumping.locate(text, target)
        except bumping.BumpError:
            continue
        shown = site.text[site.start : site.end]
        found.append(Current(target, source, site.line, shown, site.value))
    return found


def check_versions(repo: Repository, item: VersionItem) -> list[Finding]:
    found = current_versions(repo, item)
    if not found:
        return []
    reference = found[0]
    findings: list[Finding] = []
    for other in found[1:]:
        if other.value == reference.value:
            continue
        message = (
            f"the version sources disagree: {reference.target.path}:{reference.line} "
            f"{reference.target.key} = {reference.shown}, but {other.target.path}:{other.line} "
            f"{other.target.key} = {other.shown}"
        )
        findings.append(located(other.source, "version", message))
    return findings
