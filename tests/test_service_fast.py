"""The fast read paths of the API (issue 7) say exactly what the reference CONSTRUCTs say.

The API reads a resolution from its own document graphs and batches what it links to
(``service/api.py``, "fast reads"); the union-graph CONSTRUCTs it replaced are kept in
``service/queries.py`` as the reference. These tests compare the two on the test store, check
the network's node cap, and check that a write through the Graph Store Protocol empties the
in-process cache (a stale answer after a write would be a real bug).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from service_data import GA, HRC, SC_A, SC_B, build_store

from resograph.graph import symbols, vocab
from resograph.service import api, create_app, queries
from resograph.service.config import Config

TOKEN = "fast-test-token"
SYMBOLS = [HRC, GA, SC_A, SC_B]


@pytest.fixture()
def app() -> Iterator[object]:
    application = create_app(build_store(), Config.from_env(environ={}, write_token=TOKEN))
    yield application


def node(symbol: str) -> ox.NamedNode:
    return ox.NamedNode(vocab.work_iri(symbols.normalise(symbol)))


def reference(query: str, w: ox.NamedNode, language: str) -> set[ox.Triple]:
    return set(api.construct(query, {"w": w, "lang": api.lit(language)}))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("symbol", SYMBOLS)
def test_resolution_same_triples_as_reference(app, symbol: str, language: str) -> None:
    with app.test_request_context("/"):
        w = node(symbol)
        fast = set(api.resolution_triples(w, language))
        assert fast == reference(queries.RESOLUTION, w, language)
        assert fast  # the document is there: an empty answer would compare equal too
        # second call is served from the cache and must be the same
        assert set(api.resolution_triples(w, language)) == fast


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_votes_and_cited_by_same_as_reference(app, symbol: str) -> None:
    with app.test_request_context("/"):
        w = node(symbol)
        assert set(api.votes_triples(w, "en")) == reference(queries.VOTES, w, "en")
        whole = reference(queries.CITED_BY, w, "en")
        first, citing, total = api.cited_by_page(w, "en", 1, 1000)
        assert set(first) == whole and len(citing) == total
        # one work a page: the pages together say the same, each page only its work's
        # citations, newest first
        seen: set[ox.Triple] = set()
        dates = []
        for page in range(1, total + 1):
            triples, (member,), n = api.cited_by_page(w, "en", page, 1)
            assert n == total
            citing_works = {t.object.value for t in triples
                            if t.predicate.value == str(vocab.RG) + "citingWork"}
            assert citing_works == {member}
            dates.append(next((t.object.value for t in triples if t.subject.value == member
                               and t.predicate.value == str(vocab.RG) + "adoptionDate"), ""))
            seen |= set(triples)
        assert seen == whole and dates == sorted(dates, reverse=True)
        assert api.cited_by_page(w, "en", total + 1, 1)[1] == []


def test_votes_are_not_empty_for_a_recorded_vote(app) -> None:
    with app.test_request_context("/"):
        triples = api.votes_triples(node(SC_A), "en")
        assert any(t.predicate.value == str(vocab.RG) + "voter" for t in triples)


def test_network_cap_and_determinism(app) -> None:
    with app.test_request_context("/api/resolutions/x/network?depth=3"):
        full, _ = api.network_triples(node(SC_A), 3, "en")
        capped, _ = api.network_triples(node(SC_A), 3, "en", max_nodes=2)
        again, _ = api.network_triples(node(SC_A), 3, "en", max_nodes=2)
    member = str(vocab.HYDRA) + "member"
    all_nodes = {t.object.value for t in full if t.predicate.value == member}
    few = {t.object.value for t in capped if t.predicate.value == member}
    assert len(all_nodes) > 2
    assert len(few) == 2 and node(SC_A).value in few and few <= all_nodes
    assert set(capped) == set(again)
    # edges only between members
    cites = str(vocab.RG) + "cites"
    assert all(t.subject.value in few and t.object.value in few
               for t in capped if t.predicate.value == cites)


def test_list_pages_are_slices_of_one_ordering(app) -> None:
    with app.test_request_context("/"):
        _t, all_members, total = api.resolutions_query({}, "en", 1, 100)
        _t, first, total1 = api.resolutions_query({}, "en", 1, 2)
        _t, second, _ = api.resolutions_query({}, "en", 2, 2)
    assert total == total1 == len(all_members)
    assert first + second == all_members[:4]


def test_write_empties_the_cache(app) -> None:
    client = app.test_client()  # type: ignore[attr-defined]
    path = "/api/resolutions/" + GA + "?format=application/n-triples"
    before = client.get(path).get_data(as_text=True)
    assert "renamed by the test" not in before
    graph = vocab.graph_iri(GA, "en")
    turtle = client.get("/store", query_string={"graph": graph},
                        headers={"Accept": "application/n-triples",
                                 "Authorization": f"Bearer {TOKEN}"}).get_data(as_text=True)
    title = "<http://purl.org/dc/terms/title>"
    w = f"<{vocab.work_iri(GA)}>"
    lines = [ln for ln in turtle.splitlines() if not (ln.startswith(w) and title in ln)]
    lines.append(f'{w} {title} "renamed by the test"@en .')
    resp = client.put("/store", query_string={"graph": graph}, data="\n".join(lines),
                      headers={"Content-Type": "application/n-triples",
                               "Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code in (200, 201, 204), resp.get_data(as_text=True)
    after = client.get(path).get_data(as_text=True)
    assert "renamed by the test" in after


def test_uncached_paths_give_the_same_answers(app, monkeypatch: pytest.MonkeyPatch) -> None:
    """A remote engine runs without the cache (COUNT + LIMIT/OFFSET lists): same answers."""
    with app.test_request_context("/"):
        cached = [api.resolutions_query({"organ": "SC"}, "en", p, 1) for p in (1, 2)]
        res = set(api.resolution_triples(node(HRC), "fr"))
        monkeypatch.setattr(api, "cache_enabled", lambda: False)
        uncached = [api.resolutions_query({"organ": "SC"}, "en", p, 1) for p in (1, 2)]
        assert set(api.resolution_triples(node(HRC), "fr")) == res
    assert [(set(t), m, n) for t, m, n in cached] == [(set(t), m, n) for t, m, n in uncached]
    assert cached[0][2] == 2 and cached[0][1] != cached[1][1]


def test_cache_keeps_the_most_recently_used_within_its_size(app, monkeypatch) -> None:
    """The cache counts items (a list weighs its length), drops the least recently used first,
    and a batch put or get behaves as the same puts and gets one by one."""
    monkeypatch.setattr(api, "CACHE_SIZE", 10)
    with app.test_request_context("/"):
        api.cache_put_many([("a", [1, 2, 3]), ("b", [1, 2, 3]), ("c", 1)])
        assert api.cache_get("a") == [1, 2, 3]  # now the most recent
        api.cache_put("d", [1, 2, 3, 4])  # 3 + 3 + 1 + 4 > 10: "b" goes
        assert api.cache_get_many(["a", "b", "c", "d"]) == [[1, 2, 3], None, 1, [1, 2, 3, 4]]
        api.cache_put("a", [9])  # replacing an entry counts its new weight only
        api.cache_put_many([("e", [1, 2]), ("big", list(range(6)))])  # over half: not kept
        assert api.cache_get_many(["a", "c", "d", "e", "big"]) == [[9], 1, [1, 2, 3, 4],
                                                                  [1, 2], None]
        assert app.extensions["resograph.lru.weight"] == 1 + 1 + 4 + 2


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_much_cited_works_summarised_from_their_own_graphs_say_the_same(
        app, monkeypatch, symbol: str) -> None:
    """Where the citation index is read, works cited by ``_HEAVY`` works or more have their
    summaries read in their own document graphs instead of over the union of graphs (where
    every citing document repeats a stub of them): the answer must not change. With the
    threshold at 0 every work takes that path."""
    answers = []
    for heavy in (10**9, 0):
        monkeypatch.setattr(api, "_HEAVY", heavy)
        fresh = create_app(app.extensions["resograph.store"],  # type: ignore[attr-defined]
                           Config.from_env(environ={}))
        with fresh.test_request_context("/api/resolutions/x/network?depth=3"):
            assert api.citation_index(wait=30) is not None
            answers.append(set(api.network_triples(node(symbol), 3, "en")[0]))
            summaries = api.summaries([node(symbol).value], api.NODE_SUMMARY)
            assert summaries  # a document of the store: its own graphs describe it
    assert answers[0] == answers[1]
    assert len(answers[0]) > 20
