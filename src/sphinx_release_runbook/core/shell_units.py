"""A step's content as shell units: what the runner runs as one ``bash -c`` each.

A unit is one logical command: a line, or lines joined by a ``\\`` continuation,
an open quote, a trailing ``&&``/``||``/``|``, a heredoc with its body, or a
compound command (``if``...``fi``, loops, ``case``, ``{ }``, ``( )``, functions).
Blank lines and ``#`` comment lines separate units and are not run.  Placeholders
(``{{ ... }}``) are masked before scanning, so their text never opens a quote.
Pure functions, no Sphinx import.

The scans are memoized on the text: one build asks about the same command from
the directive, the drift checks and the export, and every incremental build asks
again about the pages it re-reads.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass


# Slotted, as _Scan: the memos below keep one per unit of every page for the whole build,
# and without a __dict__ each is one object for the garbage collector to walk, not two.
@dataclass(frozen=True, slots=True)
class CommandText:
    """One shell unit of a step and the content line (0-based) it starts on."""

    offset: int
    text: str


# --- shell units ---------------------------------------------------------------------------
#
# A step's content is shell.  It is cut into *units*: the lines up to the first point where
# bash could run what it has read.  A heredoc (with its body and end line), a compound
# command (``if ... fi``, a loop, ``case ... esac``, ``{ ...; }``, ``( ... )``), a quote or a
# ``$( ... )`` that spans lines, a ``\`` continuation and a line ending in ``&&``, ``||`` or
# ``|`` are each one unit.  The runner and the exported script run each unit as one
# ``bash -c``.  The scanner below knows that much of bash's grammar and no more: where a
# unit ends, and why it does not.

#: Reserved words that open a compound command, and the word that closes it.
_OPENERS = {
    "if": "fi",
    "while": "done",
    "until": "done",
    "for": "done",
    "select": "done",
    "case": "esac",
    "{": "}",
    "(": ")",
}
_CLOSERS = {"fi": "if", "done": "while/until/for", "esac": "case", "}": "{", ")": "("}
#: Reserved words after which a command starts.
_LIST_WORDS = frozenset({"then", "do", "else", "elif", "!", "time"})
#: Operators after which bash reads on: the unit is not finished at the end of the line.
_CONTINUING = ("&&", "||", "|&", "|")
_REDIRECTIONS = ("&>>", "&>", ">>", ">&", ">|", "<&", "<>", ">", "<")
_METACHARACTERS = " \t\r\n;&|()<>"
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=")
#: Characters that mean nothing to the scanner inside a word (a ``#`` in a word is no comment).
_PLAIN_RUN = re.compile(r"[^ \t\r\n\\'\"`$;&|()<>]+")

#: The message for a unit whose quote or ``\`` continuation never ends.
UNTERMINATED = "unterminated quote or trailing backslash in this command"


@dataclass(frozen=True, slots=True)
class _Scan:
    """What is left open at the end of a text (``open``, ``detail``), or a closer too many."""

    open: str = ""  # "", "quote", "heredoc", "compound" or "operator"
    detail: str = ""
    stray: str = ""


class _Stop(Exception):
    def __init__(self, scan: _Scan) -> None:
        super().__init__(scan.open or scan.stray)
        self.scan = scan


@dataclass
class _Frame:
    """An open compound command: what opened it and, for ``case``, which part we are in."""

    opener: str
    mode: str = ""  # case: "subject", "in", "pattern", "body"


class _ShellScanner:
    """One pass over a text of shell: words, quotes, heredocs, compound commands, operators."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.stack: list[_Frame] = []
        self.heredocs: list[tuple[str, bool]] = []
        self.command_position = True
        self.word = ""
        self.quoted = False
        self.in_word = False
        self.function_name = False
        self.last_operator = ""
        #: [start, end) of every comment and every heredoc body (with its end line).
        self.skipped: list[tuple[int, int]] = []

    def scan(self) -> _Scan:
        try:
            self._scan()
        except _Stop as stop:
            return stop.scan
        if self.heredocs:
            return _Scan("heredoc", self.heredocs[0][0])
        if self.stack:
            return _Scan("compound", self.stack[-1].opener)
        if self.last_operator in _CONTINUING:
            return _Scan("operator", self.last_operator)
        return _Scan()

    def _scan(self) -> None:
        text = self.text
        while self.i < len(text):
            char = text[self.i]
            if char == "\n":
                self.end_word()
                self.newline()
            elif char in " \t\r":
                self.end_word()
                self.i += 1
            elif char == "\\" and text.startswith("\\\n", self.i):
                self.i += 2  # a continuation: the word goes on
            elif char == "#" and not self.in_word:
                end = text.find("\n", self.i)
                end = len(text) if end < 0 else end
                self.skipped.append((self.i, end))
                self.i = end
            elif text.startswith("((", self.i) and not self.in_word and not self.in_pattern():
                self.take(self.group_end(self.i + 2, 2, "((") - self.i, quoted=True)
            elif char in ";&|()<>":
                self.end_word()
                self.operator()
            elif char in "\\'\"`$":
                self.take(self.quoted_end(self.i) - self.i, quoted=True)
            else:
                # A run of plain characters is one part of the word: taken at once, not
                # one character per pass (most of a command is such runs).
                run = _PLAIN_RUN.match(text, self.i)
                self.take(run.end() - self.i if run else 1)
        self.end_word()

    # --- words ---------------------------------------------------------------------------

    def take(self, count: int, *, quoted: bool = False) -> None:
        self.word += self.text[self.i : self.i + count]
        self.quoted = self.quoted or quoted
        self.in_word = True
        self.i += count

    def in_pattern(self) -> bool:
        top = self.stack[-1] if self.stack else None
        return top is not None and top.opener == "case" and top.mode != "body"

    def end_word(self) -> None:
        if not self.in_word:
            return
        word, quoted = self.word, self.quoted
        self.word, self.quoted, self.in_word = "", False, False
        self.last_operator = ""
        top = self.stack[-1] if self.stack else None
        if top is not None and self.in_pattern():
            if top.mode == "subject":
                top.mode = "in"
            elif top.mode == "in":
                top.mode = "pattern"
            elif word == "esac" and not quoted:
                self.stack.pop()
                self.command_position = False
            return
        if self.function_name:  # `function NAME`: its body follows
            self.function_name = False
            self.command_position = True
        elif quoted or not self.command_position:
            self.command_position = False
        elif word in _OPENERS:
            self.stack.append(_Frame(word, "subject" if word == "case" else ""))
            self.command_position = word not in ("for", "select", "case")
        elif word in _CLOSERS:
            self.close(word)
        elif word == "function":
            self.function_name = True
        else:
            self.command_position = word in _LIST_WORDS or bool(_ASSIGNMENT.match(word))

    def close(self, closer: str) -> None:
        top = self.stack[-1] if self.stack else None
        if top is None or _OPENERS[top.opener] != closer:
            raise _Stop(_Scan(stray=closer))
        self.stack.pop()
        # After `( ... )` a function body may follow (`name() { ...; }`).
        self.command_position = closer == ")"

    # --- quotes and expansions -------------------------------------------------------------

    def quoted_end(self, i: int) -> int:
        """The end of the word part that starts at *i*: a quote, an expansion or a character."""
        text = self.text
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text):
                raise _Stop(_Scan("quote", "\\"))
            return i + 2
        if char == "'":
            return self.quote_end("'", i + 1)
        if char == '"':
            return self.double_quote_end(i + 1)
        if char == "`":
            return self.quote_end("`", i + 1, escapes=True)
        if text.startswith("$'", i):
            return self.quote_end("'", i + 2, escapes=True)
        if text.startswith("$((", i):
            return self.group_end(i + 3, 2, "$((")
        if text.startswith("$(", i):
            return self.group_end(i + 2, 1, "$(")
        if text.startswith("${", i):
            return self.braces_end(i + 2)
        return i + 1

    def quote_end(self, quote: str, start: int, *, escapes: bool = False) -> int:
        i = start
        while i < len(self.text):
            if escapes and self.text[i] == "\\":
                i += 2
            elif self.text[i] == quote:
                return i + 1
            else:
                i += 1
        raise _Stop(_Scan("quote", quote))

    def double_quote_end(self, start: int) -> int:
        i = start
        while i < len(self.text):
            char = self.text[i]
            if char == '"':
                return i + 1
            i = self.quoted_end(i) if char in "\\`$" else i + 1
        raise _Stop(_Scan("quote", '"'))

    def group_end(self, start: int, depth: int, opener: str) -> int:
        """The end of ``$( ... )``, ``$(( ... ))`` or ``(( ... ))``: parentheses balanced."""
        i = start
        while i < len(self.text):
            char = self.text[i]
            if char == "(":
                depth, i = depth + 1, i + 1
            elif char == ")":
                depth, i = depth - 1, i + 1
                if depth == 0:
                    return i
            elif char in "\\'\"`$":
                i = self.quoted_end(i)
            else:
                i += 1
        raise _Stop(_Scan("compound", opener))

    def braces_end(self, start: int) -> int:
        i = start
        while i < len(self.text):
            char = self.text[i]
            if char == "}":
                return i + 1
            i = self.quoted_end(i) if char in "\\'\"`$" else i + 1
        raise _Stop(_Scan("compound", "${"))

    # --- operators -------------------------------------------------------------------------

    def operator(self) -> None:
        text, i = self.text, self.i
        top = self.stack[-1] if self.stack else None
        if text.startswith((";;&", ";;", ";&"), i):
            self.i += 3 if text.startswith(";;&", i) else 2
            if top is not None and top.opener == "case":
                top.mode = "pattern"
            self.command_position, self.last_operator = True, ";;"
        elif text.startswith(("&&", "||", "|&"), i):
            self.i, self.last_operator, self.command_position = i + 2, text[i : i + 2], True
        elif text[i] in ";|" or (text[i] == "&" and not text.startswith("&>", i)):
            self.i, self.last_operator, self.command_position = i + 1, text[i], True
        elif text[i] == "(":
            self.i += 1
            if not self.in_pattern():  # else the optional "(" of a case pattern
                self.stack.append(_Frame("("))
                self.command_position = True
        elif text[i] == ")":
            self.i += 1
            if top is not None and self.in_pattern():
                top.mode, self.command_position = "body", True
            else:
                self.close(")")
        else:
            self.redirection()

    def redirection(self) -> None:
        text, i = self.text, self.i
        self.last_operator = ""
        self.command_position = False
        if text.startswith("<<<", i):
            self.i += 3
        elif text.startswith("<<", i):
            strip = text.startswith("<<-", i)
            self.i += 3 if strip else 2
            self.heredocs.append((self.heredoc_word(), strip))
        else:
            self.i += len(next(op for op in _REDIRECTIONS if text.startswith(op, i)))

    def heredoc_word(self) -> str:
        """The word that ends a heredoc (its quotes removed), read after ``<<``."""
        text = self.text
        while self.i < len(text) and text[self.i] in " \t":
            self.i += 1
        start = self.i
        while self.i < len(text) and text[self.i] not in _METACHARACTERS:
            self.i = self.quoted_end(self.i)
        word = re.sub(r"[\"'\\]", "", text[start : self.i])
        if not word:
            raise _Stop(_Scan(stray="<<"))
        return word

    def newline(self) -> None:
        self.i += 1
        self.command_position = True
        if self.last_operator not in _CONTINUING:
            self.last_operator = ""
        # The bodies of the heredocs opened on the line just ended come next, in order.
        body = self.i
        while self.heredocs:
            end, strip_tabs = self.heredocs[0]
            while True:
                if self.i >= len(self.text):
                    raise _Stop(_Scan("heredoc", end))
                line_end = self.text.find("\n", self.i)
                stop = len(self.text) if line_end < 0 else line_end
                line = self.text[self.i : stop].rstrip("\r")
                self.i = stop + 1
                if (line.lstrip("\t") if strip_tabs else line) == end:
                    break
            self.heredocs.pop(0)
        if self.i > body:
            self.skipped.append((body, self.i))


def _masked(command: str) -> str:
    """*command* with each placeholder one word to bash (its quotes are Jinja's, not the
    shell's); every character keeps its place, so positions in it are positions in *command*."""
    return _JINJA.sub(lambda match: re.sub(r"[^\n]", "J", match.group(0)), command)


#: How many texts each memo keeps (a few large guides' worth of commands).
_MEMO = 4096


@functools.lru_cache(maxsize=_MEMO)
def _scanned(command: str) -> tuple[_Scan, tuple[tuple[int, int], ...]]:
    """One pass over *command*: what is left open, and the spans bash does not run.

    One memo for both answers: the directive asks whether a unit is complete and the
    checks ask for its code without comments, about the same text.
    """
    scanner = _ShellScanner(_masked(command))
    scan = scanner.scan()
    return scan, tuple(scanner.skipped)


def _scan(command: str) -> _Scan:
    return _scanned(command)[0]


@functools.lru_cache(maxsize=_MEMO)
def shell_code(command: str) -> str:
    """*command* without its comments and heredoc bodies: what bash reads as commands.

    Line breaks are kept (a heredoc's body and end line each leave theirs), so a check
    can still tell one command from the next.
    """
    kept, position = [], 0
    for start, end in _scanned(command)[1]:
        kept.append(command[position:start])
        kept.append("\n" * command.count("\n", start, end))
        position = end
    kept.append(command[position:])
    return "".join(kept)


def _is_complete(command: str) -> bool:
    """True when *command* is a whole shell unit: nothing is left open at its end."""
    return not _scan(command).open


@functools.lru_cache(maxsize=_MEMO)
def unit_problem(command: str) -> str | None:
    """Why the unit *command* cannot run as written, and how to write it; None when it can."""
    scan = _scan(command)
    if scan.open == "quote":
        return UNTERMINATED
    if scan.open == "heredoc":
        return (
            f"the heredoc <<{scan.detail} is never closed: end it inside the step with a line "
            f"that is exactly {scan.detail}"
        )
    if scan.open == "compound":
        closer = "}" if scan.detail == "${" else _OPENERS.get(scan.detail, "))")
        closer = ")" if scan.detail == "$(" else closer
        return (
            f"`{scan.detail}` is never closed: a compound command is one unit of the step, "
            f"so its `{closer}` must be in the same step"
        )
    if scan.open == "operator":
        return (
            f"the command ends with `{scan.detail}`: write what follows it on the next line "
            "of the step, or remove it"
        )
    if scan.stray == "<<":
        return "`<<` needs the word that ends the heredoc, e.g. `cat <<EOF`"
    if scan.stray:
        return f"`{scan.stray}` without an opening `{_CLOSERS[scan.stray]}` in this step"
    return None


def split_commands(lines: Iterable[str]) -> list[CommandText]:
    """Group content lines into shell units (see above); each runs as one command.

    A unit goes on while a quote, a heredoc or a compound command is open, or
    while its line ends with ``\\``, ``&&``, ``||`` or ``|``.  Between units,
    blank lines and lines that are only a ``#`` comment separate them and are not
    run; inside a unit (a heredoc's body, an ``if`` block) they are kept.
    """
    return list(_split_commands(tuple(lines)))


@functools.lru_cache(maxsize=_MEMO)
def _split_commands(lines: tuple[str, ...]) -> tuple[CommandText, ...]:
    commands: list[CommandText] = []
    pending: list[str] = []
    start = 0
    for offset, line in enumerate(lines):
        if not pending:
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            start = offset
        pending.append(line)
        joined = "\n".join(pending)
        if _is_complete(joined):
            commands.append(CommandText(start, joined.strip()))
            pending = []
    if pending:
        commands.append(CommandText(start, "\n".join(pending).strip()))
    return tuple(commands)


def unterminated(commands: Iterable[CommandText]) -> CommandText | None:
    """The first unit left open at the end of the step (a quote, a heredoc, a block), if any."""
    for command in commands:
        if not _is_complete(command.text):
            return command
    return None
