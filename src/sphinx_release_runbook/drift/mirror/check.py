"""``runbook.mirror``: a ``release-file`` copy differs from the file it copies.

Also reports a missing file (``runbook.path``) and a selection that no longer
applies (a ``:select:`` key or a ``:start-after:`` marker gone: the file moved on).
"""

from __future__ import annotations

from dataclasses import dataclass

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.paths import outside_repository
from sphinx_release_runbook.drift.items import MirrorItem, located
from sphinx_release_runbook.drift.mirror.compare import compare_data, compare_text
from sphinx_release_runbook.drift.mirror.select import Selected, SelectionError, select
from sphinx_release_runbook.drift.repository import Repository


@dataclass
class MirrorResult:
    """The findings, and what was selected (for the directive to render an include)."""

    findings: list[Finding]
    selected: Selected | None = None


def mirror(repo: Repository, item: MirrorItem) -> MirrorResult:
    outside = outside_repository(item.path)
    if outside:
        return MirrorResult([located(item.source, "path", f"release-file {outside}")])
    try:
        text = repo.read_text(item.path)
    except FileNotFoundError:
        return MirrorResult(
            [
                located(
                    item.source,
                    "path",
                    f"release-file {item.path!r} does not exist in the repository",
                )
            ]
        )
    except (OSError, UnicodeDecodeError) as exc:
        return MirrorResult([located(item.source, "path", f"cannot read {item.path!r}: {exc}")])
    try:
        selected = select(
            text,
            item.path,
            key_path=item.select,
            lines=item.lines,
            start_after=item.start_after,
            end_before=item.end_before,
        )
    except SelectionError as exc:
        return MirrorResult([located(item.source, "mirror", f"{item.path}: {exc}")])
    if item.content is None:
        return MirrorResult([], selected)
    copy_label = f"{item.source.path} (the copy)"
    try:
        if item.compare == "data":
            mismatch = compare_data(selected, text, item.path, item.content, copy_label)
        else:
            mismatch = compare_text(
                selected, item.content, item.path, copy_label, item.content_line
            )
    except SelectionError as exc:
        return MirrorResult([located(item.source, "mirror", f"{item.path}: {exc}")], selected)
    if mismatch is None:
        return MirrorResult([], selected)
    how = "as data" if item.compare == "data" else f"first at line {mismatch.line}"
    message = f"the copy of {item.path} differs from the file ({how})"
    return MirrorResult([located(item.source, "mirror", message, mismatch.diff)], selected)


def check_mirror(repo: Repository, item: MirrorItem) -> list[Finding]:
    return mirror(repo, item).findings
