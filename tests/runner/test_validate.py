"""Release values: what --version accepts, and that nothing else reaches a shell."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_release_runbook.core.model import Runbook, Source
from sphinx_release_runbook.runner.validate import ValidationError, validate_release

from .conftest import BUMP_STEP, PYPROJECT, VERSION_PY

# What a validated value may contain: nothing a shell interprets.
SHELL_SAFE = re.compile(r"[A-Za-z0-9.+_-]*")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runbook, Path]:
    root = tmp_path_factory.mktemp("validate")
    (root / "demo").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "demo" / "_version.py").write_text(VERSION_PY)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "x",
        ],
        cwd=root,
        check=True,
    )
    subprocess.run(["git", "tag", "v1.4.0"], cwd=root, check=True)
    runbook = Runbook(
        name="demo",
        title="Demo",
        version_scheme="pep440",
        tag="v{{ version }}",
        package="demo",
        source=Source("r", "r.rst", 1),
        steps=[BUMP_STEP],
    )
    return runbook, root


@pytest.mark.parametrize(
    ("requested", "message"),
    [
        ("", "empty"),
        ("1.3", "MAJOR.MINOR.PATCH"),
        ("v1.3.0", "starts with 'v'"),
        # The current version is the greater of the files (1.2.0) and the newest tag.
        ("1.2.0", "not greater than the current version 1.4.0"),
        ("1.3.0", "not greater than the current version 1.4.0 (pyproject.toml"),
        ("1.1.9", "not greater"),
        ("1.4.0", "newest tag v1.4.0)"),
        ("1" * 200, "is 200 characters long; a version has at most 100"),
        ("1.3.0; touch PWNED", "white space"),
        ("$(touch PWNED)", "white space"),
        ("$(id)", "not a PEP 440 version"),
        ("sideways", "not a PEP 440 version"),
    ],
)
def test_bad_versions_are_refused_with_the_reason(
    project: tuple[Runbook, Path], requested: str, message: str
) -> None:
    runbook, root = project
    with pytest.raises(ValidationError, match=re.escape(message)):
        validate_release(runbook, root, requested)


def test_parts_and_versions_resolve_against_the_current_version(
    project: tuple[Runbook, Path],
) -> None:
    runbook, root = project
    assert validate_release(runbook, root, "patch").version == "1.4.1"
    assert validate_release(runbook, root, "major").values["tag"] == "v2.0.0"
    release = validate_release(runbook, root, "1.5.0rc1")
    assert release.values == {
        "version": "1.5.0rc1",
        "tag": "v1.5.0rc1",
        "version_info": "(1, 5, 0, 'rc1')",
        "previous_version": "1.4.0",
        "package": "demo",
    }


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_accepted_string_is_shell_safe(project: tuple[Runbook, Path], text: str) -> None:
    runbook, root = project
    try:
        release = validate_release(runbook, root, text, check_tag=False)
    except ValidationError:
        return
    for value in (release.version, release.tag, release.previous_version):
        assert SHELL_SAFE.fullmatch(value), value
