"""Release values, validated before any step runs.

The version a user types is the only free input.  It must parse under the
runbook's scheme (whose grammar admits no shell metacharacter), be greater
than the current version read from the bump targets, and have no tag yet,
locally or on ``origin``.  The current version, read from files, passes the
same parser: it reaches the shell too, as ``{{ previous_version }}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook import bump
from sphinx_release_runbook.core import git
from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import (
    BUMP_PARTS,
    VersionError,
    next_version,
    parse_version,
    release_values,
)

# What a tag may contain once rendered: git's ref grammar, narrowed to what a
# shell never interprets.
_SAFE_TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*")


class ValidationError(RunbookError, ValueError):
    """A release value is not acceptable; the message says what is wrong."""


@dataclass(frozen=True)
class CurrentVersion:
    """The version the repository holds now, and where each bump target says so."""

    version: str | None
    sources: tuple[tuple[str, str, str], ...]  # (path, key, value)

    def describe(self) -> str:
        return ", ".join(f"{path} {key} = {value}" for path, key, value in self.sources)


@dataclass(frozen=True)
class Release:
    """The validated values of one release; safe to render into shell commands."""

    version: str
    previous_version: str
    tag: str
    values: dict[str, str]


def _reader(root: Path) -> Callable[[str], str]:
    def read(path: str) -> str:
        return (root / path).read_text(encoding="utf-8")

    return read


def current_version(
    runbook: Runbook, root: Path, *, allow_disagreement: bool = False
) -> CurrentVersion:
    """Read every bump target; they must agree unless *allow_disagreement* (then the highest)."""
    sources: list[tuple[str, str, str]] = []
    for result in bump.read_current(runbook.bump_targets, _reader(root)):
        if isinstance(result, bump.BumpError):
            raise ValidationError(f"cannot read the current version: {result}") from result
        sources.append((result.target.path, result.target.key, result.value))
    if not sources:
        return CurrentVersion(None, ())
    values = {value for _, _, value in sources}
    found = CurrentVersion(None, tuple(sources))
    parsed = []
    for value in values:
        try:
            parsed.append(parse_version(value, runbook.version_scheme))
        except VersionError as exc:
            raise ValidationError(
                f"the current version is not valid ({found.describe()}): {exc}"
            ) from exc
    if len(values) > 1 and not allow_disagreement:
        raise ValidationError(
            f"the version sources disagree: {found.describe()}; make them agree first "
            "(`python -m runbook bump --version X.Y.Z` sets them all)"
        )
    return CurrentVersion(max(parsed).text, tuple(sources))


def tag_exists(root: Path, tag: str) -> str | None:
    """Where *tag* already exists ("locally", "on origin"), or None."""
    if git.tags(root, tag):
        return "locally"
    # An unreachable remote answers None: the push of the tag will say so.
    if git.has_remote(root, "origin") and git.remote_has_tag(root, "origin", tag):
        return "on origin"
    return None


def resolve_version(requested: str, current: str | None, scheme: str) -> str:
    """``major``/``minor``/``patch`` to a version; anything else is taken as the version."""
    if requested in BUMP_PARTS:
        if current is None:
            raise ValidationError(
                f"--version {requested} needs the current version, but the runbook has no "
                "bump targets; give the version itself"
            )
        return next_version(current, requested, scheme)  # type: ignore[arg-type]
    return requested


def release_for(runbook: Runbook, version: str, previous_version: str) -> Release:
    """The values of a release; both versions must parse and the tag must be plain."""
    for label, value in (("--version", version), ("the current version", previous_version)):
        if label == "the current version" and not value:
            continue
        try:
            parse_version(value, runbook.version_scheme)
        except VersionError as exc:
            raise ValidationError(f"{label}: {exc}") from exc
    try:
        values = release_values(
            version,
            tag_template=runbook.tag,
            package=runbook.package,
            previous_version=previous_version,
            scheme=runbook.version_scheme,
        )
    except (VersionError, PlaceholderError) as exc:
        raise ValidationError(str(exc)) from exc
    if not _SAFE_TAG.fullmatch(values["tag"]) or ".." in values["tag"]:
        raise ValidationError(
            f"the tag {values['tag']!r} (from the runbook's :tag: {runbook.tag!r}) is not a "
            "plain git tag name"
        )
    return Release(version, previous_version, values["tag"], values)


def _tagged_versions(root: Path, runbook: Runbook) -> list[str]:
    """Versions that have a tag made by the runbook's tag template, oldest order unspecified."""
    marker = "RUNBOOKxVERSION"
    try:
        rendered = render(runbook.tag, {"version": marker, "package": runbook.package})
        prefix, _, suffix = rendered.partition(marker)
    except PlaceholderError:
        return []
    found = []
    for tag in git.tags(root):
        if tag.startswith(prefix) and tag.endswith(suffix) and len(tag) > len(prefix + suffix):
            found.append(tag[len(prefix) : len(tag) - len(suffix)])
    return found


def _previous_release(runbook: Runbook, root: Path, version: str, candidates: list[str]) -> str:
    """The highest valid version below *version* among *candidates* and the tags, or ""."""
    scheme = runbook.version_scheme
    target = parse_version(version, scheme)
    below = []
    for text in [*candidates, *_tagged_versions(root, runbook)]:
        try:
            parsed = parse_version(text, scheme)
        except VersionError:
            continue
        if parsed < target:
            below.append(parsed)
    return max(below).text if below else ""


def validate_release(
    runbook: Runbook,
    root: Path,
    requested: str,
    *,
    check_tag: bool = True,
    continuing: bool = False,
    recorded_previous: str | None = None,
) -> Release:
    """Every check of a new release of *requested*; raises :class:`ValidationError`.

    With *continuing* (a ``--from``/``--only`` run) the version files may already
    hold *requested* when that release is in progress: an earlier run of it is
    recorded (*recorded_previous* is its previous version) or a bump is half
    done.  Its tag may exist then too (the release made it); the previous
    version is the recorded one, else the highest lower version in the files
    or the tags.
    """
    current = current_version(runbook, root, allow_disagreement=continuing)
    scheme = runbook.version_scheme
    try:
        version = resolve_version(requested, current.version, scheme)
        parsed = parse_version(version, scheme)
    except VersionError as exc:
        raise ValidationError(f"--version {requested!r}: {exc}") from exc
    if current.version is not None and not parsed > parse_version(current.version, scheme):
        in_files = [value for _, _, value in current.sources]
        # In progress only with evidence: an earlier run of this release recorded
        # in the state, or a bump half done.  Files merely at that version are an
        # old release, and --version 0.3.0 --only ... must still be refused.
        partial = len(set(in_files)) > 1
        if continuing and current.version == version and (recorded_previous is not None or partial):
            previous = recorded_previous or _previous_release(runbook, root, version, in_files)
            return release_for(runbook, version, previous)
        raise ValidationError(
            f"--version {version} is not greater than the current version {current.version} "
            f"({current.describe()})"
        )
    if len({value for _, _, value in current.sources}) > 1:
        # Disagreeing sources below the new version: continuing from a partial bump
        # of an older release is not a release in progress of this one.
        raise ValidationError(
            f"the version sources disagree: {current.describe()}; make them agree first "
            "(`python -m runbook bump --version X.Y.Z` sets them all)"
        )
    release = release_for(runbook, version, current.version or "")
    if check_tag:
        where = tag_exists(root, release.tag)
        if where:
            raise ValidationError(
                f"the tag {release.tag} already exists {where}: version {version} was released "
                "already; pick the next version"
            )
    return release
