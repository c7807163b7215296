"""File system writes that a crash cannot tear: atomic replacement and the private folder.

The private folder ``.runbook/`` holds the cache, the run state, the lock and
the transcripts; it is created ``0700`` and what the runner writes in it
``0600``, since a transcript may show what a secret mask cannot catch.  Every
problem a user can cause here (a file where the folder should be, a full
disk) is a :class:`FileProblem`: one line naming the path and the fix.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from sphinx_release_runbook.core.errors import ExitCode, RunbookError

#: The project's private folder at the repository root: cache, state, lock and logs.
PRIVATE_DIR = Path(".runbook")
_IGNORE_ALL = "# Written by sphinx-release-runbook: cache, state, lock and logs.\n*\n"
#: Modes of the private folder and of the files the runner writes in it.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
#: How the temporary file of an atomic write ends (see :func:`leftover_pattern`).
_TEMPORARY_SUFFIX = ".tmp"


class FileProblem(RunbookError):
    """A file or folder cannot be read or written; the message names it and the fix."""

    exit_code = ExitCode.OS_ERROR


def _fix_for(exc: OSError, path: Path) -> str:
    """What the user can do about *exc* on *path*."""
    number = exc.errno
    if number in (errno.ENOSPC, errno.EDQUOT):
        return "free some space on that disk"
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"make {path} writable for this user"
    if number == errno.EISDIR:
        return f"a folder is in the way: remove it (rm -r {path})"
    if number in (errno.ENOTDIR, errno.EEXIST):
        return "a file is in the way of a folder: remove or rename it"
    if number == errno.ENAMETOOLONG:
        return "use a shorter name"
    if number == errno.ENOENT:
        return f"create {path.parent} (or check the path)"
    return "fix that path"


def file_problem(exc: OSError, path: Path, doing: str, then: str = "") -> FileProblem:
    """A one-line :class:`FileProblem`: ``cannot DOING PATH: REASON; FIX[; THEN]``."""
    reason = exc.strerror or str(exc)
    message = f"cannot {doing} {path}: {reason}; {_fix_for(exc, path)}"
    return FileProblem(message + (f"; {then}" if then else ""))


def write_atomic_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace the file *path* with *data* in one rename; the old content survives a crash.

    The data goes to a temporary file beside *path* (named as :func:`leftover_pattern`
    says), is flushed to disk, then renamed over *path*.  The file keeps its mode,
    or gets *mode* when given (a new file made by :func:`tempfile.mkstemp` is
    ``0600`` otherwise).  The rename replaces *path* itself: given a symbolic
    link, it replaces the link, so callers that keep links pass the real path.
    """
    directory = path.parent
    keep = path.stat().st_mode & 0o7777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX, dir=directory
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        wanted = mode if mode is not None else keep
        if wanted is not None:
            os.chmod(temporary, wanted)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """:func:`write_atomic_bytes` of *text* in UTF-8, line endings as they are in *text*."""
    write_atomic_bytes(path, text.encode("utf-8"), mode=mode)


def leftover_pattern(name: str) -> re.Pattern[str]:
    """The names of the temporary files :func:`write_atomic_bytes` makes beside *name*.

    A process killed between the temporary file and its rename (SIGKILL, a
    power cut) leaves one: ``.NAME.XXXXXXXX.tmp``, the eight characters being
    :func:`tempfile.mkstemp`'s.
    """
    return re.compile(rf"\.{re.escape(name)}\.[A-Za-z0-9_]{{8}}{re.escape(_TEMPORARY_SUFFIX)}")


#: What a file system that cannot flush a file or a folder answers (some network and
#: FUSE file systems): the flush is left to it, as every program there must.
_CANNOT_FLUSH = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})


def flush_to_disk(fd: int) -> None:
    """``fsync`` *fd*; where the file system cannot, it is left to it.

    A flush that fails otherwise (an I/O error, a full disk) raises: what was
    written may be lost, and the caller must not go on as if it were kept.
    """
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _CANNOT_FLUSH:
            raise


def sync_directory(directory: Path) -> None:
    """Flush *directory*'s entries to disk: a file created or renamed there survives a power cut."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(directory, flags)
    try:
        flush_to_disk(fd)
    finally:
        os.close(fd)


def open_private(path: Path, *, append: bool = False) -> int:
    """Open *path* for writing with mode ``0600`` (a new file; or appending when *append*)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_EXCL)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE_MODE)
    if append:
        mode = os.fstat(fd).st_mode
        if stat.S_ISREG(mode) and stat.S_IMODE(mode) != PRIVATE_FILE_MODE:
            # An existing file made by an older version (or another umask) is narrowed too.
            os.fchmod(fd, PRIVATE_FILE_MODE)
    return fd


def ensure_private_dir(root: Path) -> Path:
    """Create ``ROOT/.runbook/`` (``0700``) with a ``.gitignore`` of ``*``; return its path.

    The cache, state and logs must not make a release's ``git status`` dirty.
    Raises :class:`FileProblem` when something else is in the way.
    """
    directory = root / PRIVATE_DIR
    try:
        directory.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    except FileExistsError:
        raise FileProblem(
            f"cannot create the folder {directory}: a file of that name is in the way; "
            f"remove or rename it (it is the runner's private folder)"
        ) from None
    except OSError as exc:
        raise file_problem(exc, directory, "create the folder") from exc
    try:
        if stat.S_IMODE(directory.stat().st_mode) & 0o077:
            directory.chmod(PRIVATE_DIR_MODE)
        ignore = directory / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_IGNORE_ALL, encoding="utf-8")
    except OSError as exc:
        raise file_problem(exc, directory, "write in") from exc
    return directory


def ensure_private_subdir(root: Path, name: str) -> Path:
    """``ROOT/.runbook/NAME/`` (``0700``), or a :class:`FileProblem` naming what is in the way."""
    directory = ensure_private_dir(root) / name
    if directory.exists() and not directory.is_dir():
        raise FileProblem(
            f"cannot create the folder {directory}: a file of that name is in the way; "
            f"remove it (rm {directory})"
        )
    try:
        directory.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
    except OSError as exc:
        raise file_problem(exc, directory, "create the folder") from exc
    return directory
