"""SHACL validation throughput: pyshacl per document vs the compiled validator per batch.

Builds N synthetic resolutions (``resograph.graph.synth`` -> ``resograph.graph.rdf.to_quads``,
the real build path), validates a sample of them one by one with pyshacl (the reference,
ontology mixed in, no inference) and all of them with :class:`resograph.graph.validate.
Validator` in batches, then prints documents/second for each, the ratio, the slowest compiled
constraints, and the machine. Target (issue 7): compiled validator >= 1,000 documents/s.

    .venv/bin/python bench/bench_validate.py [--docs 2000] [--batch 1000] [--pyshacl-docs 20]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from importlib.metadata import version

import pyoxigraph as ox
import rdflib

from resograph.graph import rdf, synth
from resograph.graph import validate as v


def _machine() -> str:
    libs = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "pyshacl", "rdflib"))
    return (f"{os.cpu_count()} CPUs, Python {platform.python_version()} "
            f"({platform.machine()}), {libs}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000, help="synthetic documents (default 2000)")
    ap.add_argument("--batch", type=int, default=1000, help="compiled validator batch size")
    ap.add_argument("--pyshacl-docs", type=int, default=20,
                    help="documents validated by pyshacl one by one (a sample; default 20)")
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
    print(f"compiled {len(validator.checks)} SPARQL checks in {time.perf_counter() - t0:.2f}s")

    # -- compiled validator, batches --------------------------------------------------------
    timings: dict[str, float] = {}
    original_run = validator._run

    def timed_run(select):  # per-check timing, without changing what runs
        def timed_select(query: str):
            t = time.perf_counter()
            rows = select(query)
            timings[query] = timings.get(query, 0.0) + time.perf_counter() - t
            return rows
        return original_run(timed_select)

    validator._run = timed_run  # type: ignore[method-assign]
    t0 = time.perf_counter()
    results = violations = 0
    for i in range(0, len(per_doc), args.batch):
        batch = [q for qs in per_doc[i:i + args.batch] for q in qs]
        report = validator.validate_quads(batch, shared)
        results += len(report.results)
        violations += len(report.violations)
    fast_s = time.perf_counter() - t0
    fast_rate = len(docs) / fast_s
    print(f"compiled validator: {len(docs)} documents in {fast_s:.2f}s = {fast_rate:,.0f} "
          f"documents/s ({n_quads / fast_s:,.0f} quads/s), batch {args.batch}; "
          f"{results} results, {violations} violations")
    by_check = sorted(((timings.get(c.query, 0.0), c) for c in validator.checks),
                      key=lambda tc: -tc[0])
    print("slowest compiled checks (total seconds over all batches):")
    for t, c in by_check[:8]:
        print(f"  {t:8.3f}s  {c.shape.rsplit('#', 1)[-1]}  {c.component.rsplit('#', 1)[-1]}")

    # -- pyshacl, one document at a time ----------------------------------------------------
    sample = per_doc[:args.pyshacl_docs]
    shared_triples = [(v._from_ox(q.subject), v._from_ox(q.predicate), v._from_ox(q.object))
                      for q in shared]
    t0 = time.perf_counter()
    agree = 0
    for qs in sample:
        g = rdflib.Graph()
        for q in qs:
            g.add((v._from_ox(q.subject), v._from_ox(q.predicate), v._from_ox(q.object)))
        for t in shared_triples:
            g.add(t)
        ref = v.pyshacl_validate(g)
        agree += ref.keys() == _fast_keys(validator, qs, shared)
    ref_s = time.perf_counter() - t0  # includes the (small) compiled re-check for agreement
    ref_rate = len(sample) / ref_s
    print(f"pyshacl: {len(sample)} documents in {ref_s:.2f}s = {ref_rate:,.2f} documents/s "
          f"(one pyshacl call per document); engines agree on {agree}/{len(sample)}")
    print(f"ratio compiled/pyshacl: {fast_rate / ref_rate:,.0f}x; "
          f"target >= 1,000 documents/s: {'met' if fast_rate >= 1000 else 'NOT met'}")
    return 0


def _fast_keys(validator: v.Validator, quads: list[ox.Quad], shared: list[ox.Quad]) -> set:
    return validator.validate_quads(quads, shared).keys()


if __name__ == "__main__":
    sys.exit(main())
