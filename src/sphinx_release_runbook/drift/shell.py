"""Split a step's command into simple commands (words), placeholders masked.

Checks look at the words of each simple command (``a && b; c | d`` is three, and so
is a unit of three lines).  A placeholder becomes :data:`PLACEHOLDER`, so a word
holding one is known to be filled at run time: a path check skips it, a CLI parse
accepts it as a value.  A heredoc's body is data, not commands, and the reserved
words of a compound command (``if``, ``then``, ``do``...) are not commands either.

Every check of a command asks for its words again, so the split is memoised; its
result is immutable (tuples) because every caller shares it.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Sequence

from sphinx_release_runbook.core.shell_units import shell_code

PLACEHOLDER = "RUNBOOKxVALUE"
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_SEPARATORS = set(";&|()\n")
#: What shlex reads as quoting (POSIX mode): without any, a text splits as _PLAIN_TOKEN says.
_QUOTING = frozenset("'\"\\")
_PLAIN_TOKEN = re.compile(r"[;&|()\n]+|[^ \t\r;&|()\n]+")
#: Words that start a compound command or a part of one: the command follows them.
_RESERVED = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time"})
#: Words that close one; nothing follows them in the same simple command.
_CLOSING = frozenset({"fi", "done", "esac", "}"})
_PYTHON = re.compile(r"(?:.*/)?python(?:3(?:\.\d+)?)?$")
#: How many command texts the memo keeps (a few large guides' worth, as in core.shell_units).
_MEMO = 4096


@functools.lru_cache(maxsize=_MEMO)
def simple_commands(command: str) -> tuple[tuple[str, ...], ...]:
    """The words of each simple command; ``()`` when the shell text does not split."""
    code = shell_code(command.replace("\\\n", " "))
    masked = _EXPRESSION.sub(PLACEHOLDER, code)
    tokens = _tokens(masked)
    if tokens is None:
        return ()
    commands: list[list[str]] = [[]]
    for token in tokens:
        if set(token) <= _SEPARATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    return tuple(tuple(words) for words in map(_command_words, commands) if words)


def _tokens(masked: str) -> list[str] | None:
    """The words and operator runs of *masked*, as :mod:`shlex` (POSIX) splits them; None
    when a quote or ``\\`` is never closed."""
    if not _QUOTING & set(masked):
        # Without a quote or an escape shlex splits at blanks and around runs of the
        # operator characters, and nothing else: the same split, without its per-character
        # reading (a guide's commands are mostly such text).
        return _PLAIN_TOKEN.findall(masked)
    return shlex_tokens(masked)


def shlex_tokens(masked: str) -> list[str] | None:
    """:func:`_tokens` by :mod:`shlex` alone, for any text (the quick split is seen
    against it)."""
    # A line break ends a command as ";" does (comments are gone already).
    lexer = shlex.shlex(masked, posix=True, punctuation_chars=";&|()\n")
    lexer.whitespace = " \t\r"
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return None


def _command_words(words: list[str]) -> list[str]:
    """The words of one simple command: reserved words and leading assignments dropped."""
    while words and words[0] in _RESERVED:
        words = words[1:]
    if words and words[0] in _CLOSING:
        return []
    if words and words[0] in ("for", "select", "case", "function"):
        return []  # `for NAME in WORDS`: no command in it
    # Leading VAR=value assignments are environment, not the command.
    first = next((i for i, word in enumerate(words) if not re.match(r"\w+=", word)), len(words))
    return words[first:]


def strip_runner(words: Sequence[str]) -> list[str]:
    """``poetry run X ...`` / ``uv run X ...`` -> ``X ...`` (options of ``uv run`` skipped).

    Always a new list: *words* may be a memoised result shared by every caller.
    """
    if len(words) >= 2 and words[0] in ("poetry", "uv") and words[1] == "run":
        rest = list(words[2:])
        while rest and rest[0].startswith("-"):
            option = rest.pop(0)
            if option == "--":
                break
            if "=" not in option and option in UV_VALUE_OPTIONS and rest:
                rest.pop(0)
        return rest
    return list(words)


def is_python(word: str) -> bool:
    return bool(_PYTHON.match(word))


#: Options of ``uv run`` / ``poetry run`` that take a value.
UV_VALUE_OPTIONS = frozenset(
    {
        "--with",
        "--with-editable",
        "--with-requirements",
        "--python",
        "-p",
        "--package",
        "--extra",
        "--group",
        "--only-group",
        "--directory",
        "--project",
        "--env-file",
        "--index",
        "--default-index",
        "--index-url",
        "--extra-index-url",
        "-C",
    }
)
