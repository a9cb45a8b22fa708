"""The works citing a resolution, a page at a time (/cited-by and the resolution page).

At UN scale a classic is cited by thousands of works; the synthetic corpus gives a few
resolutions cited by dozens, enough to page through.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from resograph.graph import ingest, synth, vocab
from resograph.graph.store import OxigraphStore
from resograph.service import api, create_app, pages, queries
from resograph.service.config import Config

RG = str(vocab.RG)
JLD = {"Accept": "application/ld+json"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    tmp = tmp_path_factory.mktemp("citedby")
    corpus = tmp / "synth.jsonl"
    synth.write_corpus(corpus, resolutions=300, seed=5)
    store = OxigraphStore(tmp / "store")
    summary = ingest.ingest_paths([corpus], store, progress=False, workers=1)
    assert summary.documents == 300 and not summary.failed
    yield create_app(store, Config())
    store.close()


def most_cited(app, k: int = 3) -> list[tuple[str, int]]:
    """The ``k`` resolutions with text cited by the most works, with their counts."""
    rows = app.extensions["resograph.store"].select(queries.PREFIXES + """
        SELECT ?w ?sym (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?s rg:cites ?w . ?w rg:hasLanguageVersion ?e ; rg:symbol ?sym }
        GROUP BY ?w ?sym ORDER BY DESC(?n) ?w LIMIT """ + str(k))
    return [(r["sym"].value, int(r["n"].value)) for r in rows]


def test_pages_together_are_the_whole_list_newest_first(app) -> None:
    (symbol, n), *_ = most_cited(app)
    assert n >= 10  # enough to page through
    w = ox.NamedNode(vocab.work_iri(symbol))
    client = app.test_client()
    with app.test_request_context("/"):
        whole = set(api.construct(queries.CITED_BY, {"w": w, "lang": api.lit("en")}))
        dates = {t.subject.value: t.object.value for t in whole
                 if t.predicate.value == RG + "adoptionDate"}
    seen: list[str] = []
    pages_dates: list[list[str]] = []
    for page in range(1, -(-n // 4) + 1):
        doc = client.get(f"/api/resolutions/{quote(symbol)}/cited-by?per_page=4&page={page}",
                         headers=JLD).get_json()
        assert doc["totalItems"] == n
        members = [m["id"] for m in doc["member"]]
        assert 1 <= len(members) <= 4
        # every member comes with its citations of this work (nested: "citations" is the
        # reverse of citingWork in the context), and only those
        for m in doc["member"]:
            cs = m["citations"] if isinstance(m["citations"], list) else [m["citations"]]
            assert cs and {c["citedWork"] for c in cs} == {w.value}
        seen += members
        pages_dates.append(sorted(dates.get(x, "") for x in members))
        assert ("next" in doc["view"]) == (page * 4 < n)
    assert len(seen) == len(set(seen)) == n
    # newest first across pages (within a page, JSON-LD lists members by id)
    assert all(a[0] >= b[-1] for a, b in itertools.pairwise(pages_dates))
    assert pages_dates[0][-1] > pages_dates[-1][0]
    with app.test_request_context("/"):
        paged: set[ox.Triple] = set()
        for page in range(1, -(-n // 4) + 1):
            paged |= set(api.cited_by_page(w, "en", page, 4)[0])
    assert paged == whole


def test_cited_by_parameters_are_checked(app) -> None:
    (symbol, _), *_ = most_cited(app)
    client = app.test_client()
    path = f"/api/resolutions/{quote(symbol)}/cited-by"
    for query, name in (("per_page=0", "per_page"), ("page=x", "page"), ("sort=date", "sort"),
                        ("per_page=100000", "per_page")):
        r = client.get(path + "?" + query, headers=JLD)
        assert r.status_code == 400, query
        assert r.get_json()["error"]["parameter"] == name, query
    r = client.get(path + "?page=999", headers=JLD)
    assert r.status_code == 200 and r.get_json()["totalItems"] > 0
    assert not r.get_json().get("member")


def test_resolution_page_lists_the_newest_and_links_to_the_rest(app, monkeypatch) -> None:
    (symbol, n), *_ = most_cited(app)
    monkeypatch.setattr(pages, "CITED_BY_SHOWN", 5)
    html = app.test_client().get("/doc/" + symbol.replace(" ", ""),
                                 headers={"Accept": "text/html"}).get_data(as_text=True)
    section = html.split("<h2>Cited by", 1)[1].split("</ul>", 1)[0]
    assert section.startswith(f" ({n:,})")
    assert section.count("<li>") == 5
    assert f'/search?cites={quote(symbol, safe="")}' in html.replace("%20", "+") or \
        "/search?cites=" + symbol.replace(" ", "+").replace("/", "%2F") in html
    # the drawing counts every citing work, not only those listed
    svg = html.split('<svg class="network"', 1)[1].split("</svg>", 1)[0]
    assert f"Cited by ({n:,})" in svg
    assert re.search(r"\+\d+ more", svg)


def test_search_page_pages_through_the_rest(app) -> None:
    (symbol, n), *_ = most_cited(app)
    r = app.test_client().get("/search", query_string={"cites": symbol, "per_page": 5})
    assert r.status_code == 200
    assert f"{n:,}" in r.get_data(as_text=True)


def test_a_mutual_citation_is_drawn_both_ways_when_not_among_the_newest(
        app, monkeypatch) -> None:
    """A work this one cites that also cites it is drawn on the right with two arrows, even
    when it is not among the citing works the page lists."""
    (symbol, _), *_ = most_cited(app)
    w = vocab.work_iri(symbol)
    store = app.extensions["resograph.store"]
    rows = store.select(queries.PREFIXES + "SELECT ?x WHERE { ?w rg:cites ?x . "
                        "?x rg:hasLanguageVersion ?e } LIMIT 1", {"w": ox.NamedNode(w)})
    if not rows:
        pytest.skip("the most cited work cites no ingested work in this corpus")
    x = rows[0]["x"].value
    g = "https://w3id.org/resograph/test/mutual"
    store.load(f"<{x}> <{RG}cites> <{w}> <{g}> .\n".encode(), "application/n-quads")
    try:
        monkeypatch.setattr(pages, "CITED_BY_SHOWN", 1)
        fresh = create_app(store, Config())  # the module's app has cached the list
        html = fresh.test_client().get("/doc/" + symbol.replace(" ", ""),
                                     headers={"Accept": "text/html"}).get_data(as_text=True)
        svg = html.split('<svg class="network"', 1)[1].split("</svg>", 1)[0]
        assert svg.count('marker-start="url(#arr)"') == 1
    finally:
        store.delete_graph(g)


def test_warm_up_orders_and_counts_the_resolutions_before_the_first_request(app) -> None:
    """The home page and unfiltered lists are slices of one ordering of every resolution, and
    the home page shows whole-store counts: both take seconds at UN scale, so a starting
    server computes them in the background."""
    import threading

    fresh = create_app(app.extensions["resograph.store"], Config())
    key = ("list", queries.resolution_filters(), ())
    with fresh.app_context():
        assert api.cache_get(key) is None
    api.warm_up(fresh)
    for t in threading.enumerate():
        if t.name == "resograph-warm-up":
            t.join(60)
    with fresh.app_context():
        ordered = api.cache_get(key)
        assert ordered is not None and len(ordered) == 300
        counts = fresh.extensions["resograph.cache"]["stats-counts"]
        assert counts is api.stats_counts()  # computed once, by the warm-up
        store = fresh.extensions["resograph.store"]
        assert counts["triples"] == int(store.select(queries.COUNT_TRIPLES)[0]["n"].value)
        assert counts["documents"] == 300 and sum(n for _, n in counts["organs"]) == 300
    with fresh.test_request_context("/"):
        assert api.page_of_works(queries.resolution_filters(), {}, 1, 12)[0] == ordered[:12]
