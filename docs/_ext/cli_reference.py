"""The command-line reference page (``docs/cli.rst``): sphinx-click, made to read like ``--help``.

sphinx-click parses click's help texts as reStructuredText, but they are written
for a terminal.  Left alone, the page would differ from ``--help`` in four ways,
and this extension corrects each one where it arises, so that a new command or
option needs no docs edit:

* Smart quotes turn ``--resume`` in prose into an en dash, and a copied option no
  longer works in a shell.  Option names (and the text a help string puts in
  backticks, and the guide's ``:option:`` names) become inline literals, which
  smart quotes leave alone.  Smart quotes stay on for the prose of the docs.
* Every command's ``--help`` ends with the exit-code table (so the meaning of the
  code a command just returned is in its own help); the page shows it once, as a
  table under the group, and each command links to it.
* sphinx-click writes ``--name <name>`` from the parameter's name; the page shows
  what ``--help`` prints (click's own help record: ``--name NAME``, ``--runbook FILE``).
* sphinx-click sorts the commands by name; the page lists them in the group's own
  order (``list_commands``: the order a maintainer uses them).
"""

from __future__ import annotations

import re
from typing import Any

import click
from sphinx.application import Sphinx
from sphinx_click.ext import ClickDirective

from sphinx_release_runbook.cli.exitcodes import EXIT_CODES_HELP, rows

#: The label of the exit-code table on the page.
EXIT_CODES_LABEL = "cli-exit-codes"

# Text already in ``literal`` markup and a role (:ref:`target`) stay as they are; `text`
# (a terminal help text's way of marking code) becomes a literal. Neither spans a paragraph.
_MARKED = re.compile(
    r"``(?:[^`\n]|\n(?![ \t]*\n))+?``"
    r"|:[\w-]+:`[^`\n]*`"
    r"|(?<![:\w])`(?:[^`\n]|\n(?![ \t]*\n))+`(?!\w)"
)
# An option name that starts a word: --resume, --dry-run, -y.
_OPTION = re.compile(r"(?<![\w`.-])--?[A-Za-z][\w-]*")
# A directive option of the guide inside a sentence: :skip-if:, :bump: (not a field such
# as sphinx-click's own ":default:", which starts its line).
_FIELD = re.compile(r"(?:(?<=\S )|(?<=\()):[a-z][\w-]*:(?=[\s,.;)]|$)", re.MULTILINE)


def shell_safe(text: str) -> str:
    """*text* (reST from a help string) with option names and code as inline literals."""
    pieces: list[str] = []
    position = 0
    for marked in _MARKED.finditer(text):
        pieces.append(_literal_names(text[position : marked.start()]))
        code = marked.group()
        pieces.append(code if code.startswith(("``", ":")) else f"`{code}`")
        position = marked.end()
    pieces.append(_literal_names(text[position:]))
    return "".join(pieces)


def _literal_names(text: str) -> str:
    return _FIELD.sub(r"``\g<0>``", _OPTION.sub(r"``\g<0>``", text))


def shell_safe_lines(lines: list[str]) -> list[str]:
    """:func:`shell_safe` over each run of prose lines; directive lines stay as written."""
    result: list[str] = []
    prose: list[str] = []
    for line in [*lines, None]:
        if line is not None and not line.lstrip().startswith(".. "):
            prose.append(line)
            continue
        if prose:
            result.extend(shell_safe("\n".join(prose)).split("\n"))
            prose = []
        if line is not None:
            result.append(line)
    return result


def _description(app: Sphinx, ctx: click.Context, lines: list[str]) -> None:
    lines[:] = shell_safe_lines(lines)


def _options(app: Sphinx, ctx: click.Context, lines: list[str]) -> None:
    """Each ``.. option::`` line as ``--help`` writes the option; the help texts shell-safe."""
    specs = iter(
        _option_spec(ctx, param)
        for param in ctx.command.params
        if isinstance(param, click.Option) and not param.hidden
    )
    written = [
        f".. option:: {next(specs)}" if line.startswith(".. option:: ") else line for line in lines
    ]
    lines[:] = shell_safe_lines(written)


def _option_spec(ctx: click.Context, option: click.Option) -> str:
    """The left column of the option in ``--help``, as Sphinx's option directive takes it."""
    record = option.get_help_record(ctx)
    assert record is not None  # only hidden options have none
    # click joins an option's two spellings (--flag / --no-flag) with " / "; Sphinx with ", ".
    return record[0].replace(" / ", ", ").replace("; ", ", ")


def _epilog(app: Sphinx, ctx: click.Context, lines: list[str]) -> None:
    """The exit-code table once, under the group; a link to it under each command."""
    if ctx.command.epilog != EXIT_CODES_HELP:
        lines[:] = shell_safe_lines(lines)
    elif ctx.parent is None:
        lines[:] = _exit_code_table()
    else:
        lines[:] = [
            f"Exit codes: as in :ref:`the table above <{EXIT_CODES_LABEL}>` (``--help`` "
            "ends with it too).",
            "",
        ]


def _exit_code_table() -> list[str]:
    lines = [
        f".. _{EXIT_CODES_LABEL}:",
        "",
        ".. rubric:: Exit codes",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - Code",
        "     - Meaning",
    ]
    for code, meaning in rows():
        lines += [f"   * - {code}", f"     - {shell_safe(meaning)}"]
    return [*lines, ""]


class ClickInCommandOrder(ClickDirective):
    """``.. click::`` that lists a group's commands in the group's order, not by name."""

    def run(self) -> Any:
        # sphinx-click loads the object again in run(); _load_module needs env first.
        self.env = self.state.document.settings.env
        command = self._load_module(self.arguments[0])
        ctx = click.Context(command, info_name=self.options.get("prog"), **command.context_settings)
        _cache_help_options(command, ctx)
        if isinstance(command, click.Group) and not self.options.get("commands"):
            self.options["commands"] = ", ".join(command.list_commands(ctx))
        return super().run()


def _cache_help_options(command: click.Command, ctx: click.Context) -> None:
    """Let *command* and its subcommands make their help option from their own settings.

    click keeps the help option the first context asks for (click 8.1.8 and later), and
    sphinx-click's contexts leave out the command's ``context_settings``: without this,
    in the process that built the docs, the group's ``-h`` would be gone.
    """
    command.get_help_option(ctx)
    if not isinstance(command, click.Group):
        return
    for name in command.list_commands(ctx):
        subcommand = command.get_command(ctx, name)
        if subcommand is not None:
            settings = subcommand.context_settings
            sub_ctx = click.Context(subcommand, parent=ctx, info_name=name, **settings)
            _cache_help_options(subcommand, sub_ctx)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_click")
    app.add_directive("click", ClickInCommandOrder, override=True)
    app.connect("sphinx-click-process-description", _description)
    app.connect("sphinx-click-process-options", _options)
    app.connect("sphinx-click-process-epilog", _epilog)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
