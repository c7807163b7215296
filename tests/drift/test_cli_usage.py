"""``runbook.cli`` through the registry: calls of a known click CLI must parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_release_runbook.drift import CommandRef, Repository
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

FIXTURE_CLI = '''
import click


@click.group()
def cli():
    """A deploy tool."""


@cli.command()
@click.option("--env", required=True)
@click.option("--dry-run", is_flag=True)
def deploy(env, dry_run):
    """Deploy."""
'''


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_repo: MakeRepo) -> Repository:
    """A repository whose ``runbook_clis`` names a small click group (``deploy``)."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "runbook_drift_fixture_cli.py").write_text(FIXTURE_CLI, encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    return make_repo(clis={"deploy-tool": "runbook_drift_fixture_cli:cli"})


def test_valid_calls_pass(repo: Repository) -> None:
    commands = [
        "deploy-tool deploy --env prod --dry-run",
        "poetry run deploy-tool deploy --env {{ version }}",
        "python -m deploy-tool deploy",  # a missing required option is not drift
        "deploy-tool deploy --help",
        "echo unrelated && git status",
    ]
    assert run(repo, [CommandRef(command, AT) for command in commands]) == []


def test_an_unknown_subcommand_or_option(repo: Repository) -> None:
    findings = run(
        repo,
        [CommandRef("deploy-tool ship", AT), CommandRef("deploy-tool deploy --colour red", AT)],
    )
    assert [f.subtype for f in findings] == ["cli", "cli"]
    assert findings[0].message.startswith("unknown to the CLI: deploy-tool: ")
    assert "'ship'" in findings[0].message
    assert findings[1].message.startswith("unknown to the CLI: deploy-tool deploy: ")
    assert "--colour" in findings[1].message


def test_this_projects_own_cli_is_always_known(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [CommandRef("python -m runbook bogus-subcommand", AT)])
    assert finding.subtype == "cli"
    assert finding.message.startswith("unknown to the CLI: python -m runbook: ")


def test_a_configured_cli_that_cannot_be_imported(make_repo: MakeRepo) -> None:
    repo = make_repo(clis={"broken": "no_such_module_here:cli"})
    (finding,) = run(repo, [CommandRef("broken deploy", AT)])
    assert finding.subtype == "cli"
    assert finding.message.startswith(
        "runbook_clis['broken']: cannot import 'no_such_module_here:cli': "
    )
