"""``runbook.script``: a committed checklist script must match a fresh export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import sphinx_build

CONF = (
    'project = "s"\nextensions = ["sphinx_release_runbook"]\nexclude_patterns = ["_build"]\n'
    'runbook_script_path = "release.sh"\n'
)
INDEX = (
    "Guide\n=====\n\n.. release-runbook:: r\n\n"
    "Tag\n---\n\n.. release-step:: tag\n\n   git tag {{ tag }}\n"
)


def test_missing_stale_and_current_committed_script(
    make_srcdir: Callable[[dict[str, str]], Path],
) -> None:
    srcdir = make_srcdir({"conf.py": CONF, "index.rst": INDEX})

    missing = sphinx_build(srcdir, "runbook")
    assert missing.status == 1
    assert missing.warnings == [
        "release.sh:1: WARNING: release.sh is missing; regenerate it with "
        "`python -m runbook export` [runbook.script]"
    ]

    exported = (srcdir / "_build" / "runbook" / "release-r.sh").read_text()
    (srcdir / "release.sh").write_text(exported.replace("release-r.sh", "release.sh"))
    current = sphinx_build(srcdir, "runbook")
    assert current.status == 0, current.stderr
    assert current.warnings == []

    (srcdir / "release.sh").write_text(
        (srcdir / "release.sh").read_text().replace("git tag", "git  tag")
    )
    stale = sphinx_build(srcdir, "runbook")
    assert stale.status == 1
    lines = stale.warnings
    assert len(lines) == 1 and "release.sh is stale" in lines[0], lines
    assert "-  s_commands=('git  tag '\"${RUNBOOK_tag}\")" in stale.stderr
    assert "+  s_commands=('git tag '\"${RUNBOOK_tag}\")" in stale.stderr
