"""The tags on ``origin``, asked for in the background while the local checks run.

``git ls-remote`` is the slowest question a release's validation asks (a
network round trip on a real remote, a ``git-upload-pack`` even on a local
one), and its answer is needed last, once the version and so the tag are
known.  So it is asked first, in a thread, for every tag at once, and read
when the tag is checked.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from sphinx_release_runbook.core import git


class RemoteTags:
    """The answer of one ``git ls-remote --tags origin``, started when this is made."""

    def __init__(self, root: Path) -> None:
        self._tags: frozenset[str] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._ask, args=(root,), name="remote-tags", daemon=True
        )
        self._thread.start()

    def _ask(self, root: Path) -> None:
        try:
            self._tags = _listed(root)
        except BaseException as exc:  # re-raised in the asking thread, not printed here
            self._error = exc

    def has(self, tag: str) -> bool | None:
        """Whether origin has *tag*; None without an origin or when it cannot be asked in time."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return None if self._tags is None else tag in self._tags


def _listed(root: Path) -> frozenset[str] | None:
    if not git.has_remote(root, "origin"):
        return None
    try:
        result = git.git(root, "ls-remote", "--tags", "origin", timeout=git.REMOTE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None
    if result.returncode != 0:
        return None
    names = set()
    for line in result.stdout.splitlines():
        _, _, ref = line.partition("\t")
        if ref.startswith("refs/tags/"):
            # An annotated tag is listed twice: the tag, and what it points to (``^{}``).
            names.add(ref.removeprefix("refs/tags/").removesuffix("^{}"))
    return frozenset(names)
