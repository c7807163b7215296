"""Bump targets: which files and keys can hold a version, and the format-neutral interface.

A target is ``FILE KEY`` as written in a ``:bump:`` option.  :func:`locate` and
:func:`apply` dispatch on the file type, so callers never name a format.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.bump import python, toml
from sphinx_release_runbook.bump.site import BumpError, BumpPathError, VersionSite
from sphinx_release_runbook.bump.source import open_source
from sphinx_release_runbook.core.model import BumpTarget
from sphinx_release_runbook.core.paths import outside_repository


def _is_python(path: str) -> bool:
    return path.endswith(".py")


def _is_toml(path: str) -> bool:
    return path.endswith(".toml")


def check_target(target: BumpTarget) -> None:
    """Refuse a target outside the repository, or whose file type this module cannot edit."""
    outside = outside_repository(target.path)
    if outside:
        raise BumpPathError(outside)
    if not (_is_python(target.path) or _is_toml(target.path)):
        raise BumpError(
            f"{target.path}: cannot bump this file type; bump targets are .toml keys "
            "(tool.poetry.version) or .py assignments (__version__, __version_info__)"
        )
    if _is_python(target.path) and not target.key.isidentifier():
        raise BumpError(f"{target.path}: {target.key!r} is not a Python name")


def locate(text: str, target: BumpTarget) -> VersionSite:
    """Where *target*'s version sits in *text* (the file's content)."""
    check_target(target)
    if _is_toml(target.path):
        return toml.site(text, target)
    return python.site(text, target)


def apply(text: str, target: BumpTarget, version: str, info: tuple[int | str, ...]) -> str:
    """*text* with *target*'s value set to *version* (or *info* for tuples), all else unchanged."""
    check_target(target)
    if _is_toml(target.path):
        return toml.apply(text, target, version)
    return python.apply(text, target, version, info)


def read_text(repo_root: Path, target: BumpTarget) -> str:
    """The text of *target*'s file, as :func:`.source.open_source` reads it.

    Line endings are as written and a byte order mark is left out; a missing,
    unreadable or undecodable file, or one whose real path (through symbolic
    links) is outside the repository, is a :class:`BumpError`.
    """
    return open_source(repo_root, target.path).text
