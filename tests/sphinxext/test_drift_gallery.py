"""The drift gallery: one root per check, its exact warnings, and a failing exit status.

Each root is a small repository of its own (``runbook_repo_root = "."``).  The
warnings are compared whole (colours stripped, the root's path removed), so a
changed message, location or subtype fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BuildResult, copy_root, sphinx_build

KNOWN = "known: {{ version }}, {{ tag }}, {{ version_info }}, {{ previous_version }}, {{ package }}"

EXPECTED: dict[str, list[str]] = {
    "test-drift-path": [
        "index.rst:9: WARNING: `git add` names 'missing.txt', which does not exist in the "
        "repository [runbook.path]",
        "index.rst:12: WARNING: release-path 'gone/notes.md' does not exist in the repository "
        "[runbook.path]",
        "index.rst:14: WARNING: release-file 'moved.yml' does not exist in the repository "
        "[runbook.path]",
    ],
    "test-drift-mirror": [
        "index.rst:17: WARNING: the copy of .github/workflows/publish.yml differs from the file "
        "(first at .github/workflows/publish.yml line 9, index.rst line 20)\n"
        "    --- .github/workflows/publish.yml\n"
        "    +++ index.rst (the copy)\n"
        "    @@ -9,3 +20,3 @@\n"
        "    -runs-on: ubuntu-latest\n"
        "    +runs-on: ubuntu-22.04\n"
        "     permissions:\n"
        "       id-token: write\n"
        " [runbook.mirror]",
        "index.rst:40: WARNING: the copy of .github/workflows/publish.yml differs from the file "
        "(as data)\n"
        "    --- .github/workflows/publish.yml (parsed)\n"
        "    +++ index.rst (the copy) (parsed)\n"
        "    @@ -1,4 +1,4 @@\n"
        "     {\n"
        '    -  "contents": "read",\n'
        '    +  "contents": "write",\n'
        '       "id-token": "write"\n'
        "     }\n"
        " [runbook.mirror]",
        "index.rst:49: WARNING: .github/workflows/publish.yml: :start-after: text "
        "'- name: Checkout' not found [runbook.mirror]",
    ],
    "test-drift-version": [
        "module.rst:4: WARNING: pkg/_version.py: no assignment to __author__ [runbook.version]",
        "module.rst:4: WARNING: the version sources disagree: pyproject.toml:3 project.version = "
        '"0.3.0", but pkg/_version.py:1 __version__ = "0.3.1" [runbook.version]',
    ],
    "test-drift-tool": [
        "index.rst:10: WARNING: `poetry run flake8` names a tool the project does not declare "
        "in pyproject.toml (declared: black, pkg, pytest, sphinx) [runbook.tool]",
        "index.rst:13: WARNING: `uv run mypy` names a tool the project does not declare in "
        "pyproject.toml (declared: black, pkg, pytest, sphinx) [runbook.tool]",
    ],
    "test-drift-cli": [
        "index.rst:9: WARNING: unknown to the CLI: python -m runbook: No such command 'lst'. "
        "Did you mean 'list'? [runbook.cli]",
        "index.rst:10: WARNING: unknown to the CLI: python -m runbook list: No such option "
        "'--bogus'. [runbook.cli]",
        "index.rst:11: WARNING: unknown to the CLI: python -m runbook run: No such option "
        "'--versoin'. Did you mean '--version'? [runbook.cli]",
        "index.rst:16: WARNING: unknown to the CLI: fixture hello: No such option '--nme'. "
        "Did you mean '--name'? [runbook.cli]",
        "index.rst:17: WARNING: runbook_clis['broken']: cannot import 'no_such_module:cli': "
        "No module named 'no_such_module' [runbook.cli]",
    ],
    "test-drift-placeholder": [
        f"index.rst:8: WARNING: unknown placeholder {{{{ versoin }}}}; {KNOWN} "
        "[runbook.placeholder]",
    ],
    "test-drift-link": [
        "index.rst:6: WARNING: link into this repository points at a missing path "
        "'docs/old-guide.md': https://github.com/example/proj/blob/main/docs/old-guide.md "
        "[runbook.link]",
        "index.rst:13: WARNING: link into this repository points at a missing path 'gone': "
        "https://github.com/example/proj/tree/main/gone [runbook.link]",
    ],
}


def build(srcdir: Path, *options: str) -> BuildResult:
    """A fresh HTML build, its paths written relative to the root (as EXPECTED pins them)."""
    return sphinx_build(srcdir, "html", *options, srcdir_as="")


@pytest.mark.parametrize("root", sorted(EXPECTED))
def test_gallery_reports_exact_warnings_and_fails(tmp_path: Path, root: str) -> None:
    """Each check reports exactly its findings, and the build fails with and without -W."""
    copy = copy_root(root, tmp_path / root)
    plain = build(copy)
    assert plain.warnings == EXPECTED[root]
    assert plain.status == 1, plain.stderr
    strict = build(copy, "-W")
    assert strict.status != 0


def test_suppress_warnings_silences_one_check(tmp_path: Path) -> None:
    """``suppress_warnings = ["runbook.mirror"]`` silences mirror drift and lets the build pass."""
    copy = copy_root("test-drift-mirror", tmp_path / "test-drift-mirror")
    result = build(copy, "-D", "suppress_warnings=runbook.mirror")
    assert result.warnings == []
    assert result.status == 0, result.stderr


def test_drift_as_warning_passes_without_w(tmp_path: Path) -> None:
    """``runbook_drift = "warning"`` reports drift but does not fail a build without -W."""
    copy = copy_root("test-drift-tool", tmp_path / "test-drift-tool")
    result = build(copy, "-D", "runbook_drift=warning")
    assert result.warnings == EXPECTED["test-drift-tool"]
    assert result.status == 0
