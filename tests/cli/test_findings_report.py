"""``python -m runbook check`` output, over plain findings."""

from __future__ import annotations

from sphinx_release_runbook.cli.findings_report import finding_lines, report, summary
from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding

DIFF = "--- docs/release.rst\n+++ .github/workflows/release.yml\n@@ -1 +1 @@\n-old\n+new\n"
MIRROR = Finding("docs/release.rst", 40, "mirror", "the copy differs from the file", diff=DIFF)
PATH = Finding("docs/release.rst", 12, "path", "scripts/tag.sh: no such file")
TOOL = Finding("docs/deploy.rst", 3, "tool", "gh: not on PATH")


def test_a_finding_is_path_line_type_and_message() -> None:
    assert finding_lines(PATH, diff=False) == [
        "docs/release.rst:12: [runbook.path] scripts/tag.sh: no such file"
    ]
    assert finding_lines(PATH, diff=True) == finding_lines(PATH, diff=False)


def test_the_diff_follows_indented_only_when_asked_for() -> None:
    assert finding_lines(MIRROR, diff=False) == [
        "docs/release.rst:40: [runbook.mirror] the copy differs from the file"
    ]
    assert finding_lines(MIRROR, diff=True) == [
        "docs/release.rst:40: [runbook.mirror] the copy differs from the file",
        "    --- docs/release.rst",
        "    +++ .github/workflows/release.yml",
        "    @@ -1 +1 @@",
        "    -old",
        "    +new",
    ]


def test_the_summary_without_findings() -> None:
    assert summary([]) == "runbook check: no drift; the guide matches the repository"


def test_the_summary_counts_by_type_in_name_order() -> None:
    assert summary([TOOL, PATH, PATH, MIRROR]) == (
        "runbook check: 4 finding(s): 1 runbook.mirror, 2 runbook.path, 1 runbook.tool"
    )


def test_report_without_findings_is_ok() -> None:
    printed: list[str] = []
    assert report([], diff=False, echo=printed.append) is ExitCode.OK
    assert printed == ["runbook check: no drift; the guide matches the repository"]


def test_report_sorts_findings_hints_at_diff_and_exits_drift() -> None:
    printed: list[str] = []
    assert report([TOOL, MIRROR, PATH], diff=False, echo=printed.append) is ExitCode.DRIFT
    assert printed == [
        "docs/deploy.rst:3: [runbook.tool] gh: not on PATH",
        "docs/release.rst:12: [runbook.path] scripts/tag.sh: no such file",
        "docs/release.rst:40: [runbook.mirror] the copy differs from the file",
        "(run with --diff to see how the copies differ)",
        "runbook check: 3 finding(s): 1 runbook.mirror, 1 runbook.path, 1 runbook.tool",
    ]


def test_report_with_diff_prints_the_diffs_and_no_hint() -> None:
    printed: list[str] = []
    assert report([MIRROR], diff=True, echo=printed.append) is ExitCode.DRIFT
    assert printed == [*finding_lines(MIRROR, diff=True), summary([MIRROR])]


def test_no_hint_when_no_finding_has_a_diff() -> None:
    printed: list[str] = []
    report([PATH, TOOL], diff=False, echo=printed.append)
    assert not any("--diff" in line for line in printed)
