"""Bounded load test on loopback: N concurrent keep-alive clients on a realistic mix.

Starts ``resograph serve`` (Flask's threaded server, default) or gunicorn (``--server
gunicorn``) on a built store, then runs ``--clients`` client threads for ``--seconds`` on a
mix of API lookups, searches, SPARQL queries (through the query worker pool) and HTML
pages. Reports requests/s, errors (4xx/5xx or a connection error) and latency
p50/p95/p99 per kind and overall, plus the machine. Exits 1 when there was any error.

    .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60] [--server serve]
        [--store DIR | --url http://127.0.0.1:PORT] [--resolutions 2000]

No third-party load tool: threads and http.client, so the numbers include Python client cost
(the client shares the machine's cores with the server).
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_service as bs

ROOT = bs.ROOT
VENV_BIN = bs.VENV_BIN
WORDS = ["rights", "peace", "development", "security", "human", "report", "resolution",
         "zzzznothing"]


def requests_mix(symbols: list[str]) -> list[tuple[str, str, str, bytes | None, str]]:
    """(kind, method, path, body, accept) — weighted by repetition."""
    out: list[tuple[str, str, str, bytes | None, str]] = []
    for sym in symbols:
        enc = quote(sym)
        out += [("api-lookup", "GET", f"/api/resolutions/{enc}", None, "application/ld+json")] * 3
        out.append(("api-cited-by", "GET", f"/api/resolutions/{enc}/cited-by", None,
                    "application/ld+json"))
        out.append(("page", "GET", f"/doc/{quote(sym, safe='/')}", None, "text/html"))
        for _name, q, accept in bs.MIX[:4]:
            body = urlencode({"query": bs.render(q, sym)}).encode()
            out.append(("sparql", "POST", "/sparql", body, accept))
    for w in WORDS:
        out += [("search", "GET", f"/api/resolutions?q={w}", None, "application/ld+json")] * 4
    out += [("page", "GET", "/", None, "text/html")] * 5
    out += [("api-stats", "GET", "/api/organs", None, "application/ld+json")] * 3
    return out


class Stats:
    def __init__(self) -> None:
        self.lat: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.samples: list[str] = []
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.lat.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(detail)


def client(host: str, port: int, mix: list, until: float, seed: int, stats: Stats) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=60)
    while time.monotonic() < until:
        kind, method, path, body, accept = rnd.choice(mix)
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            ok = 200 <= resp.status < 400  # 3xx: canonical-IRI redirects, 304
            stats.add(kind, time.perf_counter() - t0, ok,
                      f"{resp.status} {method} {path[:80]}: {data[:120]!r}")
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
        except (OSError, http.client.HTTPException) as exc:
            stats.add(kind, time.perf_counter() - t0, False, f"{method} {path[:80]}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.close()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else float("nan")


def runner_overhead(store: Path, symbols: list[str], rounds: int = 5) -> None:
    """Per-query cost of the worker pool vs running in the server process, same queries.

    Interleaved rounds on the same store, one query at a time, so machine noise hits both
    alike; the difference is the pool's own cost (pickling, pipe, copying the result).
    """
    from resograph.graph.store import OxigraphStore
    from resograph.service.config import Config
    from resograph.service.runner import ProcessRunner, QueryRunner

    st = OxigraphStore(store, read_only=True)
    cfg = Config(max_rows=10**6)
    inproc, pool = QueryRunner(st, cfg), ProcessRunner(st, cfg, workers=1)
    pool.run("ASK {}", "application/sparql-results+json")  # start the worker
    qs = [(bs.render(q, sym), accept) for sym in symbols[:20] for _n, q, accept in bs.MIX]
    times: dict[str, list[float]] = {"in-process": [], "worker pool": []}
    for _ in range(rounds):
        for name, r in (("in-process", inproc), ("worker pool", pool)):
            t0 = time.perf_counter()
            for q, accept in qs:
                r.run(q, accept)
            times[name].append((time.perf_counter() - t0) / len(qs))
    pool.close()
    best = {k: min(v) * 1000 for k, v in times.items()}
    print(f"runner overhead ({len(qs)} queries x {rounds} rounds, best round, ms/query): "
          f"in-process {best['in-process']:.2f}, worker pool {best['worker pool']:.2f} "
          f"(+{best['worker pool'] - best['in-process']:.2f} ms, "
          f"x{best['worker pool'] / best['in-process']:.2f})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--server", choices=("serve", "gunicorn"), default="serve")
    ap.add_argument("--gunicorn-workers", type=int, default=2)
    ap.add_argument("--store", type=Path, help="a built store (default: build one)")
    ap.add_argument("--url", help="an already running server instead of starting one")
    ap.add_argument("--resolutions", type=int, default=2000,
                    help="synthetic resolutions when no default dataset is built")
    ap.add_argument("--overhead-only", action="store_true",
                    help="only measure the worker pool's per-query cost, no load test")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
          f"{platform.python_version()}, pyoxigraph {version('pyoxigraph')}, flask "
          f"{version('flask')}, gunicorn {version('gunicorn')}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    proc = None
    try:
        store = args.store
        if store is None:
            store = tmp / "store"
            n, what = bs.build_store(store, args.resolutions)
            print(f"data: {what}, {n} quads")
        symbols = bs.sample_symbols(store, 100)
        runner_overhead(store, symbols)
        if args.overhead_only:
            return 0
        if args.url:
            parts = urlsplit(args.url)
            host, port = parts.hostname or "127.0.0.1", parts.port or 80
        else:
            host, port = "127.0.0.1", bs.free_port()
            env = {**os.environ, "RESOGRAPH_STORE": str(store)}
            env.pop("RESOGRAPH_WRITE_TOKEN", None)
            if args.server == "gunicorn":
                cmd = [str(VENV_BIN / "gunicorn"), "-w", str(args.gunicorn_workers), "-k",
                       "gthread", "--threads", "16", "-b", f"{host}:{port}", "--log-level",
                       "warning", "resograph.cli:wsgi()"]
            else:
                cmd = [sys.executable, "-m", "resograph", "serve", "--store", str(store),
                       "--port", str(port)]
            proc = subprocess.Popen(cmd, env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            bs.wait_up(port, "/healthz")
            print(f"server: {' '.join(cmd[:8])} ...")
        mix = requests_mix(symbols)
        # warm-up: start the query workers, fill caches
        warm = Stats()
        client(host, port, mix, time.monotonic() + 3, 0, warm)
        stats = Stats()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(host, port, mix, until, i + 1, stats))
                   for i in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        total = sum(len(v) for v in stats.lat.values())
        errors = sum(stats.errors.values())
        print(f"load: {args.clients} clients, {wall:.0f} s, {total} requests, "
              f"{total / wall:.1f} req/s, {errors} errors")
        print(f"{'kind':14} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for kind in sorted(stats.lat):
            xs = stats.lat[kind]
            print(f"{kind:14} {len(xs):7d} {pct(xs, 50):8.1f} {pct(xs, 95):8.1f} "
                  f"{pct(xs, 99):8.1f} {stats.errors.get(kind, 0):7d}")
        allx = [x for v in stats.lat.values() for x in v]
        print(f"{'all':14} {len(allx):7d} {pct(allx, 50):8.1f} {pct(allx, 95):8.1f} "
              f"{pct(allx, 99):8.1f} {errors:7d}  (mean {statistics.fmean(allx) * 1000:.1f} ms)")
        for s in stats.samples:
            print("  error:", s)
        return 1 if errors else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
