"""``-j 2`` reports the same findings with the same exit status as a serial build."""

from __future__ import annotations

from pathlib import Path

from conftest import sphinx_build

PAGES = 8  # Sphinx reads in parallel only above 5 documents


def make_project(root: Path) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(
        'extensions = ["sphinx_release_runbook"]\nrunbook_repo_root = "."\n', encoding="utf-8"
    )
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\ndependencies = ["pytest"]\n',
        encoding="utf-8",
    )
    (root / "data.yml").write_text("a: 1\nb: 2\n", encoding="utf-8")
    pages = "\n".join(f"   page{i}" for i in range(PAGES))
    (root / "index.rst").write_text(
        f"Demo\n====\n\n.. release-runbook:: demo\n\n.. toctree::\n\n{pages}\n", encoding="utf-8"
    )
    for i in range(PAGES):
        drift = [
            f"   git add missing{i}.txt",
            f"   poetry run tool{i} --check",
            f"   python -m runbook bogus{i}",
        ][i % 3]
        (root / f"page{i}.rst").write_text(
            f"Page {i}\n{'=' * (5 + len(str(i)))}\n\n"
            f".. release-step:: step-{i}\n\n{drift}\n\n"
            f".. release-file:: data.yml\n\n   a: 1\n   b: {i}\n",
            encoding="utf-8",
        )
    return root


def test_parallel_build_reports_the_same_findings(tmp_path: Path) -> None:
    serial = sphinx_build(make_project(tmp_path / "serial"), "html", srcdir_as="")
    parallel = sphinx_build(make_project(tmp_path / "parallel"), "html", "-j", "2", srcdir_as="")
    # Sphinx reads in chunks ("page0 .. page3") only when it really reads in parallel.
    assert " .. " in parallel.stdout, "the -j 2 build did not read in parallel"
    assert serial.status == parallel.status == 1
    assert len(serial.warnings) == 2 * PAGES - 1  # page 2's copy matches the file
    assert sorted(serial.warnings) == sorted(parallel.warnings)
