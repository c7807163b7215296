"""The checks of issue 9 without Sphinx: tag names, package names, files that escape or
exhaust, unchecked links, long lists."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.versions import tag_problem
from sphinx_release_runbook.drift import MirrorItem, PackageRef, PathRef, TagRef
from sphinx_release_runbook.drift.link import unchecked_repository
from sphinx_release_runbook.drift.mirror.select import (
    MAX_YAML_NODES,
    SelectionError,
    parse_data,
)
from sphinx_release_runbook.drift.registry import run
from sphinx_release_runbook.drift.repository import OutsideRepository, Repository
from sphinx_release_runbook.drift.tag import package_problem
from sphinx_release_runbook.drift.tool import shortened

from .conftest import AT, MakeRepo

# --- tag names, by git's rules -----------------------------------------------------------

TAGS = [
    "v1.2.3",
    "release/1.2.3",
    "pkg-1.2.3rc1",
    "1.2.3-rc.4",
    "ü1",
    "@",
    "x@",
    "v1.0+build",
    "",
    "-1.2.3",
    "a b",
    "v1.2.3.lock",
    "v1/",
    "/v1",
    "v1.",
    ".v1",
    "v1/.x",
    "v1.lock/x",
    "v1..2",
    "v@{1",
    "a//b",
    "x~1",
    "x^1",
    "v1:2",
    "v?",
    "v*",
    "v[",
    "v\\x",
    "v\t1",
    "v\x7f",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("tag", TAGS, ids=repr)
def test_tag_names_are_judged_as_git_judges_them(tag: str) -> None:
    """A tag the build accepts, git accepts (``git check-ref-format refs/tags/TAG``).

    The rule (:func:`tag_problem`, the runner's own) is git's narrowed to a plain
    alphabet, so it may refuse a name git takes, never the other way round.
    """
    checked = subprocess.run(
        ["git", "check-ref-format", f"refs/tags/{tag}"], capture_output=True, check=False
    )
    git_accepts = checked.returncode == 0 and tag != "" and not tag.startswith("-")
    if tag_problem(tag) is None:
        assert git_accepts, tag
    if not git_accepts:
        assert tag_problem(tag) is not None, tag


def test_a_tag_template_must_change_with_the_version(make_repo: MakeRepo) -> None:
    repo = make_repo()
    fine = TagRef("{{ package }}-v{{ version }}", "demo", "semver", AT)
    same = TagRef("v{{ version[:1] }}", "demo", "pep440", AT)
    (finding,) = run(repo, [fine, same])
    assert finding == Finding(
        AT.path,
        AT.line,
        "placeholder",
        "option :tag: 'v{{ version[:1] }}' gives the same tag 'v1' for versions 1.2.3 and "
        "10.20.30rc4; the tag must change with {{ version }}",
        docname=AT.docname,
    )


def test_a_package_in_the_tag_is_part_of_the_tag(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [TagRef("{{ package }}/v{{ version }}", "a..b", "pep440", AT)])
    assert finding.message == (
        "option :tag: '{{ package }}/v{{ version }}' gives the tag 'a..b/v1.2.3' for version "
        "1.2.3, which is not a valid tag name: git refuses a tag that contains '..'"
    )


# --- package names -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["demo", "Demo_Pkg", "a", "a.b-c_d", "9lives", "zope.interface"])
def test_pep_508_names_pass(name: str) -> None:
    assert package_problem(name) is None


@pytest.mark.parametrize(
    "name",
    ["demo;touch${IFS}PWNED", "x$(id)", "a b", "-a", "a-", ".a", "a`b`", "ünï", "", "a\nb"],
)
def test_anything_else_is_refused_where_it_is_defined(name: str, make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [PackageRef(name, AT)])
    assert finding.subtype == "placeholder"
    assert finding.message == (
        f"option :package: {name!r} is not a package name (PEP 508: letters, digits, '.', '-' "
        "and '_', starting and ending with a letter or digit)"
    )


# --- files that escape the repository ------------------------------------------------------


@pytest.fixture
def escaping(tmp_path: Path) -> Repository:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("SECRET\n", encoding="utf-8")
    (root / "inside.txt").write_text("inside\n", encoding="utf-8")
    os.symlink("../secret.txt", root / "out.txt")
    os.symlink("inside.txt", root / "alias.txt")
    os.symlink("..", root / "up")
    return Repository(root)


ESCAPES = (
    "resolves, through a symlink, outside the repository; name a file inside it (the build "
    "reads no file outside the repository)"
)


@pytest.mark.parametrize("path", ["out.txt", "up/secret.txt"])
def test_a_path_through_a_symlink_out_is_refused_and_not_read(
    escaping: Repository, path: str
) -> None:
    findings = run(escaping, [PathRef(path, AT, "release-path"), MirrorItem(path, AT)])
    assert [(f.subtype, f.message) for f in findings] == [
        ("path", f"release-path {path!r} {ESCAPES}"),
        ("path", f"release-file {path!r} {ESCAPES}"),
    ]
    assert escaping.read == []
    with pytest.raises(OutsideRepository):
        escaping.read_text(path)


def test_a_symlink_that_stays_inside_is_read(escaping: Repository) -> None:
    assert run(escaping, [MirrorItem("alias.txt", AT, content="inside", content_line=9)]) == []


def test_a_missing_path_names_a_root_without_git(tmp_path: Path) -> None:
    repo = Repository(tmp_path, without_git=True)
    (finding,) = run(repo, [PathRef("gone.txt", AT, "release-path")])
    assert finding.message == (
        f"release-path 'gone.txt' does not exist under {tmp_path} (not in a git repository, so "
        "taken as the repository's root: set runbook_repo_root in conf.py)"
    )


# --- data that would exhaust the build -----------------------------------------------------


def laughs(levels: int) -> str:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        name, previous = chr(97 + level), chr(96 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_aliases_are_bounded() -> None:
    assert parse_data(laughs(4), "yaml")["d"][0][0][0] == ["x"] * 10  # about 11,000 values
    with pytest.raises(SelectionError, match=f"expand to more than {MAX_YAML_NODES} values"):
        parse_data(laughs(9), "yaml")


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("a: &a [*a]\n", "yaml", "does not parse as YAML: an alias refers to itself"),
        ("a: &a {b: *a}\n", "yaml", "does not parse as YAML: an alias refers to itself"),
        ("[" * 50_000 + "]" * 50_000, "yaml", "does not parse as YAML: it is nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "json", "does not parse as JSON: it is nested too deeply"),
        ("a = " + "[" * 100_000 + "]" * 100_000, "toml", "does not parse as TOML: it is nested"),
        ("x: 1\n" * 250_000, "yaml", "is 1250000 bytes of YAML; data over 1000000 bytes"),
        ('{"a": "' + "x" * 1_000_000 + '"}', "json", "bytes of JSON; data over 1000000 bytes"),
    ],
    ids=["self", "self-in-a-map", "deep-yaml", "deep-json", "deep-toml", "big-yaml", "big-json"],
)
def test_data_past_a_limit_is_refused_with_the_limit(text: str, fmt: str, message: str) -> None:
    with pytest.raises(SelectionError) as error:
        parse_data(text, fmt)
    assert message in str(error.value)


# --- links the check skips, and long lists -------------------------------------------------


@pytest.mark.parametrize(
    ("repo_url", "url", "unchecked"),
    [
        ("", "https://github.com/acme/proj/blob/main/x.md", "https://github.com/acme/proj"),
        (
            "https://gitlab.com/acme/proj",
            "https://github.com/acme/proj/tree/main/d",
            "https://github.com/acme/proj",
        ),
        (
            "https://github.com/me/proj",
            "https://github.com/acme/proj/blob/main/x",
            "https://github.com/acme/proj",
        ),
        ("https://github.com/acme/proj", "https://github.com/acme/proj/blob/main/x", None),
        ("https://github.com/me/proj", "https://github.com/pypa/twine/blob/main/x", None),
        ("", "https://github.com/acme/proj", None),
        ("", "https://example.com/acme/proj/blob/main/x", None),
    ],
    ids=[
        "no-origin",
        "mirror",
        "fork",
        "checked",
        "other-project",
        "not-a-tree-link",
        "not-github",
    ],
)
def test_links_the_check_skips_are_told(repo_url: str, url: str, unchecked: str | None) -> None:
    assert unchecked_repository(repo_url, url) == unchecked


def test_long_lists_are_cut_with_a_count() -> None:
    assert shortened(["a", "b"]) == "a, b"
    assert shortened([str(i) for i in range(9)]) == "0, 1, 2, 3, 4, 5, 6, 7, 8"
    assert shortened([str(i) for i in range(12)]) == "0, 1, 2, 3, 4, 5, 6, 7 and 4 more"
