"""The repository a check compares the guide with: its root, its CLIs, its GitHub URL.

A path the guide names is read only when it resolves, through any symlink, to a file
inside the root: :meth:`Repository.escapes` says when it does not, and
:meth:`Repository.read_text` refuses such a file.

A repository is made for each call of the checks (it records what that call looked
at); what they learn about the files that does not change while a build runs (where
a path resolves, a file's text) is kept in :class:`Facts`, which the docs build shares
between the repositories of one build's reading and drops before and after it.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


class OutsideRepository(OSError):
    """A path of the guide resolves, through a symlink, to a file outside the repository."""


@dataclass
class Facts:
    """Answers about the repository's files that hold for one build, asked by many pages.

    Resolving a path reads every folder of it (``lstat``), and a page's checks resolve
    the same path several times (is it inside the root, read it, does ``git add`` name
    it); several pages may mirror one file.  Only answers are kept, never a failure: a
    file that cannot be read is tried again, so its finding is the same on every page.
    """

    resolved: dict[Path, Path] = field(default_factory=dict)
    #: What a path of the guide resolves to, by (root, cwd, path as written).
    named: dict[tuple[Path, str | None, str], Path] = field(default_factory=dict)
    #: Whether a resolved path is inside the (resolved) root, by (path, root).
    inside: dict[tuple[Path, Path], bool] = field(default_factory=dict)
    texts: dict[Path, str] = field(default_factory=dict)
    #: Resolved paths that exist, as the ``lstat`` that resolved them found (no symlink):
    #: asking whether one exists needs no ``stat``.  A missing path is asked again.
    present: set[Path] = field(default_factory=set)


@dataclass
class Repository:
    """What the checks may look at.  Every path they touch is recorded.

    ``read`` and ``probed`` let the caller (the Sphinx build) note each file as a
    dependency, so editing only a mirrored file re-reads the documents that
    mirror it; a missing path is recorded too, so creating it re-reads them.
    """

    root: Path
    clis: dict[str, str] = field(default_factory=dict)
    repo_url: str = ""
    #: True when the root was taken to be the conf directory because no git repository
    #: holds it (``runbook_repo_root`` unset): a missing path may mean a wrong root.
    without_git: bool = False
    read: list[Path] = field(default_factory=list)
    probed: list[Path] = field(default_factory=list)
    #: Whether each path this repository read or probed exists, as its check just learnt:
    #: :meth:`dependencies` need not ask the file system again about the same path.
    existing: dict[Path, bool] = field(default_factory=dict)
    #: Shared by the repositories of one build (see the module docstring); its own by default.
    facts: Facts = field(default_factory=Facts)

    @cached_property
    def real_root(self) -> Path:
        """The root through any symlink, resolved once (every path is compared with it)."""
        return self._resolved(self.root)

    def _resolved(self, path: Path) -> Path:
        """``path.resolve()``, from the resolved folder when the last part is no symlink.

        That is how ``resolve`` goes too (part by part, following each link), so a page's
        file costs one ``lstat`` once its folder is known, not one per folder of it.
        """
        known = self.facts.resolved.get(path)
        if known is None:
            name = path.name
            if name in ("", ".", ".."):  # the root of the file system, or no plain name
                known = path.resolve()
            else:
                known = self._resolved(path.parent) / name
                try:
                    mode: int | None = known.lstat().st_mode
                except (OSError, ValueError):
                    mode = None
                # Without an answer, is_symlink says what it says of a missing path (False),
                # or raises as it would have.
                if known.is_symlink() if mode is None else stat.S_ISLNK(mode):
                    known = path.resolve()
                elif mode is not None:
                    self.facts.present.add(known)
            self.facts.resolved[path] = known
        return known

    def resolve(self, relative: str, cwd: str | None = None) -> Path:
        key = (self.root, cwd, relative)
        known = self.facts.named.get(key)
        if known is None:
            base = self.root / cwd if cwd else self.root
            known = self.facts.named[key] = self._resolved(base / relative)
        return known

    def _inside(self, path: Path) -> bool:
        key = (path, self.real_root)
        known = self.facts.inside.get(key)
        if known is None:
            known = self.facts.inside[key] = path.is_relative_to(self.real_root)
        return known

    def escapes(self, relative: str, cwd: str | None = None) -> bool:
        """Whether *relative* resolves (through symlinks) to a path outside the root."""
        return not self._inside(self.resolve(relative, cwd))

    def missing(self, what: str) -> str:
        """The end of a message saying *what* does not exist (naming a root without git)."""
        if self.without_git:
            return (
                f"{what} does not exist under {self.root} (not in a git repository, so taken "
                "as the repository's root: set runbook_repo_root in conf.py)"
            )
        return f"{what} does not exist in the repository"

    def exists(self, relative: str, cwd: str | None = None) -> bool:
        path = self.resolve(relative, cwd)
        self.probed.append(path)
        found = self.existing[path] = path in self.facts.present or path.exists()
        return found

    def is_file(self, relative: str) -> bool:
        path = self.resolve(relative)
        self.probed.append(path)
        found = path.is_file()
        if found:  # a file exists; a miss may still be a folder
            self.existing[path] = True
        return found

    def read_text(self, relative: str) -> str:
        """The file's text; raises ``OSError`` (``FileNotFoundError``) or ``UnicodeDecodeError``.

        A path that resolves outside the root raises :class:`OutsideRepository` (an
        ``OSError``) and is not read.
        """
        path = self.resolve(relative)
        if not self._inside(path):
            raise OutsideRepository(f"{relative!r} resolves outside the repository")
        self.read.append(path)
        text = self.facts.texts.get(path)
        if text is None:
            text = self.facts.texts[path] = path.read_text(encoding="utf-8")
        self.existing[path] = True
        return text

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.real_root).as_posix()
        except ValueError:
            return path.as_posix()

    def dependencies(self) -> list[Path]:
        """Files to watch: those read, those probed, and the parent of each missing one."""
        watched: dict[Path, None] = {}
        for path in [*self.read, *self.probed]:
            found = self.existing.get(path)
            if found if found is not None else path.exists():
                watched.setdefault(path, None)
            else:
                parent = path.parent
                while not parent.exists() and parent != parent.parent:
                    parent = parent.parent
                watched.setdefault(parent, None)
        return list(watched)
