"""Issue 12, acceptance 1 (filling): the project's own guide, built and served, in Chromium.

Under alabaster and furo: typing a version leaves no ``X.Y.Z``, ``vX.Y.Z`` or
``(X, Y, Z)`` in the guide's main content (counted before and after); a bad version
shows the message, sets ``aria-invalid`` and puts every span back to its placeholder;
``?version=0.4.0`` prefills, and the URL keeps the version as it is typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from conftest import sphinx_build, write_tree
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from sphinx_release_runbook.core.versions import VersionError, format_version_info, version_info

from .browser_page import main_text, open_page, serve, spans, step_text, type_version, wait
from .conftest import Site

PLACEHOLDER_FORMS = {
    "vX.Y.Z": re.compile(r"vX\.Y\.Z"),
    "X.Y.Z": re.compile(r"(?<!v)X\.Y\.Z"),
    "(X, Y, Z)": re.compile(r"\(X, Y, Z\)"),
}


def placeholder_counts(text: str) -> dict[str, int]:
    return {form: len(pattern.findall(text)) for form, pattern in PLACEHOLDER_FORMS.items()}


def placeholders_at_rest(driver: WebDriver) -> bool:
    """Every span shows its placeholder (package is known: it shows its name)."""
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('.runbook-var')).map(s =>"
        " [s.dataset.runbookVar, s.textContent, s.classList.contains('runbook-filled')])"
    )
    expected = {"version": "X.Y.Z", "tag": "vX.Y.Z", "version_info": "(X, Y, Z)"}
    return all(
        (text == "sphinx-release-runbook" and filled)
        if name == "package"
        else (text == expected.get(name, text) and not filled)
        for name, text, filled in shown
    )


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_typing_a_version_leaves_no_placeholder_in_the_guide(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)
    open_page(page, site.guide)
    before = placeholder_counts(main_text(page))
    # The guide shows every kind of placeholder: commands, quick reference, step details,
    # the bump previews, prose through the roles, a troubleshooting fix.
    assert before["X.Y.Z"] >= 10 and before["vX.Y.Z"] >= 10 and before["(X, Y, Z)"] >= 1, before
    print(f"{theme}: placeholders before typing {before}")

    type_version(page, "0.4.0")
    wait(page, lambda d: "git tag -a v0.4.0" in step_text(d, "create-tag"))
    text = main_text(page)
    after = placeholder_counts(text)
    print(f"{theme}: placeholders after typing 0.4.0 {after}")
    assert after == {"vX.Y.Z": 0, "X.Y.Z": 0, "(X, Y, Z)": 0}, [
        line for line in text.splitlines() if "X.Y.Z" in line or "X, Y, Z" in line
    ]
    # Every kind of place is filled: step details, a role in prose, a fix, the previews.
    assert "Skipped when this succeeds: git rev-parse -q --verify refs/tags/v0.4.0" in (
        step_text(page, "create-tag")
    )
    assert "Output must match: ^0.4.0$" in step_text(page, "verify-pyproject-version")
    assert "Environment: PYTHONPATH=src · Output must match: version 0.4.0$" in step_text(
        page, "verify-module-version"
    )
    assert "__version_info__ = (0, 4, 0)" in step_text(page, "bump-module")
    assert "Choose tag: v0.4.0" in text
    assert "python -m runbook run --version 0.4.0 --from wait-for-workflow" in text
    assert "python -m runbook run --version 0.4.0 --resume" in text  # the troubleshooting fix
    assert "python -m runbook bump --version 0.4.0" in text  # the quick reference
    assert set(spans(page, "version")) == {"0.4.0"}
    assert set(spans(page, "tag")) == {"v0.4.0"}
    assert set(spans(page, "version_info")) == {"(0, 4, 0)"}


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_package_is_filled_from_the_start(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    open_page(page, project_site(theme).guide)
    packages = page.find_elements(By.CSS_SELECTOR, '.runbook-var[data-runbook-var="package"]')
    assert packages
    assert {p.text for p in packages} == {"sphinx-release-runbook"}
    assert all("runbook-filled" in str(p.get_attribute("class")) for p in packages)
    # And it looks filled: the filled colours, not the placeholders' (also without a class,
    # from the stylesheet: no-JavaScript readers see the same).
    version = page.find_element(By.CSS_SELECTOR, '.runbook-var[data-runbook-var="version"]')
    assert packages[0].value_of_css_property("background-color") != (
        version.value_of_css_property("background-color")
    )


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_a_bad_version_shows_why_and_restores_every_placeholder(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    open_page(page, project_site(theme).guide)
    box = page.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    status = page.find_element(By.CSS_SELECTOR, ".runbook-version-status")
    type_version(page, "0.5.0")
    wait(page, lambda d: "git tag -a v0.5.0" in step_text(d, "create-tag"))
    assert box.get_attribute("aria-invalid") is None

    for bad, reason in [
        ("v0.6.0", "give the bare version 0.6.0"),
        ("0.6", "give MAJOR.MINOR.PATCH, such as 0.6.0"),
        ("0.6.0 rc1", "contains white space"),
        ("latest", "is not a PEP 440 version"),
    ]:
        type_version(page, bad)
        wait(page, lambda d, reason=reason: reason in status.text)
        assert box.get_attribute("aria-invalid") == "true"
        # No stale value beside the message: every span is back at its placeholder.
        assert placeholders_at_rest(page)
        counts = placeholder_counts(main_text(page))
        assert counts["X.Y.Z"] >= 10, counts
        assert "v0.5.0" not in main_text(page)
        # The message is tied to the box for screen readers.
        assert box.get_attribute("aria-describedby") == status.get_attribute("id")
        assert status.get_attribute("aria-live") == "polite"

    type_version(page, "0.6.0rc1")
    wait(page, lambda d: "git tag -a v0.6.0rc1" in step_text(d, "create-tag"))
    assert status.text == ""
    assert box.get_attribute("aria-invalid") is None
    assert set(spans(page, "version_info")) == {"(0, 6, 0, 'rc1')"}

    type_version(page, "")
    wait(page, lambda d: "git tag -a vX.Y.Z" in step_text(d, "create-tag"))
    assert placeholders_at_rest(page)


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_the_version_in_the_url_prefills_and_follows_the_box(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)
    open_page(page, site.guide + "?version=0.4.0#step-create-tag")
    box = page.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    assert box.get_attribute("value") == "0.4.0"
    assert "git tag -a v0.4.0" in step_text(page, "create-tag")
    assert placeholder_counts(main_text(page)) == {"vX.Y.Z": 0, "X.Y.Z": 0, "(X, Y, Z)": 0}

    type_version(page, "0.4.1")
    wait(page, lambda d: d.current_url.endswith("?version=0.4.1#step-create-tag"))
    history = page.execute_script("return history.length")
    type_version(page, "0.4")  # not a version: the URL keeps the last good one
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, ".runbook-version-status").text)
    assert page.current_url.endswith("?version=0.4.1#step-create-tag")
    type_version(page, "")
    wait(page, lambda d: "version=" not in d.current_url)
    assert page.current_url == site.guide + "#step-create-tag"
    # replaceState: typing adds no history entries.
    assert page.execute_script("return history.length") == history

    # A link with a bad version shows it, with the message, and fills nothing.
    open_page(page, site.guide + "?version=v1.0.0")
    status = page.find_element(By.CSS_SELECTOR, ".runbook-version-status")
    assert "give the bare version 1.0.0" in status.text
    assert placeholders_at_rest(page)


# --- the box accepts what the runner accepts ---------------------------------------------------

PEP440_VERSIONS = [
    "1.2.3", "0.4.0rc1", "1.2.3a1", "1.2.3b2", "1.2.3.post1", "1.2.3.dev0",
    "1.2.3rc1.post2.dev3", "1.2.3.4", "01.2.3", "10.20.30",
    "1.2", "1", "v1.2.3", "V1.2.3", "1.2.3-rc1", "1.2.3a", "1.2.3rc", "1.2.3RC1",
    "1.2.3+local", "1..2", "latest", "1.2.3 rc1", "\u0661.\u0662.\u0663",
]  # fmt: skip
SEMVER_VERSIONS = [
    "1.2.3", "1.2.3-rc.1", "1.2.3-alpha", "1.2.3-0", "1.2.3-x.7.z.92", "1.2.3-alpha-1",
    "0.0.0", "1.2.3-01", "01.2.3", "1.2", "1.2.3+build", "1.2.3-", "1.2.3-rc..1",
    "v1.2.3", "1.2.3.4", "1.2.3rc1",
]  # fmt: skip


@pytest.fixture(scope="module")
def scheme_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A one-step guide per version scheme, its command showing every derived value."""
    urls: dict[str, str] = {}
    stops = []
    for scheme in ("pep440", "semver"):
        srcdir = write_tree(
            tmp_path_factory.mktemp(f"scheme-{scheme}"),
            {
                "conf.py": 'project = "demo"\nextensions = ["sphinx_release_runbook"]\n',
                "index.rst": (
                    "Release\n=======\n\n.. release-runbook:: pypi\n"
                    f"   :version-scheme: {scheme}\n   :package: demo\n\n"
                    ".. release-step:: show\n\n"
                    "   echo {{ version }} {{ tag }} {{ version_info }}\n"
                ),
            },
        )
        result = sphinx_build(srcdir, "html", "-W")
        assert result.status == 0, result.stderr
        url, stop = serve(result.outdir)
        urls[scheme] = url + "index.html"
        stops.append(stop)
    yield urls
    for stop in stops:
        stop()


@pytest.mark.parametrize(
    ("scheme", "versions"), [("pep440", PEP440_VERSIONS), ("semver", SEMVER_VERSIONS)]
)
def test_the_box_accepts_what_the_runner_accepts(
    page: WebDriver, scheme_sites: dict[str, str], scheme: str, versions: list[str]
) -> None:
    open_page(page, scheme_sites[scheme])
    box = page.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    accepted = 0
    for version in versions:
        # The box's own handlers: "input" as typed, "change" as on leaving the box.
        page.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            box,
            version,
        )
        try:
            info = format_version_info(version_info(version, scheme))  # type: ignore[arg-type]
        except VersionError:
            assert box.get_attribute("aria-invalid") == "true", (scheme, version)
            assert set(spans(page, "version")) == {"X.Y.Z"}
            continue
        accepted += 1
        assert box.get_attribute("aria-invalid") is None, (scheme, version)
        assert spans(page) == [version, f"v{version}", info], (scheme, version)
    assert 0 < accepted < len(versions)
