"""Fixtures of the browser tests: the project's docs built once per theme, and one browser.

Each test session (each pytest-xdist worker) builds the project's own docs, with its
``conf.py`` (``-c`` the project root) and ``-W``, at most once per theme, when a test
first asks for that theme, and serves the HTML on 127.0.0.1; it starts one headless
Chromium, which every browser test shares.  A test states its own conditions (window
size, colour scheme) and starts from empty storage: see :func:`.browser_page.open_page`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import BuildResult, sphinx_build
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webdriver import WebDriver

from .browser_page import GUIDE, launch, require_chromium, serve

PROJECT = Path(__file__).resolve().parents[2]
THEMES = ("alabaster", "furo", "sphinx_rtd_theme", "pydata_sphinx_theme")
#: Where the screenshots are copied for a person to look at (the test writes them to tmp_path).
SCREENS = Path("/tmp/screens")


@dataclass(frozen=True)
class Site:
    """The project's docs built in one theme and served."""

    theme: str
    url: str
    build: BuildResult

    @property
    def guide(self) -> str:
        return self.url + GUIDE


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Site]]:
    """``project_site(theme)``: the project's docs in *theme*, built with -W and served."""
    built: dict[tuple[str, ...], Site] = {}
    stops: list[Callable[[], None]] = []

    def get(theme: str, *options: str) -> Site:
        key = (theme, *options)
        if key not in built:
            out = tmp_path_factory.mktemp(f"docs-{theme}")
            result = sphinx_build(
                PROJECT / "docs",
                "html",
                "-W",
                "-c",
                str(PROJECT),
                "-D",
                f"html_theme={theme}",
                *options,
                outdir=out / "html",
                doctrees=out / "doctrees",
                fresh=True,
            )
            assert result.status == 0, result.stderr
            url, stop = serve(result.outdir)
            stops.append(stop)
            built[key] = Site(theme, url, result)
        return built[key]

    yield get
    for stop in stops:
        stop()


@pytest.fixture(scope="session")
def guide_runbook(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The guide's runbook (``pypi``) as the runner reads it: ``runbook.json``."""
    out = tmp_path_factory.mktemp("export")
    result = sphinx_build(
        PROJECT / "docs", "runbook", "-c", str(PROJECT), outdir=out / "out", doctrees=out / "d"
    )
    assert result.status == 0, result.stderr
    data = json.loads((out / "out" / "runbook.json").read_text(encoding="utf-8"))
    runbook: dict[str, Any] = next(r for r in data["runbooks"] if r["name"] == "pypi")
    return runbook


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """One headless Chromium for the session's browser tests."""
    require_chromium()
    driver = launch(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: WebDriver) -> Iterator[WebDriver]:
    """The shared browser, left with one tab and no emulation when the test ends."""
    first = browser.current_window_handle
    yield browser
    for handle in browser.window_handles:
        if handle != first:
            browser.switch_to.window(handle)
            browser.close()
    browser.switch_to.window(first)
    # An alert left open (a test that failed half-way) would block the next test.
    with contextlib.suppress(WebDriverException):
        browser.switch_to.alert.dismiss()
