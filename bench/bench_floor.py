"""The floor of a build: Oxigraph's own bulk load of a built store's quads, nothing else.

    .venv/bin/python bench/bench_floor.py --store DIR [--nquads FILE] [--fraction 0.5]
                                          [--workdir TMP]

Dumps the store as N-Quads (or takes ``--nquads``, an earlier dump), then streams the first
``--fraction`` of its lines into ``pyoxigraph.Store.bulk_load`` on an empty on-disk store, and
prints wall and CPU seconds, quads and quads per CPU second. No parsing of sources, no RDF
mapping, no SHACL: whatever builds these quads on this machine takes at least this long.

Why a fraction: at 100,000 resolutions the dump is 20 GB and the loaded store ~28 GB, more
than the disk beside the 17 GB source store holds; the loader's cost per quad grows with the
store, so the whole costs at least ``1 / fraction`` times the part (bench/SCALE.md, eighth
pass).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox


class _Head:
    """The first ``size`` bytes of a file as a stream, read in the loader's own chunks (a
    Python line iterator would add its own CPU to the loader's)."""

    def __init__(self, path: Path, size: int) -> None:
        self._fh = path.open("rb")
        self._left = size

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self._left:
            size = self._left
        data = self._fh.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._fh.close()


def _end_of_line(path: Path, n: int) -> int:
    """The byte offset just after the ``n``-th line of ``path`` (its size if shorter)."""
    seen = pos = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 24):
            count = chunk.count(b"\n")
            if seen + count >= n:
                at = -1
                for _ in range(n - seen):
                    at = chunk.index(b"\n", at + 1)
                return pos + at + 1
            seen += count
            pos += len(chunk)
    return pos


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a built store (read only)")
    ap.add_argument("--nquads", type=Path, help="its N-Quads dump, if made already")
    ap.add_argument("--fraction", type=float, default=1.0,
                    help="share of the quads to load (0 < f <= 1), from the dump's start")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where the dump and the empty store go (default: a temp folder)")
    args = ap.parse_args()
    if not 0 < args.fraction <= 1:
        ap.error(f"--fraction: {args.fraction} is not in (0, 1]")
    if not args.store.is_dir():
        ap.error(f"--store: {args.store} is not a store folder")
    if args.nquads is not None and not args.nquads.is_file():
        ap.error(f"--nquads: {args.nquads} is not a file")
    work = Path(tempfile.mkdtemp(prefix="resograph-floor-", dir=args.workdir))
    out: dict[str, object] = {"store": str(args.store), "fraction": args.fraction,
                              "load_before": os.getloadavg()}
    target: ox.Store | None = None
    try:
        nquads = args.nquads
        source = ox.Store.read_only(str(args.store))
        total = len(source)
        if nquads is None:
            nquads = work / "dump.nq"
            t0 = time.perf_counter()
            source.dump(output=str(nquads), format=ox.RdfFormat.N_QUADS)
            out["dump_s"] = round(time.perf_counter() - t0, 1)
        del source
        limit = round(total * args.fraction)
        target = ox.Store(str(work / "store"))
        stream = _Head(nquads, _end_of_line(nquads, limit))
        t0, c0 = time.perf_counter(), _cpu()
        try:
            target.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        finally:
            stream.close()
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        target.flush()
        size = sum(f.stat().st_size for f in (work / "store").iterdir() if f.is_file())
        out |= {"quads_in_store": total, "quads_loaded": limit, "load_s": round(wall, 1),
                "load_cpu_s": round(cpu, 1), "quads_per_cpu_s": round(limit / cpu),
                "loaded_store_bytes": size, "load_after": os.getloadavg(),
                "cpus": os.cpu_count()}
        print(json.dumps(out))
    finally:
        del target  # closes the store before its files go
        shutil.rmtree(work, ignore_errors=True)  # the loaded store, and a dump made here
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
