"""Paths as a guide writes them: relative to the repository root, and inside it."""

from __future__ import annotations


def outside_repository(path: str) -> str | None:
    """Why *path* (as written in the guide) does not name a file of the repository, if so.

    Paths in a guide are relative to the repository root; an absolute path or one that
    climbs out with ``..`` would let the docs build read, and the runner write, elsewhere.
    """
    # What PurePosixPath would say, without making one (every path a page names is asked):
    # absolute means a leading "/", and its parts are the "/"-separated names.
    posix = path.replace("\\", "/")
    if posix.startswith("/") or path[1:3] == ":\\":
        return f"{path!r} is absolute; write it relative to the repository root"
    if ".." in posix.split("/"):
        return f"{path!r} leaves the repository ('..'); write it relative to the repository root"
    return None
