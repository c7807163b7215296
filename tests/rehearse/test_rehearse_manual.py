"""A manual step is shown and reported "manual, not rehearsed", never as passed."""

from __future__ import annotations

from .conftest import GUIDE

MANUAL_STEP = """

Announce
========

.. release-step:: announce
   :kind: manual

   Post the release notes of |version| to the mailing list.
"""


def test_a_manual_step_is_reported_as_not_rehearsed(make_project) -> None:
    project = make_project()
    path = project.root / GUIDE
    path.write_text(path.read_text(encoding="utf-8") + MANUAL_STEP, encoding="utf-8")
    project.commit("a manual step")
    outcome = project.rehearse("--only", "check-clean", "--only", "announce")
    assert outcome.code == 0, outcome.output
    assert "manual (not rehearsed)" in outcome.row("announce")
    assert "passed" in outcome.row("check-clean")
    assert "1 manual step(s) not rehearsed" in outcome.output
