"""One renderer: the runner's dry run and the exported script's dry run print the same plan.

For every template below (spacing variants, each filter the script applies,
every placeholder, constants, raw blocks and comments, ``:skip-if:``,
``:env:``, ``:cwd:`` and ``:expect:``, tags with and without a prefix, both
version schemes) ``python -m runbook run --dry-run`` and the exported
script's ``--dry-run`` print the same commands; their whole outputs are
compared, line for line.  Then the same bad versions are refused by both with
the same message and exit code, and ``major``, ``minor`` and ``patch``
resolve alike.  Real CLI, real bash, real git repositories with a bare origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from runner.conftest import BUMP_STEP, git, step

from sphinx_release_runbook.core.model import Source, Troubleshoot

from .conftest import Both, markers, new_small_repo

# Command templates: each becomes one command of the parity runbook.
COMMANDS = [
    "echo {{version}}",
    "echo {{ version }}",
    "echo {{  version  }}",
    "echo {{\tversion\t}}",
    "echo x{{- version -}}y",
    "echo {{tag}} {{ tag }}",
    "echo {{ version_info }}",
    "echo {{ previous_version }}",
    "echo {{package}}=={{version}}",
    'git tag -a {{ tag }} -m "Release {{ tag }}"',
    "echo {{ version | replace('.', '-') }}",
    'echo {{ version|replace(".", "_") }}',
    "echo {{ version | replace('.', '', 1) }}",
    "echo {{ package | upper }}",
    "echo {{ package | lower }}",
    "echo {{ package | capitalize }}",
    "echo {{ tag | trim }}",
    "echo {{ tag | trim('v') }}",
    "echo {{ version | string }}",
    "echo {{ package ~ '-' ~ version }}",
    "echo {{ (package ~ '_' ~ version) | replace('.', '') | upper }}",
    "echo {{ version_info | replace(' ', '') }}",
    "echo {{ 'pre-' ~ previous_version }}",
    "echo v{{ previous_version | replace('.', '_') }}...{{ tag }}",
    """echo '{{ "{{" }} literal {{ "}}" }}'""",
    "echo {% raw %}{{ not a placeholder }}{% endraw %}",
    "echo {# a comment #}done",
    """echo "{{ version }}" '{{ version }}' $HOME""",
    "curl -H 'Authorization: token $GH_TOKEN' https://example.org/{{ tag }}/{{ package }}",
    'test "$(git log -1 --format=%s)" = "chore: bump version to {{ version }}"',
    'gh release create {{ tag }} \\\n  --title "Release {{ tag }}" \\\n'
    '  --notes "v{{ previous_version }}...{{ tag }}"',
    "python -c 'print({{ version_info }})'",
]


def _parity_steps() -> list[object]:
    per_step = 4
    steps: list[object] = [BUMP_STEP]
    for start in range(0, len(COMMANDS), per_step):
        steps.append(step(f"commands-{start // per_step + 1}", *COMMANDS[start : start + per_step]))
    steps += [
        step(
            "with-options",
            "echo options",
            skip_if="git rev-parse -q --verify refs/tags/{{ tag }}",
            env={"TAG_NAME": "{{ tag | upper }}", "PLAIN": "{{package}}-{{ version }}"},
            cwd="build/{{ package }}",
            expect="^{{ version }} {{ version_info }}$",
        ),
        step("expect-filtered", "echo filtered", expect="v{{ version | replace('.', '-') }}"),
        step(
            "options-only",
            kind="check",
            expect_empty=True,
            timeout=30.5,
            retry=2,
            interval=0.5,
            confirm=True,
        ),
    ]
    return steps


def _commands(output: str) -> list[str]:
    """The ``  $ `` lines of a dry run (a multi-line command counts once)."""
    return [line for line in output.splitlines() if line.startswith("  $ ")]


def _dry_runs(both: Both, *args: str) -> tuple[str, str]:
    exported = both.export()
    assert exported.returncode == 0, exported.stderr
    runner = both.runner(*args, "--dry-run")
    script = both.bash(*args, "--dry-run")
    assert runner.returncode == 0, runner.stdout + runner.stderr
    assert script.returncode == 0, script.stdout + script.stderr
    return runner.stdout, script.stdout


def test_every_template_is_filled_alike_by_the_runner_and_the_script(both: Both) -> None:
    both.repo.write_runbook(_parity_steps())  # type: ignore[arg-type]
    runner, script = _dry_runs(both, "--version", "1.3.0rc1")
    assert script == runner
    commands = _commands(script)
    assert len(commands) == len(COMMANDS) + 2 >= 30
    for expected in [
        "  $ echo 1.3.0rc1",
        "  $ echo x1.3.0rc1y",
        "  $ echo v1.3.0rc1 v1.3.0rc1",
        "  $ echo (1, 3, 0, 'rc1')",
        "  $ echo demo==1.3.0rc1",
        "  $ echo 1-3-0rc1",
        "  $ echo 13.0rc1",
        "  $ echo DEMO",
        "  $ echo 1.3.0rc1",
        "  $ echo DEMO_130RC1",
        "  $ echo (1,3,0,'rc1')",
        "  $ echo v1_2_0...v1.3.0rc1",
        "  $ echo '{{ literal }}'",
        "  $ echo {{ not a placeholder }}",
        "  $ echo done",
        """  $ echo "1.3.0rc1" '1.3.0rc1' $HOME""",
        "  $ gh release create v1.3.0rc1 \\",
    ]:
        assert expected in commands or expected in script.splitlines(), expected
    for line in [
        "  skip if: git rev-parse -q --verify refs/tags/v1.3.0rc1",
        "  env: TAG_NAME=V1.3.0RC1",
        "  env: PLAIN=demo-1.3.0rc1",
        "  cwd: build/demo",
        r"  (expect /^1\.3\.0rc1 \(1,\ 3,\ 0,\ 'rc1'\)$/)",
        r"  (expect /v1\-3\-0rc1/)",
        "  asks for confirmation before it runs",
        "  (expect empty output; timeout 30.5s; retry 2 every 0.5s)",
    ]:
        assert line in script.splitlines(), line


TAGS = [
    "v{{ version }}",
    "{{ version }}",
    "{{version}}",
    "{{ package }}-{{ version }}",
    "release/{{ package | lower }}/{{ version | replace('.', '_') }}",
    "V{{  version  }}",
]


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize(("scheme", "version"), [("pep440", "1.3.0"), ("semver", "1.3.0-rc.1")])
def test_tags_with_and_without_a_prefix(both: Both, tag: str, scheme: str, version: str) -> None:
    both.repo.write_runbook(
        [
            BUMP_STEP,
            step("tag", "git tag -a {{ tag }} -m 'Release {{ tag }}'", "git push origin {{ tag }}"),
        ],
        tag=tag,
        version_scheme=scheme,
    )
    runner, script = _dry_runs(both, "--version", version)
    assert script == runner
    assert len(_commands(script)) == 2


# --- the same versions refused, the same keywords accepted -----------------------------

BAD_VERSIONS = [
    "",
    "1.3",
    "v1.3.0",
    "V1.3.0",
    "1.2.0",
    "1.1.9",
    "1.4.0",  # tagged locally: the current version is 1.4.0 then
    "1.3.0; touch PWNED",
    "$(touch PWNED)",
    "`touch PWNED`",
    "1.3.0$(touch${IFS}PWNED)",
    "1.3.0\n",
    " 1.3.0",
    "1.3.0-rc.1",
    "1.3.0+local",
    "1.3.0rc",
    "1.3.0.post",
    "sideways",
    "1.3.0a1b1",
    "9" * 101,
    "\u0661.\u0662.\u0663",
]


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory, git_home: Path) -> Iterator[Both]:
    """A repository at 1.2.0 with v1.4.0 tagged locally and v1.5.0 on origin only."""
    base = tmp_path_factory.mktemp("tagged")
    repo = new_small_repo(base, git_home)
    repo.write_runbook([BUMP_STEP, step("echo", "echo {{ version }} {{ tag }}")])
    git(repo.root, "tag", "v1.4.0", env=repo.env)
    git(repo.root, "tag", "v1.5.0", env=repo.env)
    git(repo.root, "push", "-q", "origin", "v1.5.0", env=repo.env)
    git(repo.root, "tag", "-d", "v1.5.0", env=repo.env)
    pair = Both(repo, base / "release.sh")
    assert pair.export().returncode == 0
    yield pair
    assert markers(base) == []


@pytest.mark.parametrize("version", BAD_VERSIONS, ids=repr)
def test_the_same_bad_versions_are_refused_with_the_same_message(
    tagged: Both, version: str
) -> None:
    runner = tagged.runner(f"--version={version}")
    script = tagged.bash(f"--version={version}")
    assert (script.returncode, script.stderr) == (runner.returncode, runner.stderr)
    assert runner.returncode == 2
    assert runner.stderr.startswith("error: ")
    assert "[1/" not in script.stdout + runner.stdout


def test_one_more_refusal_the_tag_on_origin(tagged: Both) -> None:
    # 1.5.0 is tagged on origin only; 1.6.0 is free.
    runner, script = tagged.runner("--version", "1.5.0"), tagged.bash("--version", "1.5.0")
    assert (script.returncode, script.stderr) == (runner.returncode, runner.stderr)
    assert runner.stderr == (
        "error: the tag v1.5.0 already exists on origin: version 1.5.0 was released already; "
        "pick the next version\n"
    )
    runner, script = _dry_runs(tagged, "--version", "1.6.0")
    assert script == runner


@pytest.mark.parametrize(
    ("keyword", "resolved"), [("patch", "1.2.1"), ("minor", "1.3.0"), ("major", "2.0.0")]
)
def test_keywords_resolve_alike(both: Both, keyword: str, resolved: str) -> None:
    both.repo.write_runbook([BUMP_STEP, step("echo", "echo {{ version }} {{ previous_version }}")])
    runner, script = _dry_runs(both, "--version", keyword)
    assert script == runner
    assert f"Release {resolved} (current 1.2.0), tag v{resolved}" in script
    assert f"  $ echo {resolved} 1.2.0" in script


def test_a_keyword_without_a_current_version_is_refused_alike(both: Both) -> None:
    both.repo.write_runbook([step("echo", "echo {{ version }}")])
    assert both.export().returncode == 0
    runner, script = both.runner("--version", "minor"), both.bash("--version", "minor")
    assert (script.returncode, script.stderr) == (runner.returncode, runner.stderr)
    assert runner.stderr == (
        "error: --version minor needs the current version, but the runbook has no bump targets "
        "and no tag made by its tag template exists; give the version itself\n"
    )


# --- manual instructions, and the bad versions of the other scheme ----------------------

#: A manual step's instructions as runbook.json keeps them: plain text, placeholders as written.
INSTRUCTIONS = (
    "Post the notes of {{ version }} (tag {{tag}}) since {{  previous_version  }}.\n"
    "\n"
    "   gh release view {{ tag }} --json url\n"
    "\n"
    "* tell {{ package | upper }} users about {{ version | replace('.', '-') }}"
)


def test_manual_instructions_are_filled_alike(both: Both) -> None:
    """Runner and script print a manual step's instructions filled, line for line."""
    both.repo.write_runbook(
        [BUMP_STEP, step("announce", kind="manual", title="Announce", instructions=INSTRUCTIONS)]
    )
    runner, script = _dry_runs(both, "--version", "1.3.0rc1")
    assert script == runner
    lines = script.splitlines()
    start = lines.index(
        "  manual step; asks whether it is done (without a terminal: --done announce):"
    )
    assert lines[start + 1 : start + 6] == [
        "    Post the notes of 1.3.0rc1 (tag v1.3.0rc1) since 1.2.0.",
        "    ",
        "       gh release view v1.3.0rc1 --json url",
        "    ",
        "    * tell DEMO users about 1-3-0rc1",
    ]


SEMVER_BAD_VERSIONS = [
    "1.3",
    "v1.3.0",
    "01.3.0",
    "1.03.0",
    "1.3.0+build.1",
    "1.3.0-",
    "1.3.0-rc..1",
    "1.3.0-01",
    "1.3.0rc1",
    "1.2.0",
    "1.3.0-rc.1;touch PWNED",
    "\u0661.\u0662.\u0663",
]


@pytest.mark.parametrize("version", SEMVER_BAD_VERSIONS, ids=repr)
def test_the_same_bad_semantic_versions_are_refused_with_the_same_message(
    both: Both, version: str
) -> None:
    both.repo.write_runbook(
        [BUMP_STEP, step("echo", "echo {{ version }}")], version_scheme="semver"
    )
    assert both.export().returncode == 0
    runner = both.runner(f"--version={version}")
    script = both.bash(f"--version={version}")
    assert (script.returncode, script.stderr) == (runner.returncode, runner.stderr)
    assert runner.returncode == 2
    assert runner.stderr.startswith("error: ")
    assert "[1/" not in script.stdout + runner.stdout
    assert markers(both.repo.root.parent) == []


# A fix with every kind of placeholder the commands take: plain, spaced, filtered, joined.
FIX = (
    "Check {{ package }} {{ version }} on the index: pip download {{package}}=={{ version }}\n"
    "\n"
    "Then delete the tag {{ tag | upper }} ({{ version | replace('.', '-') }}, was "
    "{{ previous_version }}) and resume."
)


def _troubleshooting(output: str) -> list[str]:
    """The troubleshooting part of a failure report: its entry lines, up to ``resume:``."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  troubleshooting: "))
    end = next(i for i, line in enumerate(lines) if line.startswith("  resume: "))
    return lines[start:end]


def test_troubleshooting_is_filled_alike_when_a_step_fails(twins: tuple[Both, Both]) -> None:
    """A failed step's matching fix is printed with the release's values by both."""
    entry = Troubleshoot(
        "on-index",
        "Already on the index",
        r"^upload failed",
        FIX,
        "demo",
        Source("release", "docs/release.rst", 40),
    )
    failing = step("upload", "echo 'upload failed: 400 File already exists'; exit 1")
    for pair in twins:
        pair.repo.write_runbook([BUMP_STEP, failing], troubleshoot=[entry])
        assert pair.export().returncode == 0
    by_runner, by_script = twins
    runner = by_runner.runner("--version", "1.3.0", "--yes")
    script = by_script.bash("--version", "1.3.0", "--yes")
    assert (runner.returncode, script.returncode) == (1, 1), runner.stderr + script.stderr
    shown = _troubleshooting(script.stdout + script.stderr)
    assert shown == _troubleshooting(runner.stdout + runner.stderr)
    assert shown == [
        "  troubleshooting: Already on the index (docs/release.rst:40)",
        "    Check demo 1.3.0 on the index: pip download demo==1.3.0",
        "    ",
        "    Then delete the tag V1.3.0 (1-3-0, was 1.2.0) and resume.",
    ]
