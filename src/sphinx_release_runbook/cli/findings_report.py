"""``python -m runbook check``: format the drift findings and pick the exit code.

Pure over a list of findings (the ``runbook`` builder produced them, with the
same checks as the HTML build), so it is tested without Sphinx or a shell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding


def finding_lines(finding: Finding, *, diff: bool) -> list[str]:
    """``path:line: [runbook.x] message``, then the diff when asked for."""
    lines = [f"{finding.path}:{finding.line}: [{finding.warning_type}] {finding.message}"]
    if diff and finding.diff:
        lines.extend("    " + line for line in finding.diff.rstrip().splitlines())
    return lines


def summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "runbook check: no drift; the guide matches the repository"
    counts = Counter(f.warning_type for f in findings)
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
    return f"runbook check: {len(findings)} finding(s): {parts}"


def report(findings: Sequence[Finding], *, diff: bool, echo: Callable[[str], None]) -> ExitCode:
    """Print every finding and the summary; ``DRIFT`` when there is any."""
    ordered = sorted(findings)
    for finding in ordered:
        for line in finding_lines(finding, diff=diff):
            echo(line)
    if ordered and not diff and any(f.diff for f in ordered):
        echo("(run with --diff to see how the copies differ)")
    echo(summary(ordered))
    return ExitCode.DRIFT if ordered else ExitCode.OK
