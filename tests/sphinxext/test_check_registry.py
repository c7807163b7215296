"""The build reaches every drift check through the registry, and keeps its data in the domain."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import sphinx_build

from sphinx_release_runbook.core.assemble import DocumentRecord
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift import CommandRef, Repository, registry
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import located

CONF = 'project = "demo"\nextensions = ["sphinx_release_runbook"]\nrunbook_repo_root = "."\n'
INDEX = (
    "Guide\n=====\n\n.. release-runbook:: demo\n\n"
    ".. release-step:: deploy\n\n   echo build\n   ./deploy --forbidden\n"
)


def no_forbidden(repo: Repository, item: CommandRef) -> list[Finding]:
    if "--forbidden" not in item.command:
        return []
    return [located(item.source, "tool", "--forbidden is gone")]


def test_a_check_added_to_the_registry_reaches_the_build(
    make_srcdir: Callable[[dict[str, str]], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One registry line, nothing in the Sphinx layer: the directive's items reach it."""
    monkeypatch.setattr(
        registry, "CHECKS", (*registry.CHECKS, Check("tool", CommandRef, no_forbidden))
    )
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX})
    result = sphinx_build(srcdir, "runbook")
    assert result.status == 1
    assert [line for line in result.warnings if "WARNING" in line] == [
        "SRCDIR/index.rst:9: WARNING: --forbidden is gone [runbook.tool]"
    ]
    findings = (result.outdir / "findings.json").read_text(encoding="utf-8")
    assert '"subtype": "runbook.tool"' in findings


def test_the_runbook_domain_pickles_the_records_and_not_the_memo(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX.replace(" --forbidden", "")})
    doctrees = srcdir / "_doctrees"
    result = sphinx_build(srcdir, "runbook", doctrees=doctrees)
    assert result.status == 0, result.stderr
    with (doctrees / "environment.pickle").open("rb") as handle:
        env = pickle.load(handle)
    data = env.domaindata["runbook"]
    assert set(data) == {"version", "documents"}
    record = data["documents"]["index"]
    assert isinstance(record, DocumentRecord)
    assert [entry.name_or_id for entry in record.entries] == ["demo", "deploy"]
    assert not hasattr(env, "runbook_store")


PAGES = 8  # Sphinx reads in parallel only above 5 documents


def project(files: Callable[[dict[str, str]], Path]) -> Path:
    pages = "\n".join(f"   page{i}" for i in range(PAGES))
    tree = {
        "conf.py": CONF,
        "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
        "index.rst": f"Demo\n====\n\n.. release-runbook:: demo\n\n.. toctree::\n\n{pages}\n",
    }
    for i in range(PAGES):
        tree[f"page{i}.rst"] = (
            f"Page {i}\n{'=' * (5 + len(str(i)))}\n\n"
            f".. release-step:: step-{i}\n   :expect: ok{i}\n\n   echo {i} {{{{ version }}}}\n\n"
            f".. release-troubleshoot:: fix-{i}\n   :match: boom{i}\n\n   Fix {i}.\n"
        )
    tree["page3.rst"] += "\n.. release-step:: bump\n   :bump: pyproject.toml project.version\n"
    return files(tree)


def test_a_parallel_build_writes_the_same_runbook_json(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    serial = sphinx_build(project(make_srcdir), "runbook")
    parallel = sphinx_build(project(make_srcdir), "runbook", "-j", "2")
    assert serial.status == parallel.status == 0, serial.stderr + parallel.stderr
    # Sphinx reads in chunks ("page0 .. page3") only when it really reads in parallel.
    assert " .. " in parallel.stdout, "the -j 2 build did not read in parallel"
    exported = [(build.outdir / "runbook.json").read_bytes() for build in (serial, parallel)]
    assert exported[0] == exported[1]
    assert exported[0].count(b'"id": "step-') == PAGES
