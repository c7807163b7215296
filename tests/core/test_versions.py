"""Version parsing, ordering and the release values (core.versions), without Sphinx."""

from __future__ import annotations

import pytest

from sphinx_release_runbook.core.versions import (
    VersionError,
    next_version,
    parse_version,
    release_values,
    version_info,
)

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
