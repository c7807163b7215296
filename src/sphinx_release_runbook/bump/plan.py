"""Planned version edits: every file's new text computed before any file is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.bump.site import BumpError, VersionSite
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


# --- current versions ------------------------------------------------------------------


@dataclass(frozen=True)
class CurrentValue:
    """The version one bump target holds now, and where."""

    target: BumpTarget
    site: VersionSite

    @property
    def shown(self) -> str:
        """As written in the file, e.g. ``"0.3.0"`` or ``(0, 3, 0)``."""
        return self.site.text[self.site.start : self.site.end]

    @property
    def value(self) -> str:
        """Normalised: tuples joined with dots."""
        return self.site.value


def read_current(
    targets: Iterable[BumpTarget], read: Callable[[str], str]
) -> list[CurrentValue | BumpError]:
    """For each target in turn, its current value or the error that says why it has none.

    *read* maps a repository path to its text (raising ``OSError`` or
    ``UnicodeDecodeError``); each file is read once, however many targets it holds.
    The runner refuses to go on at the first error; the drift check reports the
    errors where the bump step names the target, so it only compares the values.
    """
    texts: dict[str, str | BumpError] = {}
    results: list[CurrentValue | BumpError] = []
    for target in targets:
        if target.path not in texts:
            try:
                texts[target.path] = read(target.path)
            except FileNotFoundError:
                texts[target.path] = BumpError(
                    f"{target.path}: file not found (named as a bump target)"
                )
            except (OSError, UnicodeDecodeError) as exc:
                texts[target.path] = BumpError(f"{target.path}: cannot read: {exc}")
        text = texts[target.path]
        if isinstance(text, BumpError):
            results.append(text)
            continue
        try:
            results.append(CurrentValue(target, locate(text, target)))
        except BumpError as exc:
            results.append(exc)
    return results
