"""``runbook.path`` / ``runbook.version``: a bump step names a version source it cannot bump.

Each ``FILE KEY`` of a step's ``:bump:`` must be a readable file of the
repository (else ``runbook.path``, once per file however many of its keys are
named: a missing file, or one whose real path through symbolic links is
outside the repository) holding exactly one version at that key (else
``runbook.version``: no such key, not a version, or the key defined twice).
Files are read as the bump reads them (:func:`bump.open_source`: as bytes, in
their encoding).  Whether the sources agree is the cross-document check of
:mod:`.version`.
"""

from __future__ import annotations

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import BumpRef, located
from sphinx_release_runbook.drift.repository import Repository


def source_reader(repo: Repository) -> bump.Reader:
    """Read a bump target as the bump does, noting the file as read (a dependency)."""

    def read(path: str) -> bump.SourceFile:
        repo.read.append(repo.resolve(path))
        return bump.open_source(repo.root, path)

    return read


def check_bump_targets(repo: Repository, item: BumpRef) -> list[Finding]:
    findings: list[Finding] = []
    reported: set[str] = set()  # one path finding per file, not per key
    results = bump.read_current(item.targets, source_reader(repo))
    for target, result in zip(item.targets, results, strict=True):
        if not isinstance(result, bump.BumpError):
            continue
        if target.path in reported:
            continue
        if not repo.is_file(target.path) or isinstance(result, bump.BumpPathError):
            reported.add(target.path)
            findings.append(located(item.source, "path", _path_message(repo, target, result)))
        else:
            findings.append(located(item.source, "version", str(result)))
    return findings


def _path_message(repo: Repository, target: BumpTarget, error: bump.BumpError) -> str:
    """Bump's own words, unless the file is missing from a root taken for want of git:
    then the root is the likelier mistake, and the message says so."""
    missing = not repo.exists(target.path) and not repo.escapes(target.path)
    if repo.without_git and missing:
        return repo.missing(f"bump target {target.path!r}")
    return str(error)


CHECK = Check("version", BumpRef, check_bump_targets)
