"""YASGUI, the SPARQL editor many people use, against /sparql: the real client in a real browser.

The README says YASGUI works with the endpoint as it is. This runs the released YASGUI bundle
(``@zazuko/yasgui``, fetched once with ``npm pack`` from the npm registry into a cache folder)
in Debian's chromium through Playwright, from a page on another origin (as when YASGUI is
hosted elsewhere: cross-origin requests, CORS), and checks what it shows: a SELECT as a table
with the store's answer, a CONSTRUCT as RDF, an ASK, the server's error message for a broken
query, with both the POST (YASGUI's default) and GET request methods.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require
from service_data import LiveServer

YASGUI = "@zazuko/yasgui@4.6.2"
CACHE = Path(os.environ.get("RESOGRAPH_TEST_CACHE",
                            Path.home() / ".cache" / "resograph-tests")) / "yasgui-4.6.2"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PREFIX = "PREFIX rg: <https://w3id.org/resograph/ontology#>\n"

pytestmark = pytest.mark.browser


def fetch_yasgui() -> Path:
    """The bundle's folder (yasgui.min.js, yasgui.min.css), fetched on first use."""
    if (CACHE / "yasgui.min.js").exists():
        return CACHE
    npm = shutil.which("npm")
    require(npm is not None, "npm not found (it fetches YASGUI from the npm registry)")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([str(npm), "pack", "--silent", YASGUI], cwd=tmp,
                              capture_output=True, text=True, timeout=300)
        tgz = list(Path(tmp).glob("*.tgz"))
        require(proc.returncode == 0 and len(tgz) == 1,
                f"npm pack {YASGUI} failed: {proc.stderr.strip()[-300:]}")
        staging = Path(tmp) / "build"
        staging.mkdir()
        with tarfile.open(tgz[0]) as tar:
            for name in ("yasgui.min.js", "yasgui.min.css"):
                member = tar.extractfile(f"package/build/{name}")
                assert member is not None, f"{YASGUI} has no build/{name}"
                (staging / name).write_bytes(member.read())
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        try:
            staging.rename(CACHE)  # whole or not at all (another run may have won)
        except OSError:
            if not (CACHE / "yasgui.min.js").exists():
                raise
    return CACHE


class StaticSite:
    """The YASGUI page, served on its own port (another origin than the endpoint)."""

    def __init__(self, bundle: Path, endpoint: str) -> None:
        self.dir = tempfile.TemporaryDirectory()
        root = Path(self.dir.name)
        for name in ("yasgui.min.js", "yasgui.min.css"):
            shutil.copy(bundle / name, root / name)
        for method in ("POST", "GET"):
            config = {"requestConfig": {"endpoint": endpoint, "method": method},
                      "persistenceId": None, "copyEndpointOnNewTab": False}
            (root / f"{method.lower()}.html").write_text(
                '<!doctype html><html><head><meta charset="utf-8">'
                '<link rel="stylesheet" href="yasgui.min.css"><script src="yasgui.min.js">'
                '</script></head><body><div id="yasgui"></div><script>window.yasgui = new '
                f'Yasgui(document.getElementById("yasgui"), {json.dumps(config)});</script>'
                "</body></html>", encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.dir.cleanup()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(server: LiveServer) -> Iterator[StaticSite]:
    require(os.path.exists(CHROMIUM), f"{CHROMIUM} not found (apt-get install chromium)")
    s = StaticSite(fetch_yasgui(), server.url + "/sparql")
    yield s
    s.close()


@pytest.fixture(scope="module")
def browser(site: StaticSite) -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the [test] extra installs it
        require(False, "the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def run_query(browser: object, site: StaticSite, server: LiveServer, query: str,
              method: str = "POST") -> tuple[object, list[tuple[str, str]]]:
    """Open YASGUI, type ``query``, run it; (the page, the requests it sent to /sparql)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    sent: list[tuple[str, str]] = []
    elsewhere: list[str] = []

    def seen(req: object) -> None:
        url = req.url  # type: ignore[attr-defined]
        if url.startswith(server.url + "/sparql"):
            sent.append((req.method, req.headers.get("accept", "")))  # type: ignore[attr-defined]
        elif not url.startswith((site.url, server.url)):
            elsewhere.append(url)

    page.on("request", seen)
    page.goto(f"{site.url}/{method.lower()}.html")
    page.wait_for_function("window.yasgui && window.yasgui.getTab()")
    # a failed query rejects the promise: YASR shows the error, which the tests read there
    page.evaluate("q => { const tab = window.yasgui.getTab(); tab.getYasqe().setValue(q);"
                  " return tab.query().catch(() => null); }", query)
    assert elsewhere == [], f"YASGUI fetched outside resources: {elsewhere}"
    return page, sent


def table(page: object) -> list[list[str]]:
    """The rows YASR's table shows (without its row-number column)."""
    page.wait_for_selector(".yasr table tbody tr", timeout=20_000)  # type: ignore[attr-defined]
    rows = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".yasr table tbody tr",
        "trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")
    return [r[1:] for r in rows]


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_select_shows_the_stores_answer(browser, site, server, method: str) -> None:
    query = PREFIX + ("SELECT DISTINCT ?w ?symbol WHERE { ?w rg:symbol ?symbol ; "
                      "rg:hasLanguageVersion ?e } ORDER BY ?symbol LIMIT 20")
    expected = [[f"<{r['w'].value}>", r["symbol"].value]
                for r in server.store.select(query)]
    assert len(expected) >= 3
    page, sent = run_query(browser, site, server, query, method)
    assert table(page) == expected
    assert [m for m, _ in sent] == [method]
    assert "application/sparql-results+json" in sent[0][1]
    page.close()  # type: ignore[attr-defined]


def test_ask_and_construct(browser, site, server) -> None:
    page, _ = run_query(browser, site, server, PREFIX + "ASK { ?w rg:symbol ?s }")
    page.wait_for_selector(".yasr .booleanResult", timeout=20_000)  # type: ignore[attr-defined]
    assert "true" in page.inner_text(".yasr .booleanResult").lower()  # type: ignore[attr-defined]
    page.close()  # type: ignore[attr-defined]

    query = PREFIX + ("CONSTRUCT { ?w rg:symbol ?s } WHERE { { SELECT DISTINCT ?w ?s WHERE { "
                      "?w rg:symbol ?s ; rg:hasLanguageVersion ?e } ORDER BY ?s LIMIT 3 } }")
    page, sent = run_query(browser, site, server, query)
    # YASR shows the triples of an RDF answer as a subject / predicate / object table
    rows = table(page)
    expected = sorted((f"<{t.subject.value}>", t.object.value)
                      for t in server.store.construct(query))
    assert len(expected) == 3
    assert sorted((r[0], r[2].split('"')[1]) for r in rows) == expected
    assert {r[1] for r in rows} == {"rg:symbol"}  # the prefix of the query, as YASR writes it
    assert "application/n-triples" in sent[0][1]  # what YASGUI asks for an RDF answer
    page.close()  # type: ignore[attr-defined]


def test_broken_query_shows_the_servers_message(browser, site, server) -> None:
    page, _ = run_query(browser, site, server, "SELECT ?x WHERE { ?x ?y }")
    page.wait_for_selector(".yasr .errorResult", timeout=20_000)  # type: ignore[attr-defined]
    text = page.inner_text(".yasr .errorResult")  # type: ignore[attr-defined]
    assert "syntax error" in text and "1:26" in text, text  # what the endpoint said, and where
    page.close()  # type: ignore[attr-defined]
