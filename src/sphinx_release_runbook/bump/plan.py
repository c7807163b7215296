"""Planned version edits: every file's new text computed before any file is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.bump.site import VersionSite
from sphinx_release_runbook.bump.targets import apply, check_target, locate, read_text
from sphinx_release_runbook.core.fs import write_atomic
from sphinx_release_runbook.core.model import BumpTarget


@dataclass(frozen=True)
class FileEdit:
    """The new text of one file, with each changed target's old and new line."""

    path: str
    old_text: str
    new_text: str
    changes: tuple[tuple[BumpTarget, VersionSite, str], ...]  # target, old site, new line

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text


def plan_edits(
    repo_root: Path, targets: list[BumpTarget], version: str, info: tuple[int | str, ...]
) -> list[FileEdit]:
    """Every file's new text for *version*, computed before anything is written.

    Targets in one file are applied in turn to that file's text, so
    ``__version__`` and ``__version_info__`` land in one write.  Re-planning
    after the edits were written yields no change: a bump is idempotent, which
    is what makes ``--resume`` after an interrupted bump safe.
    """
    by_path: dict[str, list[BumpTarget]] = {}
    for target in targets:
        check_target(target)
        by_path.setdefault(target.path, []).append(target)
    edits: list[FileEdit] = []
    for path, file_targets in by_path.items():
        old = read_text(repo_root, file_targets[0])
        text = old
        changes: list[tuple[BumpTarget, VersionSite, str]] = []
        for target in file_targets:
            site = locate(text, target)
            text = apply(text, target, version, info)
            changes.append((target, site, text.splitlines()[site.line - 1]))
        edits.append(FileEdit(path, old, text, tuple(changes)))
    return edits


def write_edits(repo_root: Path, edits: list[FileEdit]) -> list[str]:
    """Write every changed file atomically; the paths written, in order."""
    written = []
    for edit in edits:
        if edit.changed:
            write_atomic(repo_root / edit.path, edit.new_text)
            written.append(edit.path)
    return written
