"""The repository a check compares the guide with: its root, its CLIs, its GitHub URL.

A path the guide names is read only when it resolves, through any symlink, to a file
inside the root: :meth:`Repository.escapes` says when it does not, and
:meth:`Repository.read_text` refuses such a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


class OutsideRepository(OSError):
    """A path of the guide resolves, through a symlink, to a file outside the repository."""


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

    @cached_property
    def real_root(self) -> Path:
        """The root through any symlink, resolved once (every path is compared with it)."""
        return self.root.resolve()

    def resolve(self, relative: str, cwd: str | None = None) -> Path:
        base = self.root / cwd if cwd else self.root
        return (base / relative).resolve()

    def escapes(self, relative: str, cwd: str | None = None) -> bool:
        """Whether *relative* resolves (through symlinks) to a path outside the root."""
        return not self.resolve(relative, cwd).is_relative_to(self.real_root)

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
        return path.exists()

    def is_file(self, relative: str) -> bool:
        path = self.resolve(relative)
        self.probed.append(path)
        return path.is_file()

    def read_text(self, relative: str) -> str:
        """The file's text; raises ``OSError`` (``FileNotFoundError``) or ``UnicodeDecodeError``.

        A path that resolves outside the root raises :class:`OutsideRepository` (an
        ``OSError``) and is not read.
        """
        path = self.resolve(relative)
        if not path.is_relative_to(self.real_root):
            raise OutsideRepository(f"{relative!r} resolves outside the repository")
        self.read.append(path)
        return path.read_text(encoding="utf-8")

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.real_root).as_posix()
        except ValueError:
            return path.as_posix()

    def dependencies(self) -> list[Path]:
        """Files to watch: those read, those probed, and the parent of each missing one."""
        watched: dict[Path, None] = {}
        for path in [*self.read, *self.probed]:
            if path.exists():
                watched.setdefault(path, None)
            else:
                parent = path.parent
                while not parent.exists() and parent != parent.parent:
                    parent = parent.parent
                watched.setdefault(parent, None)
        return list(watched)
