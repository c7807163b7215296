"""``runbook.tool``: ``poetry run X`` / ``uv run X`` names a tool the project does not declare.

The declared tools are the names in ``pyproject.toml``: dependencies of every
kind (PEP 621, PEP 735 groups, Poetry groups, uv dev-dependencies) and script
entry points.  A run of the interpreter itself (``python``, ``pip``) is always fine.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from typing import Any

from sphinx_release_runbook.core.findings import Finding
from sphinx_release_runbook.drift.check import Check
from sphinx_release_runbook.drift.items import CommandRef, located
from sphinx_release_runbook.drift.repository import Repository
from sphinx_release_runbook.drift.shell import PLACEHOLDER, is_python, simple_commands, strip_runner

#: Always present in the environment ``poetry run`` / ``uv run`` activates.
ALWAYS = frozenset({"pip", "pip3"})
#: Executables whose distribution has another name.
DISTRIBUTION_OF = {
    "sphinx-build": "sphinx",
    "sphinx-apidoc": "sphinx",
    "sphinx-autogen": "sphinx",
    "py.test": "pytest",
    "dmypy": "mypy",
    "stubgen": "mypy",
    "pybabel": "babel",
}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """PEP 503 normalisation: ``Foo_Bar`` and ``foo-bar`` are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(items: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(items, list):
        for item in items:
            match = _NAME.match(item) if isinstance(item, str) else None
            if match:
                names.add(canonical(match.group(1)))
    return names


def declared_tools(pyproject: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    project = pyproject.get("project", {})
    names |= _requirement_names(project.get("dependencies"))
    for extra in (project.get("optional-dependencies") or {}).values():
        names |= _requirement_names(extra)
    for table in ("scripts", "gui-scripts"):
        names |= {canonical(n) for n in project.get(table) or {}}
    if isinstance(project.get("name"), str):
        names.add(canonical(project["name"]))
    for group in (pyproject.get("dependency-groups") or {}).values():
        names |= _requirement_names(group)
    tool = pyproject.get("tool", {})
    poetry = tool.get("poetry", {})
    for table in ("dependencies", "dev-dependencies", "scripts"):
        names |= {canonical(n) for n in poetry.get(table) or {}}
    for group in (poetry.get("group") or {}).values():
        names |= {canonical(n) for n in (group or {}).get("dependencies") or {}}
    if isinstance(poetry.get("name"), str):
        names.add(canonical(poetry["name"]))
    uv = tool.get("uv", {})
    names |= _requirement_names(uv.get("dev-dependencies"))
    return names


def _with_options(words: Sequence[str]) -> set[str]:
    """Tools ``uv run --with X`` adds for this one run."""
    added: set[str] = set()
    for index, word in enumerate(words):
        if word == "--with" and index + 1 < len(words):
            added |= _requirement_names(words[index + 1].split(","))
        elif word.startswith("--with="):
            added |= _requirement_names(word.split("=", 1)[1].split(","))
    return added


#: How many names a message lists before it says how many more there are.
SHOWN = 8


def shortened(names: list[str], shown: int = SHOWN) -> str:
    """``a, b, c`` or, for a long list, its first *shown* names and ``and N more``."""
    if len(names) <= shown + 1:  # "and 1 more" is no shorter than the name
        return ", ".join(names)
    return ", ".join(names[:shown]) + f" and {len(names) - shown} more"


def check_tools(repo: Repository, item: CommandRef) -> list[Finding]:
    runs = [
        words
        for words in simple_commands(item.command)
        if len(words) >= 3 and words[0] in ("poetry", "uv") and words[1] == "run"
    ]
    if not runs:
        return []
    try:
        pyproject = tomllib.loads(repo.read_text("pyproject.toml"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []  # no (readable) pyproject.toml: nothing is declared anywhere we can see
    declared = declared_tools(pyproject)
    findings: list[Finding] = []
    for words in runs:
        rest = strip_runner(words)
        if not rest or PLACEHOLDER in rest[0] or "$" in rest[0] or is_python(rest[0]):
            continue
        tool = rest[0]
        if "/" in tool or tool in ALWAYS:
            continue
        name = canonical(DISTRIBUTION_OF.get(tool, tool))
        if name in declared or name in _with_options(words):
            continue
        shown = shortened(sorted(declared)) or "nothing"
        findings.append(
            located(
                item.source,
                "tool",
                f"`{words[0]} run {tool}` names a tool the project does not declare in "
                f"pyproject.toml (declared: {shown})",
            )
        )
    return findings


CHECK = Check("tool", CommandRef, check_tools)
