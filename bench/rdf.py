"""Benchmark graph/rdf.py: quads per second of :func:`to_quads`, the ingest hot path.

Builds resolutions shaped like real General Assembly ones (40 paragraphs with text, 25
citations, 3 requests, a recorded vote of 193 member states, subjects) and converts them
repeatedly. Run: ``.venv/bin/python bench/rdf.py [N]``. Target: > 50,000 triples/s.
"""

from __future__ import annotations

import os
import platform
import sys
import time

import pyoxigraph
import rdflib

from resograph.graph import rdf
from resograph.graph.model import (
    Adoption,
    Citation,
    MemberVote,
    Paragraph,
    ParsedResolution,
    Request,
    Subject,
)


def resolution(i: int) -> ParsedResolution:
    paragraphs = [Paragraph(n, "preambular", "Recalling", f"Preambular text {n} " * 20,
                            verb_meaning="recalling") for n in range(1, 16)]
    paragraphs += [Paragraph(n, "operative", "Requests", f"Operative text {n} " * 20,
                             verb_meaning="requesting") for n in range(1, 26)]
    citations = [Citation(f"A/RES/{70 + n % 9}/{100 + n}", "resolution", "Recalling",
                          f"pre{1 + n % 15}", "2020-12-21") for n in range(20)]
    citations += [Citation(k, "instrument", "Guided by", "pre1")
                  for k in ("charter", "udhr", "iccpr", "icescr")]
    citations.append(Citation("S/RES/687 (1991)", "resolution", pinpoint="paragraph 8"))
    codes = [f"{chr(65 + a)}{chr(65 + b)}{chr(65 + c)}" for a in range(6) for b in range(6)
             for c in range(6)][:193]
    votes = [MemberVote(code, f"State {code}", ("yes", "no", "abstain")[n % 3])
             for n, code in enumerate(codes)]
    return ParsedResolution(
        symbol=f"A/RES/79/{i}", organ="GA", language="en", session="79", number=str(i),
        adopted="2024-12-17", title=f"Resolution {i}", meeting="52", agenda_item="71",
        adoption=Adoption("vote", 129, 32, 32, votes=votes), paragraphs=paragraphs,
        citations=citations,
        requests=[Request("Secretary-General", "submit a report", "op3", due_session=80)] * 3,
        subjects=[Subject(f"http://metadata.un.org/thesaurus/{n}", f"SUBJECT {n}")
                  for n in range(5)],
        file=f"A_RES_79_{i}.xml", source_format="akn", source_sha256="0" * 64)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    docs = [resolution(i) for i in range(1, n + 1)]
    rdf.to_quads(docs[0], extractor_version="bench")  # warm caches
    best = None
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for doc in docs:
            total += len(rdf.to_quads(doc, extractor_version="bench",
                                      ingested_at="2026-01-01T00:00:00Z"))
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    print(f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, "
          f"rdflib {rdflib.__version__}")
    print(f"to_quads: {n} documents, {total} quads (~{total // n} per document), "
          f"best of 3: {best:.3f} s")
    print(f"  {total / best:,.0f} quads/s, {n / best:,.1f} documents/s (one core)")
    start = time.perf_counter()
    quads = rdf.shared_quads()
    print(f"shared_quads: {len(quads)} quads in {time.perf_counter() - start:.4f} s (cached)")


if __name__ == "__main__":
    main()
