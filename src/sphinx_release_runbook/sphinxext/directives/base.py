"""Shared directive machinery: option parsing that reST and MyST report identically.

docutils and MyST both look options up with ``option_spec[name]``; the spec
below answers every name, so unknown options and bad values reach ``run()``
and are reported here once, with the same ``file:line`` message in both
syntaxes (MyST alone would drop a bad value with a different warning).

A directive checks what it holds by making items (:mod:`sphinx_release_runbook.drift.items`)
and handing them to :meth:`RunbookDirective.check`.  One rule for every directive:
a finding that is not drift (the directive's own text is malformed, e.g. an
unknown placeholder) stops it as a :class:`DirectiveError` does, reported once
and with nothing in the output; drift is reported and the directive goes on.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from sphinx_release_runbook.core.errors import ExitCode, RunbookError
from sphinx_release_runbook.core.findings import Finding, Subtype
from sphinx_release_runbook.core.model import PLACEHOLDERS, Source
from sphinx_release_runbook.drift import Item
from sphinx_release_runbook.export.script import ExportError, exportable_parts
from sphinx_release_runbook.sphinxext import checking
from sphinx_release_runbook.sphinxext.diagnostics import emit, relative_to_repo, repo_path
from sphinx_release_runbook.sphinxext.domain import domain_of

OptionKind = Literal["text", "flag", "int", "number", "lines", "regex"]

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


class _Unknown(str):
    """An option value whose name the directive does not know."""

    __slots__ = ()


class PermissiveOptionSpec(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every name, so ``run()`` can report unknown ones."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return lambda value: _Unknown(value or "")


def option_spec(names: dict[str, OptionKind]) -> PermissiveOptionSpec:
    return PermissiveOptionSpec({name: directives.unchanged for name in names})


class DirectiveError(RunbookError):
    """A malformed directive; carries the subtype and the line to report."""

    exit_code = ExitCode.DOCS

    def __init__(self, message: str, subtype: Subtype = "directive", line: int | None = None):
        super().__init__(message)
        self.subtype: Subtype = subtype
        self.line = line


class _Reported(Exception):
    """The checks found the directive malformed and have reported it: output nothing."""


@dataclass(frozen=True)
class Options:
    """Validated option values."""

    values: dict[str, Any]

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        return default if value is None else value

    def flag(self, name: str) -> bool:
        return name in self.values


class RunbookDirective(SphinxDirective):
    """Base for the runbook directives: validated options, located errors."""

    known_options: ClassVar[dict[str, OptionKind]] = {}
    # Arguments and content are checked in run(), so the messages are ours and located.
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.option_spec = option_spec(cls.known_options)

    @property
    def directive_name(self) -> str:
        return self.name

    def run(self) -> list[nodes.Node]:
        try:
            self._refuse_nul()
            return self.run_checked()
        except DirectiveError as error:
            self.report(str(error), error.subtype, error.line)
            return []
        except _Reported:
            return []

    def run_checked(self) -> list[nodes.Node]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _refuse_nul(self) -> None:
        """A NUL character anywhere in the directive is an error at its line.

        No command, argument or environment value can carry one through exec: the
        runner and the script could not run the step as the page shows it.
        """
        at = self.block_text.find("\x00")
        if at >= 0:
            raise DirectiveError(
                "a NUL character (U+0000) is in the directive: no command or value can carry "
                "one; remove it",
                line=self.lineno + self.block_text.count("\n", 0, at),
            )

    # --- checking and reporting ------------------------------------------------------

    def check(self, items: Iterable[Item]) -> list[Finding]:
        """Hand *items* to the build's checks; the drift findings, already reported.

        A finding that is not drift stops the directive (see the module docstring).
        """
        findings = checking.check(self.env, items)
        if any(not finding.is_drift for finding in findings):
            raise _Reported
        return findings

    def check_exportable(
        self,
        template: str,
        line: int | None = None,
        label: str = "",
        allowed: tuple[str, ...] = PLACEHOLDERS,
    ) -> None:
        """Stop the directive when the exported script cannot fill *template* as the runner.

        One renderer: the runner accepts more of Jinja2 than the script can express
        (an index, a call, an ``{% if %}``), so such a template is an error in every
        build, exported or not, located at *line* (the directive's, by default).
        """
        try:
            exportable_parts(template, allowed)
        except ExportError as exc:
            raise DirectiveError(
                f"{label}{exc}; the runner and the exported script must fill every template alike",
                "placeholder",
                line,
            ) from exc

    def check_exportable_lines(self, lines: list[str]) -> None:
        """:meth:`check_exportable` for content filled line by line (instructions, a fix),
        each line located where it is written; *lines* are the directive's content."""
        for offset, line in enumerate(lines):
            self.check_exportable(line, self.content_line(offset))

    def report(self, message: str, subtype: Subtype = "directive", line: int | None = None) -> None:
        """Record a finding for this document and print it as a located warning."""
        source = self.source()
        finding = Finding(
            source.path, line or source.line, subtype, message, docname=source.docname
        )
        domain_of(self.env).add_finding(finding)
        emit(finding)

    def source(self) -> Source:
        """Where the directive is written: in an ``.. include::``d file, that file and line."""
        filename, line = self.get_source_info()
        if filename:
            path = relative_to_repo(self.env, filename)
        else:
            path = repo_path(self.env, self.env.docname)
        return Source(self.env.docname, path, line or self.lineno)

    def content_line(self, offset: int) -> int:
        """The line, in the directive's own source file, of content line *offset* (0-based)."""
        if self.is_myst:
            # MyST gives content_offset relative to the fence line, not to the document.
            return self.lineno + self.content_offset + offset + 1
        _source, line = self.state_machine.get_source_and_line(self.content_offset + offset + 1)
        return line if isinstance(line, int) else self.content_offset + offset + 1

    @property
    def is_myst(self) -> bool:
        return type(self.state).__module__.startswith("myst_parser")

    # --- arguments and options -----------------------------------------------------

    def identifier(self, what: str, example: str) -> str:
        if not self.arguments:
            raise DirectiveError(
                f"{self.directive_name} needs {what} as its argument, "
                f"e.g. `.. {self.directive_name}:: {example}`"
            )
        value = self.arguments[0]
        if not ID_PATTERN.fullmatch(value):
            noun = what.split(" ", 1)[1]  # "a step ID" -> "step ID"
            raise DirectiveError(
                f"invalid {noun} {value!r} for {self.directive_name}: use letters, digits, "
                "'-', '_' and '.', starting with a letter or digit"
            )
        return value

    def options_checked(self) -> Options:
        if self.is_myst:
            self._myst_options_checked()
        for name, raw in self.options.items():
            if isinstance(raw, _Unknown) or name not in self.known_options:
                known = ", ".join(f":{option}:" for option in self.known_options) or "none"
                raise DirectiveError(
                    f"unknown option :{name}: for {self.directive_name}; known options: {known}"
                )
        values = {
            name: self._convert(name, self.known_options[name], raw)
            for name, raw in self.options.items()
        }
        return Options(values)

    def _myst_options_checked(self) -> None:
        """The option block as written, read again: MyST keeps the last of a repeated option
        and runs the directive without any option when the block does not parse (with a
        warning); both are errors here, as a repeated option is in reST."""
        from myst_parser.parsers.options import TokenizeError, options_to_tokens

        block, first_line = myst_option_block(self.block_text, self.lineno)
        if block is None:
            return
        try:
            tokens, state = options_to_tokens(block)
        except TokenizeError as exc:
            raise DirectiveError(
                f"the option block does not parse: {exc.problem}",
                line=first_line + exc.problem_mark.line,
            ) from exc
        seen: set[str] = set()
        for key, _value in tokens:
            if key.value in seen:
                raise DirectiveError(
                    f"option :{key.value}: is given twice; give each option once",
                    line=first_line + key.start.line,
                )
            seen.add(key.value)
        if state.has_comments:
            raise DirectiveError(
                "the option block has a # comment, which MyST drops with the rest of its "
                "line: quote the value, or remove the comment",
                line=first_line + (state.comment_lines[0] if state.comment_lines else 0),
            )

    def _convert(self, name: str, kind: OptionKind, raw: str | None) -> Any:
        value = (raw or "").strip()
        if kind == "flag":
            if value:
                raise DirectiveError(f"option :{name}: takes no value, got {value!r}")
            return True
        if kind == "int":
            if not re.fullmatch(r"\d+", value):
                raise DirectiveError(f"option :{name}: must be a whole number >= 0, not {value!r}")
            return int(value)
        if kind == "number":
            try:
                number = float(value)
            except ValueError:
                number = -1.0
            if not value or number <= 0 or number != number or number == float("inf"):
                raise DirectiveError(
                    f"option :{name}: must be a number of seconds > 0, not {value!r}"
                )
            return number
        if kind == "regex":
            if not value:
                raise DirectiveError(f"option :{name}: needs a regular expression")
            try:
                re.compile(value)
            except re.error as exc:
                raise DirectiveError(
                    f"option :{name}: {value!r} is not a valid regular expression ({exc})"
                ) from exc
            return value
        if kind == "lines":
            return [line.strip() for line in (raw or "").splitlines() if line.strip()]
        if not value:
            raise DirectiveError(f"option :{name}: needs a value")
        return value

    def choice(self, name: str, value: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            raise DirectiveError(
                f"option :{name}: must be one of {', '.join(choices)}, not {value!r}"
            )
        return value

    # --- context -------------------------------------------------------------------

    def claim_anchor(self, node: nodes.Element, anchor: str) -> None:
        """Give *node* the HTML id *anchor*, refusing one the page already uses.

        Registered with the document, so a later section title that slugs to the same
        id gets another one instead of a duplicate.
        """
        document = self.state.document
        if anchor in document.ids:
            raise DirectiveError(
                f"the anchor {anchor!r} is already used on this page; choose another ID"
            )
        node["ids"].append(anchor)
        document.ids[anchor] = node

    @property
    def repo_root(self) -> Path:
        return Path(self.config.runbook_repo_root or self.env.srcdir)

    def note_repo_file(self, path: Path) -> None:
        """Rebuild this document when *path* (a repository file) changes."""
        self.env.note_dependency(str(path.resolve()))


_FENCE = re.compile(r"\s*(`{3,}|~{3,}|:{3,})\s*")


def myst_option_block(block_text: str, lineno: int) -> tuple[str | None, int]:
    """The option block of a MyST directive as MyST reads it, and the line it starts on.

    *block_text* is the whole fence (MyST gives it to the directive); the block is either
    ``:name: value`` lines right after the fence line, or a ``---`` delimited YAML block.
    """
    lines = block_text.splitlines()
    if lines and lines[0].lstrip()[:3] in ("```", "~~~", ":::"):
        lines = lines[1:]
    if lines and _FENCE.fullmatch(lines[-1]):
        lines = lines[:-1]
    if not lines:
        return None, 0
    if lines[0].startswith("---"):
        body: list[str] = []
        for line in lines[1:]:
            if line.startswith("---"):
                break
            body.append(line)
        return textwrap.dedent("\n".join(body)), lineno + 2
    taken: list[str] = []
    for line in lines:
        stripped = line.lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        taken.append(stripped[1:])
    return ("\n".join(taken), lineno + 1) if taken else (None, 0)
