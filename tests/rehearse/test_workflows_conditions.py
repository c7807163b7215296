"""``if:`` conditions, failing steps and expressions the rehearsal cannot evaluate."""

from __future__ import annotations

from pathlib import Path

from sphinx_release_runbook.rehearse.workflows.expressions import Scope, condition, substitute

from . import make_sandbox, workflow

FAILING = """
on:
  release:
    types: [published]
jobs:
  build:
    steps:
      - name: Works
        run: echo works
      - name: Breaks
        run: |
          echo "about to fail"
          exit 3
      - name: After a failure
        run: echo "must not run"
      - name: Report the failure
        if: failure()
        run: echo "failure() ran"
      - name: Clean up
        if: ${{ always() }}
        run: echo "always() ran"
      - name: Only on success
        if: success()
        run: echo "success() must not run"
  downstream:
    needs: build
    steps:
      - run: echo "downstream must not run"
  notify:
    needs: build
    if: always()
    steps:
      - run: echo "notify ran after ${{ needs.build.result }}"
"""


def test_a_failing_run_step_fails_the_job_and_only_failure_and_always_steps_follow(
    tmp_path: Path,
) -> None:
    sandbox = make_sandbox(tmp_path, workflow(FAILING))
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "failure"
    build, downstream, notify = run.jobs
    conclusions = {step.name: step.conclusion for step in build.steps}
    assert conclusions == {
        "Works": "success",
        "Breaks": "failure",
        "After a failure": "skipped",
        "Report the failure": "success",
        "Clean up": "success",
        "Only on success": "skipped",
    }
    assert "about to fail" in log and "-- failure (exit 3)" in log
    assert "failure() ran" in log and "always() ran" in log
    assert "\nmust not run\n" not in log and "\nsuccess() must not run\n" not in log
    assert downstream.conclusion == "skipped"
    assert notify.conclusion == "success" and "notify ran after failure" in log
    breaks = build.steps[1]
    lines = FAILING.lstrip("\n").splitlines()
    assert breaks.line == lines.index("      - name: Breaks") + 1  # its line in the file
    step_log = (sandbox.home / "runs" / str(run.id) / breaks.log).read_text()
    assert "about to fail" in step_log


def test_github_comparisons_decide_steps(tmp_path: Path) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - if: github.event_name == 'release' && startsWith(github.ref, 'refs/tags/v')
            run: echo "release of a v tag"
          - if: github.ref_name != 'v1.0'
            run: echo "wrong tag"
          - if: contains(github.event.release.name, 'release') || false
            run: echo "named release"
          - if: ${{ github.event.action == 'PUBLISHED' }}
            run: echo "case-insensitive"
      skipped-job:
        if: github.event_name == 'push'
        steps:
          - run: echo "push only"
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    log = sandbox.log(run.id)
    assert run.conclusion == "success", log
    assert [step.conclusion for step in run.jobs[0].steps] == [
        "success",
        "skipped",
        "success",
        "success",
    ]
    assert "\nrelease of a v tag\n" in log and "\nwrong tag\n" not in log
    assert run.jobs[1].conclusion == "skipped" and "push only" not in log


def test_an_expression_it_cannot_evaluate_stops_the_job_with_file_and_line(
    tmp_path: Path,
) -> None:
    body = """
    on: release
    jobs:
      build:
        steps:
          - run: echo first
          - name: Hash
            run: echo "${{ hashFiles('**/poetry.lock') }}"
          - if: always()
            run: echo "after the stop"
    """
    sandbox = make_sandbox(tmp_path, workflow(body))
    (run,) = sandbox.release()
    hashed = run.jobs[0].steps[1]
    assert run.conclusion == "failure"
    assert hashed.conclusion == "failure"
    assert hashed.message.startswith(".github/workflows/publish.yml:7: ")
    assert "hashFiles() (with 1 arguments) is not supported" in hashed.message
    assert run.error == hashed.message
    assert run.jobs[0].steps[2].conclusion == "skipped"  # stopped: not even always() runs
    assert "\nafter the stop\n" not in sandbox.log(run.id)


def test_expression_semantics() -> None:
    scope = Scope(
        {
            "github": {"ref": "refs/tags/v1.0", "event": {"release": {"prerelease": False}}},
            "env": {"COUNT": "3", "EMPTY": ""},
        }
    )
    assert substitute("${{ github.ref }}-${{ env.COUNT }}", scope) == "refs/tags/v1.0-3"
    assert substitute("${{ env.EMPTY || 'fallback' }}", scope) == "fallback"
    assert substitute("${{ env.COUNT == 3 }}", scope) == "true"  # numbers compare as numbers
    assert substitute("${{ format('{0}/{1}', 'a', env['COUNT']) }}", scope) == "a/3"
    assert substitute("${{ github.missing.deeper }}", scope) == ""
    assert condition("!github.event.release.prerelease", scope)
    assert condition("env.COUNT > 2 && env.COUNT <= 3", scope)
    assert not condition("success() && env.EMPTY", scope)
    assert condition("always()", Scope({}, status="failure"))
    assert not condition("true", Scope({}, status="failure"))  # success() is implied
