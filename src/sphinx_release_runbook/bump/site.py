"""Where a version sits in a file, and the error of a target that cannot be read or edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sphinx_release_runbook.core.errors import RunbookError


class BumpError(RunbookError, ValueError):
    """A bump target is missing, does not parse, or holds no version where expected."""


class BumpPathError(BumpError):
    """A bump target's path names no file of the repository: missing, or outside it."""


@dataclass(frozen=True)
class VersionSite:
    """Where a version value sits in a file."""

    line: int  # 1-based, as an editor counts lines of this format
    text: str  # the whole line, without its line ending
    start: int  # column span of the value (quotes included) within ``text``
    end: int
    value: str  # the version as a string ("0.3.0"; tuples joined with dots)


def ambiguous(path: str, key: str, lines: Sequence[int], verb: str, where: str = "") -> BumpError:
    """The error of a *key* found more than once, on *lines*: ``KEY is VERB twice WHERE``."""
    shown = [str(line) for line in sorted(lines)]
    count = "twice" if len(shown) == 2 else f"{len(shown)} times"
    listing = f"{', '.join(shown[:-1])} and {shown[-1]}"
    return BumpError(
        f"{path}: {key} is {verb} {count}{where}, on lines {listing}; "
        "bump cannot tell which one holds the version: keep one"
    )
