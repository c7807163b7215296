"""``runbook.placeholder`` through the registry: a directive's every template is a TemplateRef."""

from __future__ import annotations

from sphinx_release_runbook.drift import TemplateRef
from sphinx_release_runbook.drift.registry import run

from .conftest import AT, MakeRepo

KNOWN = "{{ version }}, {{ tag }}, {{ version_info }}, {{ previous_version }}, {{ package }}"


def test_known_placeholders_and_plain_text_pass(make_repo: MakeRepo) -> None:
    repo = make_repo()
    texts = ["echo hi", "git tag {{ tag }} -m 'v{{ version }}'", "{{ version_info }}", ""]
    assert run(repo, [TemplateRef(text, AT) for text in texts]) == []


def test_an_unknown_placeholder_is_located_where_the_guide_writes_it(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [TemplateRef("git tag {{ verison }}", AT)])
    assert finding.subtype == "placeholder"
    assert (finding.path, finding.line, finding.docname) == ("docs/index.rst", 7, "index")
    assert finding.message == f"unknown placeholder {{{{ verison }}}}; known: {KNOWN}"
    assert not finding.is_drift  # an authoring error: the directive is dropped


def test_bad_syntax_is_a_placeholder_finding(make_repo: MakeRepo) -> None:
    (finding,) = run(make_repo(), [TemplateRef("git tag {{ version ", AT)])
    assert finding.message == (
        "bad placeholder syntax: unexpected end of template, expected 'end of print statement'."
    )


def test_allowed_names_and_a_label_for_the_tag_option(make_repo: MakeRepo) -> None:
    tag = TemplateRef("v{{ tag }}", AT, allowed=("version", "package"), label="option :tag:")
    (finding,) = run(make_repo(), [tag])
    assert finding.message == (
        "option :tag: unknown placeholder {{ tag }}; known: {{ version }}, {{ package }}"
    )
    fine = TemplateRef("{{ package }}-{{ version }}", AT, ("version", "package"), "option :tag:")
    assert run(make_repo(), [fine]) == []


def test_each_template_is_checked_on_its_own(make_repo: MakeRepo) -> None:
    findings = run(make_repo(), [TemplateRef("{{ a }}", AT), TemplateRef("{{ b }} {{ c }}", AT)])
    assert [f.message.split(";")[0] for f in findings] == [
        "unknown placeholder {{ a }}",
        "unknown placeholder {{ b }}",
    ]


def test_the_check_reads_no_file(make_repo: MakeRepo) -> None:
    repo = make_repo()
    run(repo, [TemplateRef("{{ nope }}", AT)])
    assert repo.dependencies() == []
