"""The repository a check compares the guide with: its root, its CLIs, its GitHub URL."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


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
    read: list[Path] = field(default_factory=list)
    probed: list[Path] = field(default_factory=list)

    def resolve(self, relative: str, cwd: str | None = None) -> Path:
        base = self.root / cwd if cwd else self.root
        return (base / relative).resolve()

    def exists(self, relative: str, cwd: str | None = None) -> bool:
        path = self.resolve(relative, cwd)
        self.probed.append(path)
        return path.exists()

    def is_file(self, relative: str) -> bool:
        path = self.resolve(relative)
        self.probed.append(path)
        return path.is_file()

    def read_text(self, relative: str) -> str:
        """The file's text; raises ``OSError`` (``FileNotFoundError``) or ``UnicodeDecodeError``."""
        path = self.resolve(relative)
        self.read.append(path)
        return path.read_text(encoding="utf-8")

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root.resolve()).as_posix()
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
