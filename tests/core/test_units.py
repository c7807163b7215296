"""The pure pieces, without Sphinx: command splitting, placeholders, versions, bump edits, model."""

from __future__ import annotations

import pytest

from sphinx_release_runbook import bump
from sphinx_release_runbook.core.model import (
    BumpTarget,
    Export,
    Runbook,
    SchemaError,
    Source,
    Step,
    Troubleshoot,
)
from sphinx_release_runbook.core.templating import (
    CommandText,
    PlaceholderError,
    check_placeholders,
    placeholder_names,
    render,
    split_commands,
    unterminated,
)
from sphinx_release_runbook.core.versions import (
    VersionError,
    next_version,
    parse_version,
    release_values,
    version_info,
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


# --- variables ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "release", "extra"),
    [
        ("0.4.0", (0, 4, 0), ()),
        ("1.2.3rc1", (1, 2, 3), ("rc1",)),
        ("1.2.3.post2", (1, 2, 3), ("post2",)),
        ("1.2.3.dev0", (1, 2, 3), ("dev0",)),
        ("2.0.0a1.post1.dev3", (2, 0, 0), ("a1", "post1", "dev3")),
    ],
)
def test_parse_version_pep440(text: str, release: tuple[int, ...], extra: tuple[str, ...]) -> None:
    parsed = parse_version(text, "pep440")
    assert (parsed.text, parsed.release, parsed.extra) == (text, release, extra)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the version is empty; give one such as 1.2.3"),
        (
            "v1.2.3",
            "the version 'v1.2.3' starts with 'v'; give the bare version '1.2.3' "
            "(the tag adds the 'v')",
        ),
        ("1.2", "'1.2' has 2 part(s); give MAJOR.MINOR.PATCH, such as 1.2.0"),
        (
            "1.2.3-rc.1",
            "'1.2.3-rc.1' is not a PEP 440 version in normal form (for example "
            "1.2.3, 1.2.3rc1, 1.2.3.post1)",
        ),
        ("1.2.3; rm -rf /", "the version '1.2.3; rm -rf /' contains white space"),
        (
            "1.2.3$(id)",
            "'1.2.3$(id)' is not a PEP 440 version in normal form (for example "
            "1.2.3, 1.2.3rc1, 1.2.3.post1)",
        ),
    ],
)
def test_parse_version_pep440_refuses(text: str, message: str) -> None:
    with pytest.raises(VersionError) as error:
        parse_version(text, "pep440")
    assert str(error.value) == message


def test_parse_version_semver() -> None:
    parsed = parse_version("1.2.3-rc.1", "semver")
    assert (parsed.release, parsed.extra) == ((1, 2, 3), ("rc.1",))
    assert parse_version("0.4.0", "semver").extra == ()
    for bad in ("1.2", "01.2.3", "1.2.3+build.5", "1.2.3rc1"):
        with pytest.raises(VersionError, match="is not a semantic version"):
            parse_version(bad, "semver")


@pytest.mark.parametrize(
    ("scheme", "ascending"),
    [
        (
            "semver",
            [
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.10.0",
            ],
        ),
        (
            "pep440",
            ["1.0.0.dev1", "1.0.0a1", "1.0.0rc1", "1.0.0", "1.0.0.post1", "1.0.1", "1.10.0"],
        ),
    ],
)
def test_versions_sort_by_precedence(scheme: str, ascending: list[str]) -> None:
    parsed = [parse_version(text, scheme) for text in ascending]  # type: ignore[arg-type]
    assert sorted(parsed) == parsed
    assert len({version.key for version in parsed}) == len(parsed)


@pytest.mark.parametrize(
    ("current", "part", "expected"),
    [
        ("0.3.0", "patch", "0.3.1"),
        ("0.3.7", "minor", "0.4.0"),
        ("0.3.7", "major", "1.0.0"),
        ("1.2.3rc1", "patch", "1.2.4"),
    ],
)
def test_next_version(current: str, part: str, expected: str) -> None:
    assert next_version(current, part) == expected


def test_next_version_semver_and_unknown_part() -> None:
    assert next_version("1.2.3-rc.1", "minor", "semver") == "1.3.0"
    with pytest.raises(VersionError, match="unknown version part 'micro'"):
        next_version("1.2.3", "micro")


def test_version_info() -> None:
    assert version_info("0.4.0") == (0, 4, 0)
    assert version_info("1.2.3rc1") == (1, 2, 3, "rc1")
    assert version_info("1.2.3-rc.1", "semver") == (1, 2, 3, "rc.1")


def test_release_values_fill_every_placeholder() -> None:
    values = release_values(
        "0.4.0", tag_template="v{{ version }}", package="demo", previous_version="0.3.0"
    )
    assert values == {
        "version": "0.4.0",
        "tag": "v0.4.0",
        "version_info": "(0, 4, 0)",
        "previous_version": "0.3.0",
        "package": "demo",
    }


# --- bump.locate / bump.apply ------------------------------------------------------------

PYPROJECT = """\
# the project
[tool.poetry]
name = "demo"  # the name
version   =   '0.3.0'   # keep this comment

[tool.poetry.dependencies]
python = "^3.11"
version = "not this one"
"""

VERSION_PY = """\
\"\"\"Version.\"\"\"
# héllo: a non-ASCII comment before the value
__version__: str = "0.3.0"  # trailing
__version_info__ = (0, 3, 0)
other = "0.3.0"
"""


def only_change(old: str, new: str, before: str, after: str) -> None:
    """*new* is *old* with exactly one occurrence span *before* replaced by *after*."""
    start = old.index(before)
    assert new == old[:start] + after + old[start + len(before) :]


def test_locate_toml_key_gives_line_and_span_of_the_value() -> None:
    site = bump.locate(PYPROJECT, BumpTarget("pyproject.toml", "tool.poetry.version"))
    assert (site.line, site.value) == (4, "0.3.0")
    assert site.text == "version   =   '0.3.0'   # keep this comment"
    assert site.text[site.start : site.end] == "'0.3.0'"


def test_apply_toml_changes_only_the_value() -> None:
    target = BumpTarget("pyproject.toml", "tool.poetry.version")
    new = bump.apply(PYPROJECT, target, "0.4.0", (0, 4, 0))
    only_change(PYPROJECT, new, "'0.3.0'", "'0.4.0'")


def test_locate_python_assignments() -> None:
    version = bump.locate(VERSION_PY, BumpTarget("pkg/_version.py", "__version__"))
    assert (version.line, version.value) == (3, "0.3.0")
    assert version.text[version.start : version.end] == '"0.3.0"'
    info = bump.locate(VERSION_PY, BumpTarget("pkg/_version.py", "__version_info__"))
    assert (info.line, info.value) == (4, "0.3.0")
    assert info.text[info.start : info.end] == "(0, 3, 0)"


def test_apply_python_changes_only_the_value_every_other_byte_unchanged() -> None:
    version = bump.apply(VERSION_PY, BumpTarget("v.py", "__version__"), "1.2.3rc1", ())
    only_change(VERSION_PY, version, '"0.3.0"  # trailing', '"1.2.3rc1"  # trailing')
    info = bump.apply(
        VERSION_PY, BumpTarget("v.py", "__version_info__"), "1.2.3rc1", (1, 2, 3, "rc1")
    )
    only_change(VERSION_PY, info, "(0, 3, 0)", "(1, 2, 3, 'rc1')")


def test_apply_keeps_crlf_line_endings() -> None:
    text = VERSION_PY.replace("\n", "\r\n")
    new = bump.apply(text, BumpTarget("v.py", "__version__"), "0.4.0", (0, 4, 0))
    only_change(text, new, '"0.3.0"', '"0.4.0"')


@pytest.mark.parametrize(
    ("text", "target", "message"),
    [
        (
            PYPROJECT,
            BumpTarget("pyproject.toml", "project.version"),
            "pyproject.toml: no table [project] (looking for project.version)",
        ),
        (
            PYPROJECT,
            BumpTarget("pyproject.toml", "tool.poetry.missing"),
            "pyproject.toml: no key tool.poetry.missing",
        ),
        (
            "[a]\nversion = 3\n",
            BumpTarget("x.toml", "a.version"),
            "x.toml: a.version is not a string",
        ),
        (VERSION_PY, BumpTarget("v.py", "__missing__"), "v.py: no assignment to __missing__"),
        (
            "__version__ = get()\n",
            BumpTarget("v.py", "__version__"),
            "v.py:1: __version__ is not a string or a tuple literal, so it cannot be bumped",
        ),
        ("[a\n", BumpTarget("x.toml", "a.version"), None),
        ("def (:\n", BumpTarget("v.py", "__version__"), "v.py:1: not valid Python: invalid syntax"),
        ("x", BumpTarget("setup.cfg", "metadata.version"), None),
    ],
)
def test_locate_refuses_with_a_message_naming_the_file(
    text: str, target: BumpTarget, message: str | None
) -> None:
    with pytest.raises(bump.BumpError) as error:
        bump.locate(text, target)
    assert str(error.value).startswith(target.path)
    if message is not None:
        assert str(error.value) == message


# --- model round trip --------------------------------------------------------------------


def sample_export() -> Export:
    source = Source("deployment/pypi", "docs/deployment/pypi.rst", 42)
    steps = [
        Step(
            id="bump",
            title="Bump",
            kind="bump",
            runbook="pypi",
            source=source,
            number=1,
            bump=[BumpTarget("pyproject.toml", "tool.poetry.version")],
            anchor="step-bump",
            url="deployment/pypi.html#step-bump",
        ),
        Step(
            id="wait",
            title="Wait for the index",
            kind="wait",
            runbook="pypi",
            source=Source("deployment/pypi", "docs/deployment/pypi.rst", 60),
            number=2,
            commands=["pip index versions demo", 'echo "a\nb"'],
            expect="{{ version }}",
            cwd="sub dir",
            env={"Z": "1", "A": "é"},
            timeout=12.5,
            retry=3,
            interval=2.0,
            skip_if="false",
            confirm=True,
            requires=["pip", "git"],
        ),
        Step(
            id="announce",
            title="Announce",
            kind="manual",
            runbook="pypi",
            source=source,
            number=3,
            instructions="Post it.",
            expect_empty=False,
        ),
    ]
    entry = Troubleshoot("exists", "Exists", "already exists", "Bump.", "pypi", source, "a", "u")
    runbook = Runbook("pypi", "PyPI", "semver", "v{{ version }}", "demo", source, steps, [entry])
    return Export(project="demo", runbooks=[runbook], generator="sphinx-release-runbook 0.1.0")


def test_model_round_trip_is_lossless() -> None:
    export = sample_export()
    data = export.to_dict()
    again = Export.from_dict(data)
    assert again == export
    assert again.to_dict() == data
    assert Export.from_dict(__import__("json").loads(export.to_json())) == export


def test_model_to_json_is_deterministic_and_sorts_env() -> None:
    text = sample_export().to_json()
    assert text == sample_export().to_json()
    assert text.endswith("}\n")
    assert text.index('"A": "é"') < text.index('"Z": "1"')  # sorted, not escaped


def test_model_refuses_an_unknown_schema_or_missing_field() -> None:
    data = sample_export().to_dict()
    with pytest.raises(
        SchemaError, match="unsupported runbook schema 2; this version reads schema 1"
    ):
        Export.from_dict({**data, "schema": 2})
    broken = sample_export().to_dict()
    del broken["runbooks"][0]["steps"][0]["kind"]
    with pytest.raises(SchemaError, match=r"malformed runbook\.json: missing or bad field 'kind'"):
        Export.from_dict(broken)


def test_export_runbook_lookup_messages() -> None:
    export = sample_export()
    assert export.runbook().name == "pypi"
    assert export.runbook("pypi").step("wait").number == 2
    with pytest.raises(KeyError, match="no runbook named 'docs'; the docs define: pypi"):
        export.runbook("docs")
    with pytest.raises(KeyError, match="has no step 'nope'; its steps are: bump, wait, announce"):
        export.runbook().step("nope")
