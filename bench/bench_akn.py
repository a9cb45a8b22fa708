"""Benchmark: AKN4UN files parsed per second (``unga-akn/`` and ``unsc-akn/`` of the corpus).

Run ``.venv/bin/python bench/bench_akn.py [CORPUS]``. Measures :func:`parse_akn` alone (read,
secure XML parse, mapping to ParsedResolution, state codes, verb meanings when the lexicons
exist) on one core, and prints what was read: files, paragraphs, links, votes, unmapped names.
The full ingest benchmark (RDF, validation, store load) belongs to the ingest component.
"""

from __future__ import annotations

import logging
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import lxml
import pycountry  # noqa: F401 - version printed below

from resograph.graph.akn import parse_akn

ROOT = Path(__file__).resolve().parent.parent


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    files = sorted([*corpus.glob("unga-akn/*/*/*.xml"), *corpus.glob("unsc-akn/*/*/*.xml")])
    if not files:
        print(f"no AKN files under {corpus}")
        return 1
    handler = _Count()
    logging.getLogger("resograph.graph.akn").addHandler(handler)
    stats: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    size = sum(f.stat().st_size for f in files)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for f in files:
        r = parse_akn(f)
        languages[r.language] += 1
        stats["paragraphs"] += len(r.paragraphs)
        for p in r.paragraphs:
            stats[f"paragraphs {p.kind}"] += 1
            stats["footnotes"] += len(p.footnotes)
        stats["citations (akn-link)"] += len(r.citations)
        stats["citations in notes"] += sum(c.in_note for c in r.citations)
        stats["citations with as-cited date"] += sum(bool(c.as_cited_date) for c in r.citations)
        for c in r.citations:
            stats[f"citations -> {c.type}"] += 1
        stats[f"adoption {r.adoption.method}"] += 1
        stats["member votes"] += len(r.adoption.votes)
        stats["subjects"] += len(r.subjects)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    print(f"machine: {os.cpu_count()} cpus, {platform.platform()}, "
          f"python {platform.python_version()}, lxml {lxml.__version__}")
    print(f"files: {len(files)} ({size / 1e6:.1f} MB) languages: {dict(sorted(languages.items()))}")
    print(f"wall {wall:.2f} s, cpu {cpu:.2f} s -> {len(files) / wall:.0f} files/s, "
          f"{size / 1e6 / wall:.1f} MB/s; per CPU second {len(files) / cpu:.0f} files/s "
          f"(wall counts other processes' load: {os.getloadavg()[0]:.1f} now)")
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}")
    print(f"unmapped member-state names: {len(handler.messages)}")
    for m in handler.messages[:20]:
        print("   ", m)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
