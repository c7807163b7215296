"""The export of the project's own docs and of examples/arshai, byte for byte.

The snapshots in tests/snapshots/ were written by the code before the package was
split into layers; a restructuring must not change a byte of what the runner reads.
A change that means to change the export updates the snapshot in the same commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import sphinx_build

PROJECT = Path(__file__).resolve().parents[2]
SNAPSHOTS = PROJECT / "tests" / "snapshots"


@pytest.mark.parametrize(
    ("snapshot", "srcdir", "confdir"),
    [
        ("project-docs.runbook.json", PROJECT / "docs", PROJECT),
        ("arshai.runbook.json", PROJECT / "examples" / "arshai" / "docs", None),
    ],
    ids=["project-docs", "arshai"],
)
def test_the_export_is_byte_identical_to_the_snapshot(
    tmp_path: Path, snapshot: str, srcdir: Path, confdir: Path | None
) -> None:
    options = ["-c", str(confdir)] if confdir else []
    result = sphinx_build(
        srcdir, "runbook", *options, outdir=tmp_path / "out", doctrees=tmp_path / "doctrees"
    )
    assert result.status == 0, result.stderr
    exported = (tmp_path / "out" / "runbook.json").read_bytes()
    assert exported == (SNAPSHOTS / snapshot).read_bytes()
