"""What the way of feeding the bulk loader costs: one ``ingest --bulk`` build per mode.

``ingest --bulk`` streams the N-Quads into one bulk load of the embedded store per
:data:`resograph.graph.ingest.BULK_SEGMENT` bytes (``stream``, the default; ``stream:MB`` for
another segment size); a store without streaming gets
:data:`resograph.graph.ingest.BULK_BUFFER` bytes at a time, held in memory (a number: that
buffer in MB, streaming off). Each bulk load adds files that RocksDB then merges with the
earlier ones. This builds the same corpus into a new store once per ``--buffers`` mode and
prints, per build: wall and CPU seconds (main process, workers), the bytes the main process
read and wrote (``/proc/self/io``: the loader runs in it; unlike time, independent of the
machine's load), the store's size on disk and the main process's peak RSS. A size larger
than the run's N-Quads means one load at the end, held in memory.

    .venv/bin/python bench/bench_bulk_buffer.py CORPUS.jsonl --buffers 1024 stream \
        [--workdir /tmp/bulkbuf]

(CORPUS: e.g. ``resograph synth --resolutions 10000 --seed 1 corpus.jsonl``.) Each build
runs in a fresh process, so that peak RSS and I/O counters are the build's own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path


def one_build(corpus: str, mode: str, store_dir: Path) -> dict[str, object]:
    from resograph.graph import ingest
    from resograph.graph.store import OxigraphStore

    if mode.startswith("stream:"):
        ingest.BULK_SEGMENT = int(mode.split(":")[1]) * 2**20
    elif mode != "stream":
        ingest.BULK_BUFFER = int(mode) * 2**20
        OxigraphStore.bulk_stream = lambda self: None  # type: ignore[method-assign]
    if store_dir.exists():
        shutil.rmtree(store_dir)

    def io() -> tuple[int, int]:
        fields = dict(line.split(": ") for line in
                      Path("/proc/self/io").read_text().splitlines() if line)
        return int(fields["read_bytes"]), int(fields["write_bytes"])

    t0 = time.perf_counter()
    r0, w0 = io()
    store = OxigraphStore(store_dir)
    summary = ingest.ingest_paths([corpus], store, progress=False, bulk=True)
    store.close()
    wall = time.perf_counter() - t0
    r1, w1 = io()
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(f.stat().st_size for f in store_dir.rglob("*") if f.is_file())
    return {"mode": mode, "documents": summary.documents, "wall_s": round(wall, 1),
            "cpu_main_s": round(me.ru_utime + me.ru_stime, 1),
            "cpu_workers_s": round(kids.ru_utime + kids.ru_stime, 1),
            "read_gb": round((r1 - r0) / 1e9, 2), "written_gb": round((w1 - w0) / 1e9, 2),
            "store_gb": round(size / 1e9, 2), "rss_peak_mib": round(me.ru_maxrss / 1024),
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="a .jsonl corpus (resograph synth) or any ingestable path")
    ap.add_argument("--buffers", nargs="+", default=["1024", "stream"],
                    help="modes: a buffer size in MB (streaming off), stream, stream:MB")
    ap.add_argument("--workdir", default="/tmp/bulkbuf")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # the child process's build
    args = ap.parse_args()
    work = Path(args.workdir)
    if args.one is not None:
        name = args.one.replace(":", "_")
        print(json.dumps(one_build(args.corpus, args.one, work / f"store_{name}")))
        return
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cpus, python {sys.version.split()[0]}")
    for mode in args.buffers:
        if not (mode == "stream" or mode.removeprefix("stream:").isdigit()):
            ap.error(f"--buffers: {mode!r} is neither a size in MB, stream nor stream:MB")
        out = subprocess.run([sys.executable, __file__, args.corpus, "--workdir", str(work),
                              "--one", mode], check=True, capture_output=True, text=True)
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
