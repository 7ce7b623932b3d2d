#!/usr/bin/env python3
"""Screenshots of the example build for the README (docs/map.png, docs/graph.png, docs/report.png).

    kg build examples/corpus -o build/ && python docs/screenshots.py build/

and of the dated corpus (docs/dated-map.png, docs/dated-time.png: the map coloured by mean
year, the report's clusters and time sections):

    kg build ../shared/dated/scierc_dated.jsonl -o build-dated/ && python docs/screenshots.py build-dated/ --dated

Uses Debian's headless Chromium through Playwright, as the browser tests do.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HERE = Path(__file__).resolve().parent


def main(build: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto((build / "graph.html").resolve().as_uri())
        page.wait_for_timeout(500)  # laid out before it opens: no physics to wait for
        page.screenshot(path=HERE / "map.png")  # the first view, as a reader sees it
        page.fill("#search", "visual cortex")
        page.press("#search", "Enter")
        page.wait_for_timeout(500)
        page.screenshot(path=HERE / "graph.png")
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto((build / "report.html").resolve().as_uri())
        page.screenshot(path=HERE / "report.png", full_page=False)
        browser.close()


def dated(build: Path) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto((build / "graph.html").resolve().as_uri())
        page.wait_for_timeout(500)
        page.select_option("#colour-by", "year")
        page.wait_for_timeout(300)
        page.screenshot(path=HERE / "dated-map.png")
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.goto((build / "report.html").resolve().as_uri())
        page.locator("#time").scroll_into_view_if_needed()
        page.screenshot(path=HERE / "dated-time.png", full_page=False)
        browser.close()


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build")
    (dated if "--dated" in sys.argv[2:] else main)(target)
