"""Benchmark: AKN4UN files parsed per second (``unga-akn/`` and ``unsc-akn/`` of the corpus).

Run ``.venv/bin/python bench/bench_akn.py [CORPUS]``. Measures :func:`parse_akn` alone (read,
secure XML parse, mapping to ParsedResolution, state codes, verb meanings when the lexicons
exist) on one core, twice: with the text extractor merged in (the default) and with the
editors' links only, and prints what was read: files, paragraphs, citations by method, votes,
unmapped names. CPU seconds are the figure to compare (wall time counts other processes).
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


def _run(files: list[Path], with_text: bool) -> tuple[Counter[str], Counter[str], float, float]:
    stats: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    for f in files:
        r = parse_akn(f, with_text_extraction=with_text)
        languages[r.language] += 1
        stats["paragraphs"] += len(r.paragraphs)
        for p in r.paragraphs:
            stats[f"paragraphs {p.kind}"] += 1
            stats["footnotes"] += len(p.footnotes)
        for c in r.citations:
            stats[f"citations ({c.method})"] += 1
            stats[f"citations ({c.method}) -> {c.type}"] += 1
            stats["citations in notes"] += c.in_note
            stats["citations with as-cited date"] += bool(c.as_cited_date)
            stats[f"citations ({c.method}) with as-cited date"] += bool(c.as_cited_date)
            stats["citations of the own symbol (must be 0)"] += c.target == r.symbol
        stats[f"adoption {r.adoption.method}"] += 1
        stats["member votes"] += len(r.adoption.votes)
        stats["subjects"] += len(r.subjects)
    return stats, languages, time.perf_counter() - t0, time.process_time() - cpu0


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    files = sorted([*corpus.glob("unga-akn/*/*/*.xml"), *corpus.glob("unsc-akn/*/*/*.xml")])
    if not files:
        print(f"no AKN files under {corpus}")
        return 1
    handler = _Count()
    logging.getLogger("resograph.graph.akn").addHandler(handler)
    size = sum(f.stat().st_size for f in files)
    print(f"machine: {os.cpu_count()} cpus, {platform.platform()}, "
          f"python {platform.python_version()}, lxml {lxml.__version__}")
    print(f"files: {len(files)} ({size / 1e6:.1f} MB)")
    for with_text in (False, True):
        handler.messages.clear()
        stats, languages, wall, cpu = _run(files, with_text)
        print(f"\n== with_text_extraction={with_text}")
        print(f"languages: {dict(sorted(languages.items()))}")
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
