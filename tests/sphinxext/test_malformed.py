"""Malformed guides: each gives exactly one located warning that names the problem, and fails.

Every case is a tiny source tree written to a temporary directory and built
with the ``sphinx-build`` command line (``build_main``) *without* ``-W``: the
runbook build gate alone must turn the warning into a non-zero exit code.
Messages are pinned verbatim (colours stripped, the source directory written
as ``SRCDIR``), so a reworded or mislocated message fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import sphinx_build

CONF = 'project = "bad"\nextensions = ["sphinx_release_runbook"]\nexclude_patterns = ["_build"]\n'
MYST_CONF = (
    'project = "bad"\nextensions = ["myst_parser", "sphinx_release_runbook"]\n'
    'exclude_patterns = ["_build"]\n'
)
# Line 4 declares the runbook; a directive appended after it starts on line 6.
HEAD = "Guide\n=====\n\n.. release-runbook:: pypi\n\n"
MYST_HEAD = "# Guide\n\n```{release-runbook} pypi\n```\n\n"
PYPROJECT = '[project]\nname = "bad"\nversion = "1.0.0"\n'
KNOWN_STEP_OPTIONS = (
    ":title:, :kind:, :runbook:, :bump:, :expect:, :expect-empty:, :cwd:, :env:, :timeout:, "
    ":retry:, :interval:, :skip-if:, :confirm:, :requires:"
)
KNOWN_PLACEHOLDERS = (
    "{{ version }}, {{ tag }}, {{ version_info }}, {{ previous_version }}, {{ package }}"
)
BUMP_EXAMPLE = "e.g. `pyproject.toml tool.poetry.version`"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str]
    warning: str  # the one expected warning line, normalised

    def tree(self) -> dict[str, str]:
        conf = MYST_CONF if any(name.endswith(".md") for name in self.files) else CONF
        return {"conf.py": conf, **self.files}


def rst(body: str, **more: str) -> dict[str, str]:
    return {"index.rst": HEAD + body, **more}


def myst(body: str) -> dict[str, str]:
    return {"index.md": MYST_HEAD + body}


def at(location: str, message: str, subtype: str = "directive") -> str:
    return f"SRCDIR/{location}: WARNING: {message} [runbook.{subtype}]"


TIMEOUT_SOON = "option :timeout: must be a number of seconds > 0, not 'soon'"
UNKNOWN_COLOUR = f"unknown option :colour: for release-step; known options: {KNOWN_STEP_OPTIONS}"
CONFIRM_YES = "option :confirm: takes no value, got 'yes'"
KIND_SHELL = "option :kind: must be one of command, check, manual, bump, wait, not 'shell'"
MISSING_ID = (
    "release-step needs a step ID as its argument, e.g. `.. release-step:: commit-and-push`"
)
UNTERMINATED = "unterminated quote or trailing backslash in this command"

CASES = [
    Case(
        "unknown-option",
        rst(".. release-step:: s1\n   :colour: red\n\n   echo hi\n"),
        at("index.rst:6", UNKNOWN_COLOUR),
    ),
    Case("missing-id", rst(".. release-step::\n\n   echo hi\n"), at("index.rst:6", MISSING_ID)),
    Case(
        "release-file-outside-the-repository",
        rst(".. release-file:: ../../etc/passwd\n"),
        at(
            "index.rst:6",
            "release-file '../../etc/passwd' leaves the repository ('..'); "
            "write it relative to the repository root",
            "path",
        ),
    ),
    Case(
        "bump-target-with-an-absolute-path",
        rst(".. release-step:: b\n   :bump:\n      /etc/x.toml project.version\n"),
        at(
            "index.rst:6",
            "malformed :bump: line '/etc/x.toml project.version': '/etc/x.toml' is absolute; "
            "write it relative to the repository root",
        ),
    ),
    Case(
        "anchor-taken-by-a-section",
        rst("Step 1: Prepare\n---------------\n\n.. release-step:: 1-prepare\n\n   echo hi\n"),
        at(
            "index.rst:9",
            "the anchor 'step-1-prepare' is already used on this page; choose another ID",
        ),
    ),
    Case(
        "invalid-id",
        rst(".. release-step:: bad/id\n\n   echo hi\n"),
        at(
            "index.rst:6",
            "invalid step ID 'bad/id' for release-step: use letters, digits, '-', '_' and '.', "
            "starting with a letter or digit",
        ),
    ),
    Case(
        "duplicate-step-id-across-documents",
        rst(
            ".. release-step:: s1\n\n   echo hi\n\n.. toctree::\n\n   other\n",
            **{"other.rst": "Other\n=====\n\n.. release-step:: s1\n\n   echo again\n"},
        ),
        at("other.rst:4", "duplicate step ID 's1': already used at index.rst:6", "duplicate"),
    ),
    Case(
        "bad-kind",
        rst(".. release-step:: s1\n   :kind: shell\n\n   echo hi\n"),
        at("index.rst:6", KIND_SHELL),
    ),
    Case(
        "malformed-bump-line",
        rst(".. release-step:: s1\n   :bump: pyproject.toml\n", **{"pyproject.toml": PYPROJECT}),
        at(
            "index.rst:6",
            "malformed :bump: line 'pyproject.toml': write one `FILE KEY` per line, "
            + BUMP_EXAMPLE,
        ),
    ),
    Case(
        "bump-file-type",
        rst(".. release-step:: s1\n   :bump: setup.cfg metadata.version\n"),
        at(
            "index.rst:6",
            "malformed :bump: line 'setup.cfg metadata.version': setup.cfg: cannot bump this "
            "file type; bump targets are .toml keys (tool.poetry.version) or .py assignments "
            "(__version__, __version_info__)",
        ),
    ),
    Case(
        "bump-kind-without-bump",
        rst(".. release-step:: s1\n   :kind: bump\n"),
        at("index.rst:6", f"bump step needs :bump: with one `FILE KEY` per line, {BUMP_EXAMPLE}"),
    ),
    Case(
        "bump-on-command-step",
        rst(
            ".. release-step:: s1\n   :kind: command\n   :bump: pyproject.toml project.version\n"
            "\n   echo hi\n",
            **{"pyproject.toml": PYPROJECT},
        ),
        at("index.rst:6", ":bump: belongs to bump steps; this step's kind is 'command'"),
    ),
    Case(
        "unknown-placeholder",
        rst(".. release-step:: s1\n\n   echo hi\n   git tag {{ verison }}\n"),
        at(
            "index.rst:9",
            f"unknown placeholder {{{{ verison }}}}; known: {KNOWN_PLACEHOLDERS}",
            "placeholder",
        ),
    ),
    Case(
        "unknown-placeholder-in-expect",
        rst(".. release-step:: s1\n   :expect: {{ nope }}\n\n   echo hi\n"),
        at(
            "index.rst:6",
            f"unknown placeholder {{{{ nope }}}}; known: {KNOWN_PLACEHOLDERS}",
            "placeholder",
        ),
    ),
    Case(
        "unknown-placeholder-in-manual-instructions",
        rst(".. release-step:: s1\n   :kind: manual\n\n   Do {{ nope }}.\n"),
        at(
            "index.rst:9",
            f"unknown placeholder {{{{ nope }}}}; known: {KNOWN_PLACEHOLDERS}",
            "placeholder",
        ),
    ),
    Case(
        "bad-placeholder-syntax",
        rst(".. release-step:: s1\n\n   git tag {{ version \n"),
        at(
            "index.rst:8",
            "bad placeholder syntax: unexpected end of template, expected 'end of print "
            "statement'.",
            "placeholder",
        ),
    ),
    Case(
        "step-outside-any-runbook",
        {"index.rst": "Guide\n=====\n\n.. release-step:: s1\n\n   echo hi\n"},
        at(
            "index.rst:4",
            "release-step 's1' is outside any runbook: put `.. release-runbook:: NAME` above it "
            "(in toctree order) or give :runbook: NAME",
            "structure",
        ),
    ),
    Case(
        "unknown-runbook-name",
        rst(".. release-step:: s1\n   :runbook: docs\n\n   echo hi\n"),
        at(
            "index.rst:6",
            "unknown runbook 'docs' in :runbook: of step 's1' (it must be declared above the "
            "step, in toctree order)",
            "structure",
        ),
    ),
    Case(
        "flag-option-with-value",
        rst(".. release-step:: s1\n   :confirm: yes\n\n   echo hi\n"),
        at("index.rst:6", CONFIRM_YES),
    ),
    Case(
        "non-numeric-timeout",
        rst(".. release-step:: s1\n   :timeout: soon\n\n   echo hi\n"),
        at("index.rst:6", TIMEOUT_SOON),
    ),
    Case(
        "zero-timeout",
        rst(".. release-step:: s1\n   :timeout: 0\n\n   echo hi\n"),
        at("index.rst:6", "option :timeout: must be a number of seconds > 0, not '0'"),
    ),
    Case(
        "negative-timeout",
        rst(".. release-step:: s1\n   :timeout: -5\n\n   echo hi\n"),
        at("index.rst:6", "option :timeout: must be a number of seconds > 0, not '-5'"),
    ),
    Case(
        "non-integer-retry",
        rst(".. release-step:: s1\n   :retry: 2.5\n\n   echo hi\n"),
        at("index.rst:6", "option :retry: must be a whole number >= 0, not '2.5'"),
    ),
    Case(
        "interval-without-retry",
        rst(".. release-step:: s1\n   :interval: 5\n\n   echo hi\n"),
        at("index.rst:6", ":interval: needs :retry: (how many times to try again)"),
    ),
    Case(
        "bad-expect-regex",
        rst(".. release-step:: s1\n   :expect: (unclosed\n\n   echo hi\n"),
        at(
            "index.rst:6",
            "option :expect: '(unclosed' is not a valid regular expression (missing ), "
            "unterminated subpattern at position 0)",
        ),
    ),
    Case(
        "expect-with-expect-empty",
        rst(".. release-step:: s1\n   :expect: ok\n   :expect-empty:\n\n   echo hi\n"),
        at("index.rst:6", ":expect: and :expect-empty: contradict each other; keep one"),
    ),
    Case(
        "command-step-without-commands",
        rst(".. release-step:: s1\n"),
        at(
            "index.rst:6",
            "step 's1' has no commands: write them as the directive's content, one per line "
            "(or use :kind: manual)",
        ),
    ),
    Case(
        "manual-step-without-instructions",
        rst(".. release-step:: s1\n   :kind: manual\n"),
        at("index.rst:6", "manual step 's1' needs instructions as its content"),
    ),
    Case(
        "command-option-on-manual-step",
        rst(".. release-step:: s1\n   :kind: manual\n   :timeout: 5\n\n   Do it.\n"),
        at("index.rst:6", "option :timeout: does not apply to a manual step"),
    ),
    Case(
        "unterminated-quote",
        rst('.. release-step:: s1\n\n   echo one\n   echo "hello\n'),
        at("index.rst:9", UNTERMINATED),
    ),
    Case(
        "trailing-backslash",
        rst(".. release-step:: s1\n\n   echo one \\\n"),
        at("index.rst:8", UNTERMINATED),
    ),
    Case(
        "bad-version-scheme",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :version-scheme: calver\n"},
        at("index.rst:4", "option :version-scheme: must be one of pep440, semver, not 'calver'"),
    ),
    Case(
        "tag-without-version",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :tag: release\n"},
        at("index.rst:4", "option :tag: must contain {{ version }}, e.g. v{{ version }}"),
    ),
    Case(
        "tag-with-unknown-placeholder",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n   :tag: v{{ tag }}\n"},
        at(
            "index.rst:4",
            "option :tag: unknown placeholder {{ tag }}; known: {{ version }}, {{ package }}",
            "placeholder",
        ),
    ),
    Case(
        "runbook-with-content",
        {"index.rst": "Guide\n=====\n\n.. release-runbook:: pypi\n\n   content\n"},
        at("index.rst:4", "release-runbook takes no content; write prose around it"),
    ),
    Case(
        "duplicate-runbook-name",
        rst(
            ".. toctree::\n\n   other\n",
            **{"other.rst": "Other\n=====\n\n.. release-runbook:: pypi\n"},
        ),
        at("other.rst:4", "runbook 'pypi' is already declared at index.rst:4", "duplicate"),
    ),
    Case(
        "troubleshoot-without-match",
        rst(".. release-troubleshoot:: t1\n\n   Fix it.\n"),
        at(
            "index.rst:6",
            "release-troubleshoot needs :match: REGEX (the output that identifies this failure)",
        ),
    ),
    Case(
        "troubleshoot-unknown-runbook",
        rst(".. release-troubleshoot:: t1\n   :match: x\n   :runbook: nope\n\n   Fix it.\n"),
        at("index.rst:6", "unknown runbook 'nope' in :runbook:", "structure"),
    ),
    Case(
        "malformed-env-line",
        rst(".. release-step:: s1\n   :env: NOEQUALS\n\n   echo hi\n"),
        at("index.rst:6", "malformed :env: line 'NOEQUALS': write one NAME=value per line"),
    ),
    Case(
        "negative-retry",
        rst(".. release-step:: s1\n   :retry: -1\n\n   echo hi\n"),
        at("index.rst:6", "option :retry: must be a whole number >= 0, not '-1'"),
    ),
    Case(
        "nan-timeout",
        rst(".. release-step:: s1\n   :timeout: nan\n\n   echo hi\n"),
        at("index.rst:6", "option :timeout: must be a number of seconds > 0, not 'nan'"),
    ),
    Case(
        "empty-title",
        rst(".. release-step:: s1\n   :title:\n\n   echo hi\n"),
        at("index.rst:6", "option :title: needs a value"),
    ),
    Case(
        "troubleshoot-bad-match-regex",
        rst(".. release-troubleshoot:: t1\n   :match: (x\n\n   Fix it.\n"),
        at(
            "index.rst:6",
            "option :match: '(x' is not a valid regular expression (missing ), unterminated "
            "subpattern at position 0)",
        ),
    ),
    Case(
        "troubleshoot-without-fix",
        rst(".. release-troubleshoot:: t1\n   :match: x\n"),
        at("index.rst:6", "troubleshooting entry 't1' needs its fix as content"),
    ),
    Case(
        "quickref-with-content",
        rst(".. release-quickref:: pypi\n\n   git tag\n"),
        at("index.rst:6", "release-quickref takes no content; it is built from the steps"),
    ),
    # MyST: the same directives in ```{name} fences; the same messages as reST.
    Case(
        "myst-non-numeric-timeout",
        myst("```{release-step} s1\n:timeout: soon\n\necho hi\n```\n"),
        at("index.md:6", TIMEOUT_SOON),
    ),
    Case(
        "myst-unknown-option",
        myst("```{release-step} s1\n:colour: red\n\necho hi\n```\n"),
        at("index.md:6", UNKNOWN_COLOUR),
    ),
    Case(
        "myst-flag-option-with-value",
        myst("```{release-step} s1\n:confirm: yes\n\necho hi\n```\n"),
        at("index.md:6", CONFIRM_YES),
    ),
    Case(
        "myst-bad-kind",
        myst("```{release-step} s1\n:kind: shell\n\necho hi\n```\n"),
        at("index.md:6", KIND_SHELL),
    ),
    Case(
        "myst-missing-id",
        myst("```{release-step}\necho hi\n```\n"),
        at("index.md:6", MISSING_ID),
    ),
    Case(
        "myst-unterminated-quote",
        myst('```{release-step} s1\n:confirm:\n\necho one\necho "hi\n```\n'),
        at("index.md:10", UNTERMINATED),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_input_gives_one_located_warning_and_fails(
    case: Case, make_srcdir: Callable[[dict[str, str]], Path]
) -> None:
    srcdir = make_srcdir(case.tree())
    result = sphinx_build(srcdir, "html")
    assert "Traceback" not in result.stderr
    assert "Exception occurred" not in result.stderr
    assert result.warnings == [case.warning]
    assert result.status == 1, "the build gate must fail the build without -W"
    assert "runbook: the build failed with 1 problem(s)" in result.stdout


def test_quickref_of_an_unknown_runbook_is_reported(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, **rst(".. release-quickref:: nope\n")})
    result = sphinx_build(srcdir, "html")
    assert len(result.warnings) == 1
    assert "SRCDIR/index.rst:6: WARNING: " in result.stderr
    assert (
        "SRCDIR/index.rst:6: WARNING: release-quickref names unknown runbook 'nope'; "
        "declared: pypi [runbook.structure]"
    ) in result.warnings
    assert result.status == 1


def test_malformed_cases_cover_at_least_twenty_distinct_messages() -> None:
    assert len({case.warning for case in CASES}) >= 20


def test_myst_cases_pin_the_same_message_as_their_rest_twin() -> None:
    """Each ``myst-X`` case expects, word for word, the message of the reST case ``X``."""
    by_name = {case.name: case.warning.split(": WARNING: ", 1)[1] for case in CASES}
    twins = [name for name in by_name if name.startswith("myst-")]
    assert len(twins) >= 5
    for twin in twins:
        assert by_name[twin] == by_name[twin.removeprefix("myst-")], twin


def test_sphinx_build_command_exits_non_zero_on_a_malformed_guide(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    """The real ``python -m sphinx`` process, no ``-W``: the exit code comes from the gate."""
    case = next(case for case in CASES if case.name == "non-numeric-timeout")
    srcdir = make_srcdir(case.tree())
    completed = sphinx_build(srcdir, "html", outdir=srcdir / "out", isolated=True)
    assert completed.status == 1
    assert "Traceback" not in completed.stderr
    assert completed.warnings == [case.warning]


def test_incremental_rebuild_that_reads_nothing_still_fails_and_repeats_the_warning(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    """Findings live in the environment: a second build with nothing to read fails again."""
    case = next(case for case in CASES if case.name == "bad-kind")
    srcdir = make_srcdir(case.tree())
    doctrees = srcdir / "_build" / "doctrees"
    first = sphinx_build(srcdir, "html", doctrees=doctrees, isolated=True)
    second = sphinx_build(srcdir, "html", doctrees=doctrees, isolated=True)
    assert first.status == second.status == 1
    assert "0 added, 0 changed, 0 removed" in second.stdout
    assert second.warnings == [case.warning]
