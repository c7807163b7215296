"""Command splitting and placeholders (core.templating), without Sphinx."""

from __future__ import annotations

import pytest

from sphinx_release_runbook.core.shell_units import CommandText, split_commands, unterminated
from sphinx_release_runbook.core.templating import (
    PlaceholderError,
    check_placeholders,
    placeholder_names,
    render,
)

# --- templating.split_commands ---------------------------------------------------------


def test_split_commands_one_command_per_line() -> None:
    assert split_commands(["git add a", "git commit -m x"]) == [
        CommandText(0, "git add a"),
        CommandText(1, "git commit -m x"),
    ]


def test_split_commands_joins_backslash_continuations() -> None:
    assert split_commands(["twine upload \\", "  dist/*", "echo done"]) == [
        CommandText(0, "twine upload \\\n  dist/*"),
        CommandText(2, "echo done"),
    ]


def test_split_commands_keeps_an_open_quote_across_lines() -> None:
    lines = ['gh release create v1 --notes "one', "", 'two"', "echo after"]
    assert split_commands(lines) == [
        CommandText(0, 'gh release create v1 --notes "one\n\ntwo"'),
        CommandText(3, "echo after"),
    ]


def test_split_commands_skips_blank_and_comment_lines_but_keeps_offsets() -> None:
    lines = ["", "# a comment", "  ", "echo one  ", "   # indented comment", "echo two"]
    assert split_commands(lines) == [CommandText(3, "echo one"), CommandText(5, "echo two")]


def test_split_commands_apostrophe_inside_double_quotes_is_not_open() -> None:
    assert split_commands(['git commit -m "don\'t panic"', "echo x"]) == [
        CommandText(0, 'git commit -m "don\'t panic"'),
        CommandText(1, "echo x"),
    ]


def test_unterminated_finds_the_command_left_open_at_the_end() -> None:
    commands = split_commands(["echo ok", 'echo "never closed', "still open"])
    assert unterminated(commands) == CommandText(1, 'echo "never closed\nstill open')
    assert unterminated(split_commands(["echo trailing \\"])) == CommandText(0, "echo trailing \\")
    assert unterminated(split_commands(["echo ok"])) is None


# --- templating.check_placeholders -----------------------------------------------------


def test_check_placeholders_accepts_every_known_name() -> None:
    check_placeholders(
        "{{ version }} {{ tag }} {{ version_info }} {{ previous_version }} {{ package }}"
    )


def test_check_placeholders_names_the_first_unknown_one_and_the_known_ones() -> None:
    with pytest.raises(PlaceholderError) as error:
        check_placeholders("{{ zeta }} {{ alpha }} {{ version }}")
    assert str(error.value) == (
        "unknown placeholder {{ alpha }}; known: {{ version }}, {{ tag }}, {{ version_info }}, "
        "{{ previous_version }}, {{ package }}"
    )


def test_check_placeholders_lists_only_the_allowed_names() -> None:
    with pytest.raises(PlaceholderError) as error:
        check_placeholders("v{{ tag }}", ("version", "package"))
    assert str(error.value) == "unknown placeholder {{ tag }}; known: {{ version }}, {{ package }}"


def test_check_placeholders_reports_bad_syntax() -> None:
    with pytest.raises(PlaceholderError, match=r"^bad placeholder syntax: "):
        check_placeholders("git tag {{ version ")
    with pytest.raises(PlaceholderError, match=r"^bad placeholder syntax: "):
        placeholder_names("{% if %}")


def test_shell_text_without_placeholders_passes_unchanged() -> None:
    text = 'echo "${HOME}" $((1 + 2)) {a,b}'
    check_placeholders(text)
    assert render(text, {}) == text


def test_render_refuses_an_undefined_name_instead_of_an_empty_string() -> None:
    assert render("git tag {{ tag }}", {"tag": "v1.0.0"}) == "git tag v1.0.0"
    with pytest.raises(PlaceholderError, match="unknown placeholder"):
        render("git tag {{ tag }}", {})
