"""``runbook.version`` through the registry: every version source of a runbook agrees."""

from __future__ import annotations

from sphinx_release_runbook.core.model import BumpTarget, Source
from sphinx_release_runbook.drift import VersionItem
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

OTHER = Source("release", "docs/release.rst", 30)


def sources(pyproject: str, module: str) -> dict[str, str]:
    return {
        "pyproject.toml": f'[project]\nname = "demo"\nversion = "{pyproject}"\n',
        "pkg/_version.py": f'__version__ = "{module}"\n__version_info__ = (1, 2, 0)\n',
    }


ITEM = VersionItem(
    (
        (BumpTarget("pyproject.toml", "project.version"), AT),
        (BumpTarget("pkg/_version.py", "__version__"), OTHER),
        (BumpTarget("pkg/_version.py", "__version_info__"), OTHER),
    )
)


def test_agreeing_sources_pass(make_repo: MakeRepo) -> None:
    assert run(make_repo(sources("1.2.0", "1.2.0")), [ITEM]) == []


def test_a_disagreeing_source_is_reported_where_its_step_names_it(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(sources("1.2.0", "1.3.0")), [ITEM])
    assert finding.subtype == "version"
    assert (finding.path, finding.line) == ("docs/release.rst", 30)
    assert finding.message == (
        'the version sources disagree: pyproject.toml:3 project.version = "1.2.0", '
        'but pkg/_version.py:1 __version__ = "1.3.0"'
    )


def test_unreadable_sources_are_left_to_the_bump_step_check(make_repo: MakeRepo) -> None:
    item = VersionItem(((BumpTarget("gone.toml", "project.version"), AT),))
    assert run(make_repo(), [item]) == []
