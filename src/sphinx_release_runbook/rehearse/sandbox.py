"""The rehearsal's repository: a clone of the working tree whose ``origin`` is a local bare one.

:func:`create` makes, inside the rehearsal folder:

* ``origin.git``: a bare clone of the repository (every branch and tag), the
  only remote the rehearsal's clone knows;
* ``repo``: a clone of ``origin.git`` at the commit checked out now, plus,
  when the working tree has changes (tracked edits, untracked files that are
  not ignored), one extra commit holding them, so the guide as it is on disk
  is the one rehearsed; that commit is pushed to ``origin.git`` too, as if
  the maintainer had pushed it before releasing.

The real remote is never contacted: the clone's ``origin`` fetch and push URLs
are both pinned to ``origin.git``, and the runner's git may use only local
paths (``GIT_ALLOW_PROTOCOL=file``, :data:`GIT_ENV`).  Its URL is read only
to fill ``${{ github.repository }}``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from sphinx_release_runbook.core import git
from sphinx_release_runbook.rehearse.errors import RehearsalError

#: The message of the extra commit that holds the working tree's uncommitted changes.
UNCOMMITTED_MESSAGE = "Rehearsal: the uncommitted changes of the working tree"
#: Git settings of every command of the rehearsal: local transports only, never a prompt.
GIT_ENV = {"GIT_ALLOW_PROTOCOL": "file", "GIT_TERMINAL_PROMPT": "0"}
_IDENTITY = {"user.name": "Release Rehearsal", "user.email": "rehearsal@localhost"}


@dataclass(frozen=True)
class Sandbox:
    """The clone a rehearsal runs in, and what was done to make it."""

    folder: Path  #: the rehearsal folder (removed afterwards unless --keep)
    clone: Path  #: the clone's work tree
    bare: Path  #: its ``origin``
    project: Path  #: the project folder inside the clone (where the command was run)
    branch: str  #: the branch checked out ("" when detached)
    head: str  #: the commit checked out in the clone (the extra commit, if any)
    uncommitted: tuple[str, ...]  #: the paths the extra commit holds (empty: no extra commit)
    real_origin: str  #: the real ``origin`` URL (never contacted; "" when there is none)


def _git(root: Path, *args: str) -> str:
    result = git.git(root, *args)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise RehearsalError(
            f"cannot prepare the rehearsal's clone: git {' '.join(args)}: {detail}"
        )
    return result.stdout


def _changed_paths(source: Path) -> tuple[list[str], list[str]]:
    """Paths that differ from HEAD (tracked, staged or not) and untracked files not ignored."""
    tracked = _git(source, "diff", "--name-only", "--no-renames", "-z", "HEAD", "--")
    untracked = _git(source, "ls-files", "--others", "--exclude-standard", "-z")
    return [p for p in tracked.split("\0") if p], [p for p in untracked.split("\0") if p]


def _copy_change(source: Path, clone: Path, relative: str) -> None:
    origin, target = source / relative, clone / relative
    if not origin.exists() and not origin.is_symlink():
        if target.exists() or target.is_symlink():
            target.unlink()
        return
    if origin.is_dir() and not origin.is_symlink():
        return  # a submodule or nested repository: its own commits are not rehearsed
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    if origin.is_symlink():
        target.symlink_to(os.readlink(origin))
    else:
        shutil.copy2(origin, target)


def _ensure_identity(clone: Path) -> None:
    """A committer for the extra commit and the guide's own commits, when git has none."""
    for key, value in _IDENTITY.items():
        if git.git(clone, "config", key).returncode != 0:
            _git(clone, "config", key, value)


def github_repository(url: str) -> str:
    """``owner/name`` of a remote URL (GitHub spelling or any URL with two path parts)."""
    normal = git.normalise_repo_url(url)
    path = urlparse(normal).path if "://" in normal else normal.rpartition(":")[2]
    parts = [part for part in path.strip("/").split("/") if part]
    return "/".join(parts[-2:]) if len(parts) >= 2 else ""


def create(start: Path, project: Path, folder: Path) -> Sandbox:
    """Clone the repository containing *start* into *folder* (see the module's docstring).

    *project* is the project folder (the one holding the docs); the clone's
    project folder is the same path relative to the repository's top level.
    """
    source = git.toplevel(start)
    if source is None:
        raise RehearsalError(
            f"{start} is not in a git repository; the rehearsal clones the repository, so "
            "run it inside one (git init, then commit the project)"
        )
    source = source.resolve()
    if git.git(source, "rev-parse", "--verify", "-q", "HEAD").returncode != 0:
        raise RehearsalError(f"{source} has no commit yet; commit the project, then rehearse")
    relative = project.resolve().relative_to(source)
    folder.mkdir(parents=True, exist_ok=True)
    bare, clone = folder / "origin.git", folder / "repo"
    real_origin = git.git(source, "remote", "get-url", "origin").stdout.strip()
    _git(folder, "clone", "--quiet", "--bare", os.fspath(source), os.fspath(bare))
    _git(bare, "remote", "remove", "origin")
    _git(folder, "clone", "--quiet", os.fspath(bare), os.fspath(clone))
    # The clone checks out the bare one's HEAD, which is the source's HEAD.
    branch = git.git(source, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    _git(clone, "config", "remote.origin.url", os.fspath(bare))
    _git(clone, "config", "remote.origin.pushurl", os.fspath(bare))
    _ensure_identity(clone)
    tracked, untracked = _changed_paths(source)
    changed = sorted(set(tracked) | set(untracked))
    for path in changed:
        _copy_change(source, clone, path)
    if changed:
        _git(clone, "add", "--all", "--", *changed)
        if _git(clone, "status", "--porcelain", "--", *changed).strip():
            _git(clone, "commit", "--quiet", "--no-verify", "-m", UNCOMMITTED_MESSAGE)
            if branch:  # a detached HEAD has no branch to push it to
                _git(clone, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        else:
            changed = []  # only mode or line-ending noise: nothing to commit
    head = _git(clone, "rev-parse", "HEAD").strip()
    return Sandbox(
        folder=folder,
        clone=clone,
        bare=bare,
        project=clone / relative,
        branch=branch,
        head=head,
        uncommitted=tuple(changed),
        real_origin=real_origin,
    )
