"""``runbook.mirror``: a ``release-file`` copy differs from the file it copies.

Also reports a missing file (``runbook.path``) and a selection that no longer
applies (a ``:select:`` key or a ``:start-after:`` marker gone: the file moved on).
"""

from __future__ import annotations

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.paths import outside_repository
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import MirrorItem, located
from sphinx_release_runbook.drift.mirror.compare import compare_data, compare_text
from sphinx_release_runbook.drift.mirror.select import Selected, SelectionError, select
from sphinx_release_runbook.drift.path import escapes
from sphinx_release_runbook.drift.repository import Repository


def _selected(repo: Repository, item: MirrorItem) -> tuple[str, Selected] | Finding:
    """The file's text and the selected part of it, or the finding that says why not."""
    outside = outside_repository(item.path) or escapes(repo, item.path)
    if outside:
        return located(item.source, "path", f"release-file {outside}")
    try:
        text = repo.read_text(item.path)
    except FileNotFoundError:
        return located(item.source, "path", repo.missing(f"release-file {item.path!r}"))
    except (OSError, UnicodeDecodeError) as exc:
        return located(item.source, "path", f"cannot read {item.path!r}: {exc}")
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
        return located(item.source, "mirror", f"{item.path}: {exc}")
    return text, selected


def included_text(repo: Repository, item: MirrorItem) -> str | None:
    """What an include (no copy) shows: the selected part, or None when it has a finding."""
    found = _selected(repo, item)
    return None if isinstance(found, Finding) else found[1].text


def check_mirror(repo: Repository, item: MirrorItem) -> list[Finding]:
    found = _selected(repo, item)
    if isinstance(found, Finding):
        return [found]
    text, selected = found
    if item.content is None:
        return []
    copy_label = f"{item.source.path} (the copy)"
    try:
        if item.compare == "data":
            mismatch = compare_data(selected, text, item.path, item.content, copy_label)
        else:
            mismatch = compare_text(
                selected, item.content, item.path, copy_label, item.content_line
            )
    except SelectionError as exc:
        return [located(item.source, "mirror", f"{item.path}: {exc}")]
    if mismatch is None:
        return []
    how = (
        "as data"
        if item.compare == "data"
        else f"first at {item.path} line {mismatch.line}, {item.source.path} line "
        f"{mismatch.copy_line}"
    )
    message = f"the copy of {item.path} differs from the file ({how})"
    return [located(item.source, "mirror", message, mismatch.diff)]


CHECK = Check("mirror", MirrorItem, check_mirror)
