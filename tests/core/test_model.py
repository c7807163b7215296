"""The runbook.json model (core.model): lossless round trip and its messages."""

from __future__ import annotations

from typing import Any

import pytest

from sphinx_release_runbook.core.model import (
    BumpTarget,
    Export,
    Runbook,
    SchemaError,
    Source,
    Step,
    Troubleshoot,
)

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
    with pytest.raises(
        SchemaError, match=r"^malformed runbook\.json: runbooks\[0\]\.steps\[0\]\.kind is missing$"
    ):
        Export.from_dict(broken)


#: A field of the wrong type, and the message that names it: a value is never converted
#: (``list("echo hi")`` would be seven one-letter commands).
WRONG_TYPES = [
    (
        ("steps", 0, "commands"),
        "echo hi",
        "steps[0].commands should be a list of texts, not a text",
    ),
    (
        ("steps", 0, "commands"),
        ["echo", 1],
        "steps[0].commands should be a list of texts, not a list",
    ),
    (("steps", 0, "requires"), "git", "steps[0].requires should be a list of texts, not a text"),
    (("steps", 0, "env"), ["A=b"], "steps[0].env should be an object of texts, not a list"),
    (("steps", 0, "env"), {"A": 1}, "steps[0].env should be an object of texts, not an object"),
    (("steps", 0, "skip_if"), ["true"], "steps[0].skip_if should be a text or null, not a list"),
    (("steps", 0, "cwd"), 3, "steps[0].cwd should be a text or null, not a number"),
    (("steps", 0, "retry"), "3", "steps[0].retry should be a whole number, not a text"),
    (("steps", 0, "retry"), True, "steps[0].retry should be a whole number, not true or false"),
    (("steps", 0, "timeout"), "60", "steps[0].timeout should be a number, not a text"),
    (("steps", 0, "confirm"), "yes", "steps[0].confirm should be true or false, not a text"),
    (
        ("steps", 0, "kind"),
        "shell",
        "steps[0].kind is 'shell', not one of command, check, manual, bump, wait",
    ),
    (("steps", 0, "bump"), {"path": "x"}, "steps[0].bump should be a list, not an object"),
    (
        ("steps", 0, "source"),
        "docs/release.rst:1",
        "steps[0].source should be an object, not a text",
    ),
    (("steps",), {"id": "x"}, "steps should be a list, not an object"),
    (("tag",), None, "tag should be a text, not null"),
    (("version_scheme",), "calver", "version_scheme is 'calver', not one of pep440, semver"),
]


@pytest.mark.parametrize(("path", "value", "message"), WRONG_TYPES)
def test_a_field_of_the_wrong_type_is_refused_by_name(
    path: tuple[str | int, ...], value: object, message: str
) -> None:
    data = sample_export().to_dict()
    target: Any = data["runbooks"][0]
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(SchemaError) as refused:
        Export.from_dict(data)
    assert str(refused.value) == f"malformed runbook.json: runbooks[0].{message}"


def test_export_runbook_lookup_messages() -> None:
    export = sample_export()
    assert export.runbook().name == "pypi"
    assert export.runbook("pypi").step("wait").number == 2
    with pytest.raises(KeyError, match="no runbook named 'docs'; the docs define: pypi"):
        export.runbook("docs")
    with pytest.raises(KeyError, match="has no step 'nope'; its steps are: bump, wait, announce"):
        export.runbook().step("nope")
