"""The bounded walk behind /api/resolutions/{symbol}/network (issue 7, UN scale).

The walk stops reading once the kept nodes are decided and reads at most ``limit + 1`` citers
of each work of a hop after the first, so a hub's thousands of citers are never all read.
These tests build small citation graphs where that matters and compare the answer with an
exhaustive walk written here from the documented ranking (nearer hops first; within a hop,
most links to the previous hop, then IRI).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from resograph.graph import vocab
from resograph.graph.store import OxigraphStore
from resograph.service import api, create_app, queries
from resograph.service.citation_index import CitationIndex
from resograph.service.config import Config

RG = str(vocab.RG)


def work(name: str) -> str:
    return vocab.work_iri(f"A/RES/{name}")


def build(edges: list[tuple[str, str]]) -> OxigraphStore:
    """One document graph per citing work, holding its ``rg:cites`` links and its symbol."""
    store = OxigraphStore(None)
    quads = []
    for a, b in edges:
        g = ox.NamedNode(a + "/graph")
        quads.append(ox.Quad(ox.NamedNode(a), ox.NamedNode(RG + "cites"), ox.NamedNode(b), g))
    for w in {x for e in edges for x in e}:
        g = ox.NamedNode(w + "/graph")
        quads.append(ox.Quad(ox.NamedNode(w), ox.NamedNode(RG + "symbol"),
                             ox.Literal(w.rsplit("doc/", 1)[1]), g))
    store.add_quads(quads)
    return store


def exhaustive(edges: list[tuple[str, str]], root: str, depth: int) -> list[str]:
    """Every node within ``depth`` links, in the documented rank order."""
    hops = {root: 0}
    ranked = [root]
    frontier = {root}
    for hop in range(1, depth + 1):
        counts: dict[str, int] = {}
        for a, b in set(edges):
            for m, n in ((a, b), (b, a)):  # a link in each direction counts
                if m in frontier and n not in hops:
                    counts[n] = counts.get(n, 0) + 1
        layer = sorted(counts, key=lambda x: (-counts[x], x))
        hops.update((x, hop) for x in layer)
        ranked += layer
        frontier = set(layer)
    return ranked


class Recorder:
    """Counts the rows each kind of walk query returns."""

    def __init__(self, store: OxigraphStore) -> None:
        self.rows: dict[str, int] = {}
        self._select = store.select
        store.select = self.select  # type: ignore[method-assign]

    def select(self, query: str, bindings: dict | None = None) -> list:
        rows = self._select(query, bindings)
        kind = "capped" if "LIMIT" in query else "other"
        self.rows[kind] = self.rows.get(kind, 0) + len(rows)
        return rows


@pytest.fixture()
def hub_root() -> Iterator[tuple[list[tuple[str, str]], OxigraphStore]]:
    """A root cited by 8 works, each citing one more work of its own."""
    root = work("1/1")
    edges = [(work(f"2/{i}"), root) for i in range(8)]
    edges += [(work(f"2/{i}"), work(f"3/{i}")) for i in range(8)]
    yield edges, build(edges)


def walk(store: OxigraphStore, root: str, depth: int, limit: int) -> tuple[list[str], int]:
    app = create_app(store, Config.from_env(environ={}))
    with app.test_request_context("/"):
        return api.network_members(ox.NamedNode(root), depth, limit)


def test_first_hop_over_the_limit_keeps_the_exhaustive_ranking(hub_root) -> None:
    edges, store = hub_root
    root = work("1/1")
    full = exhaustive(edges, root, 2)
    assert len(full) == 17
    recorder = Recorder(store)
    kept, found = walk(store, root, 2, 4)
    assert kept == full[:4]
    assert found == 9  # the root and its 8 citers: hop 2 was never read
    assert "capped" not in recorder.rows
    assert len(kept) < found <= len(full)  # truncated; found is a lower bound


def test_capped_hub_in_the_second_hop() -> None:
    """A root citing a hub of 12 citers: with limit 4, at most 5 of them are read."""
    root, hub = work("1/1"), work("1/2")
    edges = [(root, hub)] + [(work(f"2/{i:02d}"), hub) for i in range(12)]
    store = build(edges)
    recorder = Recorder(store)
    kept, found = walk(store, root, 2, 4)
    full = exhaustive(edges, root, 2)
    assert recorder.rows["capped"] <= 4 + 1
    assert kept[:2] == [root, hub] and len(kept) == 4 and set(kept) <= set(full)
    assert len(kept) < found < len(full)  # truncated, and the count is a lower bound
    assert walk(store, root, 2, 4) == (kept, found)  # deterministic


def test_uncut_walk_is_exhaustive(hub_root) -> None:
    edges, store = hub_root
    root = work("1/1")
    full = exhaustive(edges, root, 2)
    assert walk(store, root, 2, len(full)) == (full, len(full))
    # a limit equal to the first hop reads the next hop to tell whether anything is left out
    kept, found = walk(store, root, 2, 9)
    assert kept == full[:9] and found > 9


def test_network_answer_says_truncated_with_a_lower_bound(hub_root) -> None:
    edges, store = hub_root
    app = create_app(store, Config.from_env(environ={}))
    doc = app.test_client().get("/api/resolutions/A/RES/1/1/network?depth=2&limit=4",
                                headers={"Accept": "application/ld+json"}).get_json()
    assert doc["truncated"] is True and doc["totalItems"] == 4
    assert 4 < doc["totalNodes"] <= len(exhaustive(edges, work("1/1"), 2))


def test_second_round_reads_a_cut_work_when_the_answer_is_not_full() -> None:
    """A root citing 5 works and a hub of 20 citers: the first round reads 16 of them, which
    leaves the answer (limit 30) unfilled, so the hub is read again: the walk is exhaustive."""
    root, hub = work("1/1"), work("1/2")
    edges = [(root, hub)] + [(root, work(f"1/{i}")) for i in range(3, 8)]
    edges += [(work(f"2/{i:02d}"), hub) for i in range(20)]
    store = build(edges)
    recorder = Recorder(store)
    full = exhaustive(edges, root, 2)
    assert len(full) == 27
    assert walk(store, root, 2, 30) == (full, 27)
    assert recorder.rows["capped"] > 21  # both rounds ran: 16 and more, then all 21 citers


def test_capped_query_reads_at_most_cap_citers_per_work() -> None:
    hub, other = work("1/2"), work("1/3")
    store = build([(work(f"2/{i:02d}"), hub) for i in range(12)] + [(work("2/00"), other)])
    rows = store.select(queries.citers_capped([f"<{hub}>", f"<{other}>"], 5))
    by_work: dict[int, set[str]] = {}
    for r in rows:
        by_work.setdefault(int(r["j"].value), set()).add(r["n"].value)
    assert len(by_work[0]) == 5 and by_work[1] == {work("2/00")}


def test_links_among_members_in_small_batches(monkeypatch) -> None:
    """Every link between two members, once, whatever the batches; none to a non-member."""
    rnd = random.Random(7)
    nodes = [work(f"4/{i}") for i in range(11)]
    outside = work("5/1")
    edges = sorted({(rnd.choice(nodes), rnd.choice(nodes)) for _ in range(40)})
    edges += [(nodes[0], outside), (outside, nodes[1])]
    store = build(edges)
    # the same link stated again in another graph (another language version) is one link
    a, b = edges[0]
    store.add_quads([ox.Quad(ox.NamedNode(a), ox.NamedNode(RG + "cites"), ox.NamedNode(b),
                             ox.NamedNode(a + "/graph-fr"))])
    expected = sorted({(x, y) for x, y in edges if x in nodes and y in nodes})
    app = create_app(store, Config.from_env(environ={}))
    for batch, target_batch in ((400, 1000), (3, 4), (1, 1)):
        monkeypatch.setattr(api, "_BATCH", batch)
        monkeypatch.setattr(api, "_TARGET_BATCH", target_batch)
        with app.test_request_context("/"):
            assert api.links_among(nodes) == expected


# --------------------------------------------------------------------------- citation index
# The service holds the links in memory (service/citation_index.py) where it caches (the
# embedded store); its walk is exhaustive, so it must give the documented ranking exactly.


def exhaustive_walk(edges: list[tuple[str, str]], root: str, depth: int, limit: int
                    ) -> tuple[list[str], int]:
    """What the walk answers: hops read while at most ``limit`` works are found, then the
    ``limit`` first of :func:`exhaustive`."""
    found = 1
    for d in range(1, depth + 1):
        if found > limit:
            break
        found = len(exhaustive(edges, root, d))
    return exhaustive(edges, root, depth)[:limit], found


def random_edges(seed: int, n: int = 40, links: int = 90) -> list[tuple[str, str]]:
    rnd = random.Random(seed)
    nodes = [work(f"6/{i:02d}") for i in range(n)]
    hub = nodes[0]  # a hub cited by a third of the works, as classics are
    edges = {(rnd.choice(nodes), rnd.choice(nodes)) for _ in range(links)}
    edges |= {(x, hub) for x in rnd.sample(nodes[1:], n // 3)}
    return sorted((a, b) for a, b in edges if a != b)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_index_walk_is_the_exhaustive_ranking(seed: int) -> None:
    edges = random_edges(seed)
    index = CitationIndex(edges + edges[:5])  # a link stated twice counts once
    assert len(index) == len(edges)
    roots = [*sorted({a for a, _ in edges})[:6], work("6/00")]
    for root in roots:
        for depth in (1, 2, 3):
            for limit in (1, 3, 8, 500):
                expected = exhaustive_walk(edges, root, depth, limit)
                assert index.neighbourhood(root, depth, limit) == expected, (root, depth, limit)


def test_index_links_among_members_only() -> None:
    edges = random_edges(4)
    index = CitationIndex(edges)
    members = [*sorted({a for a, _ in edges})[:15], work("9/9")]  # one not in any link
    inside = set(members)
    assert index.links_among(members) == sorted((a, b) for a, b in edges
                                                 if a in inside and b in inside)


def test_index_knows_a_work_without_links() -> None:
    index = CitationIndex([(work("1/1"), work("1/2"))])
    assert index.neighbourhood(work("7/7"), 2, 10) == ([work("7/7")], 1)


def _network(app, path: str) -> dict:
    resp = app.test_client().get(path, headers={"Accept": "application/ld+json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


@pytest.mark.parametrize("seed", [1, 2])
def test_network_answer_same_with_and_without_the_index(seed: int) -> None:
    """The walk over SPARQL (remote engines, or while the index is read) and the index give
    the same answer wherever the SPARQL walk cut nothing."""
    edges = random_edges(seed)
    store = build(edges)
    with_index = create_app(store, Config.from_env(environ={}))
    without = create_app(store, Config.from_env(environ={}, citation_index=False))
    with with_index.test_request_context("/"):
        assert api.citation_index(wait=30) is not None
    with without.test_request_context("/"):
        assert api.citation_index(wait=30) is None
    compared = 0
    for a in sorted({a for a, _ in edges})[:8]:
        path = "/api/resolutions/" + a.rsplit("doc/", 1)[1] + "/network?depth=2"
        fast, slow = _network(with_index, path), _network(without, path)
        if slow["truncated"]:
            continue
        assert fast == slow
        compared += 1
    assert compared >= 4


def test_index_is_read_again_after_a_write() -> None:
    a, b, c = work("1/1"), work("1/2"), work("1/3")
    store = build([(a, b), (c, c + "x")])
    app = create_app(store, Config.from_env(environ={}, write_token="t"))
    path = "/api/resolutions/A/RES/1/1/network"
    with app.test_request_context("/"):
        api.citation_index(wait=30)
    members = {m["id"] for m in _network(app, path)["member"]}
    assert not any(x.endswith("1/3") for x in members)
    resp = app.test_client().post(
        "/update", data=f"INSERT DATA {{ GRAPH <{a}/graph> {{ <{a}> <{RG}cites> <{c}> }} }}",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
    assert resp.status_code in (200, 204), resp.get_data(as_text=True)
    with app.test_request_context("/"):
        index = api.citation_index(wait=30)
        assert index is not None and (a, c) in index.links_among([a, b, c])
    members = {m["id"] for m in _network(app, path)["member"]}
    assert any(x.endswith("1/3") for x in members)


def test_index_that_cannot_be_read_leaves_the_sparql_walk(caplog) -> None:
    edges = random_edges(5)
    store = build(edges)

    works = store.select_iter

    def broken(query: str, bindings: dict | None = None) -> Iterator[dict]:
        if "DISTINCT ?a ?b" in query:  # the index's read of every link
            raise OSError("disk gone")
        return works(query, bindings)

    store.select_iter = broken  # type: ignore[method-assign]
    app = create_app(store, Config.from_env(environ={}))
    with app.test_request_context("/"):
        assert api.citation_index(wait=30) is None
    assert "citation index could not be read" in caplog.text
    root = edges[0][0]
    doc = _network(app, "/api/resolutions/" + root.rsplit("doc/", 1)[1] + "/network?depth=2")
    kept, found = exhaustive_walk(edges, root, 2, 500)
    assert doc["totalNodes"] == found and not doc["truncated"]
    assert {m["id"] for m in doc["member"]} == set(kept)


def test_warm_up_starts_reading_the_index_before_any_request() -> None:
    edges = random_edges(6)
    app = create_app(build(edges), Config.from_env(environ={}))
    api.warm_up(app)
    load = app.extensions["resograph.citation_index"]
    assert load.done.wait(30) and load.index is not None and len(load.index) == len(edges)
    with app.test_request_context("/"):
        assert api.citation_index() is load.index  # the same reading, not a second one
