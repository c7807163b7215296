"""The rehearsal's ``poetry``: each ``poetry publish`` goes to the local index, all else as is."""

from __future__ import annotations

import pytest

from sphinx_release_runbook.rehearse.poetry_shim import UPLOAD_URL_VARIABLE, rewrite

LOCAL = "http://127.0.0.1:4321/"
ENV = {UPLOAD_URL_VARIABLE: LOCAL, "POETRY_PYPI_TOKEN_PYPI": "workflow-token"}


@pytest.mark.parametrize(
    "args",
    [
        ["install", "--no-root"],
        ["run", "pytest", "-r", "a"],
        ["build"],
        ["-C", "publish", "build"],  # a folder named publish
    ],
)
def test_other_commands_run_unchanged(args: list[str]) -> None:
    words, env, notice = rewrite(args, ENV)
    assert (words, env, notice) == (args, ENV, "")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["publish"], ["publish", "--repository", "rehearsal"]),
        (["publish", "-r", "pypi"], ["publish", "--repository", "rehearsal"]),
        (["publish", "--repository=pypi", "-n"], ["publish", "--repository", "rehearsal", "-n"]),
        (
            ["-C", "pkg", "publish", "--build"],
            ["-C", "pkg", "publish", "--repository", "rehearsal", "--build"],
        ),
    ],
)
def test_a_publish_to_pypi_goes_to_the_local_index_with_the_pypi_token(
    args: list[str], expected: list[str]
) -> None:
    words, env, notice = rewrite(args, ENV)
    assert words == expected
    # The credentials are the ones the workflow gave Poetry for PyPI, no others.
    assert env["POETRY_PYPI_TOKEN_REHEARSAL"] == "workflow-token"
    assert "local index" in notice


def test_a_publish_without_a_token_stays_without_one() -> None:
    _, env, _ = rewrite(["publish"], {UPLOAD_URL_VARIABLE: LOCAL})
    assert "POETRY_PYPI_TOKEN_REHEARSAL" not in env


def test_a_named_repository_is_pointed_at_the_local_index() -> None:
    words, env, notice = rewrite(["publish", "-r", "test-pypi"], ENV)
    assert words == ["publish", "-r", "test-pypi"]
    assert env["POETRY_REPOSITORIES_TEST_PYPI_URL"] == LOCAL
    assert "test-pypi" in notice


def test_a_publish_already_to_the_local_index_runs_unchanged_and_silently() -> None:
    args = ["publish", "--build", "--repository", "rehearsal"]
    assert rewrite(args, ENV) == (args, ENV, "")
