"""Bump targets in a real Sphinx build: encodings read, ambiguity and escapes reported, located.

A source directory that is its own repository (``runbook_repo_root = "."``)
with bump steps naming a CRLF + BOM TOML file, a Latin-1 module behind a
symbolic link inside the repository, a module assigning ``__version__`` twice,
a TOML key defined twice, and a symbolic link out of the repository.  The
warnings are compared whole, at the line of the bump step that names each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import sphinx_build

KEEP_ONE = "bump cannot tell which one holds the version: keep one"

CONF = 'extensions = ["sphinx_release_runbook"]\nrunbook_repo_root = "."\n'
INDEX = """\
Release
=======

.. release-runbook:: demo

.. release-step:: bump-clean
   :bump:
      pyproject.toml project.version
      pkg/_version.py __version__

.. release-step:: bump-module-twice
   :bump:
      twice/_version.py __version__

.. release-step:: bump-toml-twice
   :bump:
      twice.toml project.version

.. release-step:: bump-outside
   :bump:
      outside.toml project.version
"""


@pytest.fixture
def srcdir(make_srcdir: Callable[[dict[str, str]], Path], tmp_path: Path) -> Path:
    root = make_srcdir({"conf.py": CONF, "index.rst": INDEX})
    files = {
        "pyproject.toml": b'\xef\xbb\xbf[project]\r\nname = "d\xc3\xa9mo"\r\nversion = "1.2.0"\r\n',
        "src/_version.py": b'# -*- coding: latin-1 -*-\r\n# Jos\xe9\r\n__version__ = "1.2.0"\r\n',
        "twice/_version.py": b'__version__ = "1.2.0"\r\n\r\n__version__ = "1.2.0"\r\n',
        "twice.toml": b'[project]\nversion = "1.2.0"\n\n[project]\nversion = "1.2.0"\n',
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "pkg").symlink_to("src", target_is_directory=True)
    (tmp_path / "outside.toml").write_text('[project]\nversion = "1.2.0"\n')
    (root / "outside.toml").symlink_to(tmp_path / "outside.toml")
    return root


def test_the_build_reports_ambiguous_and_escaping_targets_at_their_step(
    srcdir: Path, tmp_path: Path
) -> None:
    result = sphinx_build(srcdir, "html", srcdir_as="")
    assert result.warnings == [
        "index.rst:11: WARNING: twice/_version.py: __version__ is assigned twice at module "
        f"level, on lines 1 and 3; {KEEP_ONE} [runbook.version]",
        "index.rst:15: WARNING: twice.toml: project.version is defined twice, on lines 2 and 5; "
        f"{KEEP_ONE} [runbook.version]",
        "index.rst:19: WARNING: outside.toml: resolves through a symbolic link to "
        f"{(tmp_path / 'outside.toml').resolve()}, which is outside the repository; bump edits "
        "only files of the repository [runbook.path]",
    ]
    assert result.status == 1, result.stderr
    html = (result.outdir / "index.html").read_text(encoding="utf-8")
    # The clean step previews the real lines of both files (BOM, CRLF and Latin-1 read).
    assert "pyproject.toml (line 3): project.version" in html
    assert "pkg/_version.py (line 3): __version__" in html
    # Nothing was written, and the links are links.
    assert (srcdir / "pkg").is_symlink() and (srcdir / "outside.toml").is_symlink()
    assert (srcdir / "src" / "_version.py").read_bytes().count(b"\r\n") == 3
