"""Driving the rendered guide in headless Chromium: launch, serve, and read the page.

The browser is Debian's Chromium (``/usr/bin/chromium`` with ``/usr/bin/chromedriver``,
installed by ``.ci/run``); nothing is downloaded at run time.  :func:`require_chromium`
skips a browser test where Chromium is missing, and fails it under ``CI=true``, where a
skipped browser test would hide a broken install.  ``RUNBOOK_TEST_CHROMIUM`` and
``RUNBOOK_TEST_CHROMEDRIVER`` point at other binaries (the test of that rule uses them).

Pages are served from a local ``http.server`` thread on 127.0.0.1.  The helpers set the
viewport, the colour scheme and the media type through the DevTools protocol, so every
test states the conditions it measures in.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = Path(os.environ.get("RUNBOOK_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("RUNBOOK_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

#: The guide page of the project's docs.
GUIDE = "deployment/pypi-deployment.html"
#: The main content of the page in each theme: every theme marks it role="main".
MAIN = "[role=main]"


def require_chromium() -> None:
    """Skip the test when headless Chromium is missing; under ``CI=true``, fail it."""
    if CHROMIUM.is_file() and CHROMEDRIVER.is_file():
        return
    message = (
        f"headless Chromium is not installed ({CHROMIUM}, {CHROMEDRIVER}): "
        "apt-get install -y chromium chromium-driver"
    )
    if CI:
        pytest.fail(f"{message}; CI installs it in .ci/run, so a browser test may not skip")
    pytest.skip(message)


def launch(profile: Path) -> WebDriver:
    """Headless Chromium with a fresh profile and no traffic of its own."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for errors
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[str, Callable[[], None]]:
    """Serve *directory* on 127.0.0.1 (a free port); the base URL and a function to stop."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


def cdp(driver: WebDriver, command: str, **params: Any) -> Any:
    return driver.execute_cdp_cmd(command, params)  # type: ignore[attr-defined]


def emulate(
    driver: WebDriver, *, scheme: str = "light", width: int = 1280, height: int = 1000
) -> None:
    """The viewport and ``prefers-color-scheme``, screen media; for the next page loads too."""
    cdp(
        driver,
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=False,
    )
    cdp(
        driver,
        "Emulation.setEmulatedMedia",
        media="",
        features=[{"name": "prefers-color-scheme", "value": scheme}],
    )


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = 10) -> Any:
    return WebDriverWait(driver, timeout).until(condition)


def open_page(
    driver: WebDriver,
    url: str,
    *,
    scheme: str = "light",
    width: int = 1280,
    height: int = 1000,
    fresh: bool = True,
) -> None:
    """Load *url* under the given conditions; *fresh* forgets what the origin stored first."""
    emulate(driver, scheme=scheme, width=width, height=height)
    if fresh:
        driver.get(url)
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    wait(
        driver,
        lambda d: d.execute_script(
            "return document.documentElement.classList.contains('runbook-js')"
        ),
    )


def origin(url: str) -> str:
    return url.split("/", 3)[0] + "//" + url.split("/", 3)[2]


def grant_clipboard(driver: WebDriver, url: str) -> None:
    cdp(
        driver,
        "Browser.grantPermissions",
        origin=origin(url),
        permissions=["clipboardReadWrite", "clipboardSanitizedWrite"],
    )


def read_clipboard(driver: WebDriver) -> str:
    """What the page's clipboard holds, read back in the browser."""
    text = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });"
    )
    assert not str(text).startswith("ERROR "), text
    return str(text)


def write_clipboard(driver: WebDriver, text: str) -> None:
    driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "navigator.clipboard.writeText(arguments[0]).then(done, done);",
        text,
    )


def scroll_to(driver: WebDriver, element: WebElement, block: str = "center") -> None:
    """Scroll without the theme's smooth scrolling, so the element is there at once."""
    driver.execute_script(
        "arguments[0].scrollIntoView({block: arguments[1], behavior: 'instant'});", element, block
    )


def click(driver: WebDriver, element: WebElement) -> None:
    """A real click (a user gesture), on the element scrolled to the middle of the window."""
    scroll_to(driver, element)
    element.click()


def type_version(driver: WebDriver, text: str) -> None:
    """Type into the version box as a reader does (a key event per character)."""
    box = driver.find_element(By.CSS_SELECTOR, ".runbook-version-input")
    scroll_to(driver, box)
    box.click()
    # Select what is there and type over it, as a reader does: no empty value in between.
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text or Keys.BACKSPACE)


def main_text(driver: WebDriver) -> str:
    """The text a reader sees in the page's main content."""
    return str(driver.execute_script(f"return document.querySelector('{MAIN}').innerText"))


def spans(driver: WebDriver, name: str | None = None) -> list[str]:
    selector = ".runbook-var" + (f'[data-runbook-var="{name}"]' if name else "")
    return [
        str(t)
        for t in driver.execute_script(
            "return Array.from(document.querySelectorAll(arguments[0])).map(s => s.textContent)",
            selector,
        )
    ]


def step_text(driver: WebDriver, step_id: str) -> str:
    return str(
        driver.execute_script(
            "return document.getElementById('step-' + arguments[0]).innerText", step_id
        )
    )


def screenshot(driver: WebDriver, path: Path) -> Path:
    """A PNG of the viewport; waits a frame so the last change is painted."""
    driver.execute_script("return new Promise(r => requestAnimationFrame(() => r()))")
    time.sleep(0.05)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)):
        raise WebDriverException(f"no screenshot written to {path}")
    return path


#: Contrast per WCAG 2.x, from the rendered styles: the element's colour over its effective
#: background (the backgrounds of the element and its ancestors composited, up to the first
#: opaque one, over the canvas).  Colours are read through a canvas, so any CSS colour
#: syntax the theme uses (hex, rgb, color-mix, oklch) is measured as drawn.
CONTRAST_JS = """
var canvas = document.createElement('canvas');
canvas.width = canvas.height = 1;
var ctx = canvas.getContext('2d', {willReadFrequently: true});
function rgba(color) {
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = 'rgba(0, 0, 0, 0)';
  ctx.fillStyle = color;
  ctx.fillRect(0, 0, 1, 1);
  var d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2], d[3] / 255];
}
function over(top, bottom) {
  var a = top[3];
  return [0, 1, 2].map(function (i) { return top[i] * a + bottom[i] * (1 - a); }).concat([1]);
}
function canvasColor() {
  var scheme = getComputedStyle(document.documentElement).colorScheme || '';
  return scheme.indexOf('dark') >= 0 && scheme.indexOf('light') < 0 ? [18, 18, 18, 1]
    : [255, 255, 255, 1];
}
function background(el) {
  var layers = [];
  for (var e = el; e && e.nodeType === 1; e = e.parentElement) {
    var c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) { layers.push(c); }
    if (c[3] >= 1) { break; }
  }
  var color = canvasColor();
  for (var i = layers.length - 1; i >= 0; i--) { color = over(layers[i], color); }
  return color;
}
function luminance(c) {
  var v = [0, 1, 2].map(function (i) {
    var s = c[i] / 255;
    return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function ratio(a, b) {
  var la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
function visible(el) {
  var r = el.getBoundingClientRect();
  var s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none';
}
function text(el) {
  var bg = background(el);
  var fg = over(rgba(getComputedStyle(el).color), bg);
  return {ratio: ratio(fg, bg), fg: fg.slice(0, 3), bg: bg.slice(0, 3),
          text: (el.textContent || el.value || '').trim().slice(0, 40)};
}
function border(el) {
  var bg = background(el.parentElement);
  var b = over(rgba(getComputedStyle(el).borderTopColor), bg);
  return {ratio: ratio(b, bg), fg: b.slice(0, 3), bg: bg.slice(0, 3), text: el.className};
}
var kinds = arguments[0];
var result = {};
Object.keys(kinds).forEach(function (name) {
  var spec = kinds[name];
  var found = Array.from(document.querySelectorAll(spec[0])).filter(visible);
  result[name] = found.map(spec[1] === 'border' ? border : text);
});
result._page = background(document.querySelector('[role=main]'));
return result;
"""

#: What the contrast test measures: text at 4.5:1, control boundaries at 3:1.
TEXT_ELEMENTS = {
    "placeholder": ".runbook-var",
    "copy button": ".runbook-copy",
    "details line": ".runbook-step-meta",
    "details value": ".runbook-step-meta code",
    "step title": ".runbook-step-title",
    "step number": ".runbook-step-number",
    "badge": ".runbook-badge",
    "caption": ".runbook-commands-caption",
    "version label": ".runbook-label-full",
    "version input": ".runbook-version-input",
    "message": ".runbook-version-status",
    "progress": ".runbook-summary-text",
    "bar buttons": ".runbook-issue, .runbook-reset",
    "fix match line": ".runbook-troubleshoot-match",
}
UI_ELEMENTS = {
    "input border": ".runbook-version-input",
    "button border": ".runbook-copy, .runbook-issue, .runbook-reset",
}


def contrasts(driver: WebDriver) -> dict[str, Any]:
    kinds = {name: [selector, "text"] for name, selector in TEXT_ELEMENTS.items()}
    kinds.update({name: [selector, "border"] for name, selector in UI_ELEMENTS.items()})
    measured: dict[str, Any] = driver.execute_script(CONTRAST_JS, kinds)
    return measured


def script_errors(driver: WebDriver) -> list[str]:
    """The console's errors from the runbook's script since the last call.

    Themes log their own (pydata: "Got invalid theme mode" after storage is cleared).
    """
    entries = driver.get_log("browser")  # type: ignore[attr-defined]
    return [
        str(entry["message"])
        for entry in entries
        if entry["level"] == "SEVERE" and "runbook.js" in entry["message"]
    ]
