"""The report in a real browser: Debian's headless Chromium (with a CJK font), driven by Playwright.

`make test` installs both first (`make setup-system`, idempotent; CI runs as root on Debian).
The test skips, saying why, only when no Chromium is installed, i.e. when the installation was
impossible (no root, no apt). It fails on any console error or warning, an uncaught page error,
any request that leaves the file (the page must work offline), a chart that did not render, or
a page wider than a phone's screen; it saves screenshots under target/report-screenshots/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from report_helpers import demo_warehouse

from hotline.settings import PROJECT_DIR

pytestmark = pytest.mark.slow

SCREENSHOTS = PROJECT_DIR / "target" / "report-screenshots"


def chromium_path() -> str | None:
    """HOTLINE_CHROMIUM, else the Debian package's binary (or another system Chromium)."""
    configured = os.environ.get("HOTLINE_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium installed, so the report cannot be opened in a browser: run "
                    "`make setup-system` as root on Debian (apt-get install chromium "
                    "fonts-noto-cjk), or set HOTLINE_CHROMIUM to a Chromium binary")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                           check=False).stdout
    assert fonts.strip(), ("Chromium is installed but no CJK font: Chinese would render as "
                           "boxes; run `make setup-system` (fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs the tests as root, where Chromium's sandbox cannot start
        launched = playwright.chromium.launch(executable_path=path,
                                              args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def _open(browser, report: Path, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda message: problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", lambda request: problems.append(f"request: {request.url}")
            if not request.url.startswith("file://") else None)
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-charts-rendered], body[data-charts-failed]",
                           timeout=60_000)
    return page, problems


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_renders_in_chromium(browser, tmp_path_factory, lang, monkeypatch):
    demo = demo_warehouse(tmp_path_factory)
    report = demo.report
    if lang == "en":
        monkeypatch.setenv("DBT_TARGET_PATH", str(demo.target))
        from hotline.report import write_report

        report, _ = write_report(demo.warehouse, out=demo.root / "report.en.html", lang="en")
    page, problems = _open(browser, report, 1280, 900)
    try:
        charts = page.locator(".chart").count()
        assert charts >= 15
        assert page.get_attribute("body", "data-charts-failed") is None
        assert page.get_attribute("body", "data-charts-rendered") == str(charts)
        # every chart drew marks into an SVG
        drawn = page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).filter(
            n => n.querySelector('svg') && n.querySelectorAll('svg path, svg rect, svg line, '
                 + 'svg circle, svg text').length > 5).length""")
        assert drawn == charts
        title = page.locator("h1").inner_text()
        assert title == ("热线运营日报" if lang == "zh" else "Hotline daily report")
        assert "Asia/Shanghai" in page.locator("#zone").inner_text()
        assert page.locator("#run-id").inner_text().strip() not in ("", "—")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"report-{lang}.png"))
        page.screenshot(path=str(SCREENSHOTS / f"report-{lang}-full.png"), full_page=True)
        assert problems == []
    finally:
        page.close()


def test_report_fits_a_phone(browser, tmp_path_factory):
    demo = demo_warehouse(tmp_path_factory)
    page, problems = _open(browser, demo.report, 390, 844)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1
        page.screenshot(path=str(SCREENSHOTS / "report-phone.png"))
        assert problems == []
    finally:
        page.close()
