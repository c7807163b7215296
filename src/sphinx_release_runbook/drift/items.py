"""What a check looks at: one located item of the guide each (no Sphinx types).

The docs build makes the items (a directive, the ``:release-path:`` role, the
link collector, the assembled runbooks) and hands them to the registry
(:mod:`.registry`), which gives each to every check that takes its type.
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_release_runbook.core.findings import Finding, Subtype
from sphinx_release_runbook.core.model import PLACEHOLDERS, BumpTarget, Runbook, Source


@dataclass(frozen=True)
class PathRef:
    """A repository path the guide names (``:release-path:``, ``release-file``)."""

    path: str
    source: Source
    what: str = "path"


@dataclass(frozen=True)
class CommandRef:
    """One shell command of a step, as written (placeholders not filled)."""

    command: str
    source: Source
    cwd: str | None = None


@dataclass(frozen=True)
class TemplateRef:
    """Any text with placeholders: a command, an option value, instructions, a tag.

    ``allowed`` are the placeholder names it may use; ``label`` starts the
    message when the text is an option value that the message must name
    (``option :tag:``).
    """

    text: str
    source: Source
    allowed: tuple[str, ...] = PLACEHOLDERS
    label: str = ""


@dataclass(frozen=True)
class TagRef:
    """A runbook's ``:tag:`` template, with the values it is filled with besides the version."""

    template: str
    package: str
    scheme: str
    source: Source


@dataclass(frozen=True)
class PackageRef:
    """A runbook's package name and where it comes from (``origin`` starts the message).

    ``source`` is where the name is written: the directive for ``:package:``, the line
    of pyproject.toml for a name read there; ``hint`` ends the message.
    """

    name: str
    source: Source
    origin: str = "option :package:"
    hint: str = ""


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
class BumpRef:
    """The version sources one bump step names (``:bump:``), each ``FILE KEY``."""

    targets: tuple[BumpTarget, ...]
    source: Source


@dataclass(frozen=True)
class VersionItem:
    """Every version source of a runbook, with the step that names each."""

    targets: tuple[tuple[BumpTarget, Source], ...]


@dataclass(frozen=True)
class ScriptItem:
    """The committed checklist script (``runbook_script_path``) and the runbook it exports."""

    path: str
    runbook: Runbook


#: Every item type a check can take.
Item = (
    PathRef
    | CommandRef
    | TemplateRef
    | TagRef
    | PackageRef
    | LinkRef
    | MirrorItem
    | BumpRef
    | VersionItem
    | ScriptItem
)


def located(source: Source, subtype: Subtype, message: str, diff: str = "") -> Finding:
    """A finding at the guide's *source* location."""
    return Finding(source.path, source.line, subtype, message, docname=source.docname, diff=diff)
