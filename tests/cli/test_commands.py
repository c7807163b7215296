"""The commands over an exported runbook.json: their errors and exit codes, in process.

No docs build and no shell: ``--runbook FILE`` skips Sphinx, and the docs build
is replaced where a command insists on it (``check``, Ctrl-C while building).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sphinx_release_runbook.cli import cli, options
from sphinx_release_runbook.cli.loader import Loaded
from sphinx_release_runbook.core.errors import ExitCode
from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import Export, Runbook, Source, Step

SOURCE = Source("release", "docs/release.rst", 10)


def demo_runbook(name: str = "demo") -> Runbook:
    steps = [
        Step(
            id="build",
            title="Build",
            kind="command",
            runbook=name,
            source=SOURCE,
            number=1,
            commands=["python -m build"],
        ),
        Step(
            id="announce",
            title="Announce",
            kind="manual",
            runbook=name,
            source=SOURCE,
            number=2,
            instructions="Tell everyone.",
        ),
    ]
    return Runbook(
        name=name,
        title="Release demo",
        version_scheme="pep440",
        tag="v{{ version }}",
        package="demo",
        source=SOURCE,
        steps=steps,
    )


@pytest.fixture
def runbook_json(tmp_path: Path) -> Path:
    path = tmp_path / "runbook.json"
    path.write_text(Export(project="demo", runbooks=[demo_runbook()]).to_json(), encoding="utf-8")
    return path


@pytest.fixture
def two_runbooks(tmp_path: Path) -> Path:
    path = tmp_path / "two.json"
    export = Export(project="demo", runbooks=[demo_runbook("one"), demo_runbook("two")])
    path.write_text(export.to_json(), encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="python -m runbook")


def test_list_prints_the_steps(runbook_json: Path) -> None:
    result = invoke("list", "--runbook", str(runbook_json))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Release demo (demo): 2 steps",
        "  1. build     command  Build",
        "  2. announce  manual   Announce",
    ]


def test_a_missing_runbook_json_is_a_docs_error(tmp_path: Path) -> None:
    result = invoke("list", "--runbook", str(tmp_path / "nope.json"))
    assert result.exit_code == ExitCode.DOCS
    assert result.stderr == f"error: {tmp_path / 'nope.json'}: no such file (from --runbook)\n"


def test_a_malformed_runbook_json_is_a_docs_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    result = invoke("list", "--runbook", str(bad))
    assert result.exit_code == ExitCode.DOCS
    assert result.stderr.startswith(f"error: {bad}: not valid JSON")


@pytest.mark.parametrize("command", ["list", "run"])
def test_a_nul_character_in_a_runbook_json_is_a_docs_error(tmp_path: Path, command: str) -> None:
    """No exec can pass one on: the command would fail to start, or run cut short."""
    runbook = demo_runbook()
    runbook.steps[0].commands = ["echo before\x00after"]
    bad = tmp_path / "runbook.json"
    bad.write_text(Export(project="demo", runbooks=[runbook]).to_json(), encoding="utf-8")
    args = ["--version", "1.3.0", "--yes"] if command == "run" else []
    result = invoke(command, "--runbook", str(bad), *args)
    assert result.exit_code == ExitCode.DOCS, result.output
    assert result.stderr == (
        f"error: {bad}: runbooks[0].steps[0].commands[0] holds a NUL character (\\u0000), "
        "which nothing the runner passes to a command can carry; export the runbook again "
        "from the docs\n"
    )


def test_the_text_of_an_escape_is_no_nul_character(tmp_path: Path) -> None:
    """``printf '\\u0000'`` is a backslash and five characters, which JSON writes ``\\\\u0000``."""
    runbook = demo_runbook()
    runbook.steps[0].commands = ["printf '\\u0000'"]
    path = tmp_path / "runbook.json"
    path.write_text(Export(project="demo", runbooks=[runbook]).to_json(), encoding="utf-8")
    assert "\\\\u0000" in path.read_text(encoding="utf-8")
    result = invoke("list", "--runbook", str(path))
    assert result.exit_code == ExitCode.OK, result.output


def test_a_runbook_json_not_in_utf8_is_a_docs_error(tmp_path: Path) -> None:
    bad = tmp_path / "runbook.json"
    bad.write_bytes(b'\xff\xfe{"schema": 1}')
    result = invoke("list", "--runbook", str(bad))
    assert result.exit_code == ExitCode.DOCS, result.output
    assert result.stderr.startswith(f"error: {bad}: not UTF-8 text (byte 0 is not)")


def test_an_unknown_name_is_a_usage_error(runbook_json: Path) -> None:
    result = invoke("list", "--runbook", str(runbook_json), "--name", "other")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "error: no runbook named 'other'; the docs define: demo\n"


def test_several_runbooks_need_a_name(two_runbooks: Path) -> None:
    result = invoke("list", "--runbook", str(two_runbooks))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "error: the docs define several runbooks (one, two); pick one with --name\n"
    )
    assert invoke("list", "--runbook", str(two_runbooks), "--name", "two").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--version", "1.0.0", "--from", "a", "--only", "b"],
            "--from and --only do not combine; use one",
        ),
        (
            ["--resume", "--only", "b"],
            "--resume continues the last run's own steps; drop --from/--only",
        ),
        ([], "--version is required (a version such as 1.2.3, or major, minor, patch)"),
    ],
)
def test_run_refuses_option_combinations_before_loading(args: list[str], message: str) -> None:
    result = invoke("run", "--runbook", "does-not-matter.json", *args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"error: {message}\n"


def test_bump_without_bump_targets_is_a_usage_error(runbook_json: Path) -> None:
    result = invoke("bump", "--runbook", str(runbook_json), "--version", "1.0.0", "--dry-run")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "error: runbook 'demo' has no :bump: targets\n"


def test_export_names_the_file_it_cannot_write(runbook_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "release.sh"
    result = invoke("export", "--runbook", str(runbook_json), "--output", str(target))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == f"error: cannot write {target}: No such file or directory\n"


def test_export_writes_the_script(runbook_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "release.sh"
    result = invoke("export", "--runbook", str(runbook_json), "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target} (2 steps)\n"
    assert target.read_text(encoding="utf-8").startswith("#!")


def fake_docs(monkeypatch: pytest.MonkeyPatch, build: object) -> None:
    """Replace the docs build (and the search for the docs) of ``load()``."""
    monkeypatch.setattr(options, "find_project_root", lambda start: start)
    monkeypatch.setattr(options, "build", build)


def test_ctrl_c_while_building_the_docs_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(root: Path) -> Loaded:
        raise KeyboardInterrupt

    fake_docs(monkeypatch, interrupted)
    result = invoke("list")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == (
        "error: interrupted while building the runbook from the docs; nothing ran\n"
    )


@pytest.mark.parametrize(
    ("findings", "code"),
    [
        ([], ExitCode.OK),
        ([Finding("docs/release.rst", 3, "tool", "gh: not on PATH")], ExitCode.DRIFT),
    ],
)
def test_check_exits_with_the_report_s_code(
    monkeypatch: pytest.MonkeyPatch, findings: list[Finding], code: ExitCode
) -> None:
    loaded = Loaded(export=Export(project="demo", runbooks=[demo_runbook()]), findings=findings)
    fake_docs(monkeypatch, lambda root: loaded)
    result = invoke("check")
    assert result.exit_code == code
    assert result.stdout.splitlines()[-1].startswith("runbook check: ")
