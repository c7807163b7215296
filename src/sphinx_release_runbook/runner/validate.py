"""Release values, validated before any step runs.

The version a user types is the only free input.  It must parse under the
runbook's scheme (whose grammar admits no shell metacharacter), be greater
than the current version, and have no tag yet, locally or on ``origin``.

The current version is the greatest of the bump targets' value and the newest
local tag made by the runbook's tag template (under the version scheme): a
project whose version lives in its tags alone has no bump targets, and one
whose files lag behind a tag must not be released below it.  Read from files
and tags, it passes the same parser: it reaches the shell too, as
``{{ previous_version }}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook import bump
from sphinx_release_runbook.core import git
from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.model import Runbook
from sphinx_release_runbook.core.remote_tags import RemoteTags
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import (
    BUMP_PARTS,
    ParsedVersion,
    ReleaseValueError,
    VersionError,
    next_version,
    parse_version,
    release_values,
    version_refusal,
)

#: No version needs more; a longer --version is refused before it is parsed or echoed.
MAX_VERSION_LENGTH = 100


def shown(text: str, limit: int = 40) -> str:
    """*text* as a one-line message may show it: quoted when odd, cut short when long."""
    head = text if len(text) <= limit else text[:limit]
    head = head if head.isprintable() and head.strip() == head and head else repr(head)
    return head if len(text) <= limit else f"{head}... ({len(text)} characters)"


def check_length(requested: str) -> None:
    """Refuse a --version too long to be one (before it reaches a parser or a file name)."""
    if len(requested) > MAX_VERSION_LENGTH:
        raise ValidationError(
            f"--version {shown(requested)} is {len(requested)} characters long; a version "
            f"has at most {MAX_VERSION_LENGTH} (such as 1.2.3)"
        )


class ValidationError(RunbookError, ValueError):
    """A release value is not acceptable; the message says what is wrong."""


@dataclass(frozen=True)
class CurrentVersion:
    """The version the repository holds now: where each bump target says so, and the tags."""

    version: str | None
    sources: tuple[tuple[str, str, str], ...]  # (path, key, value)
    tag: str | None = None  # the newest tag made by the tag template
    tag_version: str | None = None

    def describe(self) -> str:
        parts = [f"{path} {key} = {value}" for path, key, value in self.sources]
        if self.tag:
            parts.append(f"newest tag {self.tag}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Release:
    """The validated values of one release; safe to render into shell commands."""

    version: str
    previous_version: str
    tag: str
    values: dict[str, str]


def _disagree(found: CurrentVersion) -> ValidationError:
    # Disagreeing sources are drift (``runbook.version``), with --force as well: exit 3.
    return ValidationError(
        f"the version sources disagree: {found.describe()}; make them agree first "
        "(`python -m runbook bump --version X.Y.Z` sets them all)",
        ExitCode.DRIFT,
    )


def newest_tag(runbook: Runbook, root: Path) -> tuple[str, str] | None:
    """``(tag, version)`` of the greatest version with a local tag made by the tag template."""
    best: tuple[ParsedVersion, str, str] | None = None
    for tag, text in _tagged_versions(root, runbook):
        try:
            parsed = parse_version(text, runbook.version_scheme)
        except VersionError:
            continue
        if best is None or parsed > best[0]:
            best = (parsed, tag, text)
    return (best[1], best[2]) if best else None


def current_version(
    runbook: Runbook, root: Path, *, allow_disagreement: bool = False
) -> CurrentVersion:
    """The current version: the bump targets (they must agree unless *allow_disagreement*,
    then the highest) and the newest tag, whichever is greater."""
    sources: list[tuple[str, str, str]] = []
    # Read as a bump reads them (bytes, the file's own encoding, links inside the
    # repository only): a coding cookie's Latin-1 file is as readable here as there.
    for result in bump.read_current(runbook.bump_targets, root):
        if isinstance(result, bump.BumpError):
            raise ValidationError(f"cannot read the current version: {result}") from result
        sources.append((result.target.path, result.target.key, result.value))
    tagged = newest_tag(runbook, root)
    tag, tag_version = tagged if tagged else (None, None)
    found = CurrentVersion(None, tuple(sources), tag, tag_version)
    values = {value for _, _, value in sources}
    parsed = []
    for value in values:
        try:
            parsed.append(parse_version(value, runbook.version_scheme))
        except VersionError as exc:
            raise ValidationError(
                f"the current version is not valid ({found.describe()}): {exc}"
            ) from exc
    if len(values) > 1 and not allow_disagreement:
        raise _disagree(found)
    if tag_version is not None:
        parsed.append(parse_version(tag_version, runbook.version_scheme))
    if not parsed:
        return found
    return CurrentVersion(max(parsed).text, tuple(sources), tag, tag_version)


def tag_exists(root: Path, tag: str, remote: RemoteTags) -> str | None:
    """Where *tag* already exists ("locally", "on origin"), or None.

    *remote* is the question to origin already under way
    (:mod:`~sphinx_release_runbook.core.remote_tags`).
    """
    if git.tags(root, tag):
        return "locally"
    # An unreachable remote answers None: the push of the tag will say so.
    if remote.has(tag):
        return "on origin"
    return None


def resolve_version(requested: str, current: str | None, scheme: str) -> str:
    """``major``/``minor``/``patch`` to a version; anything else is taken as the version."""
    if requested in BUMP_PARTS:
        if current is None:
            raise ValidationError(
                f"--version {requested} needs the current version, but the runbook has no "
                "bump targets and no tag made by its tag template exists; give the version "
                "itself"
            )
        return next_version(current, requested, scheme)  # type: ignore[arg-type]
    return requested


def release_for(runbook: Runbook, version: str, previous_version: str) -> Release:
    """The values of a release; every value must be in its safe alphabet (core.versions)."""
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
    except (VersionError, ReleaseValueError, PlaceholderError) as exc:
        # release_values refuses a package or tag outside its alphabet (PEP 508,
        # git's ref rules): a hand-edited runbook.json injects nothing either.
        raise ValidationError(str(exc)) from exc
    return Release(version, previous_version, values["tag"], values)


def _tagged_versions(root: Path, runbook: Runbook) -> list[tuple[str, str]]:
    """``(tag, version)`` of the tags made by the runbook's tag template, in no order."""
    marker = "RUNBOOKxVERSION"
    try:
        rendered = render(runbook.tag, {"version": marker, "package": runbook.package})
        prefix, _, suffix = rendered.partition(marker)
    except PlaceholderError:
        return []
    found = []
    for tag in git.tags(root):
        if tag.startswith(prefix) and tag.endswith(suffix) and len(tag) > len(prefix + suffix):
            found.append((tag, tag[len(prefix) : len(tag) - len(suffix)]))
    return found


def _previous_release(runbook: Runbook, root: Path, version: str, candidates: list[str]) -> str:
    """The highest valid version below *version* among *candidates* and the tags, or ""."""
    scheme = runbook.version_scheme
    target = parse_version(version, scheme)
    below = []
    for text in [*candidates, *(version for _, version in _tagged_versions(root, runbook))]:
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
    repairing: bool = False,
    remote: RemoteTags | None = None,
) -> Release:
    """Every check of a new release of *requested*; raises :class:`ValidationError`.

    With *continuing* (a ``--from``/``--only`` run) the version files may already
    hold *requested* when that release is in progress: an earlier run of it is
    recorded (*recorded_previous* is its previous version) or a bump is half
    done.  Its tag may exist then too (the release made it); the previous
    version is the recorded one, else the highest lower version in the files
    or the tags.  With *repairing* (``bump``, which sets every source) sources
    that disagree are no obstacle: the new version must exceed the highest.
    *remote* is the question of origin's tags already under way, if any.
    """
    check_length(requested)
    # Asked first, answered last: origin's tags are fetched while the files are read
    # (*remote*, when the caller started the question earlier still).
    remote = (remote or RemoteTags(root)) if check_tag else None
    current = current_version(runbook, root, allow_disagreement=continuing or repairing)
    scheme = runbook.version_scheme
    try:
        version = resolve_version(requested, current.version, scheme)
        parsed = parse_version(version, scheme)
    except VersionError as exc:
        raise ValidationError(version_refusal("--version", requested, scheme, exc)) from exc
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
    if len({value for _, _, value in current.sources}) > 1 and not repairing:
        # Disagreeing sources below the new version: continuing from a partial bump
        # of an older release is not a release in progress of this one.
        raise _disagree(current)
    release = release_for(runbook, version, current.version or "")
    if remote is not None:
        where = tag_exists(root, release.tag, remote)
        if where:
            raise ValidationError(
                f"the tag {release.tag} already exists {where}: version {version} was released "
                "already; pick the next version"
            )
    return release
