"""The exported script's own bump keeps every byte but the version, as the runner's does.

The samples of ``tests/bump`` (TOML and Python; UTF-8, a byte order mark, a
Latin-1 or cp1252 coding cookie; LF, CRLF, CR and mixed endings; a form feed
inside a line) are committed in a real git repository, bumped by running the
exported script (the bump step of a runbook.json naming them), and compared
as bytes; the script's dry run shows the lines and line numbers the runner's
dry run shows.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bump.samples import Sample, only_version_bytes_differ, python_samples, toml_samples
from bump.test_cli_bytes import sample_repo
from runner.conftest import git

from .conftest import Both


def _beside_the_root(sample: Sample) -> Sample:
    """A pyproject.toml with a byte order mark, kept out of the root: the project's own
    pyproject.toml is read when exporting, and that reading is not this test's subject."""
    if sample.path == "pyproject.toml" and sample.before.startswith(b"\xef\xbb\xbf"):
        return replace(sample, path="sub/pyproject.toml")
    return sample


TOML = [_beside_the_root(sample) for sample in toml_samples()]
PYTHON = python_samples()
#: Every sample once: each TOML sample with a Python one, the Python ones left over alone.
SAMPLE_GROUPS = [[toml, python] for toml, python in zip(TOML, PYTHON, strict=False)] + [
    [python] for python in PYTHON[len(TOML) :]
]
GROUPS = [
    pytest.param(group, id="+".join(sample.label for sample in group)) for group in SAMPLE_GROUPS
]


def test_every_sample_is_in_a_group() -> None:
    grouped = [sample.label for group in SAMPLE_GROUPS for sample in group]
    assert sorted(grouped) == sorted(sample.label for sample in [*TOML, *PYTHON])


@pytest.mark.parametrize("samples", GROUPS)
def test_the_script_bump_changes_only_the_version_bytes(
    tmp_path: Path, byte_keeping_home: Path, samples: list[Sample]
) -> None:
    repo = sample_repo(tmp_path, byte_keeping_home, samples)
    pair = Both(repo, tmp_path / "release.sh")
    exported = pair.export()
    assert exported.returncode == 0, exported.stderr
    dry_script = pair.bash("--version", "1.3.0", "--dry-run")
    dry_runner = pair.runner("--version", "1.3.0", "--dry-run")
    assert dry_script.returncode == 0, dry_script.stdout + dry_script.stderr
    assert dry_runner.returncode == 0, dry_runner.stdout + dry_runner.stderr
    edits = [line for line in dry_script.stdout.splitlines() if line.startswith("  ")]
    assert edits == [line for line in dry_runner.stdout.splitlines() if line.startswith("  ")]
    for sample in samples:
        assert (repo.root / sample.path).read_bytes() == sample.before, "a dry run writes nothing"
    result = pair.bash("--version", "1.3.0", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    for sample in samples:
        only_version_bytes_differ(sample, (repo.root / sample.path).read_bytes())
    # Nothing else in the tree: no temporary file left, no other file touched.
    status = git(repo.root, "status", "--porcelain", env=repo.env).splitlines()
    assert sorted(line[3:] for line in status) == sorted(sample.path for sample in samples)
