"""``python -m runbook bump`` in a real git repository: only the version bytes change.

The samples of :mod:`.samples` (TOML and Python; UTF-8, a BOM, a Latin-1 coding
cookie; LF, CRLF, mixed) are committed, bumped through the real CLI with a
generated ``runbook.json``, and compared as bytes; ``git diff`` must show the
version lines only.  An ambiguous target and a target linked out of the
repository are refused before any file is written (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from runner.conftest import SmallRepo, base_env, git, runbook_cli, step

from sphinx_release_runbook.core.model import BumpTarget

from .samples import Sample, only_version_bytes_differ, python_samples, toml_samples

KEEP_ONE = "bump cannot tell which one holds the version: keep one"


def _pick(samples: list[Sample], *labels: str) -> list[Sample]:
    chosen = [sample for sample in samples if sample.label in labels]
    assert len(chosen) == len(labels)
    return chosen


#: Per repository a TOML and a Python file, in each encoding and ending.  A TOML file with a
#: BOM is not named pyproject.toml here: see test_the_cli_reads_a_pyproject_toml_with_a_bom.
PAIRS = [
    pytest.param(toml, python, id=f"{toml.label}+{python.label}")
    for toml, python in zip(
        _pick(
            toml_samples(),
            "pyproject.toml-tool.poetry.version-utf-8-lf",
            "pyproject.toml-tool.poetry.version-utf-8-crlf",
            "pyproject.toml-tool.poetry.version-utf-8-mixed",
            "project.toml-project.version-utf-8-bom-lf",
            "project.toml-project.version-utf-8-bom-crlf",
            "project.toml-project.version-utf-8-bom-mixed",
        ),
        _pick(
            python_samples(),
            "_version.py-utf-8-cr",
            "_version.py-utf-8-crlf",
            "_version.py-utf-8-mixed-cr",
            "_version.py-utf-8-bom-lf",
            "_version.py-utf-8-bom-crlf",
            "_version.py-utf-8-bom-cr",
        ),
        strict=True,
    )
]
LATIN_1 = _pick(
    python_samples(),
    "_version.py-latin-1-cookie-lf",
    "_version.py-latin-1-cookie-crlf",
    "_version.py-cp1252-cookie-mixed",
)


def make_repo(
    base: Path, home: Path, files: dict[str, bytes], targets: list[BumpTarget]
) -> SmallRepo:
    """A committed git repository holding *files*, and a runbook.json bumping *targets*."""
    root = base / "demo"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    bin_dir = base / "bin"
    bin_dir.mkdir()
    env = base_env(home, bin_dir)
    git(root, "init", "-q", env=env)
    git(root, "add", ".", env=env)
    git(root, "commit", "-q", "-m", "initial", env=env)
    repo = SmallRepo(root, base / "origin.git", base / "runbook.json", env, bin_dir)
    repo.write_runbook([step("bump", kind="bump", bump=targets)])
    return repo


def bump_cli(repo: SmallRepo, version: str = "1.3.0", *args: str) -> tuple[int, str]:
    result = runbook_cli(
        repo.root,
        "bump",
        "--version",
        version,
        "--runbook",
        str(repo.runbook_json),
        *args,
        env=repo.env,
    )
    return result.returncode, result.stdout + result.stderr


def sample_repo(base: Path, home: Path, samples: list[Sample]) -> SmallRepo:
    files = {sample.path: sample.before for sample in samples}
    targets = [BumpTarget(sample.path, key) for sample in samples for key in sample.keys]
    return make_repo(base, home, files, targets)


def assert_bumped(repo: SmallRepo, samples: list[Sample], output: str) -> None:
    for sample in samples:
        only_version_bytes_differ(sample, (repo.root / sample.path).read_bytes())
    assert "1.2.0 -> 1.3.0" in output
    # git agrees: only the lines (as git splits them, at LF) that hold a version changed.
    numstat = git(repo.root, "diff", "--numstat", env=repo.env).splitlines()
    assert sorted(numstat) == sorted(
        f"{_changed_lines(s)}\t{_changed_lines(s)}\t{s.path}" for s in samples
    )


def _changed_lines(sample: Sample) -> int:
    before, after = sample.before.split(b"\n"), sample.after.split(b"\n")
    return sum(old != new for old, new in zip(before, after, strict=True))


@pytest.mark.parametrize(("toml", "python"), PAIRS)
def test_the_cli_bump_changes_only_the_version_bytes(
    tmp_path: Path, byte_keeping_home: Path, toml: Sample, python: Sample
) -> None:
    repo = sample_repo(tmp_path, byte_keeping_home, [toml, python])
    status, output = bump_cli(repo, "1.3.0", "--dry-run")
    assert status == 0, output
    assert (repo.root / toml.path).read_bytes() == toml.before
    assert f"  {toml.path}:" in output and "  pkg/_version.py:7: __version_info__" in output
    status, output = bump_cli(repo)
    assert status == 0, output
    assert f"Wrote {toml.path}, pkg/_version.py." in output
    assert_bumped(repo, [toml, python], output)


@pytest.mark.parametrize("python", LATIN_1, ids=[s.label for s in LATIN_1])
def test_the_cli_bump_keeps_a_coding_cookies_encoding(
    tmp_path: Path, byte_keeping_home: Path, python: Sample
) -> None:
    toml = _pick(toml_samples(), "pyproject.toml-tool.poetry.version-utf-8-crlf")[0]
    repo = sample_repo(tmp_path, byte_keeping_home, [toml, python])
    status, output = bump_cli(repo)
    assert status == 0, output
    assert_bumped(repo, [toml, python], output)


def test_the_cli_reads_a_pyproject_toml_with_a_bom(tmp_path: Path, byte_keeping_home: Path) -> None:
    toml = _pick(toml_samples(), "pyproject.toml-tool.poetry.version-utf-8-bom-crlf")[0]
    python = _pick(python_samples(), "_version.py-utf-8-crlf")[0]
    repo = sample_repo(tmp_path, byte_keeping_home, [toml, python])
    status, output = bump_cli(repo)
    assert status == 0, output
    assert_bumped(repo, [toml, python], output)


def test_the_cli_refuses_an_ambiguous_target_before_writing(
    tmp_path: Path, byte_keeping_home: Path
) -> None:
    pyproject = b'[tool.poetry]\r\nname = "demo"\r\nversion = "1.2.0"\r\n'
    module = b'__version__ = "1.2.0"\r\n# reset below\r\n__version__ = "1.2.0"\r\n'
    repo = make_repo(
        tmp_path,
        byte_keeping_home,
        {"pyproject.toml": pyproject, "pkg/_version.py": module},
        [
            BumpTarget("pyproject.toml", "tool.poetry.version"),
            BumpTarget("pkg/_version.py", "__version__"),
        ],
    )
    status, output = bump_cli(repo)
    assert status == 2, output
    assert (
        "pkg/_version.py: __version__ is assigned twice at module level, on lines 1 and 3; "
        f"{KEEP_ONE}"
    ) in output
    assert "Traceback" not in output
    assert (repo.root / "pyproject.toml").read_bytes() == pyproject
    assert git(repo.root, "status", "--porcelain", env=repo.env) == ""


def test_the_cli_keeps_a_link_inside_and_refuses_one_outside(
    tmp_path: Path, byte_keeping_home: Path
) -> None:
    pyproject = b'[tool.poetry]\r\nname = "demo"\r\nversion = "1.2.0"\r\n'
    module = b'__version__ = "1.2.0"\n'
    repo = make_repo(
        tmp_path,
        byte_keeping_home,
        {"config/pyproject.toml": pyproject, "pkg/_version.py": module},
        [
            BumpTarget("pyproject.toml", "tool.poetry.version"),
            BumpTarget("pkg/_version.py", "__version__"),
        ],
    )
    (repo.root / "pyproject.toml").symlink_to(Path("config") / "pyproject.toml")
    status, output = bump_cli(repo)
    assert status == 0, output
    assert (repo.root / "pyproject.toml").is_symlink()
    assert (repo.root / "config" / "pyproject.toml").read_bytes() == pyproject.replace(
        b"1.2.0", b"1.3.0"
    )
    # The same link turned to a file outside the repository: refused, nothing written.
    outside = tmp_path / "outside.toml"
    outside.write_bytes(pyproject.replace(b"1.2.0", b"1.3.0"))
    (repo.root / "pyproject.toml").unlink()
    (repo.root / "pyproject.toml").symlink_to(outside)
    status, output = bump_cli(repo, "1.4.0")
    assert status == 2, output
    assert (
        f"pyproject.toml: resolves through a symbolic link to {outside.resolve()}, which is "
        "outside the repository; bump edits only files of the repository"
    ) in output
    assert outside.read_bytes() == pyproject.replace(b"1.2.0", b"1.3.0")
    assert (repo.root / "pkg" / "_version.py").read_bytes() == b'__version__ = "1.3.0"\n'
    assert (repo.root / "pyproject.toml").is_symlink()


@pytest.mark.parametrize("python", LATIN_1, ids=[s.label for s in LATIN_1])
def test_the_runs_bump_step_keeps_every_byte_but_the_version(
    tmp_path: Path, byte_keeping_home: Path, python: Sample
) -> None:
    """``run`` reads the current version and bumps as ``bump`` does: a coding cookie's file
    and a TOML file with a byte order mark and CRLF keep every other byte."""
    toml = _pick(toml_samples(), "project.toml-project.version-utf-8-bom-crlf")[0]
    repo = sample_repo(tmp_path, byte_keeping_home, [toml, python])
    result = runbook_cli(
        repo.root,
        "run",
        "--version",
        "1.3.0",
        "--yes",
        "--runbook",
        str(repo.runbook_json),
        env=repo.env,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Release 1.3.0 (current 1.2.0)" in output
    for sample in (toml, python):
        only_version_bytes_differ(sample, (repo.root / sample.path).read_bytes())
