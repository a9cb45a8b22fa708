"""SHACL validation throughput: the batch validator vs pyshacl per document.

Builds N synthetic resolutions (``resograph.graph.synth`` -> ``resograph.graph.rdf.to_quads``,
the real build path), validates them all with :meth:`resograph.graph.validate.Validator.
validate_quads` in batches (Core constraints natively over a batch index, SHACL-SPARQL over
a pruned in-memory Oxigraph store), then a sample one by one with pyshacl (the reference,
ontology mixed in, no inference), checking the two engines agree on that sample. Prints
documents/s and quads/s (wall and CPU time: the machine may be shared), the slowest checks,
and the machine. Target (issue 7): >= 300 documents/s on the build path.

    .venv/bin/python bench/bench_validate.py [--docs 1000] [--batch 1000] [--pyshacl-docs 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from importlib.metadata import version

import rdflib

from resograph.graph import rdf, synth
from resograph.graph import validate as v


def _machine() -> str:
    libs = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "pyshacl", "rdflib"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs (load {load}), Python {platform.python_version()} "
            f"({platform.machine()}), {libs}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="synthetic documents (default 1000)")
    ap.add_argument("--batch", type=int, default=1000, help="validator batch size")
    ap.add_argument("--pyshacl-docs", type=int, default=5,
                    help="documents validated by pyshacl one by one (a sample; default 5)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    print(f"machine: {_machine()}")
    t0 = time.perf_counter()
    docs = list(itertools.islice(synth.generate(args.docs, args.seed), args.docs))
    per_doc = [rdf.to_quads(d, extractor_version="bench", ingested_at="2026-01-01T00:00:00Z")
               for d in docs]
    shared = rdf.shared_quads()
    n_quads = sum(len(q) for q in per_doc)
    print(f"built {len(docs)} documents, {n_quads} quads ({n_quads / len(docs):.0f}/doc) "
          f"in {time.perf_counter() - t0:.1f}s")

    t0 = time.perf_counter()
    validator = v.Validator()
    native = sum(1 for c in validator.batch_checks if c.native is not None)
    print(f"compiled {len(validator.batch_checks)} checks ({native} native, "
          f"{len(validator.batch_checks) - native} SPARQL) in {time.perf_counter() - t0:.2f}s")

    # -- batch validator ------------------------------------------------------------------
    timings: dict[int, float] = {}
    original_run = validator._run

    def timed_run(checks, rows_of):  # per-check timing, without changing what runs
        def timed(check):
            t = time.perf_counter()
            rows = rows_of(check)
            timings[id(check)] = timings.get(id(check), 0.0) + time.perf_counter() - t
            return rows
        return original_run(checks, timed)

    validator._run = timed_run  # type: ignore[method-assign]
    t0, c0 = time.perf_counter(), time.process_time()
    results = violations = 0
    for i in range(0, len(per_doc), args.batch):
        batch = [q for qs in per_doc[i:i + args.batch] for q in qs]
        report = validator.validate_quads(batch, shared)
        results += len(report.results)
        violations += len(report.violations)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"batch validator: {len(docs)} documents in {wall:.2f}s wall / {cpu:.2f}s CPU = "
          f"{len(docs) / wall:,.0f} documents/s wall, {len(docs) / cpu:,.0f} documents/s CPU "
          f"({n_quads / cpu:,.0f} quads/s CPU), batch {args.batch}; "
          f"{results} results, {violations} violations")
    native_s = sum(timings.get(id(c), 0.0) for c in validator.batch_checks if c.native)
    sparql_s = sum(timings.values()) - native_s
    print(f"  of which native checks {native_s:.2f}s, SPARQL checks {sparql_s:.2f}s (incl. "
          f"loading their store), the rest indexing ({wall - native_s - sparql_s:.2f}s)")
    print("slowest checks (total seconds over all batches):")
    ranked = sorted(validator.batch_checks, key=lambda c: -timings.get(id(c), 0.0))
    for c in ranked[:8]:
        kind = "native" if c.native else "SPARQL"
        print(f"  {timings.get(id(c), 0.0):8.3f}s  {kind}  {c.shape.rsplit('#', 1)[-1]}  "
              f"{c.component.rsplit('#', 1)[-1]}")
    validator._run = original_run  # type: ignore[method-assign]

    # -- pyshacl, one document at a time, and agreement -------------------------------------
    sample = per_doc[:args.pyshacl_docs]
    t0 = time.perf_counter()
    refs = []
    for qs in sample:
        g = rdflib.Graph()
        for q in list(qs) + list(shared):
            g.add((v._from_ox(q.subject), v._from_ox(q.predicate), v._from_ox(q.object)))
        refs.append(v.pyshacl_validate(g))
    ref_s = time.perf_counter() - t0
    agree = 0
    for qs, ref in zip(sample, refs, strict=True):
        fast = validator.validate_quads(qs, shared)
        same = ref.keys() == fast.keys()
        agree += same
        if not same:
            print(f"  disagree: only pyshacl {sorted(ref.keys() - fast.keys())[:3]}, "
                  f"only batch {sorted(fast.keys() - ref.keys())[:3]}")
    ref_rate = len(sample) / ref_s
    print(f"pyshacl: {len(sample)} documents in {ref_s:.2f}s = {ref_rate:,.2f} documents/s "
          f"(one call per document); engines agree on {agree}/{len(sample)} "
          f"({sum(len(r.results) for r in refs)} pyshacl results)")
    print(f"ratio batch/pyshacl (wall): {len(docs) / wall / ref_rate:,.0f}x; target >= 300 "
          f"documents/s: {'met' if len(docs) / wall >= 300 else 'NOT met'} (wall), "
          f"{'met' if len(docs) / cpu >= 300 else 'NOT met'} (CPU)")
    return 0 if agree == len(sample) else 1


if __name__ == "__main__":
    sys.exit(main())
