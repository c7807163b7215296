"""The ``runbook`` builder's runbook.json: schema, toctree order, source lines, parallel builds.

Root ``test-order``: seven documents whose toctree order (zeta, mid, alpha,
omega, beta, gamma) is not their alphabetical order, so an export that sorts
documents by name, or loses the documents read by a ``-j 2`` worker, fails here.
"""

from __future__ import annotations

import json
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import ROOTS, SCHEMA, BuildResult, copy_root, ids, load_export, sphinx_build, steps_of

from sphinx_release_runbook.core.model import (
    BumpTarget,
    Export,
    Runbook,
    Source,
    Step,
    Troubleshoot,
)

TOCTREE_STEPS = [
    ("check-clean", "zeta"),
    ("update-main", "zeta"),
    ("run-tests", "mid"),
    ("create-tag", "alpha"),
    ("publish", "omega"),
    ("wait-pypi", "beta"),
    ("announce", "gamma"),
]


def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def full_export() -> Export:
    """An export with every optional field set, so every key of to_dict() is present."""
    source = Source("guide/release", "docs/guide/release.rst", 12)
    step = Step(
        id="bump",
        title="Bump",
        kind="bump",
        runbook="pypi",
        source=source,
        number=1,
        commands=["echo {{ version }}"],
        instructions="Do it.",
        bump=[BumpTarget("pyproject.toml", "tool.poetry.version")],
        expect="ok",
        expect_empty=False,
        cwd="sub",
        env={"B": "2", "A": "1"},
        timeout=1.5,
        retry=2,
        interval=3.0,
        skip_if="true",
        confirm=True,
        requires=["git"],
        anchor="step-bump",
        url="guide/release.html#step-bump",
    )
    entry = Troubleshoot("exists", "Exists", "File exists", "Bump.", "pypi", source, "t", "u")
    runbook = Runbook("pypi", "PyPI", "semver", "v{{ version }}", "pkg", source, [step], [entry])
    return Export(project="demo", runbooks=[runbook])


# --- the shipped schema ----------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    data = schema()
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(data)


def test_schema_objects_require_every_property_and_forbid_others() -> None:
    def objects(node: object) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                found.append(node)
            for value in node.values():
                found.extend(objects(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(objects(value))
        return found

    checked = objects(schema())
    assert len(checked) == 6  # export, source, bump target, step, troubleshoot, runbook
    for node in checked:
        assert node["additionalProperties"] is False
        assert sorted(node["required"]) == sorted(node["properties"])


def test_schema_describes_exactly_the_keys_of_the_model() -> None:
    """The schema follows model.Export.to_dict(): same keys at every level."""
    data = full_export().to_dict()
    definitions = schema()["$defs"]
    runbook = data["runbooks"][0]
    assert set(schema()["properties"]) == set(data)
    assert set(definitions["runbook"]["properties"]) == set(runbook)
    assert set(definitions["step"]["properties"]) == set(runbook["steps"][0])
    assert set(definitions["troubleshoot"]["properties"]) == set(runbook["troubleshoot"][0])
    assert set(definitions["source"]["properties"]) == set(runbook["source"])
    assert set(definitions["bumpTarget"]["properties"]) == set(runbook["steps"][0]["bump"][0])
    assert definitions["step"]["properties"]["kind"]["enum"] == [
        "command",
        "check",
        "manual",
        "bump",
        "wait",
    ]
    validator().validate(data)


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda d: d.update(schema=2), "schema must be 1"),
        (lambda d: d.update(extra=True), "no unknown top-level field"),
        (lambda d: d["runbooks"][0]["steps"][0].pop("url"), "every step field is required"),
        (lambda d: d["runbooks"][0]["steps"][0].update(kind="shell"), "kind is an enum"),
        (lambda d: d["runbooks"][0]["steps"][0].update(colour="red"), "no unknown step field"),
        (lambda d: d["runbooks"][0]["source"].update(line=0), "lines start at 1"),
        (lambda d: d["runbooks"][0].update(version_scheme="calver"), "scheme is an enum"),
    ],
)
def test_schema_rejects_a_malformed_export(mutate: Any, why: str) -> None:
    data = full_export().to_dict()
    mutate(data)
    assert not validator().is_valid(data), why


def test_package_ships_the_schema() -> None:
    shipped = resources.files("sphinx_release_runbook") / "schemas" / "runbook.schema.json"
    assert shipped.is_file()
    assert json.loads(shipped.read_text(encoding="utf-8")) == schema()


def test_wheel_contains_the_schema(tmp_path: Path) -> None:
    factory = pytest.importorskip("poetry.core.factory")
    wheel = pytest.importorskip("poetry.core.masonry.builders.wheel")
    poetry = factory.Factory().create_poetry(ROOTS.parents[1])
    name = wheel.WheelBuilder.make_in(poetry, tmp_path)
    assert "sphinx_release_runbook/schemas/runbook.schema.json" in (
        zipfile.ZipFile(tmp_path / name).namelist()
    )


# --- the export of a real build ----------------------------------------------------------


@pytest.fixture(scope="module")
def order(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """One fresh ``runbook`` build of root ``test-order``, shared by the tests that read it."""
    return sphinx_build(
        copy_root("test-order", tmp_path_factory.mktemp("order") / "src"), "runbook"
    )


def test_export_validates_against_the_shipped_schema(order: BuildResult) -> None:
    data = load_export(order.outdir / "runbook.json")
    validator().validate(data)
    assert order.status == 0
    assert order.stderr == ""


def test_steps_follow_toctree_order_not_alphabetical_order(order: BuildResult) -> None:
    data = load_export(order.outdir / "runbook.json")
    steps = list(steps_of(data))
    order = [(step["id"], step["source"]["docname"]) for step in steps]
    assert order == TOCTREE_STEPS
    docnames = [docname for _, docname in TOCTREE_STEPS]
    assert docnames != sorted(docnames), "the root must not be in alphabetical order"
    assert [step["number"] for step in steps] == list(range(1, len(steps) + 1))


def test_every_entry_records_the_line_of_its_directive(order: BuildResult) -> None:
    data = load_export(order.outdir / "runbook.json")
    runbook = data["runbooks"][0]
    entries = [
        ("release-runbook", runbook["name"], runbook["source"]),
        *(("release-step", step["id"], step["source"]) for step in runbook["steps"]),
        *(("release-troubleshoot", e["id"], e["source"]) for e in runbook["troubleshoot"]),
    ]
    assert len(entries) == 9
    srcdir = order.srcdir
    for directive, name, source in entries:
        assert source["path"] == f"{source['docname']}.rst"
        lines = (srcdir / source["path"]).read_text(encoding="utf-8").splitlines()
        assert lines[source["line"] - 1] == f".. {directive}:: {name}", (name, source)


def test_export_resolves_every_option(order: BuildResult) -> None:
    data = load_export(order.outdir / "runbook.json")
    runbook = data["runbooks"][0]
    steps = {step["id"]: step for step in runbook["steps"]}
    assert runbook["tag"] == "v{{ version }}"
    assert runbook["package"] == "orderpkg"
    assert runbook["version_scheme"] == "pep440"
    assert steps["check-clean"]["kind"] == "check"
    assert steps["check-clean"]["expect_empty"] is True
    assert steps["update-main"]["title"] == "Update main"  # from the enclosing section
    assert steps["update-main"]["commands"] == ["git checkout main", "git pull --ff-only"]
    assert steps["run-tests"]["title"] == "Run the tests"
    assert steps["run-tests"]["timeout"] == 600.0
    assert steps["run-tests"]["requires"] == ["pytest"]
    assert steps["create-tag"]["confirm"] is True
    # Plain text: the reST markup is gone, the placeholder is kept for the runner to fill.
    assert steps["publish"]["instructions"] == (
        "Create the GitHub release for {{ tag }} and publish it."
    )
    assert (steps["wait-pypi"]["retry"], steps["wait-pypi"]["interval"]) == (5, 30.0)
    assert steps["wait-pypi"]["expect"] == "{{ version }}"
    assert steps["announce"]["env"] == {"CHANNEL": "releases"}
    assert steps["announce"]["url"] == "gamma.html#step-announce"
    assert ids(runbook["troubleshoot"]) == ["version-exists"]
    assert runbook["troubleshoot"][0]["match"] == "File already exists"
    # The export reads back into the model unchanged.
    assert Export.from_dict(data).to_dict() == data


def test_parallel_export_is_byte_identical_to_serial(tmp_path: Path) -> None:
    serial = sphinx_build(copy_root("test-order", tmp_path / "serial"), "runbook")
    parallel = sphinx_build(copy_root("test-order", tmp_path / "parallel"), "runbook", "-j", "2")
    assert serial.status == parallel.status == 0
    # Sphinx reads in chunks ("alpha .. gamma") only when it really reads in parallel.
    assert " .. " in parallel.stdout, "the -j 2 build did not read in parallel"
    assert " .. " not in serial.stdout
    serial_bytes = (serial.outdir / "runbook.json").read_bytes()
    assert (parallel.outdir / "runbook.json").read_bytes() == serial_bytes
    assert len(list(steps_of(json.loads(serial_bytes)))) == len(TOCTREE_STEPS)


def test_parallel_html_numbers_steps_across_documents(tmp_path: Path) -> None:
    """Workers that read or write a page still number its steps from the whole project."""
    result = sphinx_build(copy_root("test-order", tmp_path / "html"), "html", "-j", "2")
    assert result.status == 0
    assert result.warnings == []
    page = (result.outdir / "alpha.html").read_text(encoding="utf-8")
    assert '<span class="runbook-step-number">4</span>' in page
    index = (result.outdir / "index.html").read_text(encoding="utf-8")
    assert index.index('href="zeta.html#step-check-clean"') < index.index(
        'href="alpha.html#step-create-tag"'
    )


def test_export_matches_the_reviewed_snapshot(order: BuildResult) -> None:
    """Every field of every entry, pinned; only the generator's version is normalised."""
    data = load_export(order.outdir / "runbook.json")
    assert data["generator"].startswith("sphinx-release-runbook ")
    data["generator"] = "sphinx-release-runbook VERSION"
    expected = load_export(order.srcdir / "expected-runbook.json")
    assert data == expected
