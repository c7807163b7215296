"""The runbook.json model (core.model): lossless round trip and its messages."""

from __future__ import annotations

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
    with pytest.raises(SchemaError, match=r"malformed runbook\.json: missing or bad field 'kind'"):
        Export.from_dict(broken)


def test_export_runbook_lookup_messages() -> None:
    export = sample_export()
    assert export.runbook().name == "pypi"
    assert export.runbook("pypi").step("wait").number == 2
    with pytest.raises(KeyError, match="no runbook named 'docs'; the docs define: pypi"):
        export.runbook("docs")
    with pytest.raises(KeyError, match="has no step 'nope'; its steps are: bump, wait, announce"):
        export.runbook().step("nope")
