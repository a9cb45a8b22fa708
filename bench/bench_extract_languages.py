"""Extraction speed per language, on one core (issue 10: >= 300 documents/s in every language).

Renders every AKN file of ``unga-akn/79/<language>/`` and ``unsc-akn/2023/<language>/`` to
plain text as a PDF text layer reads it (the renderer of ``bench/eval_languages.py``) into
memory first, so XML and disk time are not counted; then runs
:func:`resograph.graph.extract.extract_text` with ``lang`` given over all texts of one
language, ``--rounds`` times, in this one process, and reports documents per second in CPU
time of the process (stable on a shared machine), also for the fastest round alone (the one
the machine's load disturbed least), and in wall time. ``--detect`` times
extraction without ``lang`` (detection included). The English PDF text layers (``unga-en``)
are timed as ``en-pdf``.

    .venv/bin/python bench/bench_extract_languages.py [--rounds 3] [--lang es ru ...] [--detect]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _eval_languages() -> Any:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from _corpus import sibling

    return sibling("eval_languages")


def load(corpus: Path, lang: str) -> list[tuple[str, str]]:
    """(own symbol, text) of every document of one language, rendered once."""
    ev = _eval_languages()
    return [(own, text) for own, text, _ in ev.documents(corpus, lang, ["ga", "sc"])]


def bench(docs: list[tuple[str, str]], code: str, rounds: int, detect: bool) -> dict[str, Any]:
    from resograph.graph import extract

    lang = None if detect else code
    for own, text in docs[:3]:  # warm-up: compile the language's patterns once
        extract.extract_text(text, lang=code, source=own)
    failures = citations = 0
    best = float("inf")  # the CPU time of the fastest round: the least disturbed by the load
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        failures = citations = 0
        round0 = time.process_time()
        for own, text in docs:
            try:
                citations += len(extract.extract_text(text, lang=lang, source=own).citations)
            except extract.ParseError:
                failures += 1
        best = min(best, time.process_time() - round0)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    n = len(docs) * rounds
    chars = sum(len(t) for _, t in docs) / max(1, len(docs))
    return {"docs": len(docs), "chars": chars, "cpu": cpu, "wall": wall,
            "cpu_rate": n / cpu if cpu else 0.0, "wall_rate": n / wall if wall else 0.0,
            "best_rate": len(docs) / best if best else 0.0,
            "citations": citations, "failures": failures}


def main(argv: list[str] | None = None) -> int:
    ev = _eval_languages()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ev.ev.DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lang", nargs="+", default=["en", "fr", "es", "ru", "ar", "zh",
                                                     "en-pdf"],
                        choices=[*ev.LANGUAGES, "en-pdf"])
    parser.add_argument("--detect", action="store_true",
                        help="extract without lang (language detection included)")
    args = parser.parse_args(argv)
    with contextlib.suppress(AttributeError, OSError):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    load0 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print("| language | documents | mean chars | CPU s | docs/s (CPU) | best round docs/s (CPU) "
          "| wall s | docs/s (wall) | citations | failures |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lang in args.lang:
        try:
            docs = load(args.corpus, lang)
        except (ev.EvalError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        r = bench(docs, "en" if lang == "en-pdf" else lang, args.rounds, args.detect)
        print(f"| {lang} | {r['docs']} | {r['chars']:.0f} | {r['cpu']:.2f} | "
              f"{r['cpu_rate']:.0f} | {r['best_rate']:.0f} | {r['wall']:.2f} | "
              f"{r['wall_rate']:.0f} | "
              f"{r['citations']} | {r['failures']} |")
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nrounds: {args.rounds}; lang {'detected' if args.detect else 'given'}; "
          f"machine: {os.cpu_count()} CPUs (pinned to one), Python {platform.python_version()}, "
          f"{platform.platform()}; load average {load0:.2f} at start, {load1:.2f} at end "
          "(CPU time counts this process only, but a loaded machine slows it too: shared "
          "caches and cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
