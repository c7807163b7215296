"""The standalone checklist script: a runbook rendered as bash, filled as the runner fills it.

The script needs only bash, git and python3's standard library, so a
maintainer can release from a machine without this package.  It must do
what ``python -m runbook run`` does, so nothing in it is a second
implementation of the runbook's templates:

* every template (commands, ``:skip-if:``, ``:env:``, ``:cwd:``, ``:expect:``,
  manual instructions, troubleshooting fixes, the ``:tag:``) is compiled here by
  :func:`~sphinx_release_runbook.core.template_tree.compile_template`, with the
  runner's own Jinja2 environment and parser, into a bash word: literal text
  single-quoted, each placeholder a variable reference (``"${RUNBOOK_tag}"``,
  ``"${RUNBOOK_RE_version}"`` in a regex), each filtered expression a
  variable the helper computes once per run (a troubleshooting fix: parts the
  helper fills once the values are known).  An expression the script cannot
  evaluate is an :class:`ExportError` naming the step and its source (the build
  refuses it first, at its line, through :func:`exportable_parts`), and each
  compiled template is checked against the runner's rendering before it is
  written;
* the values themselves come from the helper (:mod:`.helper`, embedded in
  the script), which validates them as the runner does, message for message:
  every value is in a safe alphabet, so a filled command holds exactly the
  text the runner would run;
* every title, id, path and text of the guide is a single-quoted bash string
  (data), never part of the script's code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from sphinx_release_runbook._version import __version__
from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import PLACEHOLDERS, Runbook, Step, Troubleshoot
from sphinx_release_runbook.core.template_tree import (
    CompiledPart,
    Expression,
    Placeholder,
    Text,
    compile_template,
)
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.export import helper

TEMPLATES = Path(__file__).parent / "templates"
HELPER_SOURCE = Path(helper.__file__)
#: The here-document delimiter the helper is embedded with.
HELPER_END = "RUNBOOK_PYTHON_HELPER"
#: Placeholders a tag template may use (the tag is one of the others' values).
TAG_PLACEHOLDERS = ("version", "package")

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Values each compiled template is checked with against the runner's rendering.
_SAMPLES: tuple[dict[str, str], ...] = (
    {
        "version": "1.2.3rc1",
        "tag": "v1.2.3rc1",
        "version_info": "(1, 2, 3, 'rc1')",
        "previous_version": "1.2.2",
        "package": "My_Pkg.x-y",
    },
    {
        "version": "0.4.0",
        "tag": "release/0.4.0",
        "version_info": "(0, 4, 0)",
        "previous_version": "",
        "package": "demo",
    },
)


class ExportError(RunbookError, ValueError):
    """The runbook cannot be written as a script: a template it cannot fill as the runner does."""


@lru_cache(maxsize=4096)
def exportable_parts(
    template: str, allowed: tuple[str, ...] = PLACEHOLDERS
) -> tuple[CompiledPart, ...]:
    """*template* compiled for the script, checked against the runner's rendering.

    Raises :class:`ExportError` for a template the script cannot fill exactly as the
    runner does: bad syntax or an unknown name, an expression the compiler refuses
    (:class:`~sphinx_release_runbook.core.template_tree.NotExportable`), or one the
    runner itself cannot fill.  The build calls it for every template of a guide
    (:mod:`~sphinx_release_runbook.sphinxext.directives`), so a guide the build
    accepts always exports; remembered, as a build asks about each template often.
    """
    try:
        parts = compile_template(template, allowed)
    except PlaceholderError as exc:
        raise ExportError(str(exc)) from exc
    program = _program(parts)
    for sample in _SAMPLES:
        values = {name: value for name, value in sample.items() if name in allowed}
        try:
            expected = render(template, values)
        except Exception as exc:  # a TypeError of a filter, as the runner would meet it
            raise ExportError(f"the runner cannot fill this template: {exc}") from exc
        filled = helper.fill(program, values)
        if filled != expected:  # pragma: no cover - compile_template's guarantee
            raise ExportError(
                f"the script would fill {template!r} as {filled!r}, the runner as "
                f"{expected!r}; write it with plain placeholders"
            )
    return parts


def _program(parts: Iterable[CompiledPart]) -> list[list[Any]]:
    """Parts as the helper reads them: ``["text", T]``, ``["name", N]``, ``["expr", E]``."""
    program: list[list[Any]] = []
    for part in parts:
        if isinstance(part, Text):
            program.append(["text", part.text])
        elif isinstance(part, Placeholder):
            program.append(["name", part.name])
        else:
            program.append(["expr", part.tree])
    return program


class _Compiler:
    """Compiles a runbook's templates to bash words; collects the expressions they use."""

    def __init__(self) -> None:
        self._expressions: dict[tuple[str, bool], str] = {}
        self.trees: list[list[Any]] = []  # [variable, tree, regex]
        self.used: set[str] = set()

    def parts(
        self, template: str, where: str, allowed: Sequence[str] = PLACEHOLDERS
    ) -> tuple[CompiledPart, ...]:
        try:
            return exportable_parts(template, tuple(allowed))
        except ExportError as exc:
            raise ExportError(f"{where}: {exc}") from exc

    def _reference(self, variable: str) -> str:
        self.used.add(variable)
        return f'"${{{variable}}}"'

    def word(self, template: str, where: str, *, regex: bool = False) -> str:
        """A bash word whose expansion is *template* filled as the runner fills it."""
        pieces = []
        for part in self.parts(template, where):
            if isinstance(part, Text):
                pieces.append(_quote(part.text))
            elif isinstance(part, Placeholder):
                prefix = "RUNBOOK_RE_" if regex else "RUNBOOK_"
                pieces.append(self._reference(prefix + part.name))
            else:
                pieces.append(self._reference(self._expression(part, regex)))
        return "".join(pieces) or "''"

    def _expression(self, part: Expression, regex: bool) -> str:
        key = (part.key, regex)
        if key not in self._expressions:
            variable = f"RUNBOOK_{'RE_' if regex else ''}x{len(self._expressions) + 1}"
            self._expressions[key] = variable
            self.trees.append([variable, part.tree, regex])
        return self._expressions[key]


def _quote(value: object) -> str:
    """*value* as one single-quoted bash word: data, whatever it holds (even ``=`` or nothing)."""
    return "'" + str(value).replace("'", "'\"'\"'") + "'"


def _array(values: Iterable[str]) -> str:
    return "(" + " ".join(values) + ")"


def comment(text: str) -> str:
    """*text* safe in a ``#`` comment line: no line break or control character ends it."""
    return _CONTROL.sub(" ", text)


def _seconds(value: object, what: str, where: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ExportError(f"{where}: {what} {value!r} is not a number of seconds") from exc


def _step_function(compiler: _Compiler, step: Step, index: int, total: int) -> str:
    """The bash function that loads one step's data into the ``s_*`` variables."""
    where = f"{step.source}: step {step.id!r}"
    try:
        retry = int(step.retry)
    except (TypeError, ValueError) as exc:
        raise ExportError(f"{where}: :retry: {step.retry!r} is not a whole number") from exc
    interval = _seconds(step.interval, ":interval:", where)
    timeout = _seconds(step.timeout, ":timeout:", where) if step.timeout else None
    for name in step.env:
        if not _ENV_NAME.fullmatch(name):
            raise ExportError(f"{where}: :env: name {name!r} is not a shell variable name")
    commands = [
        compiler.word(command, f"{where}, command {number}")
        for number, command in enumerate(step.commands, start=1)
    ]
    instructions = [
        compiler.word(line, f"{where}, manual instructions")
        for line in step.instructions.strip().splitlines()
    ]
    extras = []
    if step.expect_empty:
        extras.append("expect empty output")
    if timeout:
        extras.append(f"timeout {timeout:g}s")
    if retry:
        extras.append(f"retry {retry} every {interval:g}s")
    label = f"[{step.number}/{total}] {step.title}"
    facts = {
        "label": label,
        "id": step.id,
        "source": str(step.source),
        "url": step.url,
        "kind": step.kind,
        "skip_if": bool(step.skip_if),
        "expect": bool(step.expect),
        "expect_empty": bool(step.expect_empty),
        "retry": retry,
        "interval": interval,
        "interval_text": f"{interval:g}s",
        "timeout": timeout,
        "timeout_text": f"{timeout:g}s" if timeout else "",
    }
    bump = [_quote(item) for target in step.bump for item in (target.path, target.key)]
    env_values = [
        compiler.word(value, f"{where}, :env: {name}") for name, value in step.env.items()
    ]
    skip_if = compiler.word(step.skip_if, f"{where}, :skip-if:") if step.skip_if else "''"
    cwd = compiler.word(step.cwd, f"{where}, :cwd:") if step.cwd else "''"
    expect = compiler.word(step.expect, f"{where}, :expect:", regex=True) if step.expect else "''"
    lines = [
        f"s_number={_quote(step.number)}",
        f"s_id={_quote(step.id)}",
        f"s_title={_quote(step.title)}",
        f"s_kind={_quote(step.kind)}",
        f"s_source={_quote(step.source)}",
        f"s_confirm={1 if step.confirm else 0}",
        f"s_json={_quote(json.dumps(facts, ensure_ascii=False))}",
        f"s_skip_if={skip_if}",
        f"s_cwd={cwd}",
        f"s_env_names={_array(_quote(name) for name in step.env)}",
        f"s_env_values={_array(env_values)}",
        f"s_commands={_array(commands)}",
        f"s_expect={expect}",
        f"s_extras={_array(_quote(extra) for extra in extras)}",
        f"s_instructions={_array(instructions)}",
        f"s_bump={_array(bump)}",
        f"s_requires={_array(_quote(tool) for tool in step.requires)}",
    ]
    body = "\n".join(f"  {line}" for line in lines)
    header = f"# {step.number}. {comment(step.title)} ({comment(str(step.source))})"
    return f"{header}\nstep_{index}() {{\n{body}\n}}\n"


def _troubleshoot_entry(compiler: _Compiler, entry: Troubleshoot) -> dict[str, Any]:
    """A troubleshooting entry as the helper fills it once the release's values are known.

    The fix is compiled line by line, as the runner renders it (``runner.report``) and
    as a manual step's instructions are; the helper fills each line with the values,
    and the expressions, of the commands (``helper.fill``).
    """
    where = f"{entry.source}: troubleshooting entry {entry.id!r}"
    return {
        "title": entry.title,
        "source": str(entry.source),
        "url": entry.url,
        "match": entry.match,
        "lines": [
            _program(compiler.parts(line, where)) for line in entry.text.strip().splitlines()
        ],
    }


def _usage(runbook: Runbook, script_name: str) -> list[str]:
    synopsis = (
        f"Usage: {script_name} --version VERSION [--dry-run] [--yes] "
        "[--from STEP | --only STEP...] [--done STEP...] [--repeat STEP...] [--secret NAME...]"
    )
    lines = [
        synopsis,
        "",
        f'Runs the steps of "{runbook.title}" in order:',
        *(f"  {step.number:>2}. {step.id}: {step.title} ({step.kind})" for step in runbook.steps),
        "",
        "  --version VERSION  the version to release (X.Y.Z), or major, minor, patch to",
        "                     increase the current one (required)",
        "  --dry-run          print every command with the values filled in; change nothing",
        "  --yes              answer yes at every :confirm: question (for CI); it does not",
        "                     say a manual step is done (--done does) or that a half-run",
        "                     command may run again (--repeat does)",
        "  --from STEP        start at this step",
        "  --only STEP        run only this step (repeatable)",
        "  --done STEP        STEP is done: a manual step you did by hand (needed without a",
        "                     terminal), or the step whose interrupted command took effect",
        "                     (the run continues after it); repeatable",
        "  --repeat STEP      run STEP's interrupted command again (you checked it did not",
        "                     take effect); repeatable",
        "  --secret NAME      mask the value of environment variable NAME too (repeatable)",
        "Exit codes: 0 done, 1 a step failed, 2 bad usage or bad --version, 6 needs",
        "confirmation but no terminal, 7 declined, 8 a required tool is missing, 9 a manual",
        "step and no terminal (do it, then --done STEP), 10 a step may have run in part",
        "(check, then --repeat or --done it), 11 a file could not be written, 130 interrupted.",
    ]
    return [_quote(line) for line in lines]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
    )


def helper_source() -> str:
    """The helper as the script embeds it (a quoted here-document: no expansion)."""
    source = HELPER_SOURCE.read_text(encoding="utf-8")
    if any(line.strip() == HELPER_END for line in source.splitlines()):  # pragma: no cover
        raise ExportError(f"the helper holds its own delimiter {HELPER_END}")
    return source.rstrip("\n")


def render_script(runbook: Runbook, script_name: str = "release.sh") -> str:
    """The bash checklist for *runbook*; :class:`ExportError` for a template it cannot fill."""
    compiler = _Compiler()
    total = len(runbook.steps)
    functions = [
        _step_function(compiler, step, index, total)
        for index, step in enumerate(runbook.steps, start=1)
    ]
    tag_where = f"{runbook.source}: runbook {runbook.name!r}, :tag:"
    tag = _program(compiler.parts(runbook.tag, tag_where, TAG_PLACEHOLDERS))
    spec = {
        "scheme": runbook.version_scheme,
        "tag": tag,
        "tag_template": runbook.tag,
        "package": runbook.package,
        "targets": [[target.path, target.key] for target in runbook.bump_targets],
        # Filled by the helper with the values, into TROUBLESHOOT (see release_assignments).
        "troubleshoot": [_troubleshoot_entry(compiler, entry) for entry in runbook.troubleshoot],
        "expressions": compiler.trees,
    }
    # The values the script's own code prints, and every one a template uses.
    declared = sorted(
        {"RUNBOOK_version", "RUNBOOK_tag", "RUNBOOK_previous_version"} | compiler.used
    )
    template = _environment().get_template("checklist.sh.jinja")
    return template.render(
        comment=comment,
        title=comment(runbook.title),
        package=comment(runbook.package),
        source=comment(runbook.source.path),
        name=comment(runbook.name),
        generator=f"sphinx-release-runbook {__version__}",
        script_name=comment(script_name),
        quoted={
            "script_name": _quote(script_name),
            "title": _quote(runbook.title),
            "name": _quote(runbook.name),
            "scheme": _quote(runbook.version_scheme),
            "spec": _quote(json.dumps(spec, ensure_ascii=False)),
        },
        step_ids=_array(_quote(step.id) for step in runbook.steps),
        step_kinds=_array(_quote(step.kind) for step in runbook.steps),
        usage=_usage(runbook, script_name),
        declared=declared,
        functions=functions,
        helper=helper_source(),
        helper_end=HELPER_END,
    )
