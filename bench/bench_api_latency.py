"""Latency of the JSON-LD API and the resolution page on a (large) store, in process.

Why in process (Flask test client, no HTTP server): this isolates what the service code and
its SPARQL cost, which is what the UN-scale targets of issue 7 are about (p95 < 50 ms for
``/api/resolutions/{symbol}``, < 200 ms for ``.../network?depth=2`` at 100,000 resolutions).

Usage::

    .venv/bin/python bench/bench_api_latency.py --store /tmp/scale10k [--n 100] [--seed 1]
        [--profile OUT.prof] [--queries] [--dump DIR] [--service-dir DIR]
    .venv/bin/python bench/bench_api_latency.py --default [--only resolution,hub-network2]

``--default`` loads the shipped dataset (graph/data/default-dataset.nq.gz) into an in-memory
store instead of opening ``--store``. Besides random symbols, the ``hub-*`` endpoints ask for
the ``--hubs`` most-cited works that have a symbol (the heavy tail: 217 (III), 60/251, 1325
(2000) ...; the instruments, such as the Charter, have no /api/resolutions page), which is where
the network and cited-by endpoints are slowest (``hub-network2``, ``hub-cited-by``).

``--queries`` times every SPARQL query the service runs (grouped by query text),
``--profile`` writes a cProfile of the whole run, ``--dump DIR`` writes each response's
triples (sorted N-Triples) so that two implementations can be compared, and
``--service-dir`` runs another copy of ``service/`` (e.g. the code before a change).
Symbols are drawn at random (seeded) from the store's documents.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

ACCEPT_JSONLD = {"Accept": "application/ld+json"}
ACCEPT_NT = {"Accept": "application/n-triples"}
ACCEPT_HTML = {"Accept": "text/html"}


def pick_symbols(store: Any, n: int, seed: int) -> tuple[list[str], list[str]]:
    """(random document symbols, random symbols of documents with an adoption)."""
    pre = "PREFIX rg: <https://w3id.org/resograph/ontology#>\n"
    docs = sorted({r["s"].value for r in store.select(
        pre + "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?g rg:describes ?w . ?w rg:symbol ?s } }")})
    # documents with an adoption recorded (the synthetic corpus has counts, no roll-calls)
    voted = sorted({r["s"].value for r in store.select(
        pre + "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?g rg:describes ?w . ?w rg:symbol ?s ; "
        "rg:adoption ?a } }")} & set(docs))
    rnd = random.Random(seed)
    return ([rnd.choice(docs) for _ in range(n)],
            [rnd.choice(voted) for _ in range(n)] if voted else [])


def pick_hubs(store: Any, n: int) -> list[str]:
    """Symbols of the ``n`` most-cited works (by number of distinct citing works)."""
    pre = "PREFIX rg: <https://w3id.org/resograph/ontology#>\n"
    rows = store.select(pre + "SELECT ?w (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a rg:cites ?w } "
                        f"GROUP BY ?w ORDER BY DESC(?n) LIMIT {int(n)}")
    out: list[str] = []
    for r in rows:
        sym = store.select(pre + "SELECT ?s WHERE { ?w rg:symbol ?s } LIMIT 1", {"w": r["w"]})
        if sym:
            out.append(sym[0]["s"].value)
    return out


class QueryTimer:
    """Wraps a store's select/ask/construct/graph_quads to time each call by query text."""

    def __init__(self, store: Any) -> None:
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        for name in ("select", "ask", "construct", "graph_quads"):
            if hasattr(store, name):
                setattr(store, name, self._wrap(name, getattr(store, name)))

    def _wrap(self, name: str, fn: Any) -> Any:
        def timed(query: str, *a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(query, *a, **kw)
            finally:
                key = name if name == "graph_quads" else \
                    f"{name}:{' '.join(query.split())[-150:]}"
                self.times[key].append(time.perf_counter() - t0)
        return timed

    def report(self) -> None:
        print("\nSPARQL calls (by query; total ms, calls, mean ms, max ms):")
        rows = sorted(self.times.items(), key=lambda kv: -sum(kv[1]))
        for key, ts in rows[:25]:
            print(f"  {sum(ts)*1000:9.1f} {len(ts):6d} {statistics.mean(ts)*1000:8.2f} "
                  f"{max(ts)*1000:8.1f}  {key[:160]}")


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def canonical(body: bytes) -> bytes:
    """Sorted N-Triples with blank nodes renamed by content (good enough for our data)."""
    lines = sorted(set(body.decode().splitlines()))
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", help="embedded store folder (opened read-only)")
    ap.add_argument("--default", action="store_true",
                    help="use the shipped default dataset, loaded in memory, instead of --store")
    ap.add_argument("--hubs", type=int, default=10, help="most-cited works for hub-* endpoints")
    ap.add_argument("--network-args", default="",
                    help="extra query string for the network endpoints, e.g. limit=200")
    ap.add_argument("--n", type=int, default=100, help="requests per endpoint")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated endpoint names")
    ap.add_argument("--profile", help="write a cProfile of the timed requests here")
    ap.add_argument("--queries", action="store_true", help="time every SPARQL call")
    ap.add_argument("--dump", help="write every response (sorted N-Triples / HTML hash) here")
    ap.add_argument("--service-dir", help="import resograph.service from this folder instead")
    ap.add_argument("--no-index", action="store_true",
                    help="/network walks the links through SPARQL (as on a remote engine) "
                         "instead of the citation index held in memory")
    args = ap.parse_args()

    import resograph.service as svc
    if args.service_dir:
        svc.__path__[:] = [str(Path(args.service_dir).resolve())]  # type: ignore[index]
    from resograph.graph.store import OxigraphStore
    from resograph.service import create_app
    from resograph.service.config import Config

    if not args.store and not args.default:
        ap.error("give --store DIR or --default")
    t0 = time.perf_counter()
    if args.default:
        import gzip

        root = Path(__file__).resolve().parent.parent
        store = OxigraphStore(None)
        with gzip.open(root / "graph" / "data" / "default-dataset.nq.gz") as fh:
            store.oxigraph.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
        where = "default dataset (in memory)"
    else:
        store = OxigraphStore(args.store, read_only=True)
        where = args.store
    print(f"machine: {os.cpu_count()} cpus, python {platform.python_version()}, "
          f"pyoxigraph {ox.__version__}, {platform.platform()}, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"store: {where}, {len(store):,} quads (opened in {time.perf_counter()-t0:.1f} s)")
    syms, voted = pick_symbols(store, args.n + args.warmup, args.seed)
    hubs = pick_hubs(store, args.hubs)
    print(f"hubs: {', '.join(hubs)}")
    net = "&" + args.network_args if args.network_args else ""
    warm = [s for s in syms if s not in hubs][-args.warmup:] if args.warmup else []
    timer = QueryTimer(store) if args.queries else None
    # (a --service-dir older than the citation index knows neither the field nor the call)
    app = create_app(store, Config.from_env(environ={}, **(
        {"citation_index": False} if args.no_index else {})))
    from resograph.service import api

    if not args.no_index and hasattr(api, "citation_index"):
        # as a server answers once its citation index is read
        t1 = time.perf_counter()
        with app.app_context():
            index = api.citation_index(wait=3600.0)
        print(f"citation index: {len(index) if index is not None else 'none'} links, "
              f"read in {time.perf_counter() - t1:.1f} s")
    client = app.test_client()
    rnd = random.Random(args.seed + 1)
    endpoints: dict[str, tuple[list[str], dict[str, str]]] = {
        "resolution": ([f"/api/resolutions/{quote(s)}" for s in syms], ACCEPT_JSONLD),
        "network2": ([f"/api/resolutions/{quote(s)}/network?depth=2{net}" for s in syms],
                     ACCEPT_JSONLD),
        # hubs: each asked once, after warm-up requests for other symbols (so uncached)
        "hub-resolution": ([f"/api/resolutions/{quote(s)}" for s in warm + hubs]
                           if hubs else [], ACCEPT_JSONLD),
        "hub-network2": ([f"/api/resolutions/{quote(s)}/network?depth=2{net}"
                          for s in warm + hubs] if hubs else [], ACCEPT_JSONLD),
        "cited-by": ([f"/api/resolutions/{quote(s)}/cited-by" for s in syms], ACCEPT_JSONLD),
        "hub-cited-by": ([f"/api/resolutions/{quote(s)}/cited-by" for s in warm + hubs]
                         if hubs else [], ACCEPT_JSONLD),
        "network1": ([f"/api/resolutions/{quote(s)}/network?depth=1{net}" for s in syms],
                     ACCEPT_JSONLD),
        "votes": ([f"/api/resolutions/{quote(s)}/votes" for s in voted], ACCEPT_JSONLD),
        "list": ([f"/api/resolutions?organ={rnd.choice(['GA', 'SC', 'ECOSOC', 'HRC'])}"
                  f"&page={rnd.randint(1, 20)}" for _ in syms], ACCEPT_JSONLD),
        "page": ([f"/doc/{quote(s.replace(' ', ''), safe='/()')}" for s in syms], ACCEPT_HTML),
    }
    only = {x for x in args.only.split(",") if x}
    dump = Path(args.dump) if args.dump else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
    prof = cProfile.Profile() if args.profile else None
    # CPU ms (this thread) besides wall ms: on a loaded machine the wall clock mostly
    # measures the other processes
    print(f"{'endpoint':14s} {'n':>4s} {'p50 ms':>9s} {'p95 ms':>9s} {'max ms':>9s} "
          f"{'cpu p50':>8s} {'cpu p95':>8s} {'statuses'}")
    for name, (paths, headers) in endpoints.items():
        if only and name not in only:
            continue
        if not paths:
            print(f"{name:12s} (no candidates)")
            continue
        for p in paths[:args.warmup]:
            client.get(p, headers=headers)
        times: list[float] = []
        cpu: list[float] = []
        statuses: collections.Counter[int] = collections.Counter()
        for i, p in enumerate(paths[args.warmup:]):
            if prof:
                prof.enable()
            t = time.perf_counter()
            c = time.thread_time()
            resp = client.get(p, headers=headers)
            body = resp.get_data()
            times.append(time.perf_counter() - t)
            cpu.append(time.thread_time() - c)
            if prof:
                prof.disable()
            statuses[resp.status_code] += 1
            if dump:
                if headers is ACCEPT_HTML:
                    out = hashlib.sha1(body).hexdigest().encode() + b"\n"
                else:
                    out = canonical(client.get(p, headers=ACCEPT_NT).get_data())
                (dump / f"{name}-{i:04d}.txt").write_bytes(p.encode() + b"\n" + out)
        print(f"{name:14s} {len(times):4d} {pct(times, .5)*1000:9.1f} "
              f"{pct(times, .95)*1000:9.1f} {max(times)*1000:9.1f} "
              f"{pct(cpu, .5)*1000:8.1f} {pct(cpu, .95)*1000:8.1f} {dict(statuses)}")
        sys.stdout.flush()
    if timer:
        timer.report()
    if prof and args.profile:
        prof.dump_stats(args.profile)
        print(f"profile written to {args.profile}")


if __name__ == "__main__":
    main()
