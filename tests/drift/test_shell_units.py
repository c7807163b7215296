"""A step's content is cut into shell units (the choice of issue 9): pinned here without Sphinx.

Each unit is one ``bash -c`` for the runner and the exported script, so every unit the
splitter accepts must be a whole program to bash (``bash -n`` agrees), and every text it
refuses must be one bash refuses, or one that would run differently than written.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess

import pytest

from sphinx_release_runbook.core.shell_units import (
    UNTERMINATED,
    CommandText,
    shell_code,
    split_commands,
    unit_problem,
)
from sphinx_release_runbook.drift.shell import _tokens, shlex_tokens, simple_commands

UNITS = {
    "one line each": (["git add a", "git commit -m x"], ["git add a", "git commit -m x"]),
    "heredoc with blank and # lines in its body": (
        ["cat > notes.md <<EOF", "Release {{ version }}", "", "# kept", "EOF", "echo done"],
        ["cat > notes.md <<EOF\nRelease {{ version }}\n\n# kept\nEOF", "echo done"],
    ),
    "quoted heredoc word, piped": (
        ["cat <<'EOF' | tee x", "a $b", "EOF"],
        ["cat <<'EOF' | tee x\na $b\nEOF"],
    ),
    "heredoc with <<- and tabs": (["cat <<-EOF", "\tx", "\tEOF"], ["cat <<-EOF\n\tx\n\tEOF"]),
    "two heredocs on one line": (
        ["paste - - <<A 3<<B", "a", "A", "b", "B"],
        ["paste - - <<A 3<<B\na\nA\nb\nB"],
    ),
    "if block": (
        ["if git diff --quiet; then", "  echo clean", "else", "  echo dirty", "fi", "echo x"],
        ["if git diff --quiet; then\n  echo clean\nelse\n  echo dirty\nfi", "echo x"],
    ),
    "one-line if": (["if true; then echo a; fi"], ["if true; then echo a; fi"]),
    "for loop": (
        ["for f in dist/*; do", "  echo $f", "done"],
        ["for f in dist/*; do\n  echo $f\ndone"],
    ),
    "arithmetic for": (
        ["for ((i = 0; i < 3; i++)); do", "  echo $i", "done"],
        ["for ((i = 0; i < 3; i++)); do\n  echo $i\ndone"],
    ),
    "while reading a file": (
        ["while read -r line; do", '  echo "$line"', "done < list.txt"],
        ['while read -r line; do\n  echo "$line"\ndone < list.txt'],
    ),
    "case with patterns": (
        [
            'case "$1" in',
            "  a|b) echo ab ;;",
            "  (c) echo c",
            "    ;;",
            "  *) echo other ;;",
            "esac",
        ],
        ['case "$1" in\n  a|b) echo ab ;;\n  (c) echo c\n    ;;\n  *) echo other ;;\nesac'],
    ),
    "group with a redirection": (["{", "  echo a", "} > out.txt"], ["{\n  echo a\n} > out.txt"]),
    "subshell": (["(", "  cd dist", "  ls", ")"], ["(\n  cd dist\n  ls\n)"]),
    "function": (
        ["notify() {", '  echo "$1"', "}", "notify hi"],
        ['notify() {\n  echo "$1"\n}', "notify hi"],
    ),
    "command substitution over lines": (
        ["NOTES=$(", "  git log -1", ")", "echo $NOTES"],
        ["NOTES=$(\n  git log -1\n)", "echo $NOTES"],
    ),
    "continued with && and |": (
        ["make build &&", "  make test", "cat log |", "  grep ok"],
        ["make build &&\n  make test", "cat log |\n  grep ok"],
    ),
    "words that are not reserved here": (["echo fi done esac }"], ["echo fi done esac }"]),
    "a placeholder with quotes of its own": (
        ["echo {{ version | replace('.', '-') }}", "echo b"],
        ["echo {{ version | replace('.', '-') }}", "echo b"],
    ),
    "arithmetic and a here-string": (
        ["echo $((1 << 2))", "cat <<< hi"],
        ["echo $((1 << 2))", "cat <<< hi"],
    ),
}


@pytest.mark.parametrize(("lines", "units"), UNITS.values(), ids=UNITS.keys())
def test_the_content_is_cut_into_whole_units(lines: list[str], units: list[str]) -> None:
    found = split_commands(lines)
    assert [command.text for command in found] == units
    assert all(unit_problem(command.text) is None for command in found)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("lines", "units"), UNITS.values(), ids=UNITS.keys())
def test_bash_reads_every_unit_as_a_whole_program(lines: list[str], units: list[str]) -> None:
    for unit in units:
        if "{{" in unit:
            unit = unit.replace("{{ version | replace('.', '-') }}", "1-2-3")
            unit = unit.replace("{{ version }}", "1.2.3")
        checked = subprocess.run(["bash", "-n", "-c", unit], capture_output=True, check=False)
        assert checked.returncode == 0, (unit, checked.stderr)


def test_units_keep_the_line_they_start_on() -> None:
    lines = ["echo a", "", "if true; then", "  echo b", "fi", "# note", "echo c"]
    assert split_commands(lines) == [
        CommandText(0, "echo a"),
        CommandText(2, "if true; then\n  echo b\nfi"),
        CommandText(6, "echo c"),
    ]


REFUSED = {
    "open quote": ('echo "abc', UNTERMINATED),
    "trailing backslash": ("echo a \\", UNTERMINATED),
    "heredoc never closed": (
        "cat <<EOF\nabc",
        "the heredoc <<EOF is never closed: end it inside the step with a line that is exactly EOF",
    ),
    "heredoc word missing": (
        "cat <<",
        "`<<` needs the word that ends the heredoc, e.g. `cat <<EOF`",
    ),
    "if without fi": (
        "if true; then\n  echo a",
        "`if` is never closed: a compound command is one unit of the step, so its `fi` must "
        "be in the same step",
    ),
    "case without esac": (
        "case x in\n  x) echo ;;",
        "`case` is never closed: a compound command is one unit of the step, so its `esac` "
        "must be in the same step",
    ),
    "unclosed ${": (
        "echo ${X:-",
        "`${` is never closed: a compound command is one unit of the step, so its `}` must be "
        "in the same step",
    ),
    "stray fi": ("fi", "`fi` without an opening `if` in this step"),
    "stray brace": ("}", "`}` without an opening `{` in this step"),
    "stray parenthesis": ("echo a)", "`)` without an opening `(` in this step"),
    "ends with ||": (
        "test -f x ||",
        "the command ends with `||`: write what follows it on the next line of the step, or "
        "remove it",
    ),
}


@pytest.mark.parametrize(("text", "message"), REFUSED.values(), ids=REFUSED.keys())
def test_a_unit_left_open_or_closed_twice_says_how_to_write_it(text: str, message: str) -> None:
    (unit,) = split_commands(text.splitlines())
    assert unit_problem(unit.text) == message


def test_shell_code_drops_comments_and_heredoc_bodies_but_keeps_lines() -> None:
    text = 'cat > n <<EOF\ngit add nope\n# x\nEOF\ngit add n # stage\necho "#not"'
    assert shell_code(text) == 'cat > n <<EOF\n\n\n\ngit add n \necho "#not"'


def test_simple_commands_see_through_compound_commands_and_skip_heredoc_bodies() -> None:
    unit = (
        "if git diff --quiet; then\n  poetry run flake8 . # lint\nfi\n"
        "cat > n <<EOF\ngit add nope\nEOF\nfor f in a b; do\n  X=1 git add $f\ndone"
    )
    assert simple_commands(unit) == (
        ("git", "diff", "--quiet"),
        ("poetry", "run", "flake8", "."),
        ("cat", ">", "n", "<<EOF"),
        ("git", "add", "$f"),
    )


def test_a_text_without_quotes_splits_into_the_words_shlex_gives() -> None:
    # Every text of up to three of these pieces (quotes and a backslash among them, which
    # shlex splits itself), and of five of the first eight: the split of quote-free text
    # is seen against shlex's own.
    pieces = [
        "git",
        " ",
        "\t",
        "\r",
        "\n",
        ";",
        "&&",
        "|",
        "(",
        ")",
        "a#b",
        "$X",
        "{",
        "é",
        "'",
        "\\",
    ]
    texts = {
        "".join(parts) for count in range(4) for parts in itertools.product(pieces, repeat=count)
    }
    texts |= {"".join(parts) for parts in itertools.product(pieces[:8], repeat=5)}
    for text in texts:
        assert _tokens(text) == shlex_tokens(text), repr(text)


@pytest.mark.parametrize(
    ("unit", "words"),
    [
        ("echo a#b c # note", (("echo", "a#b", "c"),)),
        ("x={a,b} git add x{1}", (("git", "add", "x{1}"),)),
        ("git add a&&git push", (("git", "add", "a"), ("git", "push"))),
        ("git tag v1 ; echo $X|wc", (("git", "tag", "v1"), ("echo", "$X"), ("wc",))),
    ],
)
def test_plain_words_keep_their_hashes_braces_and_operators_apart(
    unit: str, words: tuple[tuple[str, ...], ...]
) -> None:
    # A '#' inside a word is part of it; operators end words with or without blanks.
    assert simple_commands(unit) == words
