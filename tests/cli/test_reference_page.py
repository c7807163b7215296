"""Issue 12, acceptance 7: the command-line reference page is ``--help``, rendered.

The project's own docs are built for real (``docs/`` with the root ``conf.py``, so with
its smart quotes and its extensions, and ``-W``), and ``docs/cli.html`` is read back:
no en or em dash stands before an option name, the exit-code table appears once, each
option shows the metavar that click's ``--help`` prints, the commands come in the order
a maintainer uses them, and an option renamed in the code is renamed on the page with
no docs edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import sphinx_build

from sphinx_release_runbook.cli import cli
from sphinx_release_runbook.cli.commands.check import check_command
from sphinx_release_runbook.cli.commands.run import run_command
from sphinx_release_runbook.cli.errors import RunbookGroup
from sphinx_release_runbook.cli.exitcodes import rows

PROJECT = Path(__file__).resolve().parents[2]
PROG = "python -m runbook"
#: The order a maintainer uses the commands in (issue 12); a command not named goes last.
MAINTAINER_ORDER = ["list", "check", "rehearse", "run", "abandon", "bump", "export"]
#: The section id sphinx-click gives the group (each command's is this, "-", its name).
GROUP_SECTION = "python-m-runbook"
#: A dash Sphinx's smart quotes make of "--" (en) or "---" (em), then an option's name.
DASHED_OPTION = re.compile(r"[\u2013\u2014]-*[A-Za-z]")


class ReferencePage(HTMLParser):
    """The text of a built page, its sections in order, and each section's option entries."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.sections: list[str] = []
        #: Section id -> the text of each option entry in it ("--from STEP").
        self.options: dict[str, list[str]] = {}
        #: Section id -> how many links to the exit-code table it holds.
        self.exit_code_links: dict[str, int] = {}
        self._open_sections: list[str] = []
        self._entry: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "section":
            self._open_sections.append(attributes.get("id") or "")
            self.sections.append(attributes.get("id") or "")
        elif tag == "dt" and (attributes.get("id") or "").startswith("cmdoption-"):
            self._entry = []
        elif tag == "a" and attributes.get("href") == "#cli-exit-codes":
            where = self._open_sections[-1]
            self.exit_code_links[where] = self.exit_code_links.get(where, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag == "section":
            self._open_sections.pop()
        elif tag == "dt" and self._entry is not None:
            entry = "".join(self._entry).replace("¶", "").strip()
            self.options.setdefault(self._open_sections[-1], []).append(entry)
            self._entry = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text += data
        if self._entry is not None:
            self._entry.append(data)

    def command_order(self) -> list[str]:
        prefix = GROUP_SECTION + "-"
        return [section[len(prefix) :] for section in self.sections if section.startswith(prefix)]


def build_reference(outdir: Path) -> ReferencePage:
    """Build the project's docs (root conf.py, -W) and read back the CLI reference page."""
    result = sphinx_build(
        PROJECT / "docs",
        "html",
        "-W",
        "-c",
        str(PROJECT),
        outdir=outdir / "html",
        doctrees=outdir / "doctrees",
        fresh=True,
    )
    assert result.status == 0, result.stderr
    assert result.warnings == []
    page = ReferencePage()
    page.feed((result.outdir / "cli.html").read_text(encoding="utf-8"))
    page.close()
    return page


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> ReferencePage:
    return build_reference(tmp_path_factory.mktemp("cli-reference"))


def help_of(*command: str) -> str:
    result = CliRunner().invoke(cli, [*command, "--help"], prog_name=PROG)
    assert result.exit_code == 0, result.output
    return result.stdout


def help_block(text: str, heading: str) -> Iterator[str]:
    """The lines of one block of ``--help`` (``Options:``, ``Commands:``), up to a blank line."""
    lines = iter(text.splitlines())
    for line in lines:
        if line == heading:
            break
    for line in lines:
        if not line.strip():
            return
        yield line


def help_options(text: str) -> list[str]:
    """The left column of ``Options:`` in ``--help`` (``--from STEP``), without ``--help``."""
    specs = [
        re.split(r"\s{2,}", line.strip())[0]
        for line in help_block(text, "Options:")
        if re.match(r"  -", line)  # an entry; its help's wrapped lines start further right
    ]
    return [spec for spec in specs if spec != "-h, --help"]  # the page leaves --help out


def help_commands(text: str) -> list[str]:
    return [line.split()[0] for line in help_block(text, "Commands:")]


def maintainer_order(names: list[str]) -> list[str]:
    named = [name for name in MAINTAINER_ORDER if name in names]
    return named + sorted(name for name in names if name not in MAINTAINER_ORDER)


def test_no_option_name_on_the_page_follows_an_en_or_em_dash(page: ReferencePage) -> None:
    assert DASHED_OPTION.findall(page.text) == []
    # The help texts do name options, so the check above has something to find.
    for option in ("--resume", "--dry-run", "--version", "--done", "--repeat", "--yes"):
        assert page.text.count(option) >= 3, option


def test_the_exit_code_table_appears_once(page: ReferencePage) -> None:
    text = page.text.replace("\u2019", "'")  # smart quotes: run's reads run’s
    for code, meaning in rows():
        shown = meaning.replace("`", "")  # a backticked name is an inline literal
        assert text.count(shown) == 1, (code, meaning)
    # Each command links to the table instead; its --help keeps the whole table.
    commands = [f"{GROUP_SECTION}-{name}" for name in cli.commands]
    assert {section: page.exit_code_links.get(section) for section in commands} == dict.fromkeys(
        commands, 1
    )
    for name in cli.commands:
        assert "Exit codes:\n" in help_of(name)


def test_every_option_shows_the_metavar_help_prints(page: ReferencePage) -> None:
    assert page.options[GROUP_SECTION] == help_options(help_of())
    for name in cli.commands:
        shown = help_options(help_of(name))
        assert shown, name
        assert page.options[f"{GROUP_SECTION}-{name}"] == shown, name
    # The metavars the values need, as --help prints them.
    run = page.options[f"{GROUP_SECTION}-run"]
    assert "--version X.Y.Z|major|minor|patch" in run
    assert {"--from STEP", "--only STEP", "--done STEP", "--repeat STEP"} <= set(run)
    assert {"--runbook FILE", "--name NAME", "--secret NAME"} <= set(run)
    assert "-o, --output FILE" in page.options[f"{GROUP_SECTION}-export"]


def test_the_commands_come_in_the_order_a_maintainer_uses_them(page: ReferencePage) -> None:
    expected = maintainer_order(list(cli.commands))
    assert expected[:2] == ["list", "check"] and expected[-2:] == ["bump", "export"]
    assert help_commands(help_of()) == expected
    assert page.command_order() == expected


def test_the_order_skips_a_missing_command_and_puts_an_unknown_one_last() -> None:
    group = RunbookGroup("tool")
    for name in ("zeta", "export", "alpha", "run", "list"):  # no check, rehearse, abandon, bump
        group.add_command(click.Command(name))
    assert group.list_commands(click.Context(group)) == ["list", "run", "export", "alpha", "zeta"]
    group.add_command(click.Command("rehearse"))
    group.add_command(click.Command("check"))
    assert group.list_commands(click.Context(group)) == [
        *["list", "check", "rehearse", "run", "export", "alpha", "zeta"]
    ]


def test_renaming_an_option_in_the_code_renames_it_on_the_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: ReferencePage
) -> None:
    diff = next(param for param in check_command.params if "--diff" in param.opts)
    start = next(param for param in run_command.params if "--from" in param.opts)
    assert page.options[f"{GROUP_SECTION}-check"] == ["--diff"]
    assert "--from STEP" in page.options[f"{GROUP_SECTION}-run"]

    monkeypatch.setattr(diff, "opts", ["--unified"])
    monkeypatch.setattr(start, "metavar", "STEP_ID")
    monkeypatch.setitem(cli.commands, "doctor", click.Command("doctor", help="Look around."))
    renamed = build_reference(tmp_path)  # the same docs, not edited

    assert renamed.options[f"{GROUP_SECTION}-check"] == ["--unified"]
    assert renamed.options[f"{GROUP_SECTION}-check"] == help_options(help_of("check"))
    run = renamed.options[f"{GROUP_SECTION}-run"]
    assert "--from STEP_ID" in run and "--from STEP" not in run
    assert renamed.command_order() == [*page.command_order(), "doctor"]  # a new one goes last
    assert help_commands(help_of())[-1] == "doctor"
