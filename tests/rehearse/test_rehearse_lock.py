"""A rehearsal takes the repository's lock: it never clones a tree that `bump` or `run` changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from .conftest import Project

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from sphinx_release_runbook.runner.lock import holding
    with holding(Path(sys.argv[1]), "bump"):
        print("held", flush=True)
        time.sleep(60)
    """
)


def test_a_rehearsal_during_a_bump_is_refused_naming_the_holder(
    make_project: Callable[[], Project],
) -> None:
    project = make_project()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project.root)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        outcome = project.rehearse()
    finally:
        holder.kill()
        holder.wait()
    assert outcome.code == 5, outcome.output
    assert "bump" in outcome.output and str(holder.pid) in outcome.output, outcome.output
    assert ".runbook/lock" in outcome.output, outcome.output
    # Refused before anything was made: no rehearsal folder in the test's TMPDIR.
    assert not any(Path(project.tmp).glob("runbook-rehearse-*")), outcome.output
