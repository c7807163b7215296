"""Split a step's command into simple commands (words), placeholders masked.

Checks look at the words of each simple command (``a && b; c | d`` is three).
A placeholder becomes :data:`PLACEHOLDER`, so a word holding one is known to be
filled at run time: a path check skips it, a CLI parse accepts it as a value.
"""

from __future__ import annotations

import re
import shlex

PLACEHOLDER = "RUNBOOKxVALUE"
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_OPERATORS = {"&&", "||", ";", "|", "&", ";;", "(", ")", "|&"}
_PYTHON = re.compile(r"(?:.*/)?python(?:3(?:\.\d+)?)?$")


def simple_commands(command: str) -> list[list[str]]:
    """The words of each simple command; ``[]`` when the shell text does not split."""
    masked = _EXPRESSION.sub(PLACEHOLDER, command.replace("\\\n", " "))
    lexer = shlex.shlex(masked, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    try:
        tokens = list(lexer)
    except ValueError:
        return []
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in _OPERATORS:
            commands.append([])
        else:
            commands[-1].append(token)
    # Leading VAR=value assignments are environment, not the command.
    return [
        words[next((i for i, w in enumerate(words) if not re.match(r"\w+=", w)), len(words)) :]
        for words in commands
        if words
    ]


def strip_runner(words: list[str]) -> list[str]:
    """``poetry run X ...`` / ``uv run X ...`` -> ``X ...`` (options of ``uv run`` skipped)."""
    if len(words) >= 2 and words[0] in ("poetry", "uv") and words[1] == "run":
        rest = words[2:]
        while rest and rest[0].startswith("-"):
            option = rest.pop(0)
            if option == "--":
                break
            if "=" not in option and option in UV_VALUE_OPTIONS and rest:
                rest.pop(0)
        return rest
    return words


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
