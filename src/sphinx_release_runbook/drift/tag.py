"""The values a runbook defines for its commands: the tag template and the package name.

Authoring checks (subtype ``placeholder``: these are the values of ``{{ tag }}`` and
``{{ package }}``), run where the value is defined, before any step can use it:

* ``:tag:`` rendered with two different versions must give two different tags, each a
  valid tag name by git's own rules (:func:`ref_problem`, those of
  ``git check-ref-format refs/tags/NAME``, plus: not starting with ``-``, which ``git tag``
  would read as an option);
* ``:package:``, or the name it defaults to (``project.name`` or ``tool.poetry.name`` of
  pyproject.toml, else the Sphinx ``project``), must be a name by the PEP 508 grammar:
  letters, digits, ``.``, ``-`` and ``_``, so ``{{ package }}`` never brings shell syntax
  into a command.
"""

from __future__ import annotations

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.model import PACKAGE_NAME
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import PackageRef, TagRef, located
from sphinx_release_runbook.drift.repository import Repository

#: Two versions of each scheme, as different as the scheme allows (a pre-release included).
SAMPLE_VERSIONS = {
    "pep440": ("1.2.3", "10.20.30rc4"),
    "semver": ("1.2.3", "10.20.30-rc.4"),
}
_FORBIDDEN = {" ": "a space", "~": "'~'", "^": "'^'", ":": "':'", "?": "'?'", "*": "'*'"}
_FORBIDDEN.update({"[": "'['", "\\": "a backslash"})


def ref_problem(tag: str) -> str | None:
    """Why git refuses *tag* as a tag name (``refs/tags/<tag>``), in words; None when it takes it.

    The rules of ``git check-ref-format`` (git's ``refs.c``), and ``git tag``'s own: a
    name starting with ``-`` is read as an option.
    """
    if not tag:
        return "it is empty"
    if tag.startswith("-"):
        return "it starts with '-', which git reads as an option"
    for char in tag:
        if ord(char) < 0x20 or ord(char) == 0x7F:
            return "it contains a control character"
        if char in _FORBIDDEN:
            return f"it contains {_FORBIDDEN[char]}"
    if ".." in tag:
        return "it contains '..'"
    if "@{" in tag:
        return "it contains '@{'"
    if tag.startswith("/") or tag.endswith("/"):
        return "it starts or ends with '/'"
    if "//" in tag:
        return "it contains '//'"
    if tag.endswith("."):
        return "it ends with '.'"
    for part in tag.split("/"):
        if part.startswith("."):
            return f"its part {part!r} starts with '.'"
        if part.endswith(".lock"):
            return f"its part {part!r} ends with '.lock'"
    return None


def check_tag(repo: Repository, item: TagRef) -> list[Finding]:
    versions = SAMPLE_VERSIONS.get(item.scheme, SAMPLE_VERSIONS["pep440"])
    tags: list[str] = []
    for version in versions:
        try:
            tag = render(item.template, {"version": version, "package": item.package})
        except PlaceholderError as exc:
            return [located(item.source, "placeholder", f"option :tag: {exc}")]
        problem = ref_problem(tag)
        if problem is not None:
            return [
                located(
                    item.source,
                    "placeholder",
                    f"option :tag: {item.template!r} gives the tag {tag!r} for version "
                    f"{version}, which git refuses as a tag name: {problem}",
                )
            ]
        tags.append(tag)
    if len(set(tags)) < len(tags):
        return [
            located(
                item.source,
                "placeholder",
                f"option :tag: {item.template!r} gives the same tag {tags[0]!r} for versions "
                f"{versions[0]} and {versions[1]}; the tag must change with {{{{ version }}}}",
            )
        ]
    return []


def package_problem(name: str) -> str | None:
    """Why *name* is not a package name by the PEP 508 grammar; None when it is."""
    if PACKAGE_NAME.fullmatch(name):
        return None
    return (
        f"{name!r} is not a package name (PEP 508: letters, digits, '.', '-' and '_', "
        "starting and ending with a letter or digit)"
    )


def check_package(repo: Repository, item: PackageRef) -> list[Finding]:
    problem = package_problem(item.name)
    if problem is None:
        return []
    return [located(item.source, "placeholder", f"{item.origin} {problem}{item.hint}")]


TAG = Check("placeholder", TagRef, check_tag)
PACKAGE = Check("placeholder", PackageRef, check_package)
