"""Well-known actions run as their local equivalents; an unknown one stops the run."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from . import INDEX, make_sandbox, workflow

UNKNOWN = """
name: Publish
on: release
jobs:
  build:
    steps:
      - uses: actions/checkout@v4
      - run: echo "must not run"
      - name: Deploy docs
        uses: peaceiris/actions-gh-pages@v4
        with:
          publish_dir: ./site
"""


def test_an_unknown_action_stops_the_run_before_any_step_naming_file_line_and_mapping(
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(tmp_path, workflow(UNKNOWN))
    (run,) = sandbox.release()
    line = UNKNOWN.lstrip("\n").splitlines().index("        uses: peaceiris/actions-gh-pages@v4")
    assert run.conclusion == "failure"
    assert run.error == (
        f".github/workflows/publish.yml:{line + 1}: the rehearsal does not know the action "
        "'peaceiris/actions-gh-pages@v4': map it to a local command in conf.py: "
        'runbook_rehearse_actions = {"peaceiris/actions-gh-pages": "command"} '
        "(the command runs like a run: step, with the inputs as INPUT_<NAME> variables)"
    )
    steps = run.jobs[0].steps
    assert [step.conclusion for step in steps] == ["skipped", "skipped", "failure"]
    assert steps[2].message == run.error
    assert "\nmust not run\n" not in sandbox.log(run.id)


def test_a_conf_mapping_runs_the_command_with_the_inputs_and_may_replace_a_builtin(
    tmp_path: Path,
) -> None:
    body = UNKNOWN.replace("./site", "${{ github.ref_name }}-site")
    sandbox = make_sandbox(
        tmp_path,
        workflow(body),
        actions={
            "peaceiris/actions-gh-pages": 'echo "pages from $INPUT_PUBLISH_DIR in ${PWD##*/}"',
            "actions/checkout@v4": "echo checkout replaced",
        },
    )
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert "pages from v1.0-site in checkout" in log
    assert "\ncheckout replaced\n" in log


def test_checkout_is_a_noted_no_op_and_artifacts_pass_between_jobs(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - uses: actions/checkout@v4
            with:
              fetch-depth: 0
          - run: mkdir -p dist/sub && echo wheel > dist/pkg.whl && echo tar > dist/sub/pkg.tar.gz
          - uses: actions/upload-artifact@v4
            with:
              name: dists
              path: dist/
      publish:
        needs: build
        steps:
          - uses: actions/download-artifact@v4
            with:
              name: dists
              path: downloaded
          - run: cat downloaded/pkg.whl downloaded/sub/pkg.tar.gz
          - uses: actions/upload-artifact@v4
            with:
              path: missing/*
              if-no-files-found: error
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert "the tag is already checked out" in log
    folder = sandbox.home / "runs" / str(run.id)
    assert (folder / "artifacts" / "dists" / "sub" / "pkg.tar.gz").read_text() == "tar\n"
    assert "wheel\ntar\n" in log
    upload_missing = run.jobs[1].steps[2]
    assert upload_missing.conclusion == "failure"
    assert "no files were found with the provided path: missing/*" in log
    assert run.conclusion == "failure"


def test_setup_python_gives_the_job_a_fresh_environment_first_on_path(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - id: python
            uses: actions/setup-python@v5
            with:
              python-version: '2.7'
          - run: |
              echo "python=$(command -v python)"
              python -c "import sys; print('prefix', sys.prefix != sys.base_prefix)"
              echo "version=${{ steps.python.outputs.python-version }}"
              python -m pip --version
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    venv = sandbox.home / "runs" / str(run.id) / "jobs" / "build" / "python"
    assert f"python={venv}/bin/python" in log
    assert "prefix True" in log
    actual = ".".join(str(part) for part in sys.version_info[:3])
    assert f"the workflow asks Python 2.7; the rehearsal uses Python {actual}" in log
    assert f"version={actual}" in log
    assert f"from {venv}/lib/" in log  # pip of its own, not the rehearsal's


def test_install_poetry_without_poetry_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - uses: snok/install-poetry@v1
    """
    sandbox = make_sandbox(tmp_path / "sandbox", workflow(body))
    alone = tmp_path / "python-alone" / "bin"  # a Python with no Poetry beside it
    alone.mkdir(parents=True)
    (alone / "python").symlink_to(sys.executable)
    sandbox.python = alone / "python"
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the stand-in's own PATH: no Poetry on it
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "failure"
    assert "snok/install-poetry@v1 is mapped to the local Poetry, and there is none" in log
    assert 'runbook_rehearse_actions = {"snok/install-poetry": "command"}' in log


FAKE_TWINE = """
import json, os, sys
with open(os.environ["TWINE_RECORD"], "a") as out:
    out.write(json.dumps({"argv": sys.argv[1:], "url": os.environ.get("TWINE_REPOSITORY_URL"),
        "user": os.environ.get("TWINE_USERNAME"), "password": os.environ.get("TWINE_PASSWORD")}))
    out.write("\\n")
"""


def test_pypi_publish_uploads_the_packages_dir_to_the_local_index_only(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      publish:
        steps:
          - run: mkdir -p out && echo wheel > out/pkg-1.0-py3-none-any.whl
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              packages-dir: out/
              repository-url: https://upload.pypi.org/legacy/
              skip-existing: true
    """
    fake = tmp_path / "fake-twine"
    (fake / "twine").mkdir(parents=True)
    (fake / "twine" / "__init__.py").write_text("")
    (fake / "twine" / "__main__.py").write_text(FAKE_TWINE)
    record = tmp_path / "twine-calls.jsonl"
    sandbox = make_sandbox(
        tmp_path,
        workflow(body),
        tool_env={"PYTHONPATH": os.fspath(fake), "TWINE_RECORD": os.fspath(record)},
    )
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert "input repository-url=https://upload.pypi.org/legacy/ ignored" in log
    check, upload = [json.loads(line) for line in record.read_text().splitlines()]
    wheel = f"{sandbox.home}/runs/{run.id}/checkout/out/pkg-1.0-py3-none-any.whl"
    assert check["argv"] == ["check", wheel]
    assert upload["argv"] == [
        "upload",
        "--non-interactive",
        "--disable-progress-bar",
        "--skip-existing",
        wheel,
    ]
    assert (upload["url"], upload["user"], upload["password"]) == (
        INDEX.upload_url,
        INDEX.username,
        INDEX.password,
    )


def test_poetry_publish_to_any_repository_goes_to_the_local_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = """
    on: release
    jobs:
      publish:
        steps:
          - env:
              POETRY_PYPI_TOKEN_TESTPYPI: ${{ secrets.TEST_PYPI_TOKEN }}
            run: poetry --no-interaction publish -r testpypi --build
          - run: poetry --version
    """
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "poetry").write_text(
        "#!/bin/sh\n"
        'echo "poetry got: $* url=$POETRY_REPOSITORIES_REHEARSAL_URL'
        ' token=$POETRY_PYPI_TOKEN_REHEARSAL" >> "$POETRY_RECORD"\n'
    )
    (tools / "poetry").chmod(0o755)
    record = tmp_path / "poetry.txt"
    sandbox = make_sandbox(
        tmp_path / "sandbox", workflow(body), tool_env={"POETRY_RECORD": os.fspath(record)}
    )
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    (run,) = sandbox.release()
    assert run.conclusion == "success", sandbox.log(run.id)
    assert record.read_text().splitlines() == [
        f"poetry got: --no-interaction publish --build --repository rehearsal "
        f"url={INDEX.upload_url} token={INDEX.password}",
        "poetry got: --version url= token=",
    ]
    assert "poetry publish (repository 'testpypi') goes to the local index" in sandbox.log(run.id)
