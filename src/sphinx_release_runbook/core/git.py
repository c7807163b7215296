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
import stat
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
    return Started(root, *args).result(timeout)


class Started:
    """``git ARGS`` started in *root* and left to run: :meth:`result` waits for its answer.

    For a question whose answer is needed later (origin's tags): it runs
    while the caller goes on, with no thread to wait for the interpreter's lock.
    """

    def __init__(self, root: Path, *args: str) -> None:
        self.args = ["git", *args]
        self._failed: subprocess.CompletedProcess[str] | None = None
        self._process: subprocess.Popen[str] | None = None
        try:
            self._process = subprocess.Popen(
                self.args,
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
                stdin=subprocess.DEVNULL,
            )
        except (FileNotFoundError, NotADirectoryError) as exc:
            self._failed = subprocess.CompletedProcess(self.args, 127, "", str(exc))

    def stop(self) -> None:
        """End the command if it still runs (its answer is not needed): none is left behind."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def result(self, timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """The finished command; :class:`subprocess.TimeoutExpired` (it is killed) after
        *timeout* seconds."""
        if self._process is None:
            assert self._failed is not None
            return self._failed
        with self._process as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except BaseException:  # a timeout or a Ctrl-C: no git is left running
                process.kill()
                process.wait()
                raise
        return subprocess.CompletedProcess(self.args, process.returncode, stdout, stderr)


#: Top levels found, by the directory asked about; kept while the top level's .git is there.
_TOPLEVELS: dict[Path, Path] = {}
#: Every local tag, by top level, with the :func:`_refs_identity` it was listed at.
_TAGS: dict[Path, tuple[tuple[tuple[int, int, int], ...], list[str]]] = {}


#: Settings with which git finds a repository other than by looking for ``.git`` upwards.
_DISCOVERY_SETTINGS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)


def toplevel(directory: Path) -> Path | None:
    """The git top level containing *directory*, or None outside a work tree (or without git)."""
    known = _TOPLEVELS.get(directory)
    if known is not None and (known / ".git").exists():
        return known
    top = _plain_toplevel(directory)
    if top is None:
        result = git(directory, "rev-parse", "--show-toplevel")
        if result.returncode != 0 or not result.stdout.strip():
            return None
        top = Path(result.stdout.strip())
    _TOPLEVELS[directory] = top
    return top


def _plain_toplevel(directory: Path) -> Path | None:
    """The top level git would find, where finding it needs no git: else None (ask git).

    The nearest folder upwards whose ``.git`` is a repository folder (with a
    ``HEAD``) or a worktree's ``gitdir:`` file, and which this user owns (git
    refuses another user's repository unless told it is safe).  Saves a
    ``git rev-parse`` at every command; any setting that changes how git looks
    (``GIT_DIR``, a ceiling) leaves the question to git.
    """
    if any(name in os.environ for name in _DISCOVERY_SETTINGS):
        return None
    try:
        start = directory.resolve(strict=True)
    except OSError:
        return None
    for folder in (start, *start.parents):
        marker = folder / ".git"
        if marker == start or marker in start.parents:
            return None  # inside the repository folder itself: not a work tree
        try:
            info = marker.lstat()
        except FileNotFoundError:
            continue
        except OSError:
            return None
        if info.st_uid != os.geteuid():
            return None
        if stat.S_ISDIR(info.st_mode):
            return folder if (marker / "HEAD").is_file() else None
        if stat.S_ISREG(info.st_mode):
            try:
                head = marker.read_text(encoding="utf-8", errors="replace")[:8]
            except OSError:
                return None
            return folder if head == "gitdir: " else None
        return None
    return None


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
        plain = _plain_tags(root)
        if plain is None:
            result = git(root, "tag", "--list")
            if result.returncode != 0:
                return []
            plain = result.stdout.split()
        listed = plain
        if identity is not None:
            _TAGS[root] = (identity, listed)
    if pattern is None:
        return list(listed)
    # git matches a --list pattern with wildmatch and no flags: `*` crosses `/` too, as here.
    return [tag for tag in listed if fnmatch.fnmatchcase(tag, pattern)]


_OBJECT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def _plain_tags(root: Path) -> list[str] | None:
    """``git tag --list``, read from the refs' files where that needs no git; else None.

    A plain ``.git`` folder (not a worktree's, whose refs live elsewhere) in the
    files format (no ``reftable``), with no setting that moves the repository:
    the loose refs under ``refs/tags`` and the tags in ``packed-refs``, in git's
    order (by name, bytewise).  A ref whose file holds no object id is skipped,
    as git skips a broken ref.  Saves a ``git tag --list`` at every command.
    """
    gitdir = root / ".git"
    if any(name in os.environ for name in _DISCOVERY_SETTINGS):
        return None
    if not (gitdir / "HEAD").is_file() or (gitdir / "reftable").exists():
        return None
    found: set[str] = set()
    tags_dir = gitdir / "refs" / "tags"
    try:
        for folder, _, files in os.walk(tags_dir, onerror=_raise):
            for name in files:
                if name.endswith(".lock"):  # a ref being written: git lists it once done
                    continue
                path = Path(folder, name)
                content = path.read_bytes()[:80].strip()
                if _OBJECT_ID.fullmatch(content.decode("ascii", "replace")):
                    found.add(path.relative_to(tags_dir).as_posix())
        packed = gitdir / "packed-refs"
        if packed.exists():
            for line in packed.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.startswith("#") or (line[:1] == "^" and _OBJECT_ID.fullmatch(line[1:])):
                    continue  # the header, and the object an annotated tag points to
                object_id, _, ref = line.partition(" ")
                if not (_OBJECT_ID.fullmatch(object_id) and ref.startswith("refs/")):
                    return None  # a file git itself refuses: git says what is wrong
                if ref.startswith("refs/tags/"):
                    found.add(ref.removeprefix("refs/tags/"))
    except OSError:
        return None
    return sorted(found, key=lambda tag: tag.encode("utf-8", "surrogateescape"))


def _raise(error: OSError) -> None:
    raise error


def has_remote(root: Path, name: str) -> bool:
    remotes = git(root, "remote")
    return remotes.returncode == 0 and name in remotes.stdout.split()


def is_ignored(root: Path, path: Path) -> bool:
    """Whether git ignores *path* (which need not exist) in the work tree at *root*."""
    return git(root, "check-ignore", "-q", "--", str(path)).returncode == 0


def is_tracked(root: Path, path: Path) -> bool:
    """Whether *path* is a file git tracks in the work tree at *root*."""
    return git(root, "ls-files", "--error-unmatch", "--", str(path)).returncode == 0
