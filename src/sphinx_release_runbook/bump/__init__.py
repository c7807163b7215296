"""Format-preserving version edits: TOML keys via tomlkit, Python assignments via ``ast``.

Every function takes the file's text and returns text, so callers plan every
edit before writing any file (:mod:`.plan`); each file is then replaced in one
``os.replace``, so a killed run never leaves a half-written file.  Files are
read and written as bytes (:mod:`.source`; the one atomic writer is
:func:`~sphinx_release_runbook.core.fs.write_atomic_bytes`): line endings,
encoding and byte order mark stay as they were, only the version's bytes
change, and a file is edited at its real path (a symbolic link is kept; one
that leads out of the repository is refused).  What a killed write leaves
beside a file is swept before the next write (:mod:`.leftovers`).

Adding a format means one module beside :mod:`.toml` and :mod:`.python` and
its branch in :mod:`.targets`.
"""

from __future__ import annotations

from sphinx_release_runbook.bump.leftovers import sweep_leftovers
from sphinx_release_runbook.bump.plan import (
    CurrentValue,
    FileEdit,
    Reader,
    plan_edits,
    read_current,
    write_edits,
)
from sphinx_release_runbook.bump.site import BumpError, BumpPathError, VersionSite
from sphinx_release_runbook.bump.source import SourceFile, open_source
from sphinx_release_runbook.bump.targets import apply, check_target, locate, read_text

__all__ = [
    "BumpError",
    "BumpPathError",
    "CurrentValue",
    "FileEdit",
    "Reader",
    "SourceFile",
    "VersionSite",
    "apply",
    "check_target",
    "locate",
    "open_source",
    "plan_edits",
    "read_current",
    "read_text",
    "sweep_leftovers",
    "write_edits",
]
