"""The rendered page in a real browser: typing a version fills every placeholder live.

Builds root ``test-browser`` to HTML, serves it from a local ``http.server``
thread on 127.0.0.1 and drives headless Chromium with Selenium.  Skipped only
when Chromium is not installed (CI installs it: ``apt-get install chromium
chromium-driver``).
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOTS, sphinx_build
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()),
    reason="headless Chromium is not installed (apt-get install -y chromium chromium-driver)",
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built HTML of ``test-browser``, served on 127.0.0.1; yields the base URL."""
    srcdir = shutil.copytree(ROOTS / "test-browser", tmp_path_factory.mktemp("site") / "src")
    result = sphinx_build(srcdir, "html", "-W")
    assert result.status == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(result.outdir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def commands_text(driver: WebDriver, step_id: str) -> str:
    pre = driver.find_element(By.CSS_SELECTOR, f'section[data-step="{step_id}"] pre')
    return str(pre.text)


def spans(driver: WebDriver, name: str) -> list[str]:
    found = driver.find_elements(By.CSS_SELECTOR, f'.runbook-var[data-runbook-var="{name}"]')
    return [str(span.text) for span in found]


def type_version(driver: WebDriver, text: str) -> None:
    box = driver.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    box.clear()
    box.send_keys(text)
    if not text:  # clear() sends no input event; the page listens for "input"
        driver.execute_script(
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}))", box
        )


def test_typing_a_version_fills_the_commands_live(site: str, browser: WebDriver) -> None:
    browser.get(site + "index.html")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    assert "git tag vX.Y.Z" in commands_text(browser, "tag")
    assert set(spans(browser, "version")) == {"X.Y.Z"}

    type_version(browser, "0.4.0")
    WebDriverWait(browser, 10).until(lambda d: "git tag v0.4.0" in commands_text(d, "tag"))

    tag_commands = commands_text(browser, "tag")
    assert 'git commit -am "Release 0.4.0"' in tag_commands
    assert "git tag v0.4.0" in tag_commands
    assert "git push origin v0.4.0" in tag_commands
    assert set(spans(browser, "version")) == {"0.4.0"}
    assert set(spans(browser, "tag")) == {"v0.4.0"}
    filled = browser.find_elements(By.CSS_SELECTOR, ".runbook-var.runbook-filled")
    assert len(filled) == len(browser.find_elements(By.CSS_SELECTOR, ".runbook-var"))
    # The bump step shows the real pyproject.toml line with the new version in it.
    assert 'version = "0.4.0"' in commands_text(browser, "bump-version")


def test_an_invalid_version_is_refused_and_clearing_restores_placeholders(
    site: str, browser: WebDriver
) -> None:
    browser.get(site + "index.html")
    type_version(browser, "0.5.0")
    WebDriverWait(browser, 10).until(lambda d: "git tag v0.5.0" in commands_text(d, "tag"))

    type_version(browser, "v0.6")
    status = browser.find_element(By.CSS_SELECTOR, ".runbook-version-status")
    WebDriverWait(browser, 10).until(lambda d: status.text == "not a pep440 version")
    assert "git tag v0.5.0" in commands_text(browser, "tag")  # the last valid version stays

    type_version(browser, "")
    WebDriverWait(browser, 10).until(lambda d: "git tag vX.Y.Z" in commands_text(d, "tag"))
    assert set(spans(browser, "version")) == {"X.Y.Z"}
    assert browser.find_elements(By.CSS_SELECTOR, ".runbook-var.runbook-filled") == []
