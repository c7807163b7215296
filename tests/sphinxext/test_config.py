"""Bad ``runbook_*`` values fall back to their default with a warning located in conf.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import sphinx_build

CONF = (
    'project = "c"\n'
    'extensions = ["sphinx_release_runbook"]\n'
    'runbook_drift = "loud"\n'
    'runbook_clis = {"tool": 3, "ok": "pkg.cli:main"}\n'
    'runbook_repo_root = "no/such/dir"\n'
    'runbook_rehearse_secrets = {"PYPI_TOKEN": 42, "OK": "value"}\n'
)
INDEX = "Guide\n=====\n\n.. release-runbook:: r\n\n.. release-step:: s\n\n   echo hi\n"


def test_bad_config_values_are_located_and_replaced_by_defaults(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX})
    result = sphinx_build(srcdir, "runbook")
    assert "Traceback" not in result.stderr
    assert result.warnings == [
        "SRCDIR/conf.py:3: WARNING: runbook_drift must be 'error' or 'warning', not 'loud'; "
        "using 'error' [runbook.config]",
        "SRCDIR/conf.py:4: WARNING: runbook_clis values must be 'module:object' strings; "
        "ignoring 'tool' [runbook.config]",
        "SRCDIR/conf.py:6: WARNING: runbook_rehearse_secrets maps names to strings; "
        "ignoring 'PYPI_TOKEN' [runbook.config]",
        "SRCDIR/conf.py:5: WARNING: runbook_repo_root 'no/such/dir' is not a directory; "
        "using the git top level [runbook.config]",
    ]
    # The build itself goes on with the defaults and exports the runbook.
    assert (srcdir / "_build" / "runbook" / "runbook.json").is_file()
