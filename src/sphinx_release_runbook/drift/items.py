"""What a check looks at: one located item of the guide each (no Sphinx types)."""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_release_runbook.core.findings import Finding, Subtype
from sphinx_release_runbook.core.model import BumpTarget, Source


@dataclass(frozen=True)
class PathRef:
    """A repository path the guide names (``:release-path:``, ``release-file``)."""

    path: str
    source: Source
    what: str = "path"


@dataclass(frozen=True)
class CommandRef:
    """One shell command of a step, as written (placeholders unrendered)."""

    command: str
    source: Source
    cwd: str | None = None


@dataclass(frozen=True)
class TemplateRef:
    """Any text with placeholders."""

    text: str
    source: Source


@dataclass(frozen=True)
class LinkRef:
    """A hyperlink target written in a document."""

    url: str
    source: Source


@dataclass(frozen=True)
class MirrorItem:
    """A ``release-file``: the file, what part of it, and the copy written in the guide.

    ``content`` is ``None`` for an include (nothing to compare); ``content_line`` is
    the document line of the copy's first line, so diffs name real lines on both sides.
    """

    path: str
    source: Source
    content: str | None = None
    content_line: int = 0
    select: str | None = None
    lines: str | None = None
    start_after: str | None = None
    end_before: str | None = None
    compare: str = "text"


@dataclass(frozen=True)
class VersionItem:
    """Every version source of a runbook, with the step that names each."""

    targets: tuple[tuple[BumpTarget, Source], ...]


def located(source: Source, subtype: Subtype, message: str, diff: str = "") -> Finding:
    """A finding at the guide's *source* location."""
    return Finding(source.path, source.line, subtype, message, docname=source.docname, diff=diff)
