"""Format-preserving version edits: TOML keys via tomlkit, Python assignments via ``ast``.

Every function takes the file's text and returns text, so callers plan every
edit before writing any file (:mod:`.plan`); each file is then replaced in one
``os.replace``, so a killed run never leaves a half-written file.

Adding a format means one module beside :mod:`.toml` and :mod:`.python` and
its branch in :mod:`.targets`.
"""

from __future__ import annotations

from sphinx_release_runbook.bump.plan import (
    CurrentValue,
    FileEdit,
    plan_edits,
    read_current,
    write_edits,
)
from sphinx_release_runbook.bump.site import BumpError, VersionSite
from sphinx_release_runbook.bump.targets import apply, check_target, locate, read_text

__all__ = [
    "BumpError",
    "CurrentValue",
    "FileEdit",
    "VersionSite",
    "apply",
    "check_target",
    "locate",
    "plan_edits",
    "read_current",
    "read_text",
    "write_edits",
]
