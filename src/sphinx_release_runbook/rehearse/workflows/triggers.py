"""Which workflows an event starts: ``release`` activity types and ``push`` tag filters.

GitHub's rules, as documented for workflow syntax:

* ``release``: a workflow runs once per activity type it lists (all types when
  it lists none).  Publishing a release emits ``created`` (when it was not a
  draft before), ``published`` and ``released`` (``prereleased`` for a
  pre-release); saving a draft emits only ``created``.
* ``push`` of a tag: with ``tags``/``tags-ignore`` the tag must match them;
  with only ``branches``/``branches-ignore`` a tag push never runs it; with no
  filter every push runs it.  Patterns: ``*`` (not ``/``), ``**``, ``?``,
  ``+``, ``[...]`` and ``!`` to exclude, the last matching pattern winning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sphinx_release_runbook.rehearse.workflows.model import Workflow


@dataclass(frozen=True)
class Event:
    """An event that may start workflows."""

    name: str  # "release" or "push"
    action: str = ""  # a release's activity type; "" for push
    tag: str = ""


def release_activities(*, draft: bool, prerelease: bool) -> tuple[str, ...]:
    """The activity types GitHub emits for a release created with these flags."""
    if draft:
        return ("created",)
    return ("created", "published", "prereleased" if prerelease else "released")


@lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    out: list[str] = []
    index = 0
    while index < len(glob):
        char = glob[index]
        if glob.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char in "?+":
            out.append(char)  # quantifiers of the previous character, as in GitHub's syntax
        elif char == "[":
            end = glob.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append(glob[index : end + 1])
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    return re.compile("".join(out))


def matches(patterns: tuple[str, ...], name: str) -> bool:
    """Whether *name* passes GitHub filter *patterns* (``!pattern`` excludes; last match wins)."""
    selected = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if _pattern(pattern[1:] if negated else pattern).fullmatch(name):
            selected = not negated
    return selected


def triggered(workflow: Workflow, event: Event) -> bool:
    """Whether *event* starts *workflow*."""
    listened = workflow.events.get(event.name)
    if listened is None:
        return False
    filters = listened.filters
    if event.name == "release":
        types = filters.get("types")
        return types is None or event.action in types
    if event.name == "push":
        if "tags" in filters:
            return matches(filters["tags"], event.tag)
        if "tags-ignore" in filters:
            return not matches(filters["tags-ignore"], event.tag)
        return not ("branches" in filters or "branches-ignore" in filters)
    return False
