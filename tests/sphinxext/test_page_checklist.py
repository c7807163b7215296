"""Issue 12, acceptance 1 (checklist): a checkbox per step, progress, storage, the bar.

Ticking three steps of 0.4.0 shows "3 of 16 done" in the runbook header and in the
bar that stays on screen; the ticks survive a reload and show in a new tab, another
open tab follows live (the storage event), another version has its own list, and the
reset control unticks them.  Under alabaster and furo.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from .browser_page import click, open_page, scroll_to, type_version, wait
from .conftest import Site

TICKED = ("update-main", "check-clean", "pre-release-checks")


def progress(driver: WebDriver) -> list[str]:
    """The progress texts of the page: the header's, then the bar's."""
    return [
        str(t)
        for t in driver.execute_script(
            "return [document.querySelector('.runbook-summary-text').textContent,"
            " document.querySelector('.runbook-bar-progress').textContent]"
        )
    ]


def ticked(driver: WebDriver) -> list[str]:
    return [
        str(s)
        for s in driver.execute_script(
            "return Array.from(document.querySelectorAll('.runbook-check:checked'))"
            ".map(c => c.dataset.step)"
        )
    ]


def tick(driver: WebDriver, step_id: str) -> None:
    click(driver, driver.find_element(By.ID, f"runbook-check-{step_id}"))


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_ticked_steps_show_progress_and_survive_reload_and_new_tabs(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)
    url = site.guide + "?version=0.4.0"
    open_page(page, url)
    assert page.find_elements(By.CSS_SELECTOR, ".runbook-check")
    assert len(page.find_elements(By.CSS_SELECTOR, "section.runbook-step .runbook-check")) == 16
    assert progress(page) == ["0 of 16 done", "0 of 16 done"]
    other_tab = page.current_window_handle
    page.switch_to.new_window("tab")
    open_page(page, url, fresh=False)  # a second tab, open while the first one ticks
    watcher = page.current_window_handle
    page.switch_to.window(other_tab)

    for step_id in TICKED:
        tick(page, step_id)
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")
    assert sorted(ticked(page)) == sorted(TICKED)
    # Ticked cards and overview entries say so.
    done_cards = page.find_elements(By.CSS_SELECTOR, "section.runbook-step.runbook-step-done")
    assert sorted(str(c.get_attribute("data-step")) for c in done_cards) == sorted(TICKED)
    marks = page.find_elements(By.CSS_SELECTOR, ".runbook-overview .runbook-done-mark")
    assert len(marks) == 3

    # The header shows it; far down the page, the bar, pinned on screen, shows it too.
    header = page.find_element(By.CSS_SELECTOR, ".runbook-summary-text")
    scroll_to(page, header)
    assert header.is_displayed() and header.text == "3 of 16 done"
    bar = page.find_element(By.CSS_SELECTOR, ".runbook-version-box")
    scroll_to(page, page.find_element(By.ID, "step-verify-install"))
    wait(page, lambda d: "runbook-bar-stuck" in str(bar.get_attribute("class")))
    on_screen = page.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "var hit = document.elementFromPoint(r.left + 10, r.top + r.height / 2);"
        "return [r.top >= 0, r.bottom <= innerHeight, r.left >= 0, r.right <= innerWidth,"
        " arguments[0].contains(hit)]",
        bar,
    )
    assert on_screen == [True, True, True, True, True]
    assert page.find_element(By.CSS_SELECTOR, ".runbook-bar-progress").text == "3 of 16 done"
    version_box = page.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    assert version_box.is_displayed() and version_box.get_attribute("value") == "0.4.0"

    # The tab that was open all along follows, without a reload (the storage event).
    page.switch_to.window(watcher)
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")
    assert sorted(ticked(page)) == sorted(TICKED)
    tick(page, "bump-pyproject")  # and the first tab follows this one
    page.switch_to.window(other_tab)
    wait(page, lambda d: progress(d)[0] == "4 of 16 done")
    tick(page, "bump-pyproject")
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")

    # A reload keeps them.
    page.refresh()
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")
    assert sorted(ticked(page)) == sorted(TICKED)

    # A new tab, opened on the plain page (no ?version=), takes up the release in progress.
    page.switch_to.new_window("tab")
    open_page(page, site.guide, fresh=False)
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")
    assert (
        page.find_element(By.CSS_SELECTOR, ".runbook-version-input").get_attribute("value")
        == "0.4.0"
    )
    assert "?version=0.4.0" in page.current_url


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_each_version_has_its_own_checklist_and_reset_unticks(
    page: WebDriver, project_site: Callable[..., Site], theme: str
) -> None:
    site = project_site(theme)
    open_page(page, site.guide)
    # Ticked before the version is known (the version is chosen in step 4), they carry
    # over to the first version typed.
    tick(page, "update-main")
    tick(page, "check-clean")
    wait(page, lambda d: progress(d)[0] == "2 of 16 done")
    type_version(page, "0.4.0")
    wait(page, lambda d: d.current_url.endswith("?version=0.4.0"))
    assert progress(page)[0] == "2 of 16 done"
    tick(page, "pre-release-checks")
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")

    type_version(page, "0.5.0")  # another release: its own, empty list
    wait(page, lambda d: progress(d)[0] == "0 of 16 done")
    assert ticked(page) == []
    tick(page, "update-main")
    wait(page, lambda d: progress(d)[0] == "1 of 16 done")

    type_version(page, "0.4.0")
    wait(page, lambda d: progress(d)[0] == "3 of 16 done")

    # Reset is in the header (the pinned bar leaves it out: it is rarely wanted).
    page.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    click(page, page.find_element(By.CSS_SELECTOR, ".runbook-reset"))
    alert = wait(page, lambda d: d.switch_to.alert)
    assert "0.4.0" in alert.text
    alert.accept()
    wait(page, lambda d: progress(d)[0] == "0 of 16 done")
    assert ticked(page) == []
    page.refresh()
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, ".runbook-summary-text").text)
    assert progress(page)[0] == "0 of 16 done"
    type_version(page, "0.5.0")  # the other release is untouched
    wait(page, lambda d: progress(d)[0] == "1 of 16 done")


def test_the_checkboxes_are_named_after_their_steps(
    page: WebDriver, project_site: Callable[..., Site]
) -> None:
    open_page(page, project_site("furo").guide)
    checks = page.find_elements(By.CSS_SELECTOR, ".runbook-check")
    # The names a screen reader announces, computed by the browser (which puts a space
    # around each box of the heading: "Step 1 : Update main").
    names = [" ".join(str(check.accessible_name).replace(" :", ":").split()) for check in checks]
    assert names[0] == "Done: Step 1: Update main"
    assert names[7] == "Done: Step 8: Commit version bump"
    assert len(set(names)) == 16
    assert checks[0].aria_role == "checkbox"
