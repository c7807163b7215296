"""The markup the page's script works on, from real builds: roles, titles, details, copy lines.

No browser: these read the HTML (and the text output) that Sphinx writes, for the
parts the browser tests rely on.  ``:release-var:`` and ``:release-code:`` render the
same live spans as the commands, with their runbook's values; an unknown name is an
error at its line; a step's title, ``:env:`` and the other details are live too; the
Copy button's lines leave comment lines out but keep a ``#`` line inside a unit.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import sphinx_build, write_tree

CONF = 'project = "demo"\nextensions = ["sphinx_release_runbook"]\nexclude_patterns = ["_build"]\n'

GUIDE = """\
Release :release-var:`version`
==============================

Before any runbook, :release-var:`tag` takes the first runbook of the page.

.. release-runbook:: first
   :title: Release {{ package }} {{ version }}
   :tag: release-{{ version }}
   :package: demo

Tag it as :release-var:`tag`, then run :release-code:`git push origin {{ tag }}`;
:release-var:`package` is known.

.. release-step:: tag-it
   :title: Tag {{ version }}
   :env:
      RELEASE={{ version }}
      MODE=fast
   :cwd: build/{{ version }}
   :skip-if: git rev-parse {{ tag }}
   :expect: ^{{ version | upper }}$

   # make the tag
   git tag {{ tag }}
   cat > notes.md <<EOF
   # Notes for {{ version }}
   EOF

   git push origin {{ tag }}

.. release-runbook:: second
   :tag: v{{ version }}
   :package: other

Here :release-var:`tag` is the second runbook's.

.. release-step:: other-step
   :title: Echo the tag

   echo {{ tag }}
"""


def build(tmp_path: Path, body: str, builder: str = "html") -> tuple[int, str, str]:
    srcdir = write_tree(tmp_path / "src", {"conf.py": CONF, "index.rst": body})
    result = sphinx_build(srcdir, builder, srcdir_as="")
    page = result.outdir / ("index.html" if builder == "html" else "index.txt")
    return result.status, page.read_text(encoding="utf-8") if page.exists() else "", result.stderr


def span(name: str, shown: str) -> str:
    return f'<span class="runbook-var" data-runbook-var="{name}">{shown}</span>'


def test_roles_titles_and_details_render_live_spans(tmp_path: Path) -> None:
    status, page, stderr = build(tmp_path, GUIDE)
    assert status == 0, stderr
    assert "RUNBOOKx" not in page
    # The section title, and the text before the first runbook: the first runbook's values.
    assert f"<h1>Release {span('version', 'X.Y.Z')}" in page
    assert f"Before any runbook, {span('tag', 'release-X.Y.Z')} takes" in page
    assert f"Tag it as {span('tag', 'release-X.Y.Z')}, then run" in page
    pushed = span("tag", "release-X.Y.Z")
    assert (
        '<code class="docutils literal notranslate"><span class="pre">git</span> '
        f'<span class="pre">push</span> <span class="pre">origin</span> {pushed}</code>'
    ) in page
    assert f"{span('package', 'demo')} is known" in page
    # After the second runbook, its values.
    assert f"Here {span('tag', 'vX.Y.Z')} is the second" in page
    # The runbook's and the step's titles, in the heading and in the overview.
    assert f"Release {span('package', 'demo')} {span('version', 'X.Y.Z')}</p>" in page
    assert f'<span class="runbook-step-title">Tag {span("version", "X.Y.Z")}</span>' in page
    assert f'href="#step-tag-it">Tag {span("version", "X.Y.Z")} (command)</a>' in page
    # The details: :env: (shown now), :cwd:, :skip-if:; a filter is filled as text.
    details = re.search(r'<p class="runbook-step-meta">(.*?)</p>', page, re.S)
    assert details
    text = re.sub(r"<[^>]+>", "", details[1])
    assert "Runs in: build/X.Y.Z" in text
    assert "Environment: RELEASE=X.Y.Z MODE=fast" in text
    assert "Skipped when this succeeds: git rev-parse release-X.Y.Z" in text
    assert "Output must match: ^X.Y.Z$" in text
    assert span("version", "X.Y.Z") in details[1] and span("tag", "release-X.Y.Z") in details[1]


def test_the_copy_lines_are_the_commands_of_the_block(tmp_path: Path) -> None:
    status, page, stderr = build(tmp_path, GUIDE)
    assert status == 0, stderr
    block = re.search(r'<div class="runbook-commands" ([^>]*)>', page[page.index("step-tag-it") :])
    assert block
    # Line 1 is a comment, 5 is blank: left out; the heredoc's "# Notes" line (3) stays.
    assert 'data-copy-lines="2 3-5 7"' in block[1]
    assert 'data-language="bash"' in block[1]
    # Each runbook numbers its own steps.
    assert page.count('aria-label="Copy the commands of step 1"') == 2


def test_the_text_builder_shows_the_display_values(tmp_path: Path) -> None:
    status, text, stderr = build(tmp_path, GUIDE, "text")
    assert status == 0, stderr
    assert "Release X.Y.Z" in text
    assert 'Tag it as release-X.Y.Z, then run "git push origin release-X.Y.Z";' in text
    assert "1. Tag X.Y.Z" in text
    assert "RUNBOOKx" not in text


def test_an_unknown_name_in_a_role_fails_the_build_at_its_line(tmp_path: Path) -> None:
    body = (
        "Guide\n=====\n\n.. release-runbook:: pypi\n   :package: demo\n\n"
        "A :release-var:`versoin` here.\n\nAnd :release-code:`git tag {{ tga }}` there.\n"
    )
    status, _page, stderr = build(tmp_path, body)
    assert status != 0  # an authoring error: the build fails even without -W
    assert (
        "index.rst:7: WARNING: :release-var:`versoin` names no placeholder; use one of "
        "version, tag, version_info, previous_version, package [runbook.placeholder]"
    ) in stderr
    assert "index.rst:9: WARNING: :release-code: unknown placeholder {{ tga }}; known:" in stderr
