"""Directives in an ``.. include::``d file are located in that file, not in the includer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import load_export, sphinx_build, steps_of

CONF = (
    'project = "inc"\nextensions = ["sphinx_release_runbook"]\n'
    'exclude_patterns = ["_build", "_inc.rst"]\n'
)
INDEX = "Guide\n=====\n\n.. release-runbook:: r\n\nSome prose.\n\n.. include:: _inc.rst\n"
INCLUDED = (
    "Included\n--------\n\n"
    ".. release-step:: first\n\n   echo ok\n   echo {{ nope }}\n\n"  # line 4; command on 7
    ".. release-step:: second\n   :kind: nah\n\n   echo\n"  # line 9
)
GOOD = "Included\n--------\n\n.. release-step:: first\n\n   echo {{ version }}\n"


def test_warnings_name_the_included_file_and_its_lines(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX, "_inc.rst": INCLUDED})
    result = sphinx_build(srcdir, "html")
    assert result.status == 1
    lines = result.warnings
    assert len(lines) == 2, lines
    assert lines[0].startswith("_inc.rst:7: WARNING: unknown placeholder {{ nope }}")
    assert lines[1] == (
        "_inc.rst:9: WARNING: option :kind: must be one of command, check, manual, bump, "
        "wait, not 'nah' [runbook.directive]"
    )


def test_runbook_json_records_the_included_file_as_the_step_source(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX, "_inc.rst": GOOD})
    result = sphinx_build(srcdir, "runbook")
    assert result.status == 0, result.stderr
    (step,) = steps_of(load_export(srcdir / "_build" / "runbook" / "runbook.json"))
    assert step["source"]["docname"] == "index"
    assert step["source"]["path"].endswith("_inc.rst")
    assert step["source"]["line"] == 4


# A template in an option (here :skip-if:) of a step written in an included file,
# below prose that shifts the includer's line numbers away from the included file's.
INCLUDED_OPTION = (
    "Included\n--------\n\nText.\n\nMore text.\n\n"
    ".. release-step:: first\n   :skip-if: test -e {{ nope }}\n\n   echo ok\n"  # step on line 8
)


def test_an_option_template_in_an_included_file_is_located_at_its_step(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX, "_inc.rst": INCLUDED_OPTION})
    result = sphinx_build(srcdir, "html")
    assert result.status == 1
    (line,) = result.warnings
    assert line.startswith("_inc.rst:8: WARNING: unknown placeholder {{ nope }}"), line
