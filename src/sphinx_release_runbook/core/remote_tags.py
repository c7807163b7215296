"""The tags on ``origin``, asked for in the background while the local checks run.

``git ls-remote`` is the slowest question a release's validation asks (a
network round trip on a real remote, a ``git-upload-pack`` even on a local
one), and its answer is needed last, once the version and so the tag are
known.  So it is started first (:class:`~sphinx_release_runbook.core.git.Started`),
for every tag at once, and read when the tag is checked: ``run`` starts it
before it even imports the runner.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from sphinx_release_runbook.core import git


class RemoteTags:
    """The answer of one ``git ls-remote --tags origin``, started when this is made.

    Whether there is an ``origin`` at all is asked at the same time, and the
    listing counts only if there is (git would take a folder named ``origin``
    for one otherwise).
    """

    def __init__(self, root: Path) -> None:
        self._remotes = git.Started(root, "remote")
        self._listing = git.Started(root, "ls-remote", "--tags", "origin")

    def stop(self) -> None:
        """The answer is not needed (the run stopped before its tag was checked)."""
        self._remotes.stop()
        self._listing.stop()

    def has(self, tag: str) -> bool | None:
        """Whether origin has *tag*; None without an origin or when it cannot be asked in time."""
        listed = _listed(self._listing)
        remotes = self._remotes.result()
        if remotes.returncode != 0 or "origin" not in remotes.stdout.split():
            return None
        return None if listed is None else tag in listed


def _listed(listing: git.Started) -> frozenset[str] | None:
    try:
        result = listing.result(git.REMOTE_TIMEOUT)
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
