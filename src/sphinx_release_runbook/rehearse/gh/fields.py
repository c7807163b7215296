"""``--json FIELDS`` and ``--jq FILTER``: gh's structured output of a list or an object."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from sphinx_release_runbook.rehearse.gh import jq
from sphinx_release_runbook.rehearse.gh.flags import GhError


def select(
    items: Sequence[Mapping[str, object]], fields: str, known: Sequence[str]
) -> list[dict[str, object]]:
    """Each item with only *fields* (comma-separated); an unknown field is gh's error."""
    wanted = [name.strip() for name in fields.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in known]
    if unknown or not wanted:
        listed = "\n".join(f"  {name}" for name in sorted(known))
        first = f"Unknown JSON field: {unknown[0]!r}\n" if unknown else ""
        raise GhError(f"{first}Available fields:\n{listed}")
    return [{name: item.get(name) for name in wanted} for item in items]


def output(document: object, jq_filter: str) -> str:
    """The JSON of *document* (indented, as gh prints it), or the results of *jq_filter*."""
    if jq_filter:
        return jq.render(jq.evaluate(jq_filter, document))
    return json.dumps(document, indent=2) + "\n"
