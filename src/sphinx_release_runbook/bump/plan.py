"""Planned version edits: every file's new text computed before any file is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.bump.leftovers import sweep_leftovers
from sphinx_release_runbook.bump.site import BumpError, BumpPathError, VersionSite
from sphinx_release_runbook.bump.source import SourceFile, open_source
from sphinx_release_runbook.bump.targets import apply, check_target, locate
from sphinx_release_runbook.core.fs import write_atomic_bytes
from sphinx_release_runbook.core.model import BumpTarget


@dataclass(frozen=True)
class FileEdit:
    """The new text of one file, with each changed target's old and new line.

    ``source`` is the file as it was read (its real path and encoding), which
    :func:`write_edits` writes back to; an edit made without one is written to
    the file the path names now, in the encoding it has now.
    """

    path: str
    old_text: str
    new_text: str
    changes: tuple[tuple[BumpTarget, VersionSite, str], ...]  # target, old site, new line
    source: SourceFile | None = None

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text


def plan_edits(
    repo_root: Path, targets: list[BumpTarget], version: str, info: tuple[int | str, ...]
) -> list[FileEdit]:
    """Every file's new text for *version*, computed before anything is written.

    Targets in one file are applied in turn to that file's text, so
    ``__version__`` and ``__version_info__`` land in one write; two paths that
    are one file (a symbolic link and its target) are one file here too.
    Re-planning after the edits were written yields no change: a bump is
    idempotent, which is what makes ``--resume`` after an interrupted bump safe.
    """
    for target in targets:
        check_target(target)
    opened: dict[str, SourceFile] = {}
    by_file: dict[Path, tuple[SourceFile, list[BumpTarget]]] = {}
    for target in targets:
        if target.path not in opened:
            opened[target.path] = open_source(repo_root, target.path)
        source = opened[target.path]
        by_file.setdefault(source.real, (source, []))[1].append(target)
    edits: list[FileEdit] = []
    for source, file_targets in by_file.values():
        text = source.text
        changes: list[tuple[BumpTarget, VersionSite, str]] = []
        for target in file_targets:
            site = locate(text, target)
            text = apply(text, target, version, info)
            changes.append((target, site, locate(text, target).text))
        source.encode(text)  # a value the encoding cannot hold fails here, before any write
        edits.append(FileEdit(source.path, source.text, text, tuple(changes), source))
    return edits


def write_edits(repo_root: Path, edits: list[FileEdit]) -> list[str]:
    """Write every changed file atomically, at its real path; the paths written, in order.

    The leftovers of an earlier, killed write of these files are swept first
    (:func:`.leftovers.sweep_leftovers`; a caller that reports them sweeps before).
    """
    sweep_leftovers(repo_root, (target for edit in edits for target, _, _ in edit.changes))
    written = []
    for edit in edits:
        if edit.changed:
            source = edit.source or open_source(repo_root, edit.path)
            write_atomic_bytes(source.real, source.encode(edit.new_text))
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


#: How :func:`read_current` reads a repository path: a file (:func:`.source.open_source`),
#: or its text (raising ``OSError`` or ``UnicodeDecodeError``; a leading byte order mark
#: is ignored).
Reader = Callable[[str], SourceFile] | Callable[[str], str]


def read_current(
    targets: Iterable[BumpTarget], read: Path | Reader
) -> list[CurrentValue | BumpError]:
    """For each target in turn, its current value or the error that says why it has none.

    *read* is the repository root (each file is read as a bump reads it: its
    encoding, through symbolic links that stay inside the repository) or a
    function from a repository path to its file or text.  Each file is read
    once, however many targets it holds.  The runner refuses to go on at the
    first error; the drift check reports the errors where the bump step names
    the target, so it only compares the values.
    """
    reader: Reader
    if isinstance(read, Path):
        root = read
        reader = lambda path: open_source(root, path)  # noqa: E731
    else:
        reader = read
    texts: dict[str, str | BumpError] = {}
    results: list[CurrentValue | BumpError] = []
    for target in targets:
        if target.path not in texts:
            texts[target.path] = _read(reader, target.path)
        text = texts[target.path]
        if isinstance(text, BumpError):
            results.append(text)
            continue
        try:
            results.append(CurrentValue(target, locate(text, target)))
        except BumpError as exc:
            results.append(exc)
    return results


def _read(reader: Reader, path: str) -> str | BumpError:
    try:
        found = reader(path)
    except BumpError as exc:
        return exc
    except FileNotFoundError:
        return BumpPathError(f"{path}: file not found (named as a bump target)")
    except (OSError, UnicodeDecodeError) as exc:
        return BumpError(f"{path}: cannot read: {exc}")
    if isinstance(found, SourceFile):
        return found.text
    return found.removeprefix("\ufeff")
