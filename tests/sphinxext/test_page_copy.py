"""Issue 12, acceptance 1 (copying): what the Copy buttons put on the clipboard, read back.

Each step's Copy button copies the commands the runner runs (``runbook.json``), filled
with the typed version, without comment lines; "Copy as GitHub issue" copies the
checklist as Markdown task items with the commands in fenced blocks; and no Copy button
covers a line of its code, at full width or 400 px.  The clipboard is the browser's own,
read with ``navigator.clipboard.readText()`` (permission granted through the DevTools
protocol), never a stand-in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from markdown_it import MarkdownIt
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from sphinx_release_runbook.core.templating import render
from sphinx_release_runbook.core.versions import release_values

from .browser_page import (
    click,
    grant_clipboard,
    open_page,
    read_clipboard,
    wait,
    write_clipboard,
)
from .conftest import Site

VERSION = "0.4.0"


def filled(runbook: dict[str, Any], template: str) -> str:
    values = release_values(
        VERSION, tag_template=runbook["tag"], package=runbook["package"], previous_version=""
    )
    return render(template, values)


def copy_of(driver: WebDriver, button: Any) -> str:
    write_clipboard(driver, "")
    click(driver, button)
    wait(driver, lambda d: read_clipboard(d) != "")
    return read_clipboard(driver)


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_each_copy_button_copies_what_the_runner_runs(
    page: WebDriver, project_site: Callable[..., Site], guide_runbook: dict[str, Any], theme: str
) -> None:
    site = project_site(theme)
    grant_clipboard(page, site.url)
    open_page(page, f"{site.guide}?version={VERSION}")
    checked = 0
    for step in guide_runbook["steps"]:
        card = page.find_element(By.ID, f"step-{step['id']}")
        buttons = card.find_elements(By.CSS_SELECTOR, ".runbook-copy")
        if step["kind"] == "bump":
            assert len(buttons) == len(step["bump"])
            for button, target in zip(buttons, step["bump"], strict=True):
                copied = copy_of(page, button)
                # The file's line as the bump writes it: the version, or its tuple.
                key = target["key"].rsplit(".", 1)[-1]
                value = "(0, 4, 0)" if key.endswith("_info__") else f'"{VERSION}"'
                assert f"{key} = {value}" in copied, copied
                assert "X.Y.Z" not in copied and "X, Y, Z" not in copied
            continue
        assert len(buttons) == 1, step["id"]
        copied = copy_of(page, buttons[0])
        expected = "\n".join(filled(guide_runbook, command) for command in step["commands"])
        assert copied == expected, step["id"]
        assert buttons[0].text == "Copied"
        checked += 1
    assert checked == 14  # the 16 steps less the two bump steps
    # The create-release notes keep their blank line and "```" lines: inside a string.
    release = page.find_element(By.CSS_SELECTOR, "#step-create-release .runbook-copy")
    assert '--notes "## Installation\n\n\\`\\`\\`bash\n' in copy_of(page, release)

    # The quick reference: every command in order, no comment line.
    quickref = page.find_element(By.CSS_SELECTOR, "#quick-reference .runbook-copy")
    copied = copy_of(page, quickref)
    expected_lines: list[str] = []
    bumped = False
    for step in guide_runbook["steps"]:
        if step["kind"] == "bump":
            if not bumped:
                expected_lines.append(f"python -m runbook bump --version {VERSION}")
                bumped = True
        else:
            expected_lines.extend(filled(guide_runbook, c) for c in step["commands"])
    assert copied == "\n".join(expected_lines)
    assert not [line for line in copied.splitlines() if line.startswith("#")]


def test_an_empty_version_copies_the_placeholders(
    page: WebDriver, project_site: Callable[..., Site]
) -> None:
    site = project_site("furo")
    grant_clipboard(page, site.url)
    open_page(page, site.guide)
    button = page.find_element(By.CSS_SELECTOR, "#step-create-tag .runbook-copy")
    assert copy_of(page, button) == 'git tag -a vX.Y.Z -m "Release vX.Y.Z"'


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_copy_as_github_issue_puts_the_checklist_as_markdown(
    page: WebDriver, project_site: Callable[..., Site], guide_runbook: dict[str, Any], theme: str
) -> None:
    site = project_site(theme)
    grant_clipboard(page, site.url)
    url = f"{site.guide}?version={VERSION}"
    open_page(page, url)
    for step_id in ("update-main", "check-clean", "pre-release-checks"):
        click(page, page.find_element(By.ID, f"runbook-check-{step_id}"))
    page.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    markdown = copy_of(page, page.find_element(By.CSS_SELECTOR, ".runbook-issue"))
    print(markdown[:1200])

    lines = markdown.splitlines()
    assert lines[0] == f"## Release {VERSION}: Publish sphinx-release-runbook to PyPI"
    assert f"{url} (3 of 16 done)" in lines[2]
    items = [line for line in lines if line.startswith("- [")]
    assert len(items) == 16
    assert items[0] == f"- [x] 1. Update main ([guide]({url}#step-update-main))"
    assert items[2].startswith("- [x] 3. Run Pre-release Checks ")
    assert items[7] == f"- [ ] 8. Commit version bump ([guide]({url}#step-commit-version))"
    assert sum(item.startswith("- [x] ") for item in items) == 3
    assert "X.Y.Z" not in markdown and "X, Y, Z" not in markdown
    commit = markdown.split(items[7], 1)[1].split("\n- [", 1)[0]
    assert commit == (
        "\n  ```bash\n"
        "  git add pyproject.toml src/sphinx_release_runbook/_version.py\n"
        f'  git commit -m "chore: bump version to {VERSION}"\n'
        "  ```"
    )

    # As GitHub reads it (CommonMark): one list of 16 items, each step's commands a
    # fenced block inside its item, exactly the commands the runner runs.
    tokens = MarkdownIt("commonmark").parse(markdown)
    items_open = [t for t in tokens if t.type == "list_item_open"]
    assert len(items_open) == 16
    fences = [t for t in tokens if t.type == "fence"]
    assert all(t.level > 0 for t in fences)  # inside a list item, not after the list
    bash = [t for t in fences if t.info == "bash"]
    runnable = [s for s in guide_runbook["steps"] if s["kind"] != "bump"]
    assert [t.content.rstrip("\n") for t in bash] == [
        "\n".join(filled(guide_runbook, c) for c in s["commands"]) for s in runnable
    ]
    # The bump steps show the lines they write, the version in them.
    assert [t.info for t in fences if t.info != "bash"] == ["toml", "python", "python"]


def line_boxes(driver: WebDriver, block: Any) -> list[dict[str, float]]:
    """The boxes of the text lines of a block's code, as laid out."""
    rects: list[dict[str, float]] = driver.execute_script(
        "var range = document.createRange();"
        "range.selectNodeContents(arguments[0].querySelector('pre'));"
        "return Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0)"
        ".map(r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom}));",
        block,
    )
    return rects


def intersects(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


@pytest.mark.parametrize("width", [1280, 400])
@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_no_copy_button_covers_a_line_of_its_code(
    page: WebDriver, project_site: Callable[..., Site], theme: str, width: int
) -> None:
    open_page(page, f"{project_site(theme).guide}?version={VERSION}", width=width)
    blocks = page.find_elements(By.CSS_SELECTOR, ".runbook-commands")
    assert len(blocks) >= 17
    pairs = 0
    gaps: list[float] = []
    for block in blocks:
        page.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", block
        )
        button = block.find_element(By.CSS_SELECTOR, ".runbook-copy")
        assert button.is_displayed()
        box = page.execute_script(
            "var r = arguments[0].getBoundingClientRect();"
            "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}",
            button,
        )
        lines = line_boxes(page, block)
        assert lines
        for line in lines:
            pairs += 1
            assert not intersects(box, line), (block.get_attribute("data-language"), box, line)
        gaps.append(min(line["top"] for line in lines) - box["bottom"])
        # The button is inside the card, and the card inside the window.
        assert box["right"] <= width
    print(
        f"{theme} {width}px: {len(blocks)} blocks, {pairs} text boxes, 0 intersections, "
        f"min gap {min(gaps):.1f}px"
    )
