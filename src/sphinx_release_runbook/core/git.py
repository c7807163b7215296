"""The one git wrapper: every question the project asks git goes through :func:`git`.

git never prompts (``GIT_TERMINAL_PROMPT=0``, no standard input): a credential
prompt must fail at once rather than hang a docs build or a CI job.  A missing
git binary or directory reads as "no answer", never as a traceback.

A command asks git once per fact: the top level of a directory and the list of
tags are remembered in this process, each with what would change it (the
``.git`` of the top level; the tag refs' files), so an answer is asked again
only once the repository changed, never served stale.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from functools import lru_cache
from pathlib import Path

#: ``git@github.com:owner/repo.git`` and ``https://github.com/owner/repo(.git)``.
_GITHUB = re.compile(
    r"^(?:git@github\.com:|(?:https?|ssh|git)://(?:[^@/]+@)?github\.com/)"
    r"(?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$"
)
# ls-remote talks to the network; a hung remote must not hang validation.
REMOTE_TIMEOUT = 20.0


def git(root: Path, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``git ARGS`` in *root*; a missing git or directory gives exit status 127."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        return subprocess.CompletedProcess(["git", *args], 127, "", str(exc))


#: Top levels found, by the directory asked about; kept while the top level's .git is there.
_TOPLEVELS: dict[Path, Path] = {}
#: Every local tag, by top level, with the :func:`_refs_identity` it was listed at.
_TAGS: dict[Path, tuple[tuple[tuple[int, int, int], ...], list[str]]] = {}


def toplevel(directory: Path) -> Path | None:
    """The git top level containing *directory*, or None outside a work tree (or without git)."""
    known = _TOPLEVELS.get(directory)
    if known is not None and (known / ".git").exists():
        return known
    result = git(directory, "rev-parse", "--show-toplevel")
    if result.returncode != 0 or not result.stdout.strip():
        return None
    top = Path(result.stdout.strip())
    _TOPLEVELS[directory] = top
    return top


def normalise_repo_url(url: str) -> str:
    """``https://github.com/OWNER/REPO`` for any spelling of a GitHub remote; else *url*."""
    url = url.strip()
    match = _GITHUB.match(url)
    if match:
        return f"https://github.com/{match['owner']}/{match['repo']}"
    return url.rstrip("/").removesuffix(".git")


@lru_cache(maxsize=8)
def origin_url(root: Path) -> str:
    """The ``origin`` remote of the git repository at *root* (``""`` when there is none).

    Cached: every document of a build asks, and the remote does not change mid-build.
    """
    result = git(root, "remote", "get-url", "origin")
    return normalise_repo_url(result.stdout) if result.returncode == 0 else ""


def _refs_identity(root: Path) -> tuple[tuple[int, int, int], ...] | None:
    """What changes when a tag is made or deleted: the tag refs' folder and packed-refs.

    None (do not remember) unless *root* has a plain ``.git`` folder holding
    ``refs/tags``; a tag named with a slash lives in a subfolder, which the
    folder's own time does not see, so such a repository is asked each time.
    """
    gitdir = root / ".git"
    identity = []
    for path in (gitdir / "refs" / "tags", gitdir / "packed-refs"):
        try:
            info = path.stat()
        except FileNotFoundError:
            identity.append((0, 0, 0))
            continue
        except OSError:
            return None
        identity.append((info.st_ino, info.st_size, info.st_mtime_ns))
    if identity[0] == (0, 0, 0):
        return None
    try:
        if any(entry.is_dir() for entry in os.scandir(gitdir / "refs" / "tags")):
            return None
    except OSError:
        return None
    return tuple(identity)


def tags(root: Path, pattern: str | None = None) -> list[str]:
    """The local tags (matching *pattern*, a ``git tag --list`` glob); ``[]`` without git."""
    identity = _refs_identity(root)
    known = _TAGS.get(root)
    if identity is not None and known is not None and known[0] == identity:
        listed = known[1]
    else:
        result = git(root, "tag", "--list")
        if result.returncode != 0:
            return []
        listed = result.stdout.split()
        if identity is not None:
            _TAGS[root] = (identity, listed)
    if pattern is None:
        return list(listed)
    # git matches a --list pattern with wildmatch and no flags: `*` crosses `/` too, as here.
    return [tag for tag in listed if fnmatch.fnmatchcase(tag, pattern)]


def has_remote(root: Path, name: str) -> bool:
    remotes = git(root, "remote")
    return remotes.returncode == 0 and name in remotes.stdout.split()


def is_ignored(root: Path, path: Path) -> bool:
    """Whether git ignores *path* (which need not exist) in the work tree at *root*."""
    return git(root, "check-ignore", "-q", "--", str(path)).returncode == 0


def is_tracked(root: Path, path: Path) -> bool:
    """Whether *path* is a file git tracks in the work tree at *root*."""
    return git(root, "ls-files", "--error-unmatch", "--", str(path)).returncode == 0
