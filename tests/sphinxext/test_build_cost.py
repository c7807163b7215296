"""Issue 13, acceptance 3: the extension's cost per page does not grow with the pages.

Seen without a clock: how many times a build walks the toctree for the memo
of the resolved runbooks, how many templates it compiles with Jinja2, which
documents an incremental build reads again, and what it says about the
configuration.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import sphinx_build, write_tree
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import nodes as sphinx_nodes
from sphinx.util.docutils import docutils_namespace, patch_docutils

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


def _mirror(path: str, copy: str) -> str:
    return f".. release-file:: {path}\n\n{_indent(copy)}\n"


def _pages(files: dict[str, str]) -> dict[str, str]:
    names = [name.removesuffix(".rst") for name in files if name.endswith(".rst")]
    toctree = "\n".join(f"   {name}" for name in names)
    return {
        "conf.py": 'project = "cost"\nextensions = ["sphinx_release_runbook"]\n'
        'runbook_repo_root = "."\nexclude_patterns = ["_build", "files"]\n',
        "index.rst": f"Cost\n====\n\n.. release-runbook:: cost\n\n.. toctree::\n\n{toctree}\n",
        **files,
    }


def test_a_second_build_of_the_same_application_sees_the_files_as_they_are_now(
    tmp_path: Path,
) -> None:
    # What a build learns about the files (their text, where a link points) is kept for
    # the pages of that build only: a second build in the same process asks again.
    srcdir = write_tree(
        tmp_path / "p",
        _pages(
            {
                "files/a.yml": "a: 1\n",
                "files/b.yml": "b: 2\n",
                "files/kept.yml": "k: 1\n",
                "page0.rst": "Page 0\n======\n\n" + _mirror("files/kept.yml", "k: 1"),
                "page1.rst": "Page 1\n======\n\n.. release-step:: add\n\n"
                "   git add files/link.yml\n\n" + _mirror("files/link.yml", "a: 1"),
            }
        ),
    )
    os.symlink("a.yml", srcdir / "files" / "link.yml")
    warnings = io.StringIO()
    # One application built twice, in the docutils namespace sphinx-build gives it (the
    # directives and nodes it registers do not outlive it, for the other tests).
    with patch_docutils(srcdir), docutils_namespace():
        app = Sphinx(
            srcdir,
            srcdir,
            tmp_path / "out",
            tmp_path / "doctrees",
            "html",
            status=io.StringIO(),
            warning=warnings,
        )
        app.build()
        assert "runbook.mirror" not in warnings.getvalue(), warnings.getvalue()
        (srcdir / "files" / "kept.yml").write_text("k: 2\n", encoding="utf-8")
        (srcdir / "files" / "link.yml").unlink()
        os.symlink("b.yml", srcdir / "files" / "link.yml")
        # page0 is read again for its mirrored file; page1 because it is edited (its
        # dependency is the file the link named, which did not change).
        later = (srcdir / "page1.rst").stat().st_mtime + 10
        os.utime(srcdir / "page1.rst", (later, later))
        app.build()
    found = warnings.getvalue()
    assert "the copy of files/kept.yml differs from the file" in found, found
    assert "the copy of files/link.yml differs from the file" in found, found


def test_every_page_notes_the_files_it_reads_when_another_page_read_them_first(
    tmp_path: Path,
) -> None:
    shared = "s: 1\n"
    srcdir = write_tree(
        tmp_path / "p",
        _pages(
            {
                "files/shared.yml": shared,
                "files/other.yml": "o: 1\n",
                "page0.rst": "Page 0\n======\n\n" + _mirror("files/shared.yml", shared),
                "page1.rst": "Page 1\n======\n\n.. release-step:: add\n\n"
                "   git add files/other.yml files/shared.yml\n\n"
                + _mirror("files/shared.yml", shared),
            }
        ),
    )
    doctrees = tmp_path / "doctrees"
    assert sphinx_build(srcdir, "html", doctrees=doctrees).status == 0
    (srcdir / "files" / "shared.yml").touch()
    assert sorted(_read_again(sphinx_build(srcdir, "html", doctrees=doctrees).stdout)) == [
        "page0",
        "page1",
    ]
    (srcdir / "files" / "other.yml").touch()
    assert _read_again(sphinx_build(srcdir, "html", doctrees=doctrees).stdout) == ["page1"]


def test_no_title_of_a_step_or_runbook_is_dumped_as_xml_and_only_titles_are_translatable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sphinx dumps a TextElement without a location or a rawsource as XML for a debug
    # message (every page); a blank rawsource is no message for translators either.
    dumped: list[str] = []
    dump = sphinx_nodes.repr_domxml

    def counting(node: nodes.Node, length: int = 80) -> str:
        dumped.append(type(node).__name__)
        return dump(node, length)

    monkeypatch.setattr(sphinx_nodes, "repr_domxml", counting)
    srcdir = write_tree(
        tmp_path / "p",
        _pages(
            {
                "page0.rst": "Page 0\n======\n\n.. release-step:: untitled\n\n   echo a\n\n"
                ".. release-step:: titled\n   :title: Publish the release\n\n   echo b\n\n"
                ".. release-troubleshoot:: fix\n   :match: boom\n   :title: When it booms\n\n"
                "   Try again.\n",
            }
        ),
    )
    result = sphinx_build(srcdir, "html")
    assert result.status == 0, result.stderr
    assert dumped == []
    html = (result.outdir / "page0.html").read_text(encoding="utf-8")
    assert "Publish the release" in html
    assert '<span class="runbook-step-title">Page 0</span>' in html
    catalog = sphinx_build(srcdir, "gettext")
    assert catalog.status == 0, catalog.stderr
    pot = (catalog.outdir / "page0.pot").read_text(encoding="utf-8")
    assert 'msgid "Publish the release"' in pot
    assert 'msgid "When it booms"' in pot
    assert 'msgid " "' not in pot
    assert pot.count('msgid ""') == 1  # the catalog's header only


def test_a_build_that_parses_no_yaml_and_calls_no_cli_imports_neither_parser(
    tmp_path: Path,
) -> None:
    srcdir = _project(tmp_path / "p", 2)
    argv = ["-q", "-E", "-b", "html", str(srcdir), str(tmp_path / "out")]
    script = (
        "import sys\nfrom sphinx.cmd.build import build_main\n"
        f"status = build_main({argv!r})\n"
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & {'yaml', 'click'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.split() == ["0", "[]"], done.stdout + done.stderr
