"""How resograph's costs grow from 10,000 to 100,000 resolutions (issue 7, UN scale).

For each size N (``--sizes``, default 10000 100000), one script, same machine:

1. **corpus**: ``resograph synth --resolutions N --seed S`` (graph/synth.py) -> corpus.jsonl;
2. **build**: the real build path, ``ingest_paths`` (what ``resograph ingest corpus.jsonl
   --store DIR`` runs: RDF mapping, batch SHACL validation with the stored context, one
   transaction per batch, cited-only markers) into an empty embedded store, in a **child
   process** so that its memory peak (``ru_maxrss`` of the child and of its parsing workers;
   RocksDB's memory is invisible to tracemalloc) is measured; build time, triples/s, store size
   on disk, the ingest's own stage timings;
3. **embedded latency**: p50/p95 of ``/api/resolutions/{symbol}``, ``.../network?depth=2`` and
   ``.../cited-by`` through the Flask app (``create_app`` + test client: the whole WSGI stack,
   JSON-LD rendering included, no socket) on the store opened read-only as ``resograph serve``
   does, for random resolutions and for the most cited ones ("hubs"); and of a SPARQL mix
   (citation lookup, cited-by count, two-hop citations, transitive ``rg:cites+`` bounded by
   LIMIT, requests due at a session) serialised as SPARQL JSON results;
4. **Oxigraph server**: the same quads dumped as N-Quads, ``oxigraph load`` (timed: the bulk
   load of the same data), ``oxigraph serve-read-only --union-default-graph``; the same SPARQL
   mix over HTTP (keep-alive) and the same API endpoints through the Flask app over a
   :class:`RemoteStore` on that server.

One client, sequential requests: these are latencies, not throughput (bench_service.py
measures throughput). Results merge into bench/scale_results/scale.json (one entry per N, so
the sizes can be run separately), plus scale.csv, scale.md and the plot scale.png.

    .venv/bin/python bench/bench_scale.py --sizes 10000
    .venv/bin/python bench/bench_scale.py --sizes 100000 --workdir /tmp/scale
    .venv/bin/python bench/bench_scale.py --sizes 100000 --workdir /tmp/scale --reuse-store \
        --server-on-store      # measure again on the store left there, server on that store
    .venv/bin/python bench/bench_scale.py --report   # only redraw the table and the plot
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "scale_results"
VENV_BIN = Path(sys.executable).parent
RG = "https://w3id.org/resograph/ontology#"
PREFIX = f"PREFIX rg: <{RG}>\n"
JSONLD = {"Accept": "application/ld+json"}
TARGETS = {"api resolution": 50.0, "api network depth=2": 200.0}  # p95 ms at 100k
BUILD_TARGET_S = 600.0

#: The SPARQL mix: name -> query template ($SYMBOL is a string literal, $SESSION an IRI).
MIX = {
    "citation lookup": PREFIX + "SELECT ?t ?s WHERE { ?w rg:symbol $SYMBOL ; rg:cites ?t . "
                                "OPTIONAL { ?t rg:symbol ?s } }",
    "cited-by count": PREFIX + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?t rg:symbol $SYMBOL . "
                               "?c rg:cites ?t }",
    "two-hop citations": PREFIX + "SELECT DISTINCT ?t2 WHERE { ?w rg:symbol $SYMBOL ; "
                                  "rg:cites ?t1 . ?t1 rg:cites ?t2 }",
    "transitive cites+ (LIMIT 1000)": PREFIX + "SELECT DISTINCT ?t WHERE { ?w rg:symbol $SYMBOL ;"
                                               " rg:cites+ ?t } LIMIT 1000",
    "requests due at a session": PREFIX + "SELECT ?r ?w ?a WHERE { ?r rg:dueSession $SESSION ; "
                                          "rg:requestingWork ?w ; rg:addressee ?a }",
}


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pyoxigraph": version("pyoxigraph"),
        "oxigraph_server": version("oxigraph"),
        "flask": version("flask"),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    }


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _summary(lat_s: list[float]) -> dict[str, float]:
    ms = [x * 1000 for x in lat_s]
    return {"n": len(ms), "p50_ms": round(_pct(ms, 0.50), 2), "p95_ms": round(_pct(ms, 0.95), 2),
            "max_ms": round(max(ms), 2) if ms else float("nan"),
            "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan")}


# --------------------------------------------------------------------------- build (child)


def build_child(corpus: Path, store_dir: Path, out: Path, mode: str = "bulk") -> int:
    """Runs in a child process: the real ingest, then its summary and memory peaks as JSON.
    ``mode``: ``bulk`` (``ingest --bulk``, the first-build path) or ``tx`` (every batch one
    transaction, what incremental ingests use)."""
    from resograph.graph.ingest import ingest_paths
    from resograph.graph.store import OxigraphStore

    store = OxigraphStore(store_dir)
    t0 = time.perf_counter()
    summary = ingest_paths([corpus], store, progress=False, bulk=mode == "bulk")
    seconds = time.perf_counter() - t0
    quads = len(store)
    store.close()
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out.write_text(json.dumps({
        "seconds": seconds, "mode": mode, "documents": summary.documents,
        "failed": len(summary.failed),
        "first_failures": summary.failed[:5], "triples_written": summary.triples,
        "store_quads": quads, "citations": summary.citations, "cited_only": summary.cited_only,
        "warnings": summary.warnings, "violations": summary.violations,
        "stages_s": {k: round(v, 2) for k, v in summary.timings.items()},
        "rss_peak_main_mib": round(self_peak / 1024, 1),
        "rss_peak_worker_mib": round(child_peak / 1024, 1),
    }))
    return 0


def build(corpus: Path, store_dir: Path, work: Path, profile: bool,
          mode: str = "bulk") -> dict[str, Any]:
    if store_dir.exists():
        shutil.rmtree(store_dir)
    out = work / "build.json"
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(work / "build.prof")]
    cmd += [str(Path(__file__).resolve()), "--build-child", str(corpus), str(store_dir), str(out),
            mode]
    load_before = _load()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    result = json.loads(out.read_text())
    result["wall_s"] = round(wall, 1)
    result["seconds"] = round(result["seconds"], 1)
    result["triples_per_s"] = round(result["store_quads"] / result["seconds"])
    result["documents_per_s"] = round(result["documents"] / result["seconds"], 1)
    result["store_bytes"] = _du(store_dir)
    # RocksDB's write-ahead log (*.log) is most of a fresh store; the SST files are the data
    result["store_sst_bytes"] = sum(f.stat().st_size for f in store_dir.glob("*.sst"))
    result["load_before"], result["load_after"] = load_before, _load()
    return result


# --------------------------------------------------------------------------- samples


def samples(corpus: Path, k: int, seed: int) -> dict[str, Any]:
    """Random resolution symbols, the most cited ones (hubs) and sessions with requests due."""
    syms: list[str] = []
    indeg: Counter[str] = Counter()
    due: Counter[tuple[str, str]] = Counter()
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            syms.append(d["symbol"])
            for c in d["citations"]:
                if c["type"] == "resolution":
                    indeg[c["target"]] += 1
            for r in d["requests"]:
                if r.get("due_session") and r.get("due_organ"):
                    due[(r["due_organ"], str(r["due_session"]))] += 1
    rng = random.Random(seed)
    known = set(syms)
    return {
        "random": rng.sample(syms, min(k, len(syms))),
        "hubs": [s for s, _ in indeg.most_common(50) if s in known][:10],
        "sessions": [s for s, _ in sorted(due.items())][:: max(1, len(due) // 40)][:40],
        "max_in_degree": indeg.most_common(1)[0][1] if indeg else 0,
    }


def _render(template: str, symbol: str, session: tuple[str, str]) -> str:
    from resograph.graph import vocab

    return template.replace("$SYMBOL", json.dumps(symbol)).replace(
        "$SESSION", f"<{vocab.session_iri(*session)}>")


# --------------------------------------------------------------------------- latency


def api_latency(store: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """The API endpoints, as a server started on the store answers them once its citation
    index is read (``Config.citation_index``, where the service caches: the embedded store);
    then, as the peer in the same run, /network walked through SPARQL (index off), which is
    what remote engines and the first seconds after a start or a write get."""
    from resograph.service import Config, api, create_app

    app = create_app(store, Config())
    out: dict[str, Any] = {}
    index = None
    with app.app_context():
        if api.cache_enabled():
            t0, c0 = time.perf_counter(), time.process_time()
            rss0 = _rss_mib()
            index = api.citation_index(wait=3600.0)
            out["citation index"] = {
                "read_s": round(time.perf_counter() - t0, 1),
                "cpu_s": round(time.process_time() - c0, 1),
                "links": len(index) if index is not None else None,
                "rss_growth_mib": round(_rss_mib() - rss0)}
    paths = {"api resolution": "", "api network depth=2": "/network?depth=2",
             "api cited-by": "/cited-by"}
    out |= _endpoints(app, sample, paths)
    out |= _endpoints(app, sample, {"page resolution (HTML)": ""}, html=True)
    out |= home_latency(store)
    if index is not None:
        walk = create_app(store, Config(citation_index=False))
        out |= {f"{k} [SPARQL walk]": v for k, v in _endpoints(
            walk, sample, {"api network depth=2": "/network?depth=2"}).items()}
    return out


def home_latency(store: Any) -> dict[str, Any]:
    """The home page's first answer (whole-store counts and the newest resolutions) from a
    new app, without and after the start's warm-up (:func:`resograph.service.api.warm_up`),
    whose background work is timed too."""
    import threading

    from resograph.service import Config, api, create_app

    out: dict[str, Any] = {}
    cold = create_app(store, Config(citation_index=False))
    t0 = time.perf_counter()
    r = cold.test_client().get("/", headers={"Accept": "text/html"})
    out["home page, first answer (no warm-up)"] = {"ms": round(1000 * (time.perf_counter() - t0))}
    if r.status_code != 200:
        raise RuntimeError(f"/: HTTP {r.status_code}")
    warm = create_app(store, Config(citation_index=False))
    t0 = time.perf_counter()
    api.warm_up(warm)
    for t in threading.enumerate():
        if t.name == "resograph-warm-up":
            t.join()
    out["home page warm-up (background)"] = {"s": round(time.perf_counter() - t0, 1)}
    t0 = time.perf_counter()
    r = warm.test_client().get("/", headers={"Accept": "text/html"})
    out["home page, first answer after the warm-up"] = {
        "ms": round(1000 * (time.perf_counter() - t0), 1)}
    return out


def _rss_mib() -> float:
    """This process's resident memory now (``ru_maxrss`` is only the peak)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _endpoints(app: Any, sample: dict[str, Any], paths: dict[str, str], *,
               html: bool = False) -> dict[str, Any]:
    """p50/p95 of each path suffix for the random resolutions and the hubs: their API
    resources, or with ``html`` their pages (the work's IRI, as a browser asks for it)."""
    from resograph.graph import symbols, vocab

    client = app.test_client()
    out: dict[str, Any] = {}
    headers = {"Accept": "text/html"} if html else JSONLD

    def url_of(s: str, suffix: str) -> str:
        if html:
            return "/" + vocab.work_iri(symbols.normalise(s))[len(vocab.BASE):] + suffix
        return "/api/resolutions/" + quote(s, safe="/") + suffix

    for which in ("random", "hubs"):
        symbols_ = sample[which]
        for name, suffix in paths.items():
            for s in symbols_[:3]:  # warm-up (caches, first compilation of templates)
                client.get(url_of(s, suffix), headers=headers)
            lat = []
            sizes = []
            for s in symbols_:
                url = url_of(s, suffix)
                t0 = time.perf_counter()
                r = client.get(url, headers=headers)
                body = r.get_data()
                lat.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {r.status_code}: {body[:300]!r}")
                sizes.append(len(body))
            key = name if which == "random" else f"{name} (hubs)"
            out[key] = _summary(lat) | {"mean_bytes": round(statistics.fmean(sizes))}
    return out


def mix_latency(run: Any, sample: dict[str, Any]) -> dict[str, Any]:
    """``run(query) -> bytes`` for each query of the mix over the random sample."""
    out: dict[str, Any] = {}
    sessions = sample["sessions"] or [("GA", "70")]
    for name, template in MIX.items():
        lat = []
        syms = sample["random"] if "session" not in name else sessions * 5
        for i, s in enumerate(syms[:3]):
            run(_render(template, s if isinstance(s, str) else "x",
                        s if isinstance(s, tuple) else sessions[i % len(sessions)]))
        for i, s in enumerate(syms):
            q = _render(template, s if isinstance(s, str) else "x",
                        s if isinstance(s, tuple) else sessions[i % len(sessions)])
            t0 = time.perf_counter()
            run(q)
            lat.append(time.perf_counter() - t0)
        out[name] = _summary(lat)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm_hwm_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def oxigraph_server(store_dir: Path, work: Path, sample: dict[str, Any],
                    drop_source: bool = False, on_store: bool = False) -> dict[str, Any]:
    """Dump, bulk-load into Oxigraph's own server, then the mix and the API over HTTP.

    ``on_store``: serve the embedded store's own directory instead (Oxigraph server and
    pyoxigraph of the same version share the on-disk format), with no dump and no bulk load:
    at 100,000 resolutions the dump (~40 min here) and the load (~30 min) cost more than the
    latencies they serve to measure. No bulk-load figure is then reported."""
    import pyoxigraph as ox
    import requests

    from resograph.graph.remote_store import RemoteStore

    binary = shutil.which("oxigraph", path=str(VENV_BIN)) or shutil.which("oxigraph")
    if binary is None:
        return {"skipped": "oxigraph server binary not found (pip install oxigraph)"}
    if on_store:
        db = store_dir
        result: dict[str, Any] = {"served": "the embedded store's directory (no dump, no load)",
                                  "db_bytes": _du(db)}
    else:
        dump = work / "dump.nq"
        db = work / "oxigraph-server-db"
        shutil.rmtree(db, ignore_errors=True)
        t0 = time.perf_counter()
        src = ox.Store.read_only(str(store_dir))
        src.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        del src
        dump_s = time.perf_counter() - t0
        if drop_source:
            # at 100k the embedded store, the dump and the server's store do not fit on the
            # disk together; the embedded measurements are done by now
            shutil.rmtree(store_dir, ignore_errors=True)
        t0 = time.perf_counter()
        subprocess.run([binary, "load", "--location", str(db), "--file", str(dump)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load_s = time.perf_counter() - t0
        result = {"dump_s": round(dump_s, 1), "bulk_load_s": round(load_s, 1),
                  "db_bytes": _du(db), "dump_bytes": dump.stat().st_size}
        dump.unlink()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / "oxigraph-server.log").open("wb")
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(db), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        session = requests.Session()
        deadline = time.time() + 60
        while True:
            try:
                if session.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve-read-only did not start (see {log.name})")
            time.sleep(0.2)

        def run(q: str) -> bytes:
            r = session.get(f"{base}/query", params={"query": q},
                            headers={"Accept": "application/sparql-results+json"}, timeout=120)
            r.raise_for_status()
            return r.content

        result["mix"] = mix_latency(run, sample)
        remote = RemoteStore.from_options(base, engine="oxigraph", read_only=True, timeout=120)
        result["api"] = api_latency(remote, sample)
        result["rss_peak_mib"] = _vm_hwm_mib(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    return result


# --------------------------------------------------------------------------- one size


def run_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    from resograph.graph import synth
    from resograph.graph.store import OxigraphStore

    work = args.workdir / f"n{n}"
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    entry: dict[str, Any] = {"resolutions": n, "seed": args.seed, "load_start": _load(),
                             "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    store_dir = work / "store"
    if args.reuse_store and (work / "build.json").exists() and store_dir.exists():
        # measure again on a store an earlier run built (its corpus and build.json beside it)
        entry["build"] = json.loads((work / "build.json").read_text())
        b = entry["build"]
        b["reused"] = True
        b["seconds"] = round(b["seconds"], 1)
        b["triples_per_s"] = round(b["store_quads"] / b["seconds"])
        b["documents_per_s"] = round(b["documents"] / b["seconds"], 1)
        b["store_bytes"] = _du(store_dir)
        b["store_sst_bytes"] = sum(f.stat().st_size for f in store_dir.glob("*.sst"))
        b.setdefault("load_before", "not recorded")
        entry["corpus_bytes"] = corpus.stat().st_size
    else:
        t0 = time.perf_counter()
        synth.write_corpus(corpus, resolutions=n, seed=args.seed)
        entry["synth_s"] = round(time.perf_counter() - t0, 1)
        entry["corpus_bytes"] = corpus.stat().st_size
        print(f"[{n}] corpus: {entry['synth_s']} s, {entry['corpus_bytes'] / 2**20:.0f} MiB",
              flush=True)
        entry["build"] = build(corpus, store_dir, work, args.profile,
                               "tx" if args.transactional else "bulk")
    b = entry["build"]
    print(f"[{n}] build: {b['seconds']} s, {b['store_quads']} quads, {b['triples_per_s']}/s, "
          f"{b['store_bytes'] / 2**20:.0f} MiB on disk, peak {b['rss_peak_main_mib']} MiB "
          f"(+ workers {b['rss_peak_worker_mib']} MiB), stages {b['stages_s']}", flush=True)
    sample = samples(corpus, args.requests, args.seed)
    entry["max_in_degree"] = sample["max_in_degree"]
    entry["hubs"] = sample["hubs"]
    store = OxigraphStore(store_dir, read_only=True)
    entry["embedded"] = {"api": api_latency(store, sample),
                         "mix": mix_latency(lambda q: store.run_query(
                             q, "application/sparql-results+json")[0], sample)}
    store.close()
    print(f"[{n}] embedded: " + json.dumps(entry["embedded"]), flush=True)
    if not args.no_server:
        entry["oxigraph_server"] = oxigraph_server(
            store_dir, work, sample, drop_source=not args.keep and not args.reuse_store,
            on_store=args.server_on_store)
        print(f"[{n}] oxigraph server: " + json.dumps(entry["oxigraph_server"]), flush=True)
    entry["load_end"] = _load()
    if not args.keep and not args.reuse_store:
        shutil.rmtree(work, ignore_errors=True)
    return entry


# --------------------------------------------------------------------------- reporting


def rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat (size, backend, metric, value) rows for the CSV and the table."""
    out = []
    for key in sorted(results["sizes"], key=int):
        e = results["sizes"][key]
        n = e["resolutions"]
        b = e["build"]
        for metric, value in (("build s", b["seconds"]), ("triples", b["store_quads"]),
                              ("triples/s", b["triples_per_s"]),
                              ("documents/s", b["documents_per_s"]),
                              ("store MiB", round(b["store_bytes"] / 2**20, 1)),
                              ("store MiB without WAL", round(b.get("store_sst_bytes", 0)
                                                              / 2**20, 1)),
                              ("build RSS peak MiB (main)", b["rss_peak_main_mib"]),
                              ("build RSS peak MiB (worker)", b["rss_peak_worker_mib"])):
            out.append({"n": n, "backend": "embedded", "metric": metric, "value": value})
        backends = [("embedded", e["embedded"])]
        srv = e.get("oxigraph_server") or {}
        if "mix" in srv:
            backends.append(("oxigraph server", srv))
            if srv.get("bulk_load_s") is not None:  # None when it served the embedded store
                out.append({"n": n, "backend": "oxigraph server", "metric": "bulk load s",
                            "value": srv["bulk_load_s"]})
            out.append({"n": n, "backend": "oxigraph server", "metric": "store MiB",
                        "value": round(srv["db_bytes"] / 2**20, 1)})
        for backend, data in backends:
            for group in ("api", "mix"):
                for name, s in data[group].items():
                    if "p50_ms" not in s:  # the citation index: its reading, not a latency
                        out += [{"n": n, "backend": backend, "metric": f"{name} {k}",
                                 "value": v} for k, v in s.items()]
                        continue
                    for p in ("p50_ms", "p95_ms"):
                        out.append({"n": n, "backend": backend, "metric": f"{name} {p[:3]} ms",
                                    "value": s[p]})
    return out


def markdown(results: dict[str, Any]) -> str:
    flat = rows(results)
    sizes = sorted({r["n"] for r in flat})
    keys: list[tuple[str, str]] = []
    for r in flat:
        if (r["backend"], r["metric"]) not in keys:
            keys.append((r["backend"], r["metric"]))
    value = {(r["backend"], r["metric"], r["n"]): r["value"] for r in flat}
    head = "| backend | metric | " + " | ".join(f"N={n:,}" for n in sizes)
    if len(sizes) > 1:
        head += f" | ×{sizes[-1] // sizes[0]} N →"
    lines = [head + " |", "|" + "---|" * (head.count("|") - 1)]
    for backend, metric in keys:
        vals = [value.get((backend, metric, n)) for n in sizes]
        cells = ["" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:g}"
                 for v in vals]
        line = f"| {backend} | {metric} | " + " | ".join(cells)
        if len(sizes) > 1:
            a, z = vals[0], vals[-1]
            line += " | " + (f"×{z / a:.1f}" if a and z is not None else "")
        lines.append(line + " |")
    notes = []
    for key in sorted(results["sizes"], key=int):
        e = results["sizes"][key]
        notes.append(f"- N={e['resolutions']:,}: started {e['started']}, load average "
                     f"(1/5/15 min) {e['load_start']} at start, {e['build']['load_before']} "
                     f"before the build, {e['load_end']} at the end; max in-degree "
                     f"{e['max_in_degree']}; build stages (s) {e['build']['stages_s']}; "
                     f"{e['build']['failed']} failed, {e['build']['violations']} violations, "
                     f"{e['build']['warnings']} warnings"
                     + (f"; build: {e['build']['note']}" if e["build"].get("note") else ""))
    m = results["machine"]
    notes.append(f"- machine: {m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}, "
                 f"pyoxigraph {m['pyoxigraph']}, oxigraph server {m['oxigraph_server']}")
    return "\n".join(lines) + "\n\n" + "\n".join(notes) + "\n"


def plot(results: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    entries = [results["sizes"][k] for k in sorted(results["sizes"], key=int)]
    ns = [e["resolutions"] for e in entries]
    fig, axes = plt.subplots(2, 3, figsize=(15, 8.5))
    (a1, a2, a3), (a4, a5, a6) = axes

    def line(ax: Any, ys: list[Any], label: str, **kw: Any) -> None:
        pts = [(x, y) for x, y in zip(ns, ys, strict=True) if y is not None]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label, **kw)

    line(a1, [e["build"]["seconds"] for e in entries], "resograph ingest (validated)")
    line(a1, [e.get("oxigraph_server", {}).get("bulk_load_s") for e in entries],
         "oxigraph load (bulk, no validation)")
    a1.axhline(BUILD_TARGET_S, color="red", ls="--", lw=1, label="target 10 min")
    a1.set_title("build time (s)")
    line(a2, [e["build"]["triples_per_s"] for e in entries], "triples/s")
    a2.set_title("build throughput (triples/s)")
    line(a3, [e["build"]["store_bytes"] / 2**20 for e in entries], "embedded store")
    line(a3, [e.get("oxigraph_server", {}).get("db_bytes", 0) / 2**20 or None
              for e in entries], "oxigraph server db")
    line(a3, [e["build"]["rss_peak_main_mib"] for e in entries], "build RSS peak (main)",
         ls=":")
    a3.set_title("disk / memory (MiB)")
    for ax, backend, title in ((a4, "embedded", "API p95 (ms), embedded"),
                               (a5, "oxigraph_server", "API p95 (ms), Oxigraph server")):
        names = [k for k, v in entries[-1].get(backend, {}).get("api", {}).items()
                 if "p95_ms" in v]
        for name in names:
            line(ax, [e.get(backend, {}).get("api", {}).get(name, {}).get("p95_ms")
                      for e in entries], name)
        if backend == "embedded":
            for target, ms in TARGETS.items():
                ax.axhline(ms, ls="--", lw=1, color="red" if "network" in target else "orange",
                           label=f"target {target} {ms:g} ms")
        ax.set_title(title)
    for backend, style in (("embedded", "-"), ("oxigraph_server", "--")):
        for name in MIX:
            line(a6, [e.get(backend, {}).get("mix", {}).get(name, {}).get("p95_ms")
                      for e in entries], f"{name} ({backend.replace('_', ' ')})", ls=style)
    a6.set_title("SPARQL mix p95 (ms)")
    for ax in axes.flat:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(ns)
        ax.set_xticklabels([f"{n:,}" for n in ns])
        ax.set_xlabel("resolutions")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6)
    loads = ", ".join(f"{e['resolutions']:,}: load {e['build']['load_before']}" for e in entries)
    fig.suptitle(f"resograph at scale ({results['machine']['cpus']} CPUs; {loads})")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def write_results(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(results, indent=1) + "\n")
    with (RESULTS / "scale.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["n", "backend", "metric", "value"])
        w.writeheader()
        w.writerows(rows(results))
    (RESULTS / "scale.md").write_text(markdown(results))
    try:
        plot(results, RESULTS / "scale.png")
    except ImportError:
        print("matplotlib not installed: no plot (pip install -e .[test])", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--build-child"]:
        return build_child(Path(argv[1]), Path(argv[2]), Path(argv[3]), *argv[4:5])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--requests", type=int, default=200,
                    help="random resolutions per endpoint / query (default 200)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where corpora and stores go (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep corpora and stores")
    ap.add_argument("--no-server", action="store_true", help="skip the Oxigraph server part")
    ap.add_argument("--server-on-store", action="store_true",
                    help="Oxigraph server serves the embedded store's directory: no dump, no "
                         "bulk load (what 100,000 resolutions need to fit in an afternoon)")
    ap.add_argument("--reuse-store", action="store_true",
                    help="with --workdir: measure again on the store and build.json an earlier "
                         "run left in WORKDIR/nN (implies keeping them)")
    ap.add_argument("--report", action="store_true",
                    help="only rewrite scale.md, scale.csv and scale.png from scale.json")
    ap.add_argument("--profile", action="store_true",
                    help="cProfile the build child (workdir/nN/build.prof; use with --keep)")
    ap.add_argument("--fresh", action="store_true", help="forget earlier sizes' results")
    ap.add_argument("--transactional", action="store_true",
                    help="build with one transaction per batch instead of `ingest --bulk`")
    args = ap.parse_args(argv)
    if any(n < 100 for n in args.sizes):
        ap.error("--sizes: each size must be at least 100")
    if args.report:
        results = json.loads((RESULTS / "scale.json").read_text())
        write_results(results)
        print(markdown(results))
        return 0
    if args.reuse_store and args.workdir is None:
        ap.error("--reuse-store needs --workdir (where the earlier run left its stores)")
    tmp = None
    if args.workdir is None:
        tmp = tempfile.mkdtemp(prefix="resograph-scale-")
        args.workdir = Path(tmp)
    results: dict[str, Any] = {"sizes": {}}
    old = RESULTS / "scale.json"
    if old.exists() and not args.fresh:
        results = json.loads(old.read_text())
    results["machine"] = machine()
    print("machine: " + json.dumps(results["machine"]) + f"; load {_load()}", flush=True)
    try:
        for n in args.sizes:
            results["sizes"][str(n)] = run_size(n, args)
            write_results(results)
    finally:
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(markdown(results))
    print(f"wrote {RESULTS}/scale.json, scale.csv, scale.md, scale.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
