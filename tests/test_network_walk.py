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
