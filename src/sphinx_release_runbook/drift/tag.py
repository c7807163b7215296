"""The values a runbook defines for its commands: the tag template and the package name.

Authoring checks (subtype ``placeholder``: these are the values of ``{{ tag }}`` and
``{{ package }}``), run where the value is defined, before any step can use it:

* ``:tag:`` rendered with two different versions must give two different tags, each a
  tag the runner accepts (:func:`~sphinx_release_runbook.core.versions.tag_problem`: a plain
  alphabet and git's own rules), so a tag the build passes is never refused at release time;
* ``:package:``, or the name it defaults to (``project.name`` or ``tool.poetry.name`` of
  pyproject.toml, else the Sphinx ``project``), must be a name by the PEP 508 grammar:
  letters, digits, ``.``, ``-`` and ``_``, so ``{{ package }}`` never brings shell syntax
  into a command.
"""

from __future__ import annotations

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.core.templating import PlaceholderError, render
from sphinx_release_runbook.core.versions import PACKAGE_NAME, tag_problem
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import PackageRef, TagRef, located
from sphinx_release_runbook.drift.repository import Repository

#: Two versions of each scheme, as different as the scheme allows (a pre-release included).
SAMPLE_VERSIONS = {
    "pep440": ("1.2.3", "10.20.30rc4"),
    "semver": ("1.2.3", "10.20.30-rc.4"),
}


def check_tag(repo: Repository, item: TagRef) -> list[Finding]:
    versions = SAMPLE_VERSIONS.get(item.scheme, SAMPLE_VERSIONS["pep440"])
    tags: list[str] = []
    for version in versions:
        try:
            tag = render(item.template, {"version": version, "package": item.package})
        except PlaceholderError as exc:
            return [located(item.source, "placeholder", f"option :tag: {exc}")]
        problem = tag_problem(tag)
        if problem is not None:
            return [
                located(
                    item.source,
                    "placeholder",
                    f"option :tag: {item.template!r} gives the tag {tag!r} for version "
                    f"{version}, which is not a valid tag name: {problem}",
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
