"""Issue 12, acceptance 3, 4 and 5: every theme, sphinx-copybutton, no JavaScript, screenshots.

* The project's docs build with ``-W`` under alabaster, furo, sphinx_rtd_theme and
  pydata-sphinx-theme (``-D html_theme=...`` with the project's own ``conf.py``).
* With sphinx-copybutton in ``extensions`` (the project's ``conf.py`` has it), every code
  block has exactly one visible copy control, and it can be focused.
* With JavaScript off, every command of every step reads with its placeholders, and no
  control that needs JavaScript shows.
* Screenshots of the guide (alabaster, furo light, furo dark, pydata dark, 400 px wide)
  go to the test's output folder and to ``/tmp/screens`` for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from sphinx_release_runbook.core.templating import render
from sphinx_release_runbook.core.versions import display_values

from .browser_page import (
    GUIDE,
    MAIN,
    cdp,
    click,
    emulate,
    grant_clipboard,
    open_page,
    screenshot,
    script_errors,
    scroll_to,
    type_version,
    wait,
)
from .conftest import SCREENS, THEMES, Site

STYLESHEETS = {
    "alabaster": "_static/alabaster.css",
    "furo": "_static/styles/furo.css",
    "sphinx_rtd_theme": "_static/css/theme.css",
    "pydata_sphinx_theme": "_static/styles/pydata-sphinx-theme.css",
}


@pytest.mark.parametrize("theme", THEMES)
def test_the_project_docs_build_with_W_in_every_theme(
    project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)  # built with -W and the project's conf.py
    assert site.build.status == 0
    assert site.build.warnings == []
    page = (site.build.outdir / GUIDE).read_text(encoding="utf-8")
    assert STYLESHEETS[theme] in page  # in that theme
    assert page.count('<section class="runbook-step"') == 16
    assert "runbook.css" in page and "runbook.js" in page and "copybutton.js" in page


@pytest.mark.parametrize("theme", THEMES)
def test_the_pages_script_raises_no_error(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)
    grant_clipboard(page, site.url)
    script_errors(page)  # what earlier tests left in the console
    for path in ("index.html", "directives.html", GUIDE, "cli.html"):
        open_page(page, site.url + path)
        assert script_errors(page) == [], path
    open_page(page, site.guide)
    type_version(page, "0.4")
    type_version(page, "1.0.0rc1")
    click(page, page.find_element(By.ID, "runbook-check-push-tag"))
    click(page, page.find_element(By.CSS_SELECTOR, "#step-push-tag .runbook-copy"))
    page.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    click(page, page.find_element(By.CSS_SELECTOR, ".runbook-issue"))
    page.execute_script("window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'})")
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, ".runbook-bar-stuck"))
    assert script_errors(page) == []


def visible_copy_controls(driver: WebDriver, block: Any) -> list[dict[str, Any]]:
    controls: list[dict[str, Any]] = driver.execute_script(
        "var block = arguments[0];"
        "var box = block.closest('.runbook-commands') || block;"
        "return Array.from(box.querySelectorAll('button.copybtn, .runbook-copy')).filter(el => {"
        "  var r = el.getBoundingClientRect(); if (!r.width || !r.height) { return false; }"
        "  for (var e = el; e && e.nodeType === 1; e = e.parentElement) {"
        "    var s = getComputedStyle(e);"
        "    if (s.display === 'none' || s.visibility !== 'visible' || s.opacity === '0')"
        "      { return false; } }"
        "  return true; }).map(el => ({cls: el.className, tabIndex: el.tabIndex,"
        "  disabled: el.disabled, ours: el.classList.contains('runbook-copy')}));",
        block,
    )
    return controls


@pytest.mark.parametrize("theme", ["alabaster", "furo", "pydata_sphinx_theme"])
def test_with_sphinx_copybutton_every_code_block_has_one_visible_copy_control(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    open_page(page, project_site(theme).guide + "?version=0.4.0")
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "button.copybtn"))  # it is loaded
    # Without the fade-in, what a reader's pointer reveals is measured at once.
    page.execute_script(
        "var s = document.createElement('style');"
        "s.textContent = '* { transition: none !important; }'; document.head.appendChild(s);"
    )
    blocks = page.find_elements(By.CSS_SELECTOR, f"{MAIN} div.highlight")
    ours = 0
    for block in blocks:
        scroll_to(page, block)
        ActionChains(page).move_to_element(block).perform()  # copybutton shows on hover
        controls = visible_copy_controls(page, block)
        assert len(controls) == 1, (block.get_attribute("outerHTML")[:300], controls)
        control = controls[0]
        assert control["tabIndex"] >= 0 and not control["disabled"]
        ours += control["ours"]
    print(f"{theme}: {len(blocks)} code blocks, one copy control each ({ours} the runbook's)")
    assert ours == len(page.find_elements(By.CSS_SELECTOR, ".runbook-commands")) >= 17
    assert len(blocks) > ours  # and the other blocks have sphinx-copybutton's


@pytest.mark.parametrize("theme", THEMES)
def test_without_javascript_every_command_reads_with_placeholders(
    page: WebDriver,
    project_site: Callable[..., Site],
    guide_runbook: dict[str, Any],
    theme: str,
) -> None:
    site = project_site(theme)
    emulate(page)
    cdp(page, "Emulation.setScriptExecutionDisabled", value=True)
    try:
        page.get(site.guide + "?version=0.4.0")  # a version in the link fills nothing either
        assert not page.execute_script(
            "return document.documentElement.classList.contains('runbook-js')"
        )
        display = display_values(guide_runbook["tag"], guide_runbook["package"])
        for step in guide_runbook["steps"]:
            card = page.find_element(By.ID, f"step-{step['id']}")
            text = str(card.text)
            assert f"{step['number']}\n" in text or text.startswith(str(step["number"]))
            assert step["title"] in text and step["kind"] in text.lower()
            for command in step["commands"]:
                for line in render(command, display).splitlines():
                    assert line.strip() in text, (step["id"], line)
            for target in step["bump"]:
                value = "(X, Y, Z)" if target["key"].endswith("_info__") else '"X.Y.Z"'
                assert f"{target['key'].rsplit('.', 1)[-1]} = {value}" in text
        assert "0.4.0" not in str(page.find_element(By.ID, "step-create-tag").text)
        # No control that needs JavaScript shows: no box, no checkbox, no button.
        shown = page.execute_script(
            "return Array.from(document.querySelectorAll("
            "  '.runbook-js-only, .runbook-step input, .runbook-commands button,"
            "   .runbook button, .runbook input')).filter(el => el.getClientRects().length)"
            ".map(el => el.className)"
        )
        assert shown == []
        # The code blocks keep no empty header row above them either.
        headers = page.execute_script(
            "return Array.from(document.querySelectorAll('.runbook-commands-header'))"
            ".filter(el => el.getClientRects().length).map(el => el.textContent)"
        )
        assert all(header.strip() for header in headers)  # only the captions of bump previews
    finally:
        cdp(page, "Emulation.setScriptExecutionDisabled", value=False)


SHOTS = [
    ("alabaster", "light", 1280),
    ("furo", "light", 1280),
    ("furo", "dark", 1280),
    ("pydata_sphinx_theme", "dark", 1280),
    ("furo", "light", 400),
]


@pytest.mark.parametrize(("theme", "scheme", "width"), SHOTS)
def test_screenshots_of_the_guide(
    page: WebDriver,
    project_site: Callable[..., Site],
    tmp_path: Path,
    theme: str,
    scheme: str,
    width: int,
) -> None:
    site = project_site(theme)
    height = 900 if width <= 400 else 1100
    open_page(page, site.guide + "?version=0.4.0", scheme=scheme, width=width, height=height)
    for step_id in ("update-main", "check-clean", "pre-release-checks"):
        click(page, page.find_element(By.ID, f"runbook-check-{step_id}"))
    name = f"guide-{theme}-{scheme}-{width}px"
    written = []
    # The runbook's header: the bar in place, the progress, the overview.
    page.execute_script(
        "var r = document.getElementById('runbook-pypi').getBoundingClientRect();"
        "window.scrollTo({top: scrollY + r.top - 110, behavior: 'instant'});"
    )
    wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, ".runbook-bar-stuck"))
    written.append(screenshot(page, tmp_path / f"{name}-1-header.png"))
    # Further down: the cards, the long commands, and the bar pinned to the window.
    page.execute_script(
        "var r = document.getElementById('step-create-tag').getBoundingClientRect();"
        "window.scrollTo({top: scrollY + r.top - 110, behavior: 'instant'});"
    )
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, ".runbook-bar-stuck"))
    written.append(screenshot(page, tmp_path / f"{name}-2-steps.png"))
    SCREENS.mkdir(parents=True, exist_ok=True)
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
        shutil.copy(path, SCREENS / path.name)
