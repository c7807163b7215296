"""Version files in every encoding and line-ending style a bump must keep, and the byte check.

Each sample is a file's bytes plus the version literals it holds; a bump of it
must give exactly those bytes with each old literal replaced by its new one
(:func:`only_version_bytes_differ`).  Shared by the unit tests (plan_edits /
write_edits) and the tests through the real ``python -m runbook bump``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Line-ending styles: every line ends with the same one, or they take turns.
ENDINGS: dict[str, tuple[str, ...]] = {
    "lf": ("\n",),
    "crlf": ("\r\n",),
    "mixed": ("\r\n", "\n"),
}
#: Python also ends a line at a lone CR (TOML does not: a lone CR is not a TOML newline).
PYTHON_ENDINGS: dict[str, tuple[str, ...]] = {
    **ENDINGS,
    "cr": ("\r",),
    "mixed-cr": ("\r\n", "\n", "\r"),
}

#: (encoding label, codec, byte order mark).  TOML is UTF-8 by spec: a BOM at most.
TOML_ENCODINGS = (("utf-8", "utf-8", b""), ("utf-8-bom", "utf-8", b"\xef\xbb\xbf"))
#: Python: also a PEP 263 coding cookie (Latin-1, and cp1252 for good measure).
PYTHON_ENCODINGS = (
    *TOML_ENCODINGS,
    ("latin-1-cookie", "latin-1", b""),
    ("cp1252-cookie", "cp1252", b""),
)

PYPROJECT_LINES = [
    "# Démo — a project whose metadata is not all ASCII ✓",
    "[tool.poetry]",
    'name = "démo"',
    "version   =   '{version}'   # the bumped value; \"version\" in a comment",
    'description = """',
    'version = "9.9.9" inside a string',
    '"""',
    'authors = ["Zoë <zoe@example.org>"]',
    "",
    "[tool.poetry.dependencies]",
    'python = "^3.11"',
    'version = "not this one"',
]

PROJECT_LINES = [
    "[project]",
    'name = "demo"',
    'version = "{version}"',
    'keywords = ["version", "Überprüfung"]',
]

# Latin-1 and cp1252 hold these: é, ü, ñ (and cp1252's € only for cp1252).
VERSION_PY_LINES = [
    "# -*- coding: {cookie} -*-",
    '"""Version of démo: Müller & Muñoz."""',
    "",
    "\f# a form feed starts this comment; Python does not end a line there",
    '__author__ = "José Müller"',
    "__version__: str = '{version}'  # single quotes kept",
    "__version_info__ = {info}",
    'other = "1.2.0"  # not a target',
]


@dataclass(frozen=True)
class Sample:
    """One file to bump: its name, path, bytes, and its version literals before and after."""

    label: str
    path: str
    keys: tuple[str, ...]
    before: bytes
    after: bytes  # the bytes a bump must leave
    literals: tuple[tuple[bytes, bytes], ...]  # (old, new) version literals


def _join(lines: list[str], endings: tuple[str, ...]) -> str:
    return "".join(line + endings[index % len(endings)] for index, line in enumerate(lines))


def _encode(text: str, codec: str, bom: bytes) -> bytes:
    return bom + text.encode(codec)


def toml_samples(old: str = "1.2.0", new: str = "1.3.0") -> list[Sample]:
    samples = []
    for label, codec, bom in TOML_ENCODINGS:
        for ending, endings in ENDINGS.items():
            for lines, key, path, quote in (
                (PYPROJECT_LINES, "tool.poetry.version", "pyproject.toml", "'"),
                (PROJECT_LINES, "project.version", "project.toml", '"'),
            ):
                text = _join(lines, endings)
                samples.append(
                    Sample(
                        f"{path}-{key}-{label}-{ending}",
                        path,
                        (key,),
                        _encode(text.format(version=old), codec, bom),
                        _encode(text.format(version=new), codec, bom),
                        ((f"{quote}{old}{quote}".encode(), f"{quote}{new}{quote}".encode()),),
                    )
                )
    return samples


def _info(version: str) -> str:
    return repr(tuple(int(part) for part in version.split(".")))


def python_samples(old: str = "1.2.0", new: str = "1.3.0") -> list[Sample]:
    samples = []
    for label, codec, bom in PYTHON_ENCODINGS:
        for ending, endings in PYTHON_ENDINGS.items():
            lines = list(VERSION_PY_LINES)
            if codec == "cp1252":
                lines[1] = '"""Version of démo: Müller & Muñoz, 5 €."""'
            text = _join(lines, endings)

            def fill(version: str, text: str = text, codec: str = codec) -> str:
                cookie = "utf-8" if codec == "utf-8" else codec
                return text.format(cookie=cookie, version=version, info=_info(version))

            samples.append(
                Sample(
                    f"_version.py-{label}-{ending}",
                    "pkg/_version.py",
                    ("__version__", "__version_info__"),
                    _encode(fill(old), codec, bom),
                    _encode(fill(new), codec, bom),
                    (
                        (f"'{old}'  #".encode(), f"'{new}'  #".encode()),
                        (_info(old).encode(), _info(new).encode()),
                    ),
                )
            )
    return samples


def only_version_bytes_differ(sample: Sample, after: bytes) -> None:
    """*after* is *sample*'s bytes with each old version literal replaced by its new one.

    Byte for byte: spliced out of both files, the version literals leave the same
    bytes (every line ending, the byte order mark and every encoded character).
    """
    expected = sample.before
    for old, new in sample.literals:
        assert expected.count(old) == 1, (sample.label, old)
        start = expected.index(old)
        expected = expected[:start] + new + expected[start + len(old) :]
    assert expected == sample.after, sample.label  # the sample itself is consistent
    assert after == expected, sample.label
    assert after != sample.before


def all_samples() -> list[Sample]:
    return [*toml_samples(), *python_samples()]
