"""Assembling runbooks from per-document records (pure: no Sphinx, no files)."""

from __future__ import annotations

import copy
import subprocess
import sys

from sphinx_release_runbook.core.assemble import (
    DocumentRecord,
    Entry,
    QuickrefReference,
    RunbookDeclaration,
    assemble,
    docs_base,
)
from sphinx_release_runbook.core.model import Source, Step, Troubleshoot


def at(docname: str, line: int) -> Source:
    return Source(docname, f"docs/{docname}.rst", line)


def runbook(name: str, docname: str = "index", line: int = 4) -> RunbookDeclaration:
    return RunbookDeclaration(
        name, name.title(), "pep440", "v{{ version }}", "demo", at(docname, line), f"runbook-{name}"
    )


def step(step_id: str, docname: str = "index", line: int = 10, owner: str = "") -> Step:
    return Step(
        id=step_id,
        title=step_id.title(),
        kind="command",
        runbook=owner,
        source=at(docname, line),
        commands=[f"echo {step_id}"],
        anchor=f"step-{step_id}",
    )


def troubleshoot(entry_id: str, docname: str = "index", owner: str = "") -> Troubleshoot:
    return Troubleshoot(
        entry_id, entry_id, "boom", "Fix it.", owner, at(docname, 40), f"troubleshoot-{entry_id}"
    )


def record(*entries: Entry) -> DocumentRecord:
    return DocumentRecord(entries=list(entries))


def test_steps_belong_to_the_runbook_above_them_and_are_numbered_across_documents() -> None:
    result = assemble(
        [
            record(runbook("pypi"), step("a")),
            record(step("b", "second"), runbook("docs", "second", 20), step("c", "second", 30)),
            record(step("d", "third", owner="pypi")),
        ],
        "https://example.org/docs",
    )
    assert [r.name for r in result.runbooks] == ["pypi", "docs"]
    pypi, docs = result.runbooks
    assert [(s.id, s.number, s.runbook) for s in pypi.steps] == [
        ("a", 1, "pypi"),
        ("b", 2, "pypi"),
        ("d", 3, "pypi"),
    ]
    assert [(s.id, s.number) for s in docs.steps] == [("c", 1)]
    assert pypi.url == "https://example.org/docs/index.html#runbook-pypi"
    assert result.steps["b"].url == "https://example.org/docs/second.html#step-b"
    assert result.findings == []


def test_the_records_are_not_changed() -> None:
    records = [record(runbook("pypi"), step("a"), troubleshoot("t"))]
    before = copy.deepcopy(records)
    first = assemble(records)
    assert records == before
    assert assemble(records).runbooks == first.runbooks  # the same records assemble the same


def test_docs_base_gets_one_trailing_slash() -> None:
    assert docs_base("") == ""
    assert docs_base("https://x.org/d") == "https://x.org/d/"
    assert docs_base("https://x.org/d/") == "https://x.org/d/"
    assert assemble([record(runbook("pypi"))]).runbooks[0].url == "index.html#runbook-pypi"


def test_duplicates_are_reported_where_the_second_one_is_written() -> None:
    result = assemble(
        [
            record(runbook("pypi"), step("a"), troubleshoot("t")),
            record(runbook("pypi", "other"), step("a", "other", 12), troubleshoot("t", "other")),
        ]
    )
    assert [(f.path, f.line, f.subtype, f.message) for f in result.findings] == [
        (
            "docs/other.rst",
            4,
            "duplicate",
            "runbook 'pypi' is already declared at docs/index.rst:4",
        ),
        (
            "docs/other.rst",
            12,
            "duplicate",
            "duplicate step ID 'a': already used at docs/index.rst:10",
        ),
        (
            "docs/other.rst",
            40,
            "duplicate",
            "duplicate troubleshooting ID 't': already used at docs/index.rst:40",
        ),
    ]
    assert [s.id for s in result.runbooks[0].steps] == ["a"]
    assert all(f.docname == "other" for f in result.findings)


def test_a_step_outside_any_runbook_or_naming_an_unknown_one() -> None:
    result = assemble([record(step("early"), runbook("pypi"), step("late", owner="nope"))])
    assert [f.message for f in result.findings] == [
        "release-step 'early' is outside any runbook: put `.. release-runbook:: NAME` above it "
        "(in toctree order) or give :runbook: NAME",
        "unknown runbook 'nope' in :runbook: of step 'late' (it must be declared above the step, "
        "in toctree order)",
    ]
    assert all(f.subtype == "structure" for f in result.findings)
    assert result.runbooks[0].steps == []


def test_troubleshooting_goes_to_its_documents_runbook_else_the_only_one() -> None:
    result = assemble(
        [
            record(troubleshoot("first"), runbook("pypi"), step("a")),
            record(runbook("docs", "docs"), troubleshoot("here", "docs")),
            record(troubleshoot("named", "third", owner="pypi")),
            record(troubleshoot("orphan", "fourth")),
        ]
    )
    pypi, docs = result.runbooks
    assert [t.id for t in pypi.troubleshoot] == ["first", "named"]
    assert [t.id for t in docs.troubleshoot] == ["here"]
    assert result.troubleshoot["here"].url == "docs.html#troubleshoot-here"
    (finding,) = result.findings
    assert finding.message == (
        "troubleshooting entry 'orphan' belongs to no runbook: declare one with "
        "`.. release-runbook:: NAME`"
    )


def test_troubleshooting_naming_an_unknown_runbook() -> None:
    result = assemble([record(runbook("pypi"), troubleshoot("t", owner="nope"))])
    (finding,) = result.findings
    assert (finding.subtype, finding.message) == (
        "structure",
        "unknown runbook 'nope' in :runbook:",
    )


def test_quickrefs_are_checked_once_every_runbook_is_known() -> None:
    early = QuickrefReference("pypi", at("index", 2))
    unknown = QuickrefReference("nope", at("index", 3))
    unnamed = QuickrefReference("", at("index", 5))
    one = assemble([record(early, runbook("pypi"), unnamed)])
    assert one.findings == []
    two = assemble([record(early, unknown, runbook("pypi"), runbook("docs", line=6), unnamed)])
    assert [f.message for f in two.findings] == [
        "release-quickref names unknown runbook 'nope'; declared: pypi, docs",
        "release-quickref needs a runbook name when there is not exactly one; declared: pypi, docs",
    ]


def test_findings_are_sorted_by_location() -> None:
    result = assemble(
        [
            record(runbook("pypi", "b"), step("x", "b", 50, owner="nope")),
            record(step("y", "a", 5, owner="nope")),
        ]
    )
    assert [(f.path, f.line) for f in result.findings] == [("docs/a.rst", 5), ("docs/b.rst", 50)]


def test_runbook_lookup_by_name_or_the_only_one() -> None:
    result = assemble([record(runbook("pypi"))])
    assert result.runbook("") is result.runbooks[0]
    assert result.runbook("pypi") is result.runbooks[0]
    assert result.runbook("nope") is None
    assert assemble([]).runbook("") is None


def test_assembly_imports_neither_sphinx_nor_docutils() -> None:
    code = (
        "import sys, sphinx_release_runbook.core.assemble; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
