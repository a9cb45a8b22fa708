"""Build the whole corpus into an empty store, against pyoxigraph's own bulk load.

    .venv/bin/python bench/bench_build.py [--corpus DIR] [--parts hrc-fr unsc-en ...]
                                          [--workers 2] [--batch 64]

Stage 1 runs the real build path (`resograph ingest`: parse in worker processes, RDF, SHACL
validation of each batch with its store context, one transaction per batch, cited-only
markers) into an empty on-disk store. Stage 2 dumps that store's quads to N-Quads and loads them
with ``pyoxigraph.Store.bulk_load`` into another empty on-disk store: the physical limit of
writing the same data here. Prints documents/s, triples/s, the ratio, and the machine.

``--floor`` adds two costs every build of this corpus pays as resograph makes it, in CPU
seconds: parsing the AKN4UN files (2,212 of the 2,221 give a document graph; the other files
only add work) and Oxigraph's own bulk load of the quads (its threads' CPU, measured in
stage 2). Their sum divided by the
number of cores is the least wall time of a build that parses these files and bulk-loads
these quads, with nothing else (no RDF mapping, no SHACL), on this machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PARTS = ("hrc-fr", "unsc-en", "unga-en", "unga-pdf", "unga-akn", "unsc-akn")


def machine() -> str:
    import pyshacl
    import rdflib

    return (f"machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}, pyoxigraph {ox.__version__}, rdflib "
            f"{rdflib.__version__}, pyshacl {pyshacl.__version__}")


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> int:
    from resograph.graph import dataset, ingest
    from resograph.graph.store import OxigraphStore

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=dataset.default_corpus_dir())
    ap.add_argument("--parts", nargs="+", default=list(PARTS))
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--batch", type=int, default=ingest.BATCH_SIZE)
    ap.add_argument("--bulk", action="store_true",
                    help="ingest --bulk: new graphs through the bulk loader (not atomic)")
    ap.add_argument("--limit", type=int, help="only the first N files (a quick sample)")
    ap.add_argument("--floor", action="store_true",
                    help="also measure the CPU floor: AKN parsing + the bulk load's CPU")
    ap.add_argument("--shapes", type=Path, nargs="+",
                    help="validate with these shapes files instead of the shipped ones "
                         "(to measure a shapes change)")
    args = ap.parse_args()
    validator = None
    if args.corpus is None or not args.corpus.is_dir():
        print("corpus not found: give --corpus DIR", file=sys.stderr)
        return 2
    if args.shapes:
        from resograph.graph.validate import Validator

        validator = Validator(args.shapes)
        print(f"shapes: {', '.join(map(str, args.shapes))}")
    paths = [args.corpus / p for p in args.parts if (args.corpus / p).exists()]
    if args.limit:
        paths = list(ingest.iter_files(paths))[:args.limit]
    files = sum(1 for _ in ingest.iter_files(paths))
    print(machine())
    print(f"corpus: {args.corpus} parts {', '.join(p.name for p in paths)}: {files} files")

    with tempfile.TemporaryDirectory(prefix="resograph-bench-") as tmp:
        store = OxigraphStore(Path(tmp) / "built")
        cpu0 = _cpu()
        load0 = os.getloadavg()[0]
        summary = ingest.ingest_paths(paths, store, workers=args.workers, progress=False,
                                      batch_size=args.batch, bulk=args.bulk,
                                      validator=validator)
        build_s = summary.seconds
        cpu = [b - a for a, b in zip(cpu0, _cpu(), strict=True)]
        n_quads = len(store)
        print(f"\n== resograph build (extract + RDF + SHACL + load), {args.workers} workers, "
              f"batches of {args.batch}")
        print(summary.text(limit=5), end="")
        print("main-process stages (s): " + ", ".join(
            f"{k} {v:.1f}" for k, v in sorted(summary.timings.items())))
        print(f"store: {n_quads} quads; {summary.documents / build_s:.1f} documents/s, "
              f"{n_quads / build_s:,.0f} quads/s")
        print(f"CPU seconds: main process {cpu[0]:.1f} (with the store's threads), workers "
              f"{cpu[1]:.1f}; load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} "
              "at end (CPU time moves less than wall time when other jobs share the cores)")

        nq = Path(tmp) / "all.nq"
        with nq.open("wb") as fh:
            store.oxigraph.dump(fh, ox.RdfFormat.N_QUADS)
        store.close()
        t0 = time.perf_counter()
        c0 = _cpu()[0]
        raw = ox.Store(str(Path(tmp) / "bulk"))
        raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        raw.flush()
        bulk_s = time.perf_counter() - t0
        bulk_cpu = _cpu()[0] - c0
        assert len(raw) == n_quads, (len(raw), n_quads)
        del raw  # closes RocksDB before the folder is removed
        print(f"\n== pyoxigraph bulk_load of the same {n_quads} quads (N-Quads file)")
        print(f"{bulk_s:.1f} s, {n_quads / bulk_s:,.0f} quads/s, {bulk_cpu:.1f} CPU s")
        print(f"\nratio: the full build takes {build_s / bulk_s:.1f}x the bulk load "
              f"({build_s:.1f} s vs {bulk_s:.1f} s); target: full corpus < 30 s")
    if args.floor:
        akn = [f for f in ingest.iter_files(paths) if f.suffix.lower() == ".xml"]
        c0 = _cpu()[0]
        for f in akn:
            ingest._read_file(f, None)
        read_cpu = _cpu()[0] - c0
        cores = os.cpu_count() or 1
        print(f"\n== CPU floor: parsing the {len(akn)} AKN4UN files {read_cpu:.1f} s + the bulk "
              f"load {bulk_cpu:.1f} s = {read_cpu + bulk_cpu:.1f} CPU s: a build that parses "
              f"these files and bulk-loads these quads takes at least "
              f"{(read_cpu + bulk_cpu) / cores:.1f} s on {cores} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
