"""Throughput and latency of the service against pyoxigraph in-process and Oxigraph's server.

One script, three targets on a copy of the same data:

1. resograph under gunicorn (``resograph.cli:wsgi()``, gthread workers for keep-alive):
   ``/api/resolutions/{symbol}`` and a mix of SPARQL queries through ``/sparql``;
2. the same SPARQL mix run in-process on pyoxigraph (query + serialise, no HTTP);
3. the same mix through Oxigraph's own server (``oxigraph serve-read-only
   --union-default-graph``, from the ``oxigraph`` PyPI package).

Load comes from client processes with keep-alive connections (http.client), the same for
both servers. Prints requests/s, p50/p95 and the ratios, plus the machine.

    .venv/bin/python bench/bench_service.py [--resolutions 2000] [--seconds 10] [--clients 8]

Data: the shipped default dataset when built (graph/data/default-dataset.nq.gz), else
``resograph synth`` output of --resolutions resolutions mapped by the real RDF mapping.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
RG = "https://w3id.org/resograph/ontology#"

MIX = [
    ("lookup", f'PREFIX rg: <{RG}> SELECT ?w ?date WHERE {{ ?w rg:symbol $SYMBOL . '
               f'OPTIONAL {{ ?w rg:adoptionDate ?date }} }}', "application/sparql-results+json"),
    ("cites", f"PREFIX rg: <{RG}> SELECT ?t ?sym WHERE {{ ?w rg:symbol $SYMBOL ; rg:cites ?t . "
              f"?t rg:symbol ?sym }}", "application/sparql-results+json"),
    ("cited-by", f"PREFIX rg: <{RG}> SELECT DISTINCT ?s WHERE {{ ?t rg:symbol $SYMBOL . "
                 f"?w rg:cites ?t ; rg:symbol ?s }} LIMIT 100",
     "application/sparql-results+json"),
    ("per-organ", f"PREFIX rg: <{RG}> SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?w rg:organ ?o ; "
                  f"rg:adoptionDate ?d FILTER(YEAR(?d) = 2010) }} GROUP BY ?o",
     "application/sparql-results+json"),
    ("describe", f"PREFIX rg: <{RG}> CONSTRUCT {{ ?w ?p ?o }} WHERE {{ ?w rg:symbol $SYMBOL ; "
                 f"?p ?o }}", "text/turtle"),
]


# --------------------------------------------------------------------------- data


def build_store(path: Path, resolutions: int) -> tuple[int, str]:
    """Fill an on-disk store; returns (quads, description of the data)."""
    from resograph.graph.store import OxigraphStore

    default = ROOT / "graph" / "data" / "default-dataset.nq.gz"
    store = OxigraphStore(path)
    if default.exists():
        import gzip

        with gzip.open(default, "rb") as fh:
            store.oxigraph.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
        what = f"default dataset ({default.name})"
    else:
        from resograph.graph import rdf, synth

        quads: list[ox.Quad] = list(rdf.shared_quads())
        for parsed in synth.generate(resolutions, 1):
            quads.extend(rdf.to_quads(parsed, extractor_version="bench",
                                      ingested_at="2026-01-01T00:00:00+00:00"))
        store.oxigraph.bulk_extend(quads)
        what = f"synthetic corpus, {resolutions} resolutions (resograph synth, seed 1)"
    n = len(store)
    store.close()
    return n, what


def sample_symbols(path: Path, k: int = 200) -> list[str]:
    store = ox.Store.read_only(str(path))
    rows = store.query(f"PREFIX rg: <{RG}> SELECT DISTINCT ?s WHERE {{ ?w rg:symbol ?s ; "
                       f"rg:hasLanguageVersion ?e ; rg:cites ?x }} LIMIT 5000",
                       use_default_graph_as_union=True)
    syms = [r["s"].value for r in rows]
    random.Random(7).shuffle(syms)
    return syms[:k]


def render(query: str, symbol: str) -> str:
    return query.replace("$SYMBOL", json.dumps(symbol))


# --------------------------------------------------------------------------- load


def _client(args: tuple[str, int, list[tuple[str, str, str]], float, int, int]
            ) -> list[float]:
    """One client process: ``threads`` keep-alive connections cycling through ``requests``."""
    import threading

    host, port, reqs, seconds, threads, seed = args
    lat: list[float] = []
    errors = [0]
    #: what went wrong, kept so that a failed request can be read, not only counted
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def run(i: int) -> None:
        rng = random.Random(seed * 100 + i)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop:
            method, path, accept = reqs[rng.randrange(len(reqs))]
            t0 = time.perf_counter()
            try:
                if method == "GET":
                    conn.request("GET", path, headers={"Accept": accept})
                else:
                    body, url = path.split("\x00", 1)
                    conn.request("POST", url, body=body.encode(), headers={
                        "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    errors[0] += 1
                    failures.append(f"{resp.status} {method} {path[:160]!r}")
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=30)
            except (OSError, http.client.HTTPException) as exc:
                errors[0] += 1
                failures.append(f"{type(exc).__name__}: {exc} {method} {path[:160]!r}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            lat.extend(mine)

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors[0]:
        lat.append(-float(errors[0]))  # errors travel back as one negative number
        for line in sorted(set(failures))[:5]:
            print(f"  failed request: {line}", file=sys.stderr, flush=True)
    return lat


def load(port: int, reqs: list[tuple[str, str, str]], seconds: float, clients: int
         ) -> dict[str, float]:
    procs = 2
    with mp.get_context("fork").Pool(procs) as pool:
        parts = pool.map(_client, [("127.0.0.1", port, reqs, seconds,
                                    max(1, clients // procs), k) for k in range(procs)])
    lat = [x for p in parts for x in p if x >= 0]
    errors = -sum(x for p in parts for x in p if x < 0)
    return summary(lat, seconds, errors)


def summary(lat: list[float], seconds: float, errors: float = 0) -> dict[str, float]:
    lat.sort()
    if not lat:
        return {"rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "n": 0, "errors": errors}
    return {"rps": len(lat) / seconds, "p50_ms": 1000 * statistics.median(lat),
            "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))], "n": len(lat), "errors": errors}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(port: int, path: str, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", path)
            if c.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on port {port} did not come up")


def in_process(path: Path, symbols: list[str], seconds: float) -> dict[str, float]:
    """The SPARQL mix on pyoxigraph directly: query + serialise, one thread."""
    store = ox.Store.read_only(str(path))
    rng = random.Random(3)
    lat: list[float] = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        _name, q, _accept = MIX[rng.randrange(len(MIX))]
        text = render(q, symbols[rng.randrange(len(symbols))])
        t0 = time.perf_counter()
        res = store.query(text, use_default_graph_as_union=True)
        if isinstance(res, ox.QueryTriples):
            res.serialize(format=ox.RdfFormat.TURTLE)
        else:
            res.serialize(format=ox.QueryResultsFormat.JSON)
        lat.append(time.perf_counter() - t0)
    return summary(lat, seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resolutions", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()

    from importlib.metadata import version

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, pyoxigraph {version('pyoxigraph')}, "
          f"flask {version('flask')}, gunicorn {version('gunicorn')}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-service-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        ours, theirs = tmp / "ours", tmp / "oxigraph"
        t0 = time.time()
        n, what = build_store(ours, args.resolutions)
        shutil.copytree(ours, theirs)
        print(f"data: {what}: {n:,} quads, built in {time.time() - t0:.0f} s")
        symbols = sample_symbols(ours)
        sparql_reqs: list[tuple[str, str, str]] = []
        for sym in symbols:
            for _name, q, accept in MIX:
                sparql_reqs.append(("POST", urlencode({"query": render(q, sym)}) + "\x00/sparql",
                                    accept))
        api_reqs = [("GET", "/api/resolutions/" + quote(s), "application/ld+json")
                    for s in symbols]

        p_ours, p_ox = free_port(), free_port()
        env = {**os.environ, "RESOGRAPH_STORE": str(ours)}
        env.pop("RESOGRAPH_WRITE_TOKEN", None)
        procs.append(subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-w", str(args.workers), "-k", "gthread",
             "--threads", str(args.threads), "-b", f"127.0.0.1:{p_ours}",
             "--graceful-timeout", "2", "--log-level", "warning", "resograph.cli:wsgi()"],
            env=env, cwd=str(ROOT)))
        procs.append(subprocess.Popen(
            [str(VENV_BIN / "oxigraph"), "serve-read-only", "--location", str(theirs),
             "--bind", f"127.0.0.1:{p_ox}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_up(p_ours, "/healthz")
        wait_up(p_ox, "/query?query=ASK%7B%7D")
        ox_reqs = [(m, p.replace("\x00/sparql", "\x00/query"), a) for m, p, a in sparql_reqs]
        load(p_ours, sparql_reqs[:20], 2, args.clients)  # warm-up
        load(p_ox, ox_reqs[:20], 2, args.clients)

        results = {}
        results["resograph /sparql"] = load(p_ours, sparql_reqs, args.seconds, args.clients)
        results["oxigraph server"] = load(p_ox, ox_reqs, args.seconds, args.clients)
        results["pyoxigraph in-process"] = in_process(theirs, symbols, args.seconds)
        results["resograph /api/resolutions/{symbol}"] = load(p_ours, api_reqs, args.seconds,
                                                              args.clients)
        print(f"\nload: {args.clients} keep-alive clients in 2 processes, {args.seconds:.0f} s "
              f"each; resograph under gunicorn -w {args.workers} -k gthread --threads "
              f"{args.threads}; SPARQL mix: {', '.join(m[0] for m in MIX)}")
        print(f"{'target':40} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for name, r in results.items():
            print(f"{name:40} {r['rps']:9.0f} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} "
                  f"{int(r['errors']):7d}")
        ours_rps = results["resograph /sparql"]["rps"]
        print(f"\nratio /sparql vs oxigraph server: "
              f"{ours_rps / results['oxigraph server']['rps']:.2f} (target >= 0.70)")
        print(f"ratio /sparql vs pyoxigraph in-process (1 thread): "
              f"{ours_rps / results['pyoxigraph in-process']['rps']:.2f}")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
