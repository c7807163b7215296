"""The temporary files a killed bump leaves beside its targets, and their sweep.

Each target is written by :func:`~sphinx_release_runbook.core.fs.write_atomic_bytes`:
a temporary file ``.NAME.XXXXXXXX.tmp`` beside the file's real path, then a
rename.  A SIGKILL between the two leaves the temporary file, an untracked file
that fails the next clean-tree check.  Every writer of bump targets (the run's
bump step, ``python -m runbook bump``) sweeps them before it writes, holding the
repository's lock, so no writer of ours is at work on them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

from sphinx_release_runbook.bump.site import BumpError
from sphinx_release_runbook.bump.source import real_path
from sphinx_release_runbook.core.fs import leftover_pattern
from sphinx_release_runbook.core.model import BumpTarget


def sweep_leftovers(repo_root: Path, targets: Iterable[BumpTarget]) -> list[Path]:
    """Remove the leftovers of an interrupted write of any of *targets*; the paths removed.

    A leftover lies beside the file that was written: the real path of a target
    that is a symbolic link.  A target outside the repository is skipped (bump
    refuses it anyway, before any write).
    """
    removed: list[Path] = []
    for path in sorted({target.path for target in targets}):
        try:
            real = real_path(repo_root, path)
        except BumpError:
            continue
        pattern = leftover_pattern(real.name)
        with contextlib.suppress(OSError):  # no folder, no leftover
            for leftover in sorted(real.parent.iterdir()):
                if pattern.fullmatch(leftover.name) and leftover.is_file():
                    leftover.unlink()
                    removed.append(leftover)
    return removed
