"""Precision and recall of resolution citations on the hand-annotated Security Council gold.

The gold (``tests/data/unsc_gold.json``, how it was made: ``bench/GOLD.md``) lists, for 64
randomly drawn texts of ``../shared/corpus/unsc-en/``, every resolution each one cites, in
canonical form. This script scores, on exactly those texts,

* resograph's extractor (``resograph.graph.extract.extract_text``; its citations of type
  ``resolution`` or ``decision``), and
* the CR-UNSC-style regex baseline (``bench/crunsc_baseline.py``),

micro-averaged over all documents (every (document, cited symbol) pair counts once), and
prints a markdown table for the README plus the machine it ran on.

    .venv/bin/python bench/eval_citations.py [--verbose] [--json] [--gold FILE] [--corpus DIR]

When the extractor cannot be imported yet, the baseline is still scored and the reason is
printed. Targets are compared exactly as returned: a non-canonical symbol is an error, since
it would become a different IRI in the graph.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from _corpus import DEFAULT_CORPUS, Rates, machine, machine_line, sibling  # noqa: E402

DEFAULT_GOLD = ROOT / "tests" / "data" / "unsc_gold.json"
RESOLUTION_TYPES = ("resolution", "decision")
__all__ = ["DEFAULT_CORPUS", "machine"]  # used by eval_unga_links and the tests

baseline = sibling("crunsc_baseline")


class GoldError(ValueError):
    """The gold file or the corpus it points to cannot be used; says which file and why."""


@dataclass
class Score(Rates):
    """Micro-averaged counts for one system, with the per-document errors behind them."""

    system: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    documents: int = 0
    errors: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"system": self.system, "documents": self.documents, "tp": self.tp,
                "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "predictions": self.tp + self.fp, "errors": self.errors}


def load_gold(path: Path = DEFAULT_GOLD) -> dict[str, Any]:
    """The gold JSON (``seed``, ``command``, ``documents``); GoldError names a bad file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
        raise GoldError(f"{path}: expected an object with a 'documents' object")
    return data


def gold_sets(gold: dict[str, Any]) -> dict[str, set[str]]:
    """File name -> set of cited resolution symbols."""
    return {name: set(doc["resolutions"]) for name, doc in gold["documents"].items()}


def score(system: str, predicted: dict[str, set[str]], gold: dict[str, set[str]]) -> Score:
    """Micro P/R over documents: each (document, symbol) pair is one decision."""
    result = Score(system)
    for name, expected in gold.items():
        found = predicted.get(name, set())
        tp, fp, fn = found & expected, found - expected, expected - found
        result.tp += len(tp)
        result.fp += len(fp)
        result.fn += len(fn)
        result.documents += 1
        if fp or fn:
            result.errors[name] = {"false_positives": sorted(fp), "missed": sorted(fn)}
    return result


def read_texts(corpus: Path, names: Iterable[str]) -> dict[str, str]:
    """The gold documents' texts from ``corpus/unsc-en``; GoldError when one is missing."""
    folder = corpus / "unsc-en"
    texts = {}
    for name in names:
        path = folder / name
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise GoldError(f"{path}: gold document not readable ({exc.strerror}); "
                            "set --corpus or RESOGRAPH_CORPUS") from exc
    return texts


def baseline_predictions(texts: dict[str, str]) -> dict[str, set[str]]:
    """What the CR-UNSC-style regex finds in each text."""
    return {name: baseline.baseline_citations(text, baseline.own_symbol_from_filename(name))
            for name, text in texts.items()}


def load_extractor() -> Callable[..., Any]:
    """``resograph.graph.extract.extract_text``; ImportError when it is not there yet."""
    from resograph.graph.extract import extract_text

    return extract_text


def call_extractor(extract: Callable[..., Any], text: str, name: str, lang: str = "en") -> Any:
    """Call the extractor with the keyword arguments it accepts (language, source name)."""
    try:
        params = inspect.signature(extract).parameters
    except (TypeError, ValueError):
        params = {}
    kwargs: dict[str, Any] = {}
    for key in ("lang", "language"):
        if key in params:
            kwargs[key] = lang
            break
    for key in ("source", "file", "filename", "name", "path"):
        if key in params:
            kwargs[key] = name
            break
    return extract(text, **kwargs)


def extractor_predictions(texts: dict[str, str], extract: Callable[..., Any] | None = None,
                          lang: str = "en") -> dict[str, set[str]]:
    """Targets of the extractor's resolution and decision citations, per text."""
    extract = extract or load_extractor()
    out: dict[str, set[str]] = {}
    for name, text in texts.items():
        parsed = call_extractor(extract, text, name, lang)
        out[name] = {c.target for c in parsed.citations if c.type in RESOLUTION_TYPES}
    return out


def markdown_table(scores: list[Score]) -> str:
    """The README table: one row per system."""
    lines = ["| system | documents | TP | FP | FN | precision | recall | F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        # no prediction at all: precision is undefined, not perfect
        p = f"{s.precision:.3f}" if s.tp + s.fp else "n/a"
        lines.append(f"| {s.system} | {s.documents} | {s.tp} | {s.fp} | {s.fn} | "
                     f"{p} | {s.recall:.3f} | {s.f1:.3f} |")
    return "\n".join(lines)


def evaluate(gold_path: Path = DEFAULT_GOLD, corpus: Path = DEFAULT_CORPUS) -> dict[str, Any]:
    """Score both systems; ``extractor_error`` says why resograph was not scored, if so."""
    gold = load_gold(gold_path)
    expected = gold_sets(gold)
    texts = read_texts(corpus, expected)
    scores = [score("CR-UNSC regex (baseline)", baseline_predictions(texts), expected)]
    extractor_error = None
    try:
        extract = load_extractor()
    except ImportError as exc:
        extractor_error = f"resograph extractor not available yet ({exc})"
    else:
        scores.insert(0, score("resograph", extractor_predictions(texts, extract), expected))
    return {"gold": str(gold_path), "seed": gold.get("seed"), "documents": len(expected),
            "gold_citations": sum(len(v) for v in expected.values()),
            "scores": scores, "extractor_error": extractor_error, "machine": machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON file")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="shared corpus folder (holds unsc-en/)")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list each document's false positives and misses")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    try:
        result = evaluate(args.gold, args.corpus)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        out = dict(result, scores=[s.to_json() for s in result["scores"]])
        print(json.dumps(out, indent=1, ensure_ascii=False))
        return 0
    print(f"Gold: {result['gold']} (seed {result['seed']}): {result['documents']} documents, "
          f"{result['gold_citations']} cited resolutions\n")
    if result["extractor_error"]:
        print(f"NOTE: {result['extractor_error']}; scoring the baseline only.\n")
    print(markdown_table(result["scores"]))
    if args.verbose:
        for s in result["scores"]:
            print(f"\n## {s.system}: {len(s.errors)} documents with errors")
            for name, err in sorted(s.errors.items()):
                print(f"- {name}: FP {err['false_positives']} missed {err['missed']}")
    print("\n" + machine_line(result["machine"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
