"""Paths as a guide writes them: relative to the repository root, and inside it."""

from __future__ import annotations

from pathlib import PurePosixPath


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
