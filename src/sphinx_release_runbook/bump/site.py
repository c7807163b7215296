"""Where a version sits in a file, and the error of a target that cannot be read or edited."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_release_runbook.core.errors import RunbookError


class BumpError(RunbookError, ValueError):
    """A bump target is missing, does not parse, or holds no version where expected."""


@dataclass(frozen=True)
class VersionSite:
    """Where a version value sits in a file."""

    line: int  # 1-based
    text: str  # the whole line
    start: int  # column span of the value (quotes included) within ``text``
    end: int
    value: str  # the version as a string ("0.3.0"; tuples joined with dots)
