"""Values and texts of a guide reach the shell as data, in the runner and in the exported script.

Each case is a hostile runbook (as a careless or malicious hand edit of
``runbook.json`` could leave it), a hostile value, or a hostile command line.
It runs through ``python -m runbook run`` in one repository and through the
exported script in a twin; both must end with the pinned exit code and
message, and no injected command may run: a marker file named ``PWNED``
must not appear anywhere under the test's directories.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from runner.conftest import BUMP_STEP, git, step

from sphinx_release_runbook.core.model import Source, Step, Troubleshoot

from .conftest import Both, SmallRepo, markers, write_runbook

TOUCH = "touch${IFS}PWNED"
ALPHABET = (
    "a tag may hold only letters, digits, '.', '_', '/', '+' and '-', and starts with a letter "
    "or digit"
)


def package_refusal(name: str) -> str:
    return (
        f"error: the package name {name!r} is not a valid distribution name (PEP 508: letters, "
        "digits, '.', '_' and '-', starting and ending with a letter or digit)\n"
    )


def tag_refusal(tag: str, template: str, reason: str = ALPHABET) -> str:
    return (
        f"error: the tag {tag!r} (from the runbook's :tag: {template!r}) is not a valid git tag "
        f"name: {reason}\n"
    )


@dataclass
class Case:
    """A hostile runbook, the arguments of the run, and what both must answer."""

    steps: Callable[[], list[Step]]
    args: tuple[str, ...] = ("--version", "1.3.0", "--yes")
    code: int = 0
    stderr: str | None = None  # the exact stderr of both, when pinned whole
    lines: tuple[str, ...] = ()  # lines both print (stdout or stderr)
    fields: dict[str, object] = field(default_factory=dict)
    prepare: Callable[[SmallRepo], None] | None = None


def _echo_package() -> list[Step]:
    return [step("show", "echo {{ package }}")]


def _bad_current_version(repo: SmallRepo) -> None:
    path = repo.root / "pyproject.toml"
    path.write_text(path.read_text().replace('"1.2.0"', f'"1.2.0$({TOUCH})"'))
    git(repo.root, "commit", "-qam", "hostile version", env=repo.env)


def _failing(**options: object) -> Callable[[], list[Step]]:
    return lambda: [step("fail", "echo failing; false", **options)]


HOSTILE_SOURCE = Source("release", "docs/$(touch PWNED).rst", 7)
TROUBLE = Troubleshoot(
    "t",
    "Title `touch PWNED`",
    "failing",
    "Run $(touch PWNED) to fix",
    "demo",
    Source("release", "docs/release.rst", 40),
)

CASES: dict[str, Case] = {
    "package with ;": Case(
        _echo_package,
        code=2,
        stderr=package_refusal(f"demo;{TOUCH}"),
        fields={"package": f"demo;{TOUCH}"},
    ),
    "package with $()": Case(
        _echo_package,
        code=2,
        stderr=package_refusal("$(touch PWNED)"),
        fields={"package": "$(touch PWNED)"},
    ),
    "package with backticks": Case(
        _echo_package,
        code=2,
        stderr=package_refusal("`touch PWNED`"),
        fields={"package": "`touch PWNED`"},
    ),
    "package with a newline": Case(
        _echo_package,
        code=2,
        stderr=package_refusal("demo\ntouch PWNED"),
        fields={"package": "demo\ntouch PWNED"},
    ),
    "tag template with ;": Case(
        lambda: [step("tag", "git tag {{ tag }}")],
        code=2,
        stderr=tag_refusal(f"v1.3.0;{TOUCH}", f"v{{{{ version }}}};{TOUCH}"),
        fields={"tag": f"v{{{{ version }}}};{TOUCH}"},
    ),
    "tag template with $()": Case(
        lambda: [step("tag", "git tag {{ tag }}")],
        code=2,
        stderr=tag_refusal("1.3.0$(touch PWNED)", "{{ version }}$(touch PWNED)"),
        fields={"tag": "{{ version }}$(touch PWNED)"},
    ),
    "tag git refuses": Case(
        lambda: [step("tag", "git tag {{ tag }}")],
        code=2,
        stderr=tag_refusal(
            "v1.3.0.lock", "v{{ version }}.lock", "git refuses a tag that ends with '.lock'"
        ),
        fields={"tag": "v{{ version }}.lock"},
    ),
    "current version with $()": Case(
        lambda: [BUMP_STEP, step("show", "echo {{ previous_version }}")],
        code=2,
        stderr=(
            "error: the current version is not valid (pyproject.toml project.version = "
            f"1.2.0$({TOUCH}), demo/_version.py __version__ = 1.2.0, demo/_version.py "
            f"__version_info__ = 1.2.0): '1.2.0$({TOUCH})' is not a PEP 440 version in normal "
            "form (for example 1.2.3, 1.2.3rc1, 1.2.3.post1)\n"
        ),
        prepare=_bad_current_version,
    ),
    "version with ;": Case(
        lambda: [step("show", "echo {{ version }}")],
        args=("--version", f"1.3.0;{TOUCH}", "--yes"),
        code=2,
        stderr=(
            f"error: --version '1.3.0;{TOUCH}': '1.3.0;{TOUCH}' is not a PEP 440 version in "
            "normal form (for example 1.2.3, 1.2.3rc1, 1.2.3.post1)\n"
        ),
    ),
    "version with $()": Case(
        lambda: [step("show", "echo {{ version }}")],
        args=("--version", "$(touch PWNED)", "--yes"),
        code=2,
        stderr=(
            "error: --version '$(touch PWNED)' is not a PEP 440 version: the version "
            "'$(touch PWNED)' contains white space\n"
        ),
    ),
    "title with $() at a confirmation": Case(
        lambda: [step("confirm", "echo confirmed", title="$(touch PWNED)", confirm=True)],
        lines=("[1/1] $(touch PWNED)  (confirm, docs/release.rst:10)", "confirmed"),
    ),
    "title that closes a double quote": Case(
        lambda: [step("confirm", "echo confirmed", title='"; touch PWNED; echo "', confirm=True)],
        lines=('[1/1] "; touch PWNED; echo "  (confirm, docs/release.rst:10)', "confirmed"),
    ),
    "manual title and instructions": Case(
        lambda: [
            step(
                "manual",
                kind="manual",
                title="Manual `touch PWNED`",
                instructions="Run $(touch PWNED) now; then `touch PWNED`",
            )
        ],
        args=("--version", "1.3.0", "--dry-run"),
        lines=("[1/1] Manual `touch PWNED`  (manual, docs/release.rst:10)",),
    ),
    "step id with $() in a failure": Case(
        lambda: [step(f"x$({TOUCH})", "echo failing; false", title="Fail")],
        code=1,
        lines=(
            "FAILED [1/1] Fail: `echo failing; false` exited with status 1",
            f"  step:   x$({TOUCH})",
        ),
    ),
    "source path with $() in a failure": Case(
        lambda: [
            Step(
                id="fail",
                title="Fail",
                kind="command",
                runbook="demo",
                source=HOSTILE_SOURCE,
                commands=["false"],
            )
        ],
        code=1,
        lines=(
            "[1/1] Fail  (fail, docs/$(touch PWNED).rst:7)",
            "  source: docs/$(touch PWNED).rst:7",
        ),
    ),
    "troubleshooting title and text": Case(
        _failing(),
        code=1,
        lines=(
            "  troubleshooting: Title `touch PWNED` (docs/release.rst:40)",
            "    Run $(touch PWNED) to fix",
        ),
        fields={"troubleshoot": [TROUBLE]},
    ),
    "expect with $()": Case(
        lambda: [step("expect", "echo hello", expect="$(touch PWNED)")],
        code=1,
        lines=("FAILED [1/1] Expect: the output does not match :expect: /$(touch PWNED)/",),
    ),
    "env value with $()": Case(
        lambda: [step("env", "printf '%s\\n' \"$HOSTILE\"", env={"HOSTILE": "$(touch PWNED)"})],
        lines=("$(touch PWNED)",),
    ),
    "required tool with $()": Case(
        lambda: [step("tool", "true", requires=["$(touch PWNED)"])],
        code=8,
        stderr="error: required tools not on PATH: $(touch PWNED) (step tool)\n",
    ),
    "--only with $()": Case(
        lambda: [step("one", "true")],
        args=("--version", "1.3.0", "--only", "$(touch PWNED)"),
        code=2,
        stderr="error: runbook 'demo' has no step '$(touch PWNED)'; its steps are: one\n",
    ),
    "runbook title that ends the helper's here-document": Case(
        lambda: [step("one", "echo one")],
        args=("--version", "1.3.0", "--dry-run"),
        lines=("  $ echo one",),
        fields={"title": "Demo\nRUNBOOK_PYTHON_HELPER\ntouch PWNED\n"},
    ),
}


def _run(pair: Both, case: Case, runner: bool) -> subprocess.CompletedProcess[str]:
    write_runbook(pair.repo, case.steps(), **case.fields)  # type: ignore[arg-type]
    if case.prepare:
        case.prepare(pair.repo)
    if runner:
        return pair.runner(*case.args)
    exported = pair.export()
    assert exported.returncode == 0, exported.stderr
    return pair.bash(*case.args)


@pytest.mark.parametrize("name", list(CASES))
def test_no_injected_command_runs(
    twins: tuple[Both, Both], tmp_path: Path, git_home: Path, name: str
) -> None:
    case = CASES[name]
    by_runner, by_script = twins
    runner = _run(by_runner, case, runner=True)
    script = _run(by_script, case, runner=False)
    for who, result in (("runner", runner), ("script", script)):
        assert result.returncode == case.code, (who, result.stdout, result.stderr)
        if case.stderr is not None:
            assert result.stderr == case.stderr, who
        printed = (result.stdout + result.stderr).splitlines()
        for line in case.lines:
            assert line in printed, (who, line, result.stdout, result.stderr)
    assert markers(tmp_path, git_home) == []


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 15


def test_a_hostile_package_from_pyproject_through_a_real_build(
    tmp_path: Path, git_home: Path
) -> None:
    """The build refuses the name where it is defined, or the run refuses it; nothing runs."""
    from conftest import sphinx_build, write_tree

    srcdir = write_tree(
        tmp_path / "project",
        {
            "pyproject.toml": '[project]\nname = "demo$(touch PWNED)"\nversion = "1.2.0"\n',
            "docs/conf.py": 'extensions = ["sphinx_release_runbook"]\n',
            "docs/index.rst": (
                "Release\n=======\n\n.. release-runbook:: demo\n\n"
                ".. release-step:: show\n\n   echo {{ package }}\n"
            ),
        },
    )
    from runner.conftest import base_env, runbook_cli

    env = base_env(git_home)
    git(srcdir, "init", "-q", env=env)
    build = sphinx_build(srcdir / "docs", "runbook")
    exported = build.outdir / "runbook.json"
    if build.status != 0:  # the located error at the definition
        assert "'demo$(touch PWNED)' is not a package name" in build.stderr, build.stderr
    if exported.is_file():  # and a runbook.json that holds it anyway is refused when run
        result = runbook_cli(
            srcdir, "run", "--runbook", str(exported), "--version", "1.3.0", "--yes", env=env
        )
        assert (result.returncode, result.stderr) == (2, package_refusal("demo$(touch PWNED)"))
        script = tmp_path / "release.sh"
        assert (
            runbook_cli(
                srcdir, "export", "--runbook", str(exported), "-o", str(script), env=env
            ).returncode
            == 0
        )
        ran = subprocess.run(
            ["bash", str(script), "--version", "1.3.0", "--yes"],
            cwd=srcdir,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert (ran.returncode, ran.stderr) == (2, package_refusal("demo$(touch PWNED)"))
    else:
        assert build.status != 0
    assert markers(tmp_path, git_home) == []
