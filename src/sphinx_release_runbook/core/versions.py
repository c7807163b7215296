"""Release variables: the version under a scheme and the values derived from it.

``version`` is the only value a user types; ``tag``, ``version_info``,
``previous_version`` and ``package`` are derived.  Every value that reaches a
shell is validated to a safe alphabet, never quoted (a quote would break
``git commit -m "bump to {{ version }}"``): both versions by
:func:`parse_version`, whose grammar admits no shell metacharacter, the package
by PEP 508's name grammar (:func:`package_problem`) and the tag by git's ref
rules narrowed to a plain alphabet (:func:`tag_problem`).  :func:`release_values`
applies all of them, so a hand-edited ``runbook.json`` cannot inject either.
The exported script's helper (``export/helper.py``) applies the same rules
with the same messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from sphinx_release_runbook.core.errors import RunbookError
from sphinx_release_runbook.core.model import VersionScheme
from sphinx_release_runbook.core.templating import render

BUMP_PARTS = ("major", "minor", "patch")

# semver.org 2.0.0, anchored; build metadata is refused because tags and PyPI drop it.
_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?",
    re.ASCII,  # \d is [0-9]: a version of Arabic-Indic digits is no version to tag
)
# PEP 440 public versions in their normalised spelling only: "v0.4.0" or "0.4"
# would parse with packaging but are not what the version files should hold.
_PEP440_CANONICAL = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", re.ASCII)

#: How the rendered docs show each placeholder until the reader types a version.
DISPLAY_VERSION = "X.Y.Z"


#: How messages name each scheme's grammar.
SCHEME_NAMES = {"pep440": "PEP 440 version", "semver": "semantic version"}

# PEP 508 names: letters, digits, '.', '_' and '-', starting and ending with a letter or digit.
PACKAGE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?", re.ASCII)
# A tag's alphabet: what git allows in a ref, narrowed to what no shell interprets.
_TAG_ALPHABET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*", re.ASCII)


class VersionError(RunbookError, ValueError):
    """A version string is not acceptable; the message says why."""


class ReleaseValueError(RunbookError, ValueError):
    """A package name or a tag is outside its safe alphabet; the message says why."""


@dataclass(frozen=True, order=True)
class ParsedVersion:
    """A version with a total order that both schemes share."""

    key: tuple[object, ...]
    text: str
    release: tuple[int, ...]
    extra: tuple[str, ...]


def parse_version(text: str, scheme: VersionScheme = "pep440") -> ParsedVersion:
    """Parse *text* strictly under *scheme* or raise :class:`VersionError`."""
    if not text:
        raise VersionError("the version is empty; give one such as 1.2.3")
    if text != text.strip() or any(ch.isspace() for ch in text):
        raise VersionError(f"the version {text!r} contains white space")
    if text[0] in "vV":
        raise VersionError(
            f"the version {text!r} starts with 'v'; give the bare version {text[1:]!r} "
            "(the tag adds the 'v')"
        )
    if scheme == "semver":
        match = _SEMVER.fullmatch(text)
        if not match:
            raise VersionError(
                f"{text!r} is not a semantic version MAJOR.MINOR.PATCH[-PRERELEASE] (semver.org)"
            )
        release = tuple(int(part) for part in match.groups()[:3])
        pre = match.group(4)
        # A pre-release sorts before its release; identifiers compare numerically when numeric.
        pre_key: tuple[object, ...] = (
            (1,)
            if pre is None
            else (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
        )
        return ParsedVersion((release, pre_key), text, release, (pre,) if pre else ())
    if not _PEP440_CANONICAL.fullmatch(text):
        raise VersionError(
            f"{text!r} is not a PEP 440 version in normal form (for example 1.2.3, 1.2.3rc1, "
            "1.2.3.post1)"
        )
    try:
        parsed = Version(text)
    except InvalidVersion as exc:  # pragma: no cover - the regex is stricter than packaging
        raise VersionError(f"{text!r} is not a PEP 440 version") from exc
    if len(parsed.release) < 3:
        raise VersionError(
            f"{text!r} has {len(parsed.release)} part(s); give MAJOR.MINOR.PATCH, such as "
            f"{'.'.join([*map(str, parsed.release), *['0'] * (3 - len(parsed.release))])}"
        )
    extra: list[str] = []
    if parsed.pre:
        extra.append(f"{parsed.pre[0]}{parsed.pre[1]}")
    if parsed.post is not None:
        extra.append(f"post{parsed.post}")
    if parsed.dev is not None:
        extra.append(f"dev{parsed.dev}")
    return ParsedVersion((parsed,), text, tuple(parsed.release), tuple(extra))


def version_info(version: str, scheme: VersionScheme = "pep440") -> tuple[int | str, ...]:
    """The ``__version_info__`` tuple: release numbers, then pre/post/dev parts as strings."""
    parsed = parse_version(version, scheme)
    return (*parsed.release, *parsed.extra)


def format_version_info(info: tuple[int | str, ...]) -> str:
    """Python source for a version-info tuple, as ``repr`` would write it."""
    return repr(tuple(info))


def next_version(current: str, part: str, scheme: VersionScheme = "pep440") -> str:
    """The next release after *current* for ``major``, ``minor`` or ``patch``."""
    if part not in BUMP_PARTS:
        raise VersionError(f"unknown version part {part!r}; use one of {', '.join(BUMP_PARTS)}")
    release = list(parse_version(current, scheme).release[:3])
    index = BUMP_PARTS.index(part)
    release[index] += 1
    release[index + 1 :] = [0] * (2 - index)
    return ".".join(map(str, release))


def version_refusal(label: str, text: str, scheme: VersionScheme, error: VersionError) -> str:
    """The message that refuses *text* given as *label* (``--version``): grammar, then reason.

    ``--version '0.4' is not a PEP 440 version: '0.4' has 2 part(s); ...``; a
    reason that names the grammar itself follows the label directly.
    """
    reason = str(error)
    grammar = SCHEME_NAMES[scheme]
    if f"is not a {grammar}" in reason:
        return f"{label} {text!r}: {reason}"
    return f"{label} {text!r} is not a {grammar}: {reason}"


def package_problem(package: str) -> str | None:
    """Why *package* is not a PEP 508 distribution name (so unsafe in a command), or None."""
    if PACKAGE_NAME.fullmatch(package):
        return None
    return (
        f"the package name {package!r} is not a valid distribution name (PEP 508: letters, "
        "digits, '.', '_' and '-', starting and ending with a letter or digit)"
    )


def tag_problem(tag: str) -> str | None:
    """Why *tag* is not a tag git accepts (``git check-ref-format``) in a plain alphabet, or None.

    The alphabet (letters, digits, ``. _ / + -``, a letter or digit first)
    leaves out every character git refuses and every one a shell interprets;
    git's remaining rules are checked one by one.
    """
    if not _TAG_ALPHABET.fullmatch(tag):
        return (
            "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', "
            "and starts with a letter or digit"
        )
    for bad, why in (
        ("..", "contains '..'"),
        ("//", "contains '//'"),
        ("/.", "has a part that starts with '.'"),
        (".lock/", "has a part that ends with '.lock'"),
    ):
        if bad in tag:
            return f"git refuses a tag that {why}"
    for end, why in (
        ("/", "ends with '/'"),
        (".", "ends with '.'"),
        (".lock", "ends with '.lock'"),
    ):
        if tag.endswith(end):
            return f"git refuses a tag that {why}"
    return None


def check_release_values(
    values: dict[str, str], *, tag_template: str, scheme: VersionScheme
) -> None:
    """Refuse a value outside its alphabet (:class:`VersionError`, :class:`ReleaseValueError`)."""
    parse_version(values["version"], scheme)
    if values["previous_version"]:
        try:
            parse_version(values["previous_version"], scheme)
        except VersionError as exc:
            raise VersionError(f"the current version: {exc}") from exc
    problem = package_problem(values["package"])
    if problem:
        raise ReleaseValueError(problem)
    problem = tag_problem(values["tag"])
    if problem:
        raise ReleaseValueError(
            f"the tag {values['tag']!r} (from the runbook's :tag: {tag_template!r}) is not a "
            f"valid git tag name: {problem}"
        )


def release_values(
    version: str,
    *,
    tag_template: str,
    package: str,
    previous_version: str,
    scheme: VersionScheme = "pep440",
) -> dict[str, str]:
    """Every placeholder's value for a release of *version*, each validated to its alphabet.

    Raises :class:`VersionError` for a bad version (or current version),
    :class:`ReleaseValueError` for a bad package name or tag, and
    :class:`~sphinx_release_runbook.core.templating.PlaceholderError` for a
    tag template that does not render.
    """
    problem = package_problem(package)
    if problem:  # before the tag template sees it
        raise ReleaseValueError(problem)
    info = version_info(version, scheme)
    values = {
        "version": version,
        "tag": render(tag_template, {"version": version, "package": package}),
        "version_info": format_version_info(info),
        "previous_version": previous_version,
        "package": package,
    }
    check_release_values(values, tag_template=tag_template, scheme=scheme)
    return values


def display_values(tag_template: str, package: str) -> dict[str, str]:
    """How the docs show each placeholder before a version is typed."""
    return {
        "version": DISPLAY_VERSION,
        "tag": render(tag_template, {"version": DISPLAY_VERSION, "package": package}),
        "version_info": "(X, Y, Z)",
        "previous_version": "PREV",
        "package": package,
    }
