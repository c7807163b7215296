"""The rendered page in a real browser: typing a version fills every placeholder live.

Builds root ``test-browser`` to HTML, serves it from a local ``http.server`` thread on
127.0.0.1 and drives headless Chromium with Selenium (the shared browser of
``conftest.py``).  Skipped only where Chromium is not installed, and failed instead
under ``CI=true`` (CI installs it: ``apt-get install chromium chromium-driver``).  The
project's own guide, in every theme, is driven by the ``test_page_*`` modules.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import ROOTS, sphinx_build
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from .browser_page import open_page, serve, spans, type_version, wait


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built HTML of ``test-browser``, served on 127.0.0.1; yields the base URL."""
    srcdir = shutil.copytree(ROOTS / "test-browser", tmp_path_factory.mktemp("site") / "src")
    result = sphinx_build(srcdir, "html", "-W")
    assert result.status == 0, result.stderr
    url, stop = serve(result.outdir)
    try:
        yield url
    finally:
        stop()


def commands_text(driver: WebDriver, step_id: str) -> str:
    pre = driver.find_element(By.CSS_SELECTOR, f'section[data-step="{step_id}"] pre')
    return str(pre.text)


def test_typing_a_version_fills_the_commands_live(site: str, page: WebDriver) -> None:
    open_page(page, site + "index.html")
    assert "git tag vX.Y.Z" in commands_text(page, "tag")
    assert set(spans(page, "version")) == {"X.Y.Z"}

    type_version(page, "0.4.0")
    wait(page, lambda d: "git tag v0.4.0" in commands_text(d, "tag"))

    tag_commands = commands_text(page, "tag")
    assert 'git commit -am "Release 0.4.0"' in tag_commands
    assert "git tag v0.4.0" in tag_commands
    assert "git push origin v0.4.0" in tag_commands
    assert set(spans(page, "version")) == {"0.4.0"}
    assert set(spans(page, "tag")) == {"v0.4.0"}
    filled = page.find_elements(By.CSS_SELECTOR, ".runbook-var.runbook-filled")
    assert len(filled) == len(page.find_elements(By.CSS_SELECTOR, ".runbook-var"))
    # The bump step shows the real pyproject.toml line with the new version in it.
    assert 'version = "0.4.0"' in commands_text(page, "bump-version")


def test_an_invalid_version_is_refused_and_every_placeholder_restored(
    site: str, page: WebDriver
) -> None:
    open_page(page, site + "index.html")
    type_version(page, "0.5.0")
    wait(page, lambda d: "git tag v0.5.0" in commands_text(d, "tag"))

    type_version(page, "v0.6")
    status = page.find_element(By.CSS_SELECTOR, ".runbook-version-status")
    wait(page, lambda d: "give the bare version 0.6" in status.text)
    # No stale value beside the message: the commands show their placeholders again.
    assert "git tag vX.Y.Z" in commands_text(page, "tag")
    box = page.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    assert box.get_attribute("aria-invalid") == "true"

    type_version(page, "")
    wait(page, lambda d: status.text == "")
    assert box.get_attribute("aria-invalid") is None
    assert set(spans(page, "version")) == {"X.Y.Z"}
    assert page.find_elements(By.CSS_SELECTOR, ".runbook-var.runbook-filled") == []


@pytest.fixture(scope="module")
def order_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Root ``test-order``: one runbook whose steps live on several pages."""
    srcdir = shutil.copytree(ROOTS / "test-order", tmp_path_factory.mktemp("order") / "src")
    result = sphinx_build(srcdir, "html", "-W")
    assert result.status == 0, result.stderr
    url, stop = serve(result.outdir)
    try:
        yield url
    finally:
        stop()


def test_steps_on_other_pages_follow_the_release_in_progress(
    order_site: str, page: WebDriver
) -> None:
    open_page(page, order_site + "index.html")
    type_version(page, "1.2.3")
    wait(page, lambda d: "?version=1.2.3" in d.current_url)
    # A page of steps without the runbook's header fills them with the release typed there.
    open_page(page, order_site + "alpha.html", fresh=False)
    assert set(spans(page, "version")) == {"1.2.3"}
    assert set(spans(page, "tag")) == {"v1.2.3"}
    check = page.find_element(By.CSS_SELECTOR, ".runbook-check")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", check)
    check.click()
    # Its ticks count in the header's progress.
    open_page(page, order_site + "index.html", fresh=False)
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, ".runbook-summary-text").text)
    assert page.find_element(By.CSS_SELECTOR, ".runbook-summary-text").text == "1 of 7 done"
