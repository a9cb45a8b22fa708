"""Embedded store vs Oxigraph server vs Virtuoso, through the same Store interface.

Loads N synthetic quads (one named graph per "resolution", citations to earlier ones) with
``replace_graphs`` in batches, then runs a small query mix with bindings and reports load
throughput and p50/p95 latencies. Also probes isolation of a graph replacement under a
concurrent reader (does a reader ever see the graph half-written or missing?).

    .venv/bin/python bench/bench_remote.py [--quads 50000] [--queries 200] [--engines ...]

The engines are started by ``tests/engines.py`` on loopback with temporary databases.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import engines  # noqa: E402

from resograph.graph.remote_store import RemoteStore  # noqa: E402
from resograph.graph.store import OxigraphStore, Store  # noqa: E402

EX = "http://example.org/bench/"
CITES = ox.NamedNode(EX + "cites")
TITLE = ox.NamedNode(EX + "title")
DATE = ox.NamedNode(EX + "date")
ORGAN = ox.NamedNode(EX + "organ")
PARA = ox.NamedNode(EX + "paragraph")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def documents(n_quads: int, per_doc: int = 20, seed: int = 7) -> dict[str, list[ox.Triple]]:
    """``n_quads / per_doc`` graphs; each resolution cites a few earlier ones."""
    rnd = random.Random(seed)
    docs: dict[str, list[ox.Triple]] = {}
    n_docs = max(1, n_quads // per_doc)
    for i in range(n_docs):
        r = ox.NamedNode(f"{EX}res/{i}")
        ts = [ox.Triple(r, TITLE, ox.Literal(f"Resolution {i}", language="en")),
              ox.Triple(r, DATE, ox.Literal(f"{1950 + i % 70}-01-01", datatype=XSD_DATE)),
              ox.Triple(r, ORGAN, ox.NamedNode(f"{EX}organ/{i % 4}"))]
        for _ in range(5):
            if i:
                j = rnd.randrange(max(0, i - 50), i) if rnd.random() < 0.8 else rnd.randrange(i)
                ts.append(ox.Triple(r, CITES, ox.NamedNode(f"{EX}res/{j}")))
        k = 0
        while len(ts) < per_doc:
            ts.append(ox.Triple(r, PARA, ox.Literal(f"p{k}")))
            k += 1
        docs[f"{EX}graph/{i}"] = ts
    return docs


QUERIES: dict[str, tuple[str, Callable[[int], dict[str, ox.NamedNode]]]] = {
    "lookup": ("SELECT ?t ?d WHERE { ?r <http://example.org/bench/title> ?t ; "
               "<http://example.org/bench/date> ?d }", lambda i: {"r": _res(i)}),
    "cited-by count": ("SELECT (COUNT(?x) AS ?n) WHERE { ?x <http://example.org/bench/cites> ?r }",
                       lambda i: {"r": _res(i)}),
    "two-hop": ("SELECT DISTINCT ?z WHERE { ?r <http://example.org/bench/cites> ?y . "
                "?y <http://example.org/bench/cites> ?z }", lambda i: {"r": _res(i)}),
    "graph quads": ("", lambda i: {}),
}


def _res(i: int) -> ox.NamedNode:
    return ox.NamedNode(f"{EX}res/{i}")


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def run(name: str, store: Store, docs: dict[str, list[ox.Triple]], n_queries: int,
        batch: int = 50) -> dict[str, object]:
    items = list(docs.items())
    n_quads = sum(len(v) for v in docs.values())
    t0 = time.perf_counter()
    for k in range(0, len(items), batch):
        store.replace_graphs(dict(items[k:k + batch]))
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    store.replace_graphs(dict(items[:batch]))  # re-ingest of existing graphs
    reload_s = time.perf_counter() - t0
    rnd = random.Random(1)
    lat: dict[str, list[float]] = {}
    n_docs = len(items)
    for qname, (q, binds) in QUERIES.items():
        times = []
        for _ in range(n_queries):
            i = rnd.randrange(n_docs)
            t = time.perf_counter()
            if qname == "graph quads":
                store.graph_quads(f"{EX}graph/{i}")
            else:
                store.select(q, binds(i))
            times.append((time.perf_counter() - t) * 1000)
        lat[qname] = times
    return {"name": name, "quads": n_quads, "load_s": load_s,
            "quads_per_s": n_quads / load_s, "reload_batch_ms": reload_s * 1000, "lat": lat}


def isolation_probe(store: Store, seconds: float = 3.0, size: int = 5000) -> str:
    """Replace one big graph over and over while a reader counts it: any count other than
    ``size`` means a reader saw a half-done replacement."""
    g = f"{EX}probe"
    a = [ox.Triple(ox.NamedNode(f"{EX}s{i}"), TITLE, ox.Literal(f"a{i}")) for i in range(size)]
    b = [ox.Triple(ox.NamedNode(f"{EX}s{i}"), TITLE, ox.Literal(f"b{i}")) for i in range(size)]
    store.replace_graphs({g: a})
    stop = time.monotonic() + seconds
    seen: dict[int, int] = {}
    writes = 0

    def writer() -> None:
        nonlocal writes
        while time.monotonic() < stop:
            store.replace_graphs({g: b if writes % 2 else a})
            writes += 1

    th = threading.Thread(target=writer)
    th.start()
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    while th.is_alive():
        n = int(store.select(q, {"g": ox.NamedNode(g)})[0]["n"].value)
        seen[n] = seen.get(n, 0) + 1
    th.join()
    store.delete_graph(g)
    odd = {k: v for k, v in seen.items() if k != size}
    verdict = "isolated" if not odd else f"NOT isolated: saw counts {sorted(odd)[:5]}"
    return f"{writes} replacements, {sum(seen.values())} reads: {verdict}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quads", type=int, default=50_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--engines", nargs="+", default=["embedded", "oxigraph", "virtuoso"])
    args = ap.parse_args()

    import requests

    print(f"machine: {os.cpu_count()} cpus, {platform.platform()}, python "
          f"{platform.python_version()}, pyoxigraph {ox.__version__}, requests "
          f"{requests.__version__}; load average {os.getloadavg()[0]:.1f} (other work on the "
          "machine skews latencies)")
    docs = documents(args.quads)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-remote-") as tmp:
        for name in args.engines:
            work = Path(tmp) / name
            work.mkdir()
            engine = None
            if name == "embedded":
                store: Store = OxigraphStore(work / "db")
            else:
                try:
                    engine = (engines.start_oxigraph(work) if name == "oxigraph"
                              else engines.start_virtuoso(work))
                except BaseException as exc:  # pytest's skip is a BaseException
                    print(f"{name}: not available ({exc})")
                    continue
                store = RemoteStore.from_options(engine.base_url, engine=name)
            try:
                res = run(name, store, docs, args.queries)
                res["probe"] = {n: isolation_probe(store, size=n) for n in (800, 5000)}
                results.append(res)
            finally:
                store.close()
                if engine is not None:
                    engine.stop()
    print(f"\n{args.quads} quads in {len(docs)} graphs, replace_graphs in batches of 50; "
          f"{args.queries} queries of each kind (ms)\n")
    head = f"{'store':10} {'load s':>7} {'quads/s':>9} {'re-ingest 50':>13}"
    for q in QUERIES:
        head += f" {q + ' p50/p95':>24}"
    print(head)
    for r in results:
        line = (f"{r['name']:10} {r['load_s']:7.2f} {r['quads_per_s']:9.0f} "
                f"{r['reload_batch_ms']:11.1f}ms")
        for q in QUERIES:
            v = r["lat"][q]  # type: ignore[index]
            line += f" {statistics.median(v):11.2f}/{pct(v, 95):<12.2f}"
        print(line)
    print()
    for r in results:
        for size, verdict in r["probe"].items():  # type: ignore[attr-defined]
            print(f"isolation probe, {r['name']}, graph of {size} triples: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
