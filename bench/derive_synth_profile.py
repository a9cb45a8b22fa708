"""Derive the figures of the synthetic corpus (graph/synth.py) from the real corpus.

Reads ../shared/corpus with resograph's own readers (AKN4UN XML through
:func:`resograph.graph.akn.parse_akn`, plain texts through
:func:`resograph.graph.extract.extract_file`) and measures, per group of documents:

* preambular / operative paragraph counts (median, and the log-normal sigma = standard
  deviation of ``log(count)``);
* resolutions cited per resolution (distinct resolution/decision targets) and their sigma;
* the share of resolution citations that target the citing organ (own-organ share);
* how far back citations reach (median years between the citing and the cited resolution);
* the share of resolutions citing each classic (Charter, UDHR, covenants, 60/251, 1325...);
* the verb shares of citations (``verb_meaning``) and of operative paragraphs;
* requests per resolution (from the texts: the AKN reader does not extract requests).

Why a script: the figures in :data:`resograph.graph.synth.PROFILE` must be re-derivable, not
folklore. Output: a markdown table on stdout and ``bench/scale_results/synth_profile.json``.

    .venv/bin/python bench/derive_synth_profile.py [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from resograph.graph import symbols
from resograph.graph.akn import parse_akn
from resograph.graph.extract import extract_file
from resograph.graph.model import ParsedResolution

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "bench" / "scale_results" / "synth_profile.json"

#: Works the synthetic corpus treats as "classics" (cited by a large share of an organ).
CLASSICS = ("charter", "udhr", "iccpr", "icescr", "A/RES/60/251", "A/RES/70/1",
            "A/HRC/RES/5/1", "S/RES/1325 (2000)", "A/RES/217(III)")


def _groups(corpus: Path) -> dict[str, list[Path]]:
    return {
        "GA 79 (AKN, en)": sorted((corpus / "unga-akn" / "79" / "english").glob("*.xml")),
        "GA 79 (PDF text layer, en)": sorted((corpus / "unga-en").glob("A_RES_*.txt")),
        "SC 2023 (AKN, en)": sorted((corpus / "unsc-akn" / "2023" / "english").glob("*.xml")),
        "SC 1946-1993 (CR-UNSC text, en)": sorted((corpus / "unsc-en").glob("*.txt")),
        "HRC 56 (text, fr)": sorted((corpus / "hrc-fr").glob("*.txt")),
    }


def _read(path: Path) -> ParsedResolution | None:
    try:
        if path.suffix == ".xml":
            return parse_akn(path)
        return extract_file(path)
    except Exception as exc:  # a file the readers refuse is left out and counted
        print(f"skipped {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None


def _year(symbol: str) -> int | None:
    """Year of a cited resolution from its symbol alone (SC year, GA/HRC session)."""
    try:
        info = symbols.parse(symbol)
    except Exception:
        return None
    if info.year:
        return info.year
    s = info.session or ""
    if s.isdigit():
        n = int(s)
        if info.organ == "GA":
            return 1945 + n if n < 200 else None
        if info.organ == "HRC":
            return 2006 + (n - 1) // 3
        if info.organ in ("ECOSOC", "CHR") and n > 1900:
            return n
    return None


def _lognormal(values: Iterable[int]) -> dict[str, float]:
    vals = list(values)
    positive = [math.log(v) for v in vals if v > 0]
    return {
        "median": float(statistics.median(vals)) if vals else 0.0,
        "mean": round(statistics.fmean(vals), 2) if vals else 0.0,
        "sigma": round(statistics.pstdev(positive), 2) if len(positive) > 1 else 0.0,
        "zero_share": round(sum(1 for v in vals if v == 0) / len(vals), 3) if vals else 0.0,
    }


def _shares(counter: Counter[str], top: int = 10) -> dict[str, float]:
    total = sum(counter.values()) or 1
    return {k: round(v / total, 3) for k, v in counter.most_common(top)}


def profile(docs: list[ParsedResolution]) -> dict[str, object]:
    """The figures of one group of parsed resolutions."""
    pre, op, cites, reqs, back = [], [], [], [], []
    own = other = 0
    cite_verbs: Counter[str] = Counter()
    pre_verbs: Counter[str] = Counter()
    op_verbs: Counter[str] = Counter()
    classics: Counter[str] = Counter()
    target_organs: Counter[str] = Counter()
    for d in docs:
        pre.append(sum(1 for p in d.paragraphs if p.kind == "preambular"))
        op.append(sum(1 for p in d.paragraphs if p.kind == "operative"))
        reqs.append(len(d.requests))
        for p in d.paragraphs:
            if p.verb_meaning:
                (pre_verbs if p.kind == "preambular" else op_verbs)[p.verb_meaning] += 1
        targets = {c.target for c in d.citations
                   if c.type in ("resolution", "decision") and c.target != d.symbol}
        cites.append(len(targets))
        for c in d.citations:
            if c.verb_meaning and not c.in_note:
                cite_verbs[c.verb_meaning] += 1
        for t in {c.target for c in d.citations}:
            if t in CLASSICS:
                classics[t] += 1
        for t in targets:
            try:
                organ = symbols.parse(t).organ
            except Exception:
                continue
            target_organs[organ] += 1
            if organ == d.organ:
                own += 1
            else:
                other += 1
            y, yc = _year(t), d.year or (int(d.adopted[:4]) if d.adopted else None)
            if y and yc and 0 <= yc - y <= 80:
                back.append(yc - y)
    n = len(docs) or 1
    return {
        "documents": len(docs),
        "preambular": _lognormal(pre),
        "operative": _lognormal(op),
        "resolutions_cited": _lognormal(cites),
        "requests_per_resolution": round(statistics.fmean(reqs), 2) if reqs else 0.0,
        "own_organ_share": round(own / (own + other), 3) if own + other else None,
        "cited_organs": _shares(target_organs),
        "years_back_median": statistics.median(back) if back else None,
        "years_back_share_within_5": round(sum(1 for b in back if b <= 5) / len(back), 3)
        if back else None,
        "classics_share": {k: round(v / n, 3) for k, v in classics.most_common()},
        "citation_verbs": _shares(cite_verbs),
        "preambular_verbs": _shares(pre_verbs),
        "operative_verbs": _shares(op_verbs),
    }


def _markdown(result: dict[str, dict[str, object]]) -> str:
    rows = ["| group | docs | preamb. median (σ) | operative median (σ) | res. cited median "
            "(σ, zero share) | own organ | years back (median, ≤5 y) | requests/res |",
            "|---|---|---|---|---|---|---|---|"]
    for name, p in result.items():
        pr, o, c = p["preambular"], p["operative"], p["resolutions_cited"]
        rows.append(
            f"| {name} | {p['documents']} | {pr['median']:g} ({pr['sigma']}) | "  # type: ignore[index]
            f"{o['median']:g} ({o['sigma']}) | {c['median']:g} ({c['sigma']}, "  # type: ignore[index]
            f"{c['zero_share']}) | {p['own_organ_share']} | {p['years_back_median']}, "  # type: ignore[index]
            f"{p['years_back_share_within_5']} | {p['requests_per_resolution']} |")
    lines = ["\n".join(rows), ""]
    for name, p in result.items():
        lines.append(f"**{name}** classics: {p['classics_share']}; citation verbs: "
                     f"{p['citation_verbs']}; operative verbs: {p['operative_verbs']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"--corpus {args.corpus}: no such folder", file=sys.stderr)
        return 2
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    result: dict[str, dict[str, object]] = {}
    t0 = time.perf_counter()
    for name, files in _groups(args.corpus).items():
        docs = [d for d in map(_read, files) if d is not None]
        if docs:
            result[name] = profile(docs)
    print(_markdown(result))
    print(f"\n({time.perf_counter() - t0:.1f} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
