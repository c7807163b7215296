"""Issue 13, acceptance 3: the extension's cost per page does not grow with the pages.

Seen without a clock: how many times a build walks the toctree for the memo
of the resolved runbooks, how many templates it compiles with Jinja2, which
documents an incremental build reads again, and what it says about the
configuration.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import sphinx_build, write_tree

from sphinx_release_runbook.core import templating
from sphinx_release_runbook.sphinxext import resolve

WORKFLOW = "name: Publish {i}\non:\n  release:\n    types: [published]\n"


def _indent(text: str) -> str:
    return "\n".join(f"   {line}" if line else "" for line in text.splitlines())


def _project(root: Path, pages: int) -> Path:
    """*pages* pages, each with a step (plain ``{{ version }}`` placeholders) and a mirror."""
    files = {
        "conf.py": 'project = "cost"\nextensions = ["sphinx_release_runbook"]\n'
        'runbook_repo_root = "."\nexclude_patterns = ["_build", "files"]\n',
        "index.rst": "Cost\n====\n\n.. release-runbook:: cost\n\n.. toctree::\n\n"
        + "\n".join(f"   page{i}" for i in range(pages))
        + "\n",
    }
    for i in range(pages):
        workflow = WORKFLOW.format(i=i)
        files[f"files/workflow{i}.yml"] = workflow
        commands = f'git add files/workflow{i}.yml\ngit commit -m "release {{{{ version }}}}"'
        files[f"page{i}.rst"] = (
            f"Page {i}\n{'=' * (5 + len(str(i)))}\n\n"
            f".. release-step:: step-{i}\n\n{_indent(commands)}\n\n"
            f".. release-file:: files/workflow{i}.yml\n\n{_indent(workflow)}\n"
        )
    return write_tree(root, files)


def _walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    walks: list[int] = []
    walk = resolve.document_order

    def counting(env: object) -> list[str]:
        order = walk(env)  # type: ignore[arg-type]
        walks.append(len(order))
        return order

    monkeypatch.setattr(resolve, "document_order", counting)
    return walks


def test_the_toctree_is_walked_the_same_number_of_times_whatever_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = []
    for pages in (4, 24):
        walks = _walks(monkeypatch)
        result = sphinx_build(_project(tmp_path / f"p{pages}", pages), "html")
        assert result.status == 0, result.stderr
        counts.append(len(walks))
        monkeypatch.undo()
    # Once or twice (per change of the records), not once per page resolved.
    assert max(counts) <= 3, counts


def test_plain_placeholders_compile_no_jinja_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled: list[str] = []
    compile_template = templating._compiled

    def counting(template: str) -> object:
        compiled.append(template)
        return compile_template(template)

    monkeypatch.setattr(templating, "_compiled", counting)
    result = sphinx_build(_project(tmp_path / "p", 6), "html")
    assert result.status == 0, result.stderr
    html = (result.outdir / "page3.html").read_text(encoding="utf-8")
    assert "workflow3.yml" in html
    assert compiled == []


def test_an_incremental_build_with_nothing_changed_reports_no_configuration_change(
    tmp_path: Path,
) -> None:
    srcdir = _project(tmp_path / "p", 3)
    doctrees = tmp_path / "doctrees"
    first = sphinx_build(srcdir, "html", doctrees=doctrees)
    assert first.status == 0, first.stderr
    again = sphinx_build(srcdir, "html", doctrees=doctrees)
    assert again.status == 0, again.stderr
    assert "configuration has changed" not in again.stdout + again.stderr
    assert "0 changed" in again.stdout, again.stdout
    # The styles and the script are still there and linked.
    assert (again.outdir / "_static" / "runbook.css").is_file()
    assert 'src="_static/runbook.js' in (again.outdir / "page1.html").read_text()


def _read_again(stdout: str) -> list[str]:
    """The documents a build read, from its "reading sources..." lines."""
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", stdout)


def test_touching_one_mirrored_file_reads_again_exactly_the_page_that_mirrors_it(
    tmp_path: Path,
) -> None:
    srcdir = _project(tmp_path / "p", 6)
    doctrees = tmp_path / "doctrees"
    assert sphinx_build(srcdir, "html", doctrees=doctrees).status == 0
    mirrored = srcdir / "files" / "workflow4.yml"
    mirrored.write_text(mirrored.read_text() + "# touched\n")
    again = sphinx_build(srcdir, "html", doctrees=doctrees)
    assert _read_again(again.stdout) == ["page4"], again.stdout
