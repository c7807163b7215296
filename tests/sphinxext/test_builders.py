"""Every builder renders a guide that uses every directive, and HTML shows the checklist.

Root ``test-directives``: a runbook header, the quick reference, steps of every
kind with every option (bump steps over the root's own ``pyproject.toml`` and
``demo/_version.py``) and a troubleshooting entry.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOTS, copy_root, sphinx_build

FALLBACK_BUILDERS = ["text", "latex", "man", "texinfo", "epub", "singlehtml", "dirhtml"]
STEP_TITLES = [
    "Step 1: Check the tree",
    "Step 2: Run the tests",
    "Step 3: Update the version",
    "Commit and tag the release",
    "Step 5: Publish",
    "Step 6: Wait for PyPI",
]


@pytest.mark.parametrize("builder", FALLBACK_BUILDERS)
def test_builder_renders_every_directive_with_warnings_as_errors(
    builder: str, tmp_path: Path
) -> None:
    srcdir = shutil.copytree(ROOTS / "test-directives", tmp_path / "src")
    result = sphinx_build(srcdir, builder, "-W")
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == ""
    assert result.status == 0
    # The steps' commands reach the output, placeholders shown as X.Y.Z.
    written = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in result.outdir.rglob("*")
        if path.is_file()
        and path.suffix in {".txt", ".tex", ".1", ".texi", ".xhtml", ".html"}
        and "_sources" not in path.parts  # copies of the reST sources
    )
    assert "porcelain" in written  # git status --porcelain (highlighted or escaped)
    assert "vX.Y.Z" in written
    assert "{{ version }}" not in written.replace("Output must match: {{ version }}", "")


def test_text_output_is_a_readable_checklist(tmp_path: Path) -> None:
    srcdir = shutil.copytree(ROOTS / "test-directives", tmp_path / "src")
    result = sphinx_build(srcdir, "text", "-W")
    assert result.status == 0
    text = (result.outdir / "release.txt").read_text(encoding="utf-8")
    for number, title in enumerate(STEP_TITLES, start=1):
        assert f"-[ {number}. {title} ]-" in text
    assert 'git tag -a vX.Y.Z -m "Release X.Y.Z (was PREV)"' in text
    assert '   version = "X.Y.Z"' in text  # the bump step shows the real pyproject line
    assert "   __version_info__ = (X, Y, Z)" in text
    assert "RUNBOOKx" not in text  # no placeholder sentinel leaks into any output


@pytest.fixture(scope="module")
def release_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    srcdir = shutil.copytree(ROOTS / "test-directives", tmp_path_factory.mktemp("html") / "src")
    result = sphinx_build(srcdir, "html", "-W")
    assert result.status == 0, result.stderr
    return (result.outdir / "release.html").read_text(encoding="utf-8")


def step_card(html: str, step_id: str) -> str:
    match = re.search(
        rf'<section class="runbook-step" data-step="{step_id}" id="step-{step_id}">(.*?)</section>',
        html,
        re.S,
    )
    assert match, f"no step card for {step_id}"
    return match.group(1)


def test_html_numbers_each_step_with_its_title_and_kind_badge(release_html: str) -> None:
    # The number and title are a heading (with a hidden "Step N: " for screen readers),
    # the badge follows it.
    headers = re.findall(
        r'<span class="runbook-step-number">(\d+)</span>'
        r'<span class="runbook-visually-hidden">: </span>'
        r'<span class="runbook-step-title">([^<]*)</span></span>'
        r'<a class="headerlink"[^>]*>¶</a></h\d>'
        r'<span class="runbook-badge runbook-badge-(\w+)">(\w+)</span>',
        release_html,
    )
    assert [(int(n), title, kind) for n, title, kind, _ in headers] == [
        (1, "Step 1: Check the tree", "check"),
        (2, "Step 2: Run the tests", "command"),
        (3, "Step 3: Update the version", "bump"),
        (4, "Commit and tag the release", "command"),
        (5, "Step 5: Publish", "manual"),
        (6, "Step 6: Wait for PyPI", "wait"),
    ]
    assert all(badge_class == label for _, _, badge_class, label in headers)


def test_html_marks_placeholders_up_as_spans(release_html: str) -> None:
    card = step_card(release_html, "commit-and-tag")
    assert '<span class="runbook-var" data-runbook-var="version">X.Y.Z</span>' in card
    assert '<span class="runbook-var" data-runbook-var="tag">vX.Y.Z</span>' in card
    assert '<span class="runbook-var" data-runbook-var="previous_version">PREV</span>' in card
    assert "{{" not in card
    bump = step_card(release_html, "bump-version")
    assert '<span class="runbook-var" data-runbook-var="version_info">(X, Y, Z)</span>' in bump
    assert "pyproject.toml (line 3): tool.poetry.version" in bump
    assert "RUNBOOKx" not in release_html


def test_html_runbook_header_has_version_box_and_linked_overview(release_html: str) -> None:
    assert re.search(
        r'<form class="runbook-version-box" data-runbook="pypi" data-tag-template="v\{version\}"'
        r' data-package="demo" data-scheme="pep440" data-steps="6"',
        release_html,
    )
    overview = re.search(r'<ol class="simple runbook-overview">(.*?)</ol>', release_html, re.S)
    assert overview
    links = re.findall(
        r'<a class="reference internal" href="#step-([\w-]+)">([^<]*)</a>', overview[1]
    )
    assert links == [
        ("check-clean", "Step 1: Check the tree (check)"),
        ("run-tests", "Step 2: Run the tests (command)"),
        ("bump-version", "Step 3: Update the version (bump)"),
        ("commit-and-tag", "Commit and tag the release (command)"),
        ("publish", "Step 5: Publish (manual)"),
        ("wait-pypi", "Step 6: Wait for PyPI (wait)"),
    ]


def test_html_quick_reference_is_generated_from_the_steps(release_html: str) -> None:
    section = re.search(r'<section id="quick-reference">(.*?)</section>', release_html, re.S)
    assert section
    text = re.sub(r"<[^>]+>", "", section[1]).replace("&quot;", '"')
    assert "# 1. Step 1: Check the tree\ngit status --porcelain" in text
    assert "# 2. Step 2: Run the tests\npython -m pytest -q" in text
    assert 'git tag -a vX.Y.Z -m "Release X.Y.Z (was PREV)"' in text
    assert "# 5. Step 5: Publish\n#    (manual step: follow the instructions in the guide)" in text
    assert "pip index versions demo" in text
    assert text.index("# 1.") < text.index("# 4.") < text.index("# 6.")


def test_html_includes_the_version_box_script_and_styles(release_html: str) -> None:
    assert re.search(
        r'<script defer="defer" src="_static/runbook\.js[^"]*"></script>', release_html
    )
    assert re.search(r'href="_static/runbook\.css[^"]*"', release_html)


def test_html_build_ships_the_version_box_assets(tmp_path: Path) -> None:
    result = sphinx_build(copy_root("test-directives", tmp_path / "src"), "html")
    assert result.status == 0
    assert result.stderr == ""
    static = result.outdir / "_static"
    assert (static / "runbook.js").is_file()
    assert (static / "runbook.css").is_file()
    index = (result.outdir / "index.html").read_text(encoding="utf-8")
    assert "runbook-overview" not in index  # the overview lives with its runbook header


PROJECT = ROOTS.parents[1]


def test_project_docs_build_with_every_fallback_builder(tmp_path: Path) -> None:
    """Acceptance: the project's own docs (conf.py at the root) build with -W in every format.

    The builders share one doctree directory, as ``make html latex ...`` would.
    """
    doctrees = tmp_path / "doctrees"
    failures = {}
    for builder in FALLBACK_BUILDERS:
        result = sphinx_build(
            PROJECT / "docs",
            builder,
            "-W",
            "-c",
            str(PROJECT),
            outdir=tmp_path / builder,
            doctrees=doctrees,
        )
        if result.status != 0 or result.stderr.strip():
            failures[builder] = result.stderr
    assert failures == {}


def test_manual_instructions_show_the_runbooks_own_tag(tmp_path: Path) -> None:
    srcdir = shutil.copytree(ROOTS / "test-twins", tmp_path / "src")
    result = sphinx_build(
        srcdir, "html", "-D", "root_doc=rst/index", "-D", "exclude_patterns=_build,md"
    )
    assert result.status == 0
    page = (result.outdir / "rst" / "index.html").read_text(encoding="utf-8")
    card = step_card(page, "publish")
    assert "release-X.Y.Z" in card  # the runbook's :tag: is release-{{ version }}
