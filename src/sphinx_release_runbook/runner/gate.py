"""The drift gate: a guide that has drifted from the repository does not run without --force."""

from __future__ import annotations

from collections.abc import Sequence

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.runner.errors import RunError
from sphinx_release_runbook.runner.report import finding_line
from sphinx_release_runbook.runner.transcript import Console


def drift_gate(
    findings: Sequence[Finding], force: bool, console: Console, *, continuing: bool = False
) -> None:
    """Print drift findings; refuse to run unless *force*.

    When *continuing* a release (``--from``, ``--only``, ``--resume``), version sources
    that disagree are expected: an earlier run bumped some of them.  The runner's own
    validation decides then, with the state of that run as evidence, so
    ``runbook.version`` findings do not block it here.
    """
    drift = sorted(
        f for f in findings if f.is_drift and not (continuing and f.subtype == "version")
    )
    if not drift:
        return
    for finding in drift:
        console.line(finding_line(finding), err=True)
    if not force:
        raise RunError(
            f"the guide has drifted from the repository ({len(drift)} finding(s) above); "
            "fix them, or run anyway with --force",
            ExitCode.DRIFT,
        )
    console.line(f"warning: running despite {len(drift)} drift finding(s) (--force)", err=True)
