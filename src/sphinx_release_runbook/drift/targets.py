"""``runbook.path`` / ``runbook.version``: a bump step names a version source it cannot bump.

Each ``FILE KEY`` of a step's ``:bump:`` must be a readable file (else
``runbook.path``, once per file however many of its keys are named) holding a
version at that key (else ``runbook.version``).  Whether the sources agree is
the cross-document check of :mod:`.version`.
"""

from __future__ import annotations

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import BumpRef, located
from sphinx_release_runbook.drift.repository import Repository


def check_bump_targets(repo: Repository, item: BumpRef) -> list[Finding]:
    findings: list[Finding] = []
    missing: set[str] = set()  # one finding per missing file, not per key
    results = bump.read_current(item.targets, repo.read_text)
    for target, result in zip(item.targets, results, strict=True):
        if not isinstance(result, bump.BumpError):
            continue
        if target.path in missing:
            continue
        if not repo.is_file(target.path):
            missing.add(target.path)
            findings.append(located(item.source, "path", str(result)))
        else:
            findings.append(located(item.source, "version", str(result)))
    return findings


CHECK = Check("version", BumpRef, check_bump_targets)
