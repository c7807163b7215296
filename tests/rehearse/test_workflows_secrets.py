"""Which value a ``secrets.NAME`` gets in a rehearsal, and the message when there is none."""

from __future__ import annotations

from pathlib import Path

from . import INDEX, make_sandbox, workflow

PUBLISHERS = """
on: release
jobs:
  publish:
    env:
      TWINE_PASSWORD: ${{ secrets.ANY_NAME_AT_ALL }}
    steps:
      - env:
          POETRY_PYPI_TOKEN_PYPI: ${{ secrets.PYPI_TOKEN }}
          POETRY_HTTP_BASIC_LOCAL_PASSWORD: ${{ secrets.LOCAL_PASSWORD }}
          POETRY_HTTP_BASIC_LOCAL_USERNAME: ${{ secrets.LOCAL_USER }}
          UV_PUBLISH_TOKEN: ${{ secrets.UV }}
          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
          FROM_CONF: ${{ secrets.SLACK_WEBHOOK }}
        run: |
          test "$POETRY_PYPI_TOKEN_PYPI" = "$EXPECTED_PASSWORD" && echo "poetry token ok"
          test "$POETRY_HTTP_BASIC_LOCAL_PASSWORD" = "$EXPECTED_PASSWORD" && echo "basic ok"
          test "$POETRY_HTTP_BASIC_LOCAL_USERNAME" = "$EXPECTED_USER" && echo "user ok"
          test "$UV_PUBLISH_TOKEN" = "$EXPECTED_PASSWORD" && echo "uv ok"
          test "$TWINE_PASSWORD" = "$EXPECTED_PASSWORD" && echo "twine from job env ok"
          echo "github token: $GH_TOKEN"
          test "$FROM_CONF" = "https://hooks.example/x" && echo "conf secret ok"
          echo "the password itself: $TWINE_PASSWORD"
"""


def test_publisher_positions_get_the_index_credentials_and_conf_secrets_their_values(
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(
        tmp_path,
        workflow(PUBLISHERS),
        secrets={"SLACK_WEBHOOK": "https://hooks.example/x"},
        tool_env={"EXPECTED_PASSWORD": INDEX.password, "EXPECTED_USER": INDEX.username},
    )
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    for line in ("poetry token ok", "basic ok", "user ok", "uv ok", "twine from job env ok"):
        assert line in log
    assert "github token: rehearsal-github-token" in log
    assert "conf secret ok" in log
    assert "the password itself: ***" in log  # masked in the log, as GitHub does
    assert INDEX.password not in log


UNKNOWN = """
name: Publish
on: release
jobs:
  publish:
    steps:
      - name: Build
        run: echo built
      - name: Announce
        env:
          WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}
        run: echo "announce to $WEBHOOK"
      - name: Afterwards
        run: echo "must not run"
"""


def test_an_unknown_secret_stops_the_job_naming_it_the_file_line_and_the_fix(
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(tmp_path, workflow(UNKNOWN))
    (run,) = sandbox.release()
    build, announce, afterwards = run.jobs[0].steps
    assert run.conclusion == "failure"
    assert build.conclusion == "success"
    assert announce.conclusion == "failure"
    line = (
        UNKNOWN.lstrip("\n").splitlines().index("          WEBHOOK: ${{ secrets.SLACK_WEBHOOK }}")
    )
    assert announce.message.startswith(f".github/workflows/publish.yml:{line + 1}: ")
    assert "the secret SLACK_WEBHOOK (step 'Announce') has no value" in announce.message
    assert 'runbook_rehearse_secrets = {"SLACK_WEBHOOK": "value"}' in announce.message
    assert afterwards.conclusion == "skipped"
    assert run.error == announce.message
    log = sandbox.log(run.id)
    assert "announce to" not in log and "\nmust not run\n" not in log


def test_a_secret_in_a_run_line_is_not_a_publisher_position(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      publish:
        steps:
          - run: twine upload -p "${{ secrets.PYPI_TOKEN }}" dist/*
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    step = run.jobs[0].steps[0]
    assert step.conclusion == "failure"
    assert step.message.startswith(".github/workflows/publish.yml:5: the secret PYPI_TOKEN")


def test_the_rehearsals_own_credentials_never_reach_a_workflow_step(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      publish:
        steps:
          - run: |
              echo "twine=[${TWINE_PASSWORD:-}] poetry=[${POETRY_PYPI_TOKEN_PYPI:-}]"
              echo "url=$TWINE_REPOSITORY_URL"
    """
    tool_env = {
        "TWINE_PASSWORD": "maintainer-secret",
        "POETRY_PYPI_TOKEN_PYPI": "maintainer-secret",
        "TWINE_REPOSITORY_URL": INDEX.upload_url,
    }
    sandbox = make_sandbox(tmp_path, workflow(body), tool_env=tool_env)
    (run,) = sandbox.release()
    # The index settings arrive; a token only where the workflow names one.
    log = sandbox.log(run.id)
    assert f"twine=[] poetry=[]\nurl={INDEX.upload_url}\n" in log
