"""Citation recall and precision of the text extractor in the six official languages.

The UN's AKN4UN files carry, in every language, the editors' links to the documents a text
cites (``<a href="https://undocs.org/...">``). For each language this script renders every
file of ``unga-akn/79/<language>/`` and ``unsc-akn/2023/<language>/`` to plain text as a PDF
text layer reads it (body text, then the notes after a rule, each note's call glued to the
word before it: ``resolución 77/2285`` is resolution 77/228 with note 5), runs
:func:`resograph.graph.extract.extract_text` with ``lang`` given, and compares the resolutions
and decisions found with the ones the editors linked (canonical symbols, lettered parts
reduced to their base, the file's own symbol left out). It also scores the English PDF text
layers of ``unga-en/`` against the English links, and language detection (the same texts,
no ``lang``: is the detected language right?).

    .venv/bin/python bench/eval_languages.py [--lang es ru ...] [--set ga sc] [--verbose]

Micro-averaged over (document, symbol) pairs; the links miss a few citations, so precision
against them is a floor. Prints a markdown table and the machine. Aim (issue 10): recall
>= 0.98 and precision >= 0.95 in every language.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (ROOT, HERE):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
from _corpus import Rates, machine_line, sibling  # noqa: E402

links = sibling("eval_unga_links")  # renderer, link canonicalisation (shared with English)
ev = links.ev

LANGUAGES = dict(links.LANGUAGES)  # code -> corpus folder name
SETS = {"ga": ("unga-akn", "79"), "sc": ("unsc-akn", "2023")}
_SC_FILE = re.compile(r"S_RES_(\d+)[_-]")
_GA_FILE = re.compile(r"A_RES_(\d+)_(\d+)")


class EvalError(ValueError):
    """The corpus is missing or unreadable (message names the folder or file)."""


def own_symbol(path: Path) -> str:
    """Canonical symbol of an AKN file from its name (GA ``A_RES_79_10-...``, SC ``S_RES_2672_A``).

    The SC files do not name the year; it is read from the FRBR date in the file.
    """
    m = _GA_FILE.match(path.name)
    if m:
        return f"A/RES/{m.group(1)}/{m.group(2)}"
    m = _SC_FILE.match(path.name)
    if not m:
        raise EvalError(f"{path}: not an A_RES_ or S_RES_ file name")
    head = path.read_bytes()[:20000].decode("utf-8", "replace")
    y = re.search(r'FRBRdate date="(\d{4})-', head)
    return f"S/RES/{m.group(1)} ({y.group(1) if y else '2023'})"


def linked(path: Path) -> set[str]:
    """The resolutions the editors linked in one AKN file, its own symbol left out."""
    from lxml import etree

    try:
        tree = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise EvalError(f"{path}: cannot parse AKN file ({exc})") from exc
    out = {s for a in tree.iter(f"{{{links.AKN_NS}}}a")
           if (s := links.canonical_link(a.get("href", "")))}
    out.discard(own_symbol(path))
    return out


def render(path: Path) -> str:
    """The AKN file as a PDF text layer reads it (the shared renderer of eval_unga_links),
    with the own symbol on top as on page one."""
    text = links.render_akn_text(path) if _GA_FILE.match(path.name) else _render_sc(path)
    return text


def _render_sc(path: Path) -> str:
    # the GA renderer names the own symbol from the file name; SC files carry it in the text
    saved = links.own_symbol
    links.own_symbol = lambda p: own_symbol(p)  # type: ignore[assignment]
    try:
        return links.render_akn_text(path)
    finally:
        links.own_symbol = saved


@dataclass
class Row(Rates):
    """Scores of one language on one document set."""

    lang: str
    docs: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    detected: int = 0
    failures: int = 0
    swaps: int = 0
    seconds: float = 0.0
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"lang": self.lang, "documents": self.docs, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4),
                "detection": round(self.detected / self.docs, 4) if self.docs else None,
                "failures": self.failures, "organ_swaps": self.swaps,
                "docs_per_s": round(self.docs / self.seconds, 1) if self.seconds else None}


def documents(corpus: Path, lang: str, sets: list[str]) -> list[tuple[str, str, set[str]]]:
    """(own symbol, text, linked resolutions) for every file of ``lang`` in ``sets``;
    ``en-pdf`` is the English PDF text layers scored against the English AKN links."""
    out = []
    if lang == "en-pdf":
        folder = corpus / "unga-akn" / "79" / "english"
        for akn in sorted(folder.glob("A_RES_79_*.xml")):
            layer = corpus / "unga-en" / f"{own_symbol(akn).replace('/', '_')}.txt"
            if layer.is_file() and links.document_key(akn) == own_symbol(akn):
                out.append((own_symbol(akn), layer.read_text(encoding="utf-8"), linked(akn)))
        return out
    for s in sets:
        top, sub = SETS[s]
        folder = corpus / top / sub / LANGUAGES[lang]
        if not folder.is_dir():
            raise EvalError(f"{folder}: folder not found; set --corpus or RESOGRAPH_CORPUS")
        for akn in sorted(folder.glob("*.xml")):
            out.append((own_symbol(akn), render(akn), linked(akn)))
    return out


def union_gold(corpus: Path, sets: list[str]) -> dict[str, set[str]]:
    """Per document, the resolutions linked in any of the six language versions: every version
    cites the same texts, and the editors of one language miss links the others made (the
    Arabic files link old-style GA numbers such as 217 (III) far less often)."""
    out: dict[str, set[str]] = {}
    for folder in LANGUAGES.values():
        for s in sets:
            top, sub = SETS[s]
            for akn in sorted((corpus / top / sub / folder).glob("*.xml")):
                out.setdefault(own_symbol(akn), set()).update(linked(akn))
    return out


def evaluate(corpus: Path, lang: str, sets: list[str], detect: bool = True,
             union: dict[str, set[str]] | None = None) -> Row:
    """Score one language: citations with ``lang`` given, and detection without it.

    With ``union``, the gold of a document is the union of its links in the six languages."""
    from resograph.graph import extract

    code = "en" if lang == "en-pdf" else lang
    row = Row(lang)
    docs = documents(corpus, lang, sets)
    for own, text, gold in docs:
        if union is not None:
            gold = union.get(own, gold)
        row.docs += 1
        t0 = time.process_time()
        try:
            parsed = extract.extract_text(text, lang=code, source=own)
        except extract.ParseError as exc:
            row.failures += 1
            row.fn += len(gold)
            row.errors[own] = {"failure": [str(exc)], "missed": sorted(gold)}
            continue
        finally:
            row.seconds += time.process_time() - t0
        found = {c.target for c in parsed.citations if c.type in ("resolution", "decision")
                 and links.linkable(c.target)} - {own}
        tp, fp, fn = found & gold, found - gold, gold - found
        row.tp, row.fp, row.fn = row.tp + len(tp), row.fp + len(fp), row.fn + len(fn)
        if fp or fn:
            row.errors[own] = {"false_positives": sorted(fp), "missed": sorted(fn)}
        row.swaps += len(_numbers(fp) & _numbers(fn))
        if detect:
            row.detected += extract.detect_language(text) == code
    return row


def _numbers(symbols: set[str]) -> set[str]:
    """Session/number of modern symbols, to spot the same resolution under two organs: the
    editors sometimes link an HRC resolution as A/RES (or the reverse); such a pair counts once
    as a false positive and once as a miss."""
    return {m.group(1) for s in symbols if (m := re.search(r"/((?:ES-|S-)?\d+/\d+)$", s))}


def table(rows: list[Row]) -> str:
    out = ["| language | documents | linked | TP | FP | FN | precision | recall "
           "| detection | docs/s | organ swaps |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        j = r.to_json()
        out.append(f"| {r.lang} | {r.docs} | {r.tp + r.fn} | {r.tp} | {r.fp} | {r.fn} | "
                   f"{r.precision:.3f} | {r.recall:.3f} | "
                   f"{j['detection'] if j['detection'] is not None else '-'} | "
                   f"{j['docs_per_s']} | {r.swaps} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ev.DEFAULT_CORPUS)
    parser.add_argument("--lang", nargs="+", default=["en", "fr", "es", "ru", "ar", "zh",
                                                     "en-pdf"],
                        choices=[*LANGUAGES, "en-pdf"])
    parser.add_argument("--set", nargs="+", default=["ga", "sc"], choices=sorted(SETS),
                        dest="sets", help="ga: unga-akn/79, sc: unsc-akn/2023")
    parser.add_argument("--no-detect", action="store_true", help="skip detection accuracy")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list the documents that differ from the links")
    parser.add_argument("--union", action="store_true",
                        help="gold = links of the same document in any of the six languages")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    try:
        union = union_gold(args.corpus, args.sets) if args.union else None
        for lang in args.lang:
            rows.append(evaluate(args.corpus, lang, args.sets, not args.no_detect, union))
    except (EvalError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=1))
        return 0
    gold = ("the union of the six language versions' links" if args.union
            else "the links of the same language version")
    print(f"Sets: {', '.join('/'.join(SETS[s]) for s in args.sets)} (en-pdf: unga-en text "
          f"layers against the English links). Gold: {gold}. docs/s: CPU time of "
          "extract_text in this evaluation (bench/bench_extract_languages.py measures speed).\n")
    print(table(rows))
    print("\norgan swaps: pairs where the links and the extractor name the same session/number "
          "under different organs (each is one FP and one FN; reading them, the links are "
          "mostly the wrong side: an HRC resolution linked as A/RES or the reverse).")
    if args.verbose:
        for r in rows:
            print(f"\n## {r.lang}: {len(r.errors)} documents differ from the links")
            for name, err in sorted(r.errors.items()):
                print(f"- {name}: " + "; ".join(f"{k} {v}" for k, v in err.items()))
    print("\n" + machine_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
