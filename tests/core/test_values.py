"""Release values are data: each is validated to a safe alphabet before it reaches a shell.

core.versions refuses a package name outside PEP 508, a tag outside git's ref
rules (checked against ``git check-ref-format`` itself) or outside a plain
alphabet, and a current version that does not parse; the runner's
``release_for`` gets every refusal from there, so a hand-edited
``runbook.json`` cannot inject either.  core.templating compiles a template
into the parts the exported script fills, or says why it cannot.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_release_runbook.core.template_tree import (
    Expression,
    NotExportable,
    Placeholder,
    Text,
    compile_template,
)
from sphinx_release_runbook.core.templating import PlaceholderError
from sphinx_release_runbook.core.versions import (
    ReleaseValueError,
    VersionError,
    package_problem,
    parse_version,
    release_values,
    tag_problem,
    version_refusal,
)

# Nothing in here is interpreted by bash, in or out of double quotes.
SHELL_INERT = re.compile(r"[A-Za-z0-9._/+-]*")


def _values(**changes: str) -> dict[str, str]:
    arguments = {
        "tag_template": "v{{ version }}",
        "package": "demo",
        "previous_version": "0.3.0",
        **changes,
    }
    version = arguments.pop("version", "0.4.0")
    return release_values(version, **arguments)  # type: ignore[arg-type]


# --- package ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "Demo_Pkg", "a", "zope.interface", "my-pkg2", "A1.b_c-d"])
def test_pep508_names_are_accepted(name: str) -> None:
    assert package_problem(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "demo;touch${IFS}PWNED",
        "demo$(touch PWNED)",
        "`touch PWNED`",
        "demo pkg",
        "-demo",
        "demo-",
        "",
        "démo",
        "demo\n",
        "a'b",
    ],
)
def test_package_names_outside_pep508_are_refused_before_the_tag_is_rendered(name: str) -> None:
    with pytest.raises(ReleaseValueError) as error:
        _values(package=name, tag_template="{{ package }}-{{ version }}")
    assert str(error.value) == (
        f"the package name {name!r} is not a valid distribution name (PEP 508: letters, digits, "
        "'.', '_' and '-', starting and ending with a letter or digit)"
    )


# --- tag -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("v{{ version }}.lock", "git refuses a tag that ends with '.lock'"),
        ("v{{ version }}/", "git refuses a tag that ends with '/'"),
        ("v{{ version }}.", "git refuses a tag that ends with '.'"),
        ("release//{{ version }}", "git refuses a tag that contains '//'"),
        ("release/.{{ version }}", "git refuses a tag that has a part that starts with '.'"),
        ("a.lock/{{ version }}", "git refuses a tag that has a part that ends with '.lock'"),
        ("v{{ version }}..x", "git refuses a tag that contains '..'"),
        (
            "v{{ version }};touch PWNED",
            "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', and starts with a "
            "letter or digit",
        ),
        (
            "$(touch PWNED){{ version }}",
            "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', and starts with a "
            "letter or digit",
        ),
        (
            "-{{ version }}",
            "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', and starts with a "
            "letter or digit",
        ),
    ],
)
def test_bad_tags_are_refused_with_git_s_reason(template: str, reason: str) -> None:
    tag = template.replace("{{ version }}", "0.4.0")
    with pytest.raises(ReleaseValueError) as error:
        _values(tag_template=template)
    assert str(error.value) == (
        f"the tag {tag!r} (from the runbook's :tag: {template!r}) is not a valid git tag name: "
        f"{reason}"
    )


def _git_accepts(tag: str) -> bool:
    result = subprocess.run(
        ["git", "check-ref-format", f"refs/tags/{tag}"], capture_output=True, check=False
    )
    return result.returncode == 0


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab0.-_/+@{}~^:?*[\\ \t;$`'\"lock", max_size=12))
def test_every_accepted_tag_is_one_git_accepts_and_a_shell_leaves_alone(tag: str) -> None:
    if tag_problem(tag) is None:
        assert _git_accepts(tag), tag
        assert SHELL_INERT.fullmatch(tag), tag


@pytest.mark.parametrize("tag", ["v0.4.0", "0.4.0", "release/0.4.0", "demo-0.4.0+local", "V_1"])
def test_plain_tags_pass_and_git_agrees(tag: str) -> None:
    assert tag_problem(tag) is None
    assert _git_accepts(tag)


# --- versions --------------------------------------------------------------------------


def test_a_current_version_that_does_not_parse_is_refused() -> None:
    with pytest.raises(VersionError) as error:
        _values(previous_version="0.3.0$(touch${IFS}PWNED)")
    assert str(error.value) == (
        "the current version: '0.3.0$(touch${IFS}PWNED)' is not a PEP 440 version in normal "
        "form (for example 1.2.3, 1.2.3rc1, 1.2.3.post1)"
    )


@pytest.mark.parametrize("scheme", ["pep440", "semver"])
def test_digits_are_ascii_only(scheme: str) -> None:
    # Arabic-Indic digits match \d and int() reads them; they are no version to tag.
    with pytest.raises(VersionError):
        parse_version("\u0661.\u0662.\u0663", scheme)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20), st.sampled_from(["pep440", "semver"]))
def test_every_value_that_passes_is_shell_inert(text: str, scheme: str) -> None:
    try:
        values = _values(version=text, scheme=scheme, previous_version="")
    except (VersionError, ReleaseValueError):
        return
    for name in ("version", "tag", "package"):
        assert SHELL_INERT.fullmatch(values[name]), values


@pytest.mark.parametrize(
    ("text", "scheme", "message"),
    [
        (
            "0.4",
            "pep440",
            "--version '0.4' is not a PEP 440 version: '0.4' has 2 part(s); give "
            "MAJOR.MINOR.PATCH, such as 0.4.0",
        ),
        (
            "$(id)",
            "pep440",
            "--version '$(id)': '$(id)' is not a PEP 440 version in normal form (for example "
            "1.2.3, 1.2.3rc1, 1.2.3.post1)",
        ),
        (
            "v1.0.0",
            "semver",
            "--version 'v1.0.0' is not a semantic version: the version 'v1.0.0' starts with 'v'; "
            "give the bare version '1.0.0' (the tag adds the 'v')",
        ),
        (
            "1.0",
            "semver",
            "--version '1.0': '1.0' is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] "
            "(semver.org)",
        ),
    ],
)
def test_a_refused_version_names_the_grammar_once(text: str, scheme: str, message: str) -> None:
    with pytest.raises(VersionError) as error:
        parse_version(text, scheme)  # type: ignore[arg-type]
    assert version_refusal("--version", text, scheme, error.value) == message  # type: ignore[arg-type]


# --- compiling templates for the exported script ----------------------------------------


@pytest.mark.parametrize(
    ("template", "parts"),
    [
        ("git push", (Text("git push"),)),
        ("", ()),
        ("v{{version}}", (Text("v"), Placeholder("version"))),
        ("{{  tag  }} x", (Placeholder("tag"), Text(" x"))),
        ("a {{- version -}} b", (Text("a"), Placeholder("version"), Text("b"))),
        ("{{ '{{' }}x{# note #}{% raw %}{{ y }}{% endraw %}", (Text("{{x{{ y }}"),)),
        ("n{{ 1 }}", (Text("n1"),)),
    ],
)
def test_compile_keeps_text_and_placeholders(template: str, parts: tuple[object, ...]) -> None:
    assert compile_template(template) == parts


def test_compile_makes_filters_and_concatenation_expressions() -> None:
    (part,) = compile_template("{{ version | replace('.', '-') | upper }}")
    assert isinstance(part, Expression)
    assert part.tree == [
        "filter",
        "upper",
        ["filter", "replace", ["name", "version"], [".", "-"]],
        [],
    ]
    (joined,) = compile_template("{{ package ~ '-' ~ version }}")
    assert isinstance(joined, Expression) and joined.names == {"package", "version"}


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if version %}x{% endif %}", "an {% if %} block cannot be exported"),
        ("{% for c in version %}{{ c }}{% endfor %}", "a {% for %} loop cannot be exported"),
        ("{% set x = version %}{{ x }}", "a {% set %} cannot be exported"),
        ("{{ version[0] }}", "an index or slice (x[...]) cannot be exported"),
        ("{{ version.split('.') }}", "a call (x()) cannot be exported"),
        ("{{ version | e }}", "the filter |e cannot be exported"),
        ("{{ version | length }}", "the filter |length cannot be exported"),
        ("{{ version if tag else package }}", "a conditional (a if b else c) cannot be exported"),
        ("{{ version | replace('.') }}", "|replace takes 2 to 3 positional constant argument(s)"),
        ("{{ version | replace(tag, '-') }}", "|replace takes constant arguments"),
    ],
)
def test_what_the_script_cannot_evaluate_is_named(template: str, message: str) -> None:
    with pytest.raises(NotExportable) as error:
        compile_template(template)
    assert str(error.value).startswith(message), str(error.value)


def test_unknown_names_and_bad_syntax_are_the_runner_s_errors() -> None:
    with pytest.raises(PlaceholderError, match=r"unknown placeholder \{\{ tag \}\}"):
        compile_template("v{{ tag }}", ("version", "package"))
    with pytest.raises(PlaceholderError, match="bad placeholder syntax"):
        compile_template("{{ version ")
