"""Format-preserving version edits: TOML keys via tomlkit, Python assignments via ``ast``.

Every function takes the file's text and returns text, so callers plan every
edit before writing any file (:mod:`.plan`); each file is then replaced in one
``os.replace``, so a killed run never leaves a half-written file.  Files are
read and written as bytes (:mod:`.source`): line endings, encoding and byte
order mark stay as they were, only the version's bytes change, and a file is
edited at its real path (a symbolic link is kept; one that leads out of the
repository is refused).

Adding a format means one module beside :mod:`.toml` and :mod:`.python` and
its branch in :mod:`.targets`.
"""

from __future__ import annotations

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
    "write_edits",
]
