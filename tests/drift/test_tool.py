"""``runbook.tool`` through the registry: ``poetry run X`` / ``uv run X`` needs X declared."""

from __future__ import annotations

from sphinx_release_runbook.drift import CommandRef
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

PYPROJECT = """[project]
name = "demo"
dependencies = ["click>=8"]
optional-dependencies.test = ["pytest"]

[dependency-groups]
docs = ["Sphinx"]
"""


def test_declared_tools_pass(make_repo: MakeRepo) -> None:
    repo = make_repo({"pyproject.toml": PYPROJECT})
    commands = [
        "poetry run pytest -q",
        "uv run sphinx-build docs out",  # the executable of the distribution `sphinx`
        "uv run --with ruff ruff check",
        "poetry run python -m build",
        "poetry run pip install x",
    ]
    assert run(repo, [CommandRef(command, AT) for command in commands]) == []


def test_an_undeclared_tool_is_reported_with_what_is_declared(make_repo: MakeRepo) -> None:
    repo = make_repo({"pyproject.toml": PYPROJECT})
    (finding,) = run(repo, [CommandRef("poetry run mypy src", AT)])
    assert finding.subtype == "tool"
    assert finding.message == (
        "`poetry run mypy` names a tool the project does not declare in pyproject.toml "
        "(declared: click, demo, pytest, sphinx)"
    )
    assert repo.dependencies() == [repo.root / "pyproject.toml"]


def test_without_a_pyproject_nothing_is_reported(make_repo: MakeRepo) -> None:
    assert run(make_repo(), [CommandRef("poetry run mypy src", AT)]) == []
