"""A real browser (Playwright driving Debian's chromium, headless) through the pages.

Opens the home page, searches, opens HRC 56/15, follows a citation, runs a query on the
query page; saves screenshots into tests/artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require
from service_data import GA, HRC, LiveServer

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(server: LiveServer) -> Iterator[object]:
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the [test] extra installs it
        require(False, "the playwright package is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pg = browser.new_page(viewport={"width": 1280, "height": 900})
        # the pages must work offline: any request leaving the test server fails the test
        outside: list[str] = []
        pg.on("request", lambda req: outside.append(req.url)
              if not req.url.startswith(server.url) else None)
        yield pg
        browser.close()
        assert outside == [], f"the pages fetched outside resources: {outside}"


def test_home_search_resolution_citation_query(server: LiveServer, page: object) -> None:
    pg = page  # playwright Page
    pg.goto(server.url + "/")
    assert "United Nations" in pg.inner_text("h1")
    pg.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    pg.fill("form.bigsearch input[name=q]", "human rights")
    pg.click("form.bigsearch button")
    pg.wait_for_url("**/search?q=human+rights")
    assert HRC in pg.inner_text("ul.reslist")
    pg.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    pg.click(f"ul.reslist a:text('{HRC}')")
    pg.wait_for_url(f"**/doc/{HRC}")
    assert pg.inner_text("h1").strip() == HRC
    assert pg.locator("svg.network").count() == 1
    assert pg.locator("table.paras td[lang=fr]").count() == 3
    pg.screenshot(path=str(ARTIFACTS / "resolution-56-15.png"), full_page=True)
    # the language switcher hides the French column
    pg.uncheck("input.langtoggle[value=fr]")
    assert not pg.locator("table.paras td[lang=fr]").first.is_visible()
    pg.check("input.langtoggle[value=fr]")

    pg.click(f"table.cit a:text('{GA}')")  # follow a citation
    pg.wait_for_url(f"**/doc/{GA}")
    assert pg.inner_text("h1").strip() == GA
    assert HRC in pg.inner_text("section.citations")  # cited by 56/15
    pg.screenshot(path=str(ARTIFACTS / "resolution-48-141.png"), full_page=True)

    pg.goto(server.url + "/sparql")
    pg.wait_for_function("document.querySelectorAll('#examples option').length > 2")
    pg.select_option("#examples", index=1)  # the first example query
    pg.click("#run")
    pg.wait_for_selector("#results table")
    cells = pg.inner_text("#results table")
    assert HRC in cells
    assert "rows" in pg.inner_text("#status")
    pg.screenshot(path=str(ARTIFACTS / "query.png"), full_page=True)


def test_vote_picture(server: LiveServer, page: object) -> None:
    pg = page
    pg.goto(server.url + "/doc/S/RES/687(1991)")
    assert pg.locator("svg.votebar").count() == 1
    assert "Cuba" in pg.inner_text(".v-no")
    pg.screenshot(path=str(ARTIFACTS / "resolution-687.png"), full_page=True)


def test_interface_languages(server: LiveServer, page: object) -> None:
    """Arabic right to left, the header's switcher to French, the query page's messages."""
    pg = page
    pg.goto(server.url + "/?lang=ar")
    assert pg.evaluate("document.documentElement.dir") == "rtl"
    assert pg.evaluate("getComputedStyle(document.body).direction") == "rtl"
    pg.screenshot(path=str(ARTIFACTS / "home-ar.png"), full_page=True)
    pg.click("nav.langswitch a[hreflang=fr]")
    pg.wait_for_url("**/?lang=fr")
    assert pg.evaluate("document.documentElement.lang") == "fr"
    assert "Nations Unies" in pg.inner_text("h1")
    pg.click("header nav a[href='/search?lang=fr']")  # the navigation keeps the language
    pg.wait_for_url("**/search?lang=fr")
    assert pg.evaluate("document.documentElement.lang") == "fr"
    pg.goto(server.url + "/sparql?lang=fr")
    pg.click("#run")
    pg.wait_for_selector("#results table")
    assert "lignes" in pg.inner_text("#status")
