"""The registry: one tuple of checks, and run() gives each item to every check of its type."""

from __future__ import annotations

import subprocess
import sys
import typing
from dataclasses import dataclass

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift import CommandRef, Item, PathRef, Repository, TemplateRef, items
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.registry import CHECKS, checks_for, run

from .conftest import AT, MakeRepo


def _finding(message: str) -> Finding:
    return Finding(AT.path, AT.line, "tool", message, docname=AT.docname)


def test_every_item_type_has_a_check_and_every_check_takes_an_item_type() -> None:
    item_types = set(typing.get_args(items.Item))
    taken = {check.item for check in CHECKS}
    assert taken == item_types
    assert all(isinstance(check, Check) for check in CHECKS)


def test_the_declared_subtypes_are_those_the_checks_report() -> None:
    assert {check.subtype for check in CHECKS} == {
        "placeholder",
        "path",
        "tool",
        "cli",
        "link",
        "mirror",
        "version",
        "script",
    }


def test_run_gives_each_item_to_every_check_of_its_type_in_order(make_repo: MakeRepo) -> None:
    seen: list[str] = []

    def first(repo: Repository, item: CommandRef) -> list[Finding]:
        seen.append(f"first {item.command}")
        return [_finding(f"first {item.command}")]

    def second(repo: Repository, item: CommandRef) -> list[Finding]:
        seen.append(f"second {item.command}")
        return []

    def paths(repo: Repository, item: PathRef) -> list[Finding]:
        seen.append(f"path {item.path}")
        return [_finding(f"path {item.path}")]

    checks = (
        Check("tool", CommandRef, first),
        Check("path", PathRef, paths),
        Check("cli", CommandRef, second),
    )
    work: list[Item] = [CommandRef("a", AT), PathRef("p", AT), CommandRef("b", AT)]
    findings = run(make_repo(), work, checks)
    assert seen == ["first a", "second a", "path p", "first b", "second b"]
    assert [f.message for f in findings] == ["first a", "path p", "first b"]


def test_an_item_no_check_takes_gives_nothing(make_repo: MakeRepo) -> None:
    assert run(make_repo(), [TemplateRef("{{ nope }}", AT)], checks=()) == []
    assert checks_for(TemplateRef("x", AT), checks=()) == []


def test_a_subclass_of_an_item_type_reaches_the_checks_of_its_base() -> None:
    @dataclass(frozen=True)
    class Special(PathRef):
        pass

    assert [check.subtype for check in checks_for(Special("x", AT))] == ["path"]


def test_a_command_goes_to_the_git_add_tool_and_cli_checks(make_repo: MakeRepo) -> None:
    repo = make_repo({"pyproject.toml": '[project]\nname = "demo"\n'})
    command = "git add gone.txt && poetry run nowhere && python -m runbook bogus"
    findings = run(repo, [CommandRef(command, AT)])
    assert [f.subtype for f in findings] == ["path", "tool", "cli"]
    assert all((f.path, f.line, f.docname) == (AT.path, AT.line, AT.docname) for f in findings)


def test_the_registry_runs_items_of_every_kind_in_the_order_given(make_repo: MakeRepo) -> None:
    repo = make_repo()
    work: list[Item] = [PathRef("missing.txt", AT), TemplateRef("{{ bad }}", AT)]
    assert [f.subtype for f in run(repo, work)] == ["path", "placeholder"]
    assert [f.subtype for f in run(repo, list(reversed(work)))] == ["placeholder", "path"]


def test_the_checks_import_neither_sphinx_nor_docutils() -> None:
    code = (
        "import sys, sphinx_release_runbook.drift.registry; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
