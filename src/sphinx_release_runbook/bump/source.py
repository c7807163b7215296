"""A bump target's file as bytes: where it really is and how it is encoded.

A file is read as bytes and decoded without newline translation, so its text
holds every line ending as written (LF, CRLF, CR or a mix); writing encodes the
edited text with the same codec, a UTF-8 byte order mark included, so only the
version's bytes change.  The encoding is the format's:

* TOML is UTF-8 (the spec says so), with or without a byte order mark;
* Python is what :pep:`263` says: a UTF-8 byte order mark, else a coding cookie
  on line 1 or 2 (``# -*- coding: latin-1 -*-``), else UTF-8.

A file whose decoded text does not encode back to the very same bytes is
refused, so no edit can change a byte it did not mean to.

A target is read and written at its real path (through any symbolic link):
the link is kept and the file it points to is edited in place.  A target whose
real path is outside the repository is refused.
"""

from __future__ import annotations

import codecs
import os
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sphinx_release_runbook.bump.site import BumpError, BumpPathError
from sphinx_release_runbook.core.paths import outside_repository

_UTF8 = ("utf-8", "utf-8-sig")
#: Byte order marks of encodings that no bump target may use (UTF-32 before UTF-16:
#: the UTF-32-LE mark starts with the UTF-16-LE one).
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_COOKIE_EXAMPLE = "`# -*- coding: latin-1 -*-`"
#: One line of Python source with its ending: CPython ends a line at LF, CRLF or a lone CR.
_PYTHON_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass(frozen=True)
class SourceFile:
    """A bump target's file: its text as written, and how to write it back."""

    path: str  # as the guide names it, relative to the repository root
    real: Path  # the file read and written: through any symbolic link, inside the repository
    text: str  # decoded; line endings as in the file, the byte order mark left out
    codec: str  # "utf-8", "utf-8-sig" (a byte order mark), or a Python coding cookie's

    def encode(self, text: str) -> bytes:
        """*text* in this file's encoding (its byte order mark included)."""
        try:
            return text.encode(self.codec)
        except UnicodeEncodeError as exc:
            raise BumpError(
                f"{self.path}: cannot write {exc.object[exc.start : exc.end]!r} "
                f"in the file's encoding ({self.codec})"
            ) from exc


def real_path(repo_root: Path, path: str) -> Path:
    """Where *path* really is (through symbolic links); refused when outside the repository."""
    outside = outside_repository(path)
    if outside:
        raise BumpPathError(outside)
    root = repo_root.resolve()
    real = Path(os.path.realpath(repo_root / path))
    if not real.is_relative_to(root):
        raise BumpPathError(
            f"{path}: resolves through a symbolic link to {real}, which is outside the "
            "repository; bump edits only files of the repository"
        )
    return real


def open_source(repo_root: Path, path: str) -> SourceFile:
    """*path*'s file, read and decoded; a missing, outside or undecodable file is a BumpError."""
    real = real_path(repo_root, path)
    try:
        data = real.read_bytes()
    except FileNotFoundError as exc:
        raise BumpPathError(f"{path}: file not found (named as a bump target)") from exc
    except OSError as exc:
        raise BumpError(f"{path}: cannot read: {exc}") from exc
    codec = _codec(data, path)
    text = _decode(data, codec, path)
    if text.encode(codec) != data:
        raise BumpError(
            f"{path}: cannot edit: its text in {codec} does not encode back to the same bytes"
        )
    return SourceFile(path, real, text, codec)


def _python_lines(data: bytes) -> Callable[[], bytes]:
    """A ``readline`` over *data* that ends lines where Python does (a lone CR too)."""
    lines = iter(_PYTHON_LINE.findall(data))
    return lambda: next(lines, b"")


def _codec(data: bytes, path: str) -> str:
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise BumpError(
                f"{path}: cannot read: it is {name} (it starts with a {name} byte order mark); "
                "save it as UTF-8"
            )
    if path.endswith(".py"):
        try:
            codec, _ = tokenize.detect_encoding(_python_lines(data))
        except SyntaxError as exc:
            if exc.msg == "invalid or missing encoding declaration":
                return "utf-8"  # a first line that is not UTF-8: _decode says where
            if data.startswith(codecs.BOM_UTF8):
                raise BumpError(
                    f"{path}: cannot read: it starts with a UTF-8 byte order mark, "
                    "but its coding cookie names another encoding"
                ) from exc
            raise BumpError(f"{path}: cannot read: {exc.msg} (its coding cookie)") from exc
        return codec
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def _decode(data: bytes, codec: str, path: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        where = f"byte 0x{data[exc.start]:02x} on line {line}"
        if codecs.lookup(codec).name not in _UTF8:
            why = f"is not {codec}, the encoding its coding cookie declares"
        elif path.endswith(".py"):
            why = (
                "is not UTF-8; save the file as UTF-8, or declare its encoding "
                f"with a coding cookie on line 1 or 2 ({_COOKIE_EXAMPLE})"
            )
        else:
            why = "is not UTF-8 (TOML files are UTF-8)"
        raise BumpError(f"{path}: cannot read: {where} {why}") from exc
