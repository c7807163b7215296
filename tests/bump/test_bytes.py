"""A bump keeps every byte but the version: line endings, encoding, byte order mark.

Through ``bump.plan_edits`` / ``bump.write_edits`` on real files, per format
(TOML, Python) x encoding (UTF-8, UTF-8 with a BOM, and for Python a PEP 263
coding cookie: Latin-1, cp1252) x line endings (LF, CRLF, mixed; for Python
also CR and CR mixed in).  The files are compared as bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import BumpTarget

from .samples import Sample, all_samples, only_version_bytes_differ, python_samples, toml_samples

SAMPLES = all_samples()


def write(root: Path, sample: Sample) -> Path:
    path = root / sample.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(sample.before)
    return path


def targets(sample: Sample) -> list[BumpTarget]:
    return [BumpTarget(sample.path, key) for key in sample.keys]


def test_the_grid_covers_every_format_encoding_and_line_ending() -> None:
    assert len(toml_samples()) == 2 * 2 * 3  # two TOML files x (UTF-8, BOM) x (LF, CRLF, mixed)
    assert len(python_samples()) == 4 * 5  # (UTF-8, BOM, Latin-1, cp1252) x 5 ending styles
    assert any(s.before.startswith(b"\xef\xbb\xbf") for s in SAMPLES)
    assert any(b"\r\n" in s.before and b"\n" in s.before.replace(b"\r\n", b"") for s in SAMPLES)
    assert any(b"caf" not in s.before and b"Jos\xe9" in s.before for s in SAMPLES)  # Latin-1


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label for s in SAMPLES])
def test_only_the_version_bytes_change(tmp_path: Path, sample: Sample) -> None:
    path = write(tmp_path, sample)
    edits = bump.plan_edits(tmp_path, targets(sample), "1.3.0", (1, 3, 0))
    assert path.read_bytes() == sample.before, "planning must not write"
    assert bump.write_edits(tmp_path, edits) == [sample.path]
    only_version_bytes_differ(sample, path.read_bytes())
    # Idempotent: planning again finds every value already there.
    again = bump.plan_edits(tmp_path, targets(sample), "1.3.0", (1, 3, 0))
    assert not any(edit.changed for edit in again)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label for s in SAMPLES])
def test_the_preview_lines_are_the_files_lines(tmp_path: Path, sample: Sample) -> None:
    """The old and new lines shown (dry run, runner) are whole lines, without their ending."""
    write(tmp_path, sample)
    (edit,) = bump.plan_edits(tmp_path, targets(sample), "1.3.0", (1, 3, 0))
    for _target, site, new_line in edit.changes:
        assert "\r" not in site.text and "\n" not in site.text
        assert "1.2.0" in site.text or "(1, 2, 0)" in site.text
        assert new_line == site.text.replace("1.2.0", "1.3.0").replace("(1, 2, 0)", "(1, 3, 0)")


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.label for s in SAMPLES])
def test_read_current_reads_every_sample(tmp_path: Path, sample: Sample) -> None:
    write(tmp_path, sample)
    results = bump.read_current(targets(sample), tmp_path)
    assert [r.value for r in results if isinstance(r, bump.CurrentValue)] == ["1.2.0"] * len(
        sample.keys
    )


def test_line_numbers_are_the_formats_own(tmp_path: Path) -> None:
    """A form feed (Python) or a line separator in a comment (TOML) does not end a line."""
    python = b'# \x0c form feed\r\n# \xe2\x80\xa8 separator\r\n__version__ = "1.2.0"\r\n'
    toml = '# \u2028 separator, \x85 next line\r\n[project]\r\nversion = "1.2.0"\r\n'.encode()
    (tmp_path / "v.py").write_bytes(python)
    (tmp_path / "p.toml").write_bytes(toml)
    found = bump.read_current(
        [BumpTarget("v.py", "__version__"), BumpTarget("p.toml", "project.version")], tmp_path
    )
    assert [(r.site.line, r.site.text) for r in found if isinstance(r, bump.CurrentValue)] == [
        (3, '__version__ = "1.2.0"'),
        (3, 'version = "1.2.0"'),
    ]
    edits = bump.plan_edits(
        tmp_path,
        [BumpTarget("v.py", "__version__"), BumpTarget("p.toml", "project.version")],
        "1.3.0",
        (1, 3, 0),
    )
    bump.write_edits(tmp_path, edits)
    assert (tmp_path / "v.py").read_bytes() == python.replace(b"1.2.0", b"1.3.0")
    assert (tmp_path / "p.toml").read_bytes() == toml.replace(b"1.2.0", b"1.3.0")


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('u"1.2.0"', 'u"1.3.0"'),  # a string prefix stays
        ('"""1.2.0"""', '"""1.3.0"""'),  # so do triple quotes
    ],
)
def test_a_python_literal_keeps_its_prefix_and_quotes(
    tmp_path: Path, written: str, kept: str
) -> None:
    (tmp_path / "v.py").write_text(f"__version__ = {written}\n")
    bump.write_edits(
        tmp_path, bump.plan_edits(tmp_path, [BumpTarget("v.py", "__version__")], "1.3.0", ())
    )
    assert (tmp_path / "v.py").read_text() == f"__version__ = {kept}\n"


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ('"""\r\n1.2.0"""', '"""\r\n1.3.0"""'),  # the newline after the quotes stays
        ("'''1.2.0'''", "'''1.3.0'''"),
        ('"1.2\\u002e0"', '"1.3.0"'),  # written with an escape: rewritten plainly
    ],
)
def test_a_toml_string_keeps_its_kind(tmp_path: Path, written: str, kept: str) -> None:
    (tmp_path / "p.toml").write_bytes(f"[project]\r\nversion = {written}  # v\r\n".encode())
    target = BumpTarget("p.toml", "project.version")
    bump.write_edits(tmp_path, bump.plan_edits(tmp_path, [target], "1.3.0", ()))
    assert (tmp_path / "p.toml").read_bytes() == f"[project]\r\nversion = {kept}  # v\r\n".encode()


# --- encodings a file cannot have ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        (
            "pyproject.toml",
            '[project]\n# caf\xe9\nversion = "1.2.0"\n'.encode("latin-1"),
            "pyproject.toml: cannot read: byte 0xe9 on line 2 is not UTF-8 (TOML files are UTF-8)",
        ),
        (
            "pkg/_version.py",
            '# caf\xe9\n__version__ = "1.2.0"\n'.encode("latin-1"),
            "pkg/_version.py: cannot read: byte 0xe9 on line 1 is not UTF-8; save the file "
            "as UTF-8, or declare its encoding with a coding cookie on line 1 or 2 "
            "(`# -*- coding: latin-1 -*-`)",
        ),
        (
            "pkg/_version.py",
            '# -*- coding: ascii -*-\n# caf\xe9\n__version__ = "1.2.0"\n'.encode("latin-1"),
            "pkg/_version.py: cannot read: byte 0xe9 on line 2 is not ascii, "
            "the encoding its coding cookie declares",
        ),
        (
            "pkg/_version.py",
            b'# -*- coding: klingon -*-\n__version__ = "1.2.0"\n',
            "pkg/_version.py: cannot read: unknown encoding: klingon (its coding cookie)",
        ),
        (
            "pkg/_version.py",
            b'\xef\xbb\xbf# -*- coding: latin-1 -*-\n__version__ = "1.2.0"\n',
            "pkg/_version.py: cannot read: it starts with a UTF-8 byte order mark, "
            "but its coding cookie names another encoding",
        ),
        (
            "pyproject.toml",
            '[project]\nversion = "1.2.0"\n'.encode("utf-16"),
            "pyproject.toml: cannot read: it is UTF-16 (it starts with a UTF-16 byte order "
            "mark); save it as UTF-8",
        ),
    ],
)
def test_an_undecodable_file_is_refused_with_where_and_why(
    tmp_path: Path, path: str, data: bytes, message: str
) -> None:
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_bytes(data)
    key = "project.version" if path.endswith(".toml") else "__version__"
    with pytest.raises(bump.BumpError) as error:
        bump.plan_edits(tmp_path, [BumpTarget(path, key)], "1.3.0", ())
    assert str(error.value) == message
    (result,) = bump.read_current([BumpTarget(path, key)], tmp_path)
    assert str(result) == message
    assert (tmp_path / path).read_bytes() == data


def test_an_edit_made_by_hand_is_written_in_the_files_own_encoding(tmp_path: Path) -> None:
    """A FileEdit without its source (built by a caller) still keeps the encoding and BOM."""
    data = b'\xef\xbb\xbf[project]\r\nversion = "1.2.0"\r\n'
    (tmp_path / "p.toml").write_bytes(data)
    text = data.decode("utf-8-sig")
    edit = bump.FileEdit("p.toml", text, text.replace("1.2.0", "1.3.0"), ())
    assert bump.write_edits(tmp_path, [edit]) == ["p.toml"]
    assert (tmp_path / "p.toml").read_bytes() == data.replace(b"1.2.0", b"1.3.0")
