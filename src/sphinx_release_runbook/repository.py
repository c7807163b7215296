"""Where the repository is: the one git query both the docs build and the CLI need."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath


def outside_repository(path: str) -> str | None:
    """Why *path* (as written in the guide) does not name a file of the repository, if so.

    Paths in a guide are relative to the repository root; an absolute path or one that
    climbs out with ``..`` would let the docs build read, and the runner write, elsewhere.
    """
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or path[1:3] == ":\\":
        return f"{path!r} is absolute; write it relative to the repository root"
    if ".." in pure.parts:
        return f"{path!r} leaves the repository ('..'); write it relative to the repository root"
    return None


def git_toplevel(directory: Path) -> Path | None:
    """The git top level containing *directory*, or None outside a work tree (or without git)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (FileNotFoundError, NotADirectoryError):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip())
