"""Acceptance of issue 4 on the arshai example: the four drifts, incremental builds, ``check``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BuildResult, sphinx_build

EXAMPLE = Path(__file__).parents[2] / "examples" / "arshai"
GUIDE = Path("docs/deployment/pypi-deployment.rst")
WORKFLOW = Path(".github/workflows/publish.yml")

pytestmark = pytest.mark.skipif(not EXAMPLE.is_dir(), reason="examples/arshai is not there yet")


@pytest.fixture
def arshai(tmp_path: Path) -> Path:
    target = tmp_path / "arshai"
    shutil.copytree(
        EXAMPLE, target, ignore=shutil.ignore_patterns("_build", ".runbook", "__pycache__")
    )
    return target


def build_docs(root: Path, *options: str, fresh: bool = False) -> BuildResult:
    """An HTML build of the example's docs; without *fresh*, incremental (doctrees reused)."""
    return sphinx_build(
        root / "docs",
        "html",
        *options,
        outdir=root / "_out" / "html",
        doctrees=root / "_out" / "doctrees",
        fresh=fresh,
        srcdir_as="",
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runbook", "check", *options],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_example_builds_clean_and_check_passes(arshai: Path) -> None:
    """Acceptance 1: the example builds with -W and `runbook check` exits 0."""
    assert build_docs(arshai, "-W", fresh=True).status == 0
    result = check(arshai)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no drift" in result.stdout


def test_four_drifts_are_reported_by_the_build_and_by_check(arshai: Path) -> None:
    """Acceptance 5: version, path, tool and cli drift, each named; `check` agrees."""
    guide = arshai / GUIDE
    edit(arshai / "arshai/_version.py", '__version__ = "0.3.0"', '__version__ = "0.3.1"')
    edit(
        guide,
        "   poetry run isort --check-only .\n",
        "   poetry run isort --check-only .\n   poetry run flake8 .\n",
    )
    edit(
        guide,
        "   poetry version\n",
        "   poetry version\n   python -m runbook run --version {{ version }} --dry-run\n",
    )
    edit(guide, "run --version {{ version }} --dry-run", "run --versoin {{ version }} --dry-run")

    build = build_docs(arshai, fresh=True)
    assert build.status == 1
    text = "\n".join(build.warnings)
    assert re.search(
        r"WARNING: the version sources disagree: pyproject.toml:3 tool.poetry.version = "
        r'"0.3.0", but arshai/_version.py:3 __version__ = "0.3.1" \[runbook.version\]',
        text,
    ), text
    assert "`poetry run flake8` names a tool the project does not declare" in text
    assert "[runbook.tool]" in text
    assert "No such option '--versoin'" in text and "[runbook.cli]" in text

    result = check(arshai)
    assert result.returncode == 3, result.stdout + result.stderr
    subtypes = re.findall(r"\[(runbook\.\w+)\]", result.stdout)
    assert sorted(subtypes) == ["runbook.cli", "runbook.tool", "runbook.version"]
    assert "runbook check: 3 finding(s): 1 runbook.cli, 1 runbook.tool, 1 runbook.version" in (
        result.stdout
    )

    (arshai / "arshai/_version.py").rename(arshai / "arshai/version.py")
    build = build_docs(arshai)
    assert build.status == 1
    paths = [w for w in build.warnings if w.endswith("[runbook.path]")]
    assert any("arshai/_version.py: file not found" in w for w in paths), paths
    assert any("`git add` names 'arshai/_version.py'" in w for w in paths), paths


def test_incremental_mirror_drift_and_repair(arshai: Path) -> None:
    """Acceptance 3: editing only publish.yml re-reads the guide; restoring it passes again."""
    assert build_docs(arshai, fresh=True).status == 0
    workflow = arshai / WORKFLOW
    original = workflow.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, 1) if "python-version:" in line)
    edit(workflow, "python-version: '3.11'", "python-version: '3.12'")

    drifted = build_docs(arshai)
    assert drifted.status == 1
    mirror = [w for w in drifted.warnings if "[runbook.mirror]" in w]
    assert len(mirror) == 1, drifted.stderr
    assert f"differs from the file (first at {WORKFLOW} line {number}, {GUIDE} line " in mirror[0]
    assert f"@@ -{number - 1}," in mirror[0] or f"@@ -{number - 2}," in mirror[0]
    assert re.search(r"^    -\s+python-version: '3.12'$", mirror[0], re.MULTILINE)
    assert re.search(r"^    \+\s+python-version: '3.11'$", mirror[0], re.MULTILINE)

    # Nothing changed: nothing is re-read, and the build still fails from the stored finding.
    again = build_docs(arshai)
    assert again.status == 1

    workflow.write_text(original, encoding="utf-8")
    assert build_docs(arshai).status == 0


def test_check_diff_prints_the_diff(arshai: Path) -> None:
    """`check --diff` shows how a copy differs; without --diff only the finding line."""
    edit(arshai / WORKFLOW, "run: poetry build", "run: poetry build --clean")
    plain = check(arshai)
    assert plain.returncode == 3
    assert "+++" not in plain.stdout
    with_diff = check(arshai, "--diff")
    assert with_diff.returncode == 3
    assert re.search(r"^    -\s+run: poetry build --clean$", with_diff.stdout, re.MULTILINE)
    assert re.search(r"^    \+\s+run: poetry build$", with_diff.stdout, re.MULTILINE)
