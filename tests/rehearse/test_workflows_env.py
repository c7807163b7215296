"""A workflow's environment and expressions, run by the local runner in a real checkout."""

from __future__ import annotations

from pathlib import Path

from . import INDEX, make_sandbox, workflow

MERGING = """
name: Publish
on:
  release:
    types: [published]
env:
  LEVEL: workflow
  FROM_WORKFLOW: w
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      LEVEL: job
      FROM_JOB: ${{ env.FROM_WORKFLOW }}-j
    steps:
      - name: Show
        env:
          LEVEL: step
          FROM_STEP: ${{ env.FROM_JOB }}-s
        run: |
          echo "level=$LEVEL from_step=$FROM_STEP"
          echo "ref=${{ github.ref }} name=${{ github.ref_name }} event=${{ github.event_name }}"
          echo "repo=${{ github.repository }} owner=${{ github.repository_owner }}"
          echo "action=${{ github.event.action }} sha=${{ github.sha }}"
          echo "workspace=$GITHUB_WORKSPACE ci=$CI pwd=$(pwd)"
          echo "tool=$PIP_INDEX_URL"
      - name: Job level only
        run: echo "level=$LEVEL from_step=[${FROM_STEP:-}]"
"""


def test_workflow_job_and_step_env_merge_with_the_step_winning(tmp_path: Path) -> None:
    sandbox = make_sandbox(tmp_path, workflow(MERGING), tool_env={"PIP_INDEX_URL": INDEX.url})
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    workspace = sandbox.home / "runs" / str(run.id) / "checkout"
    sha = run.sha
    assert "level=step from_step=w-j-s" in log
    assert "ref=refs/tags/v1.0 name=v1.0 event=release" in log
    assert "repo=octo/project owner=octo" in log
    assert f"action=published sha={sha}" in log
    assert f"workspace={workspace} ci=true pwd={workspace}" in log
    assert f"tool={INDEX.url}" in log
    assert "level=job from_step=[]" in log
    assert (workspace / "README.md").is_file()  # a clean checkout of the tag


def test_a_workflow_index_setting_is_replaced_by_the_rehearsals_with_a_note(
    tmp_path: Path,
) -> None:
    body = """
    on: release
    jobs:
      publish:
        steps:
          - env:
              PIP_INDEX_URL: https://pypi.org/simple/
            run: echo "index=$PIP_INDEX_URL"
    """
    sandbox = make_sandbox(tmp_path, workflow(body), tool_env={"PIP_INDEX_URL": INDEX.url})
    runs = sandbox.release()
    log = sandbox.log(runs[0].id)
    assert f"index={INDEX.url}" in log
    assert (
        f"PIP_INDEX_URL from the workflow replaced by the rehearsal's PIP_INDEX_URL={INDEX.url}"
        in log
    )


def test_github_env_output_and_path_reach_later_steps_and_jobs(tmp_path: Path) -> None:
    body = """
    on:
      release:
        types: [published]
    jobs:
      first:
        outputs:
          greeting: ${{ steps.make.outputs.greeting }}
        steps:
          - id: make
            run: |
              echo "greeting=hello" >> "$GITHUB_OUTPUT"
              echo "LATER=set-by-step" >> "$GITHUB_ENV"
              { echo "MULTI<<EOF"; echo "line one"; echo "line two"; echo "EOF"; } >> "$GITHUB_ENV"
              tools="$RUNNER_TEMP/tools" && mkdir -p "$tools"
              printf '#!/bin/sh\\necho tool-ran\\n' > "$tools/mytool"
              chmod +x "$tools/mytool" && echo "$tools" >> "$GITHUB_PATH"
          - run: |
              echo "later=$LATER output=${{ steps.make.outputs.greeting }}"
              echo "multi=$MULTI" | tr '\\n' ' '; echo
              mytool
      second:
        needs: first
        steps:
          - run: echo "needs=${{ needs.first.outputs.greeting }} result=${{ needs.first.result }}"
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert "later=set-by-step output=hello" in log
    assert "multi=line one line two" in log
    assert "tool-ran" in log
    assert "needs=hello result=success" in log
    assert [job.id for job in run.jobs] == ["first", "second"]


def test_jobs_run_in_needs_order_not_file_order(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      last:
        needs: [middle]
        steps:
          - run: echo last >> "$RUNNER_TEMP/../../order"
      middle:
        needs: first
        steps:
          - run: echo middle >> "$RUNNER_TEMP/../../order"
      first:
        steps:
          - run: echo first >> "$RUNNER_TEMP/../../order"
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    runs = sandbox.release()
    order = (sandbox.home / "runs" / str(runs[0].id) / "jobs" / "order").read_text()
    assert order.split() == ["first", "middle", "last"]


def test_working_directory_shell_and_defaults(tmp_path: Path) -> None:
    body = """
    on: release
    defaults:
      run:
        working-directory: sub
    jobs:
      build:
        steps:
          - run: pwd
          - run: print("python says", 6 * 7)
            shell: python
          - run: echo "sh in $(basename "$PWD")"
            shell: sh
            working-directory: other
    """
    files = {**workflow(body), "sub/keep": "", "other/keep": ""}
    sandbox = make_sandbox(tmp_path, files)
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert f"{sandbox.home}/runs/{run.id}/checkout/sub\n" in log
    assert "python says 42" in log
    assert "sh in other" in log


def test_bash_runs_with_pipefail_and_errexit(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - run: |
              false | cat
              echo "not reached"
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    assert run.conclusion == "failure"
    assert "not reached" not in sandbox.log(run.id)
