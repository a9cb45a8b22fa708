"""How far the extractor agrees with the AKN editors' links, on General Assembly session 79.

The UN's AKN4UN files (``../shared/corpus/unga-akn/79/<language>/``) carry the editors'
links to cited documents (``<a href="https://undocs.org/en/A/RES/59/50">``). The resolutions
linked in a file are what the text cites (minus the few the editors did not link), so they
are a citation gold in six languages at no annotation cost. For each AKN file this script

* collects the linked ``A/RES``, ``S/RES``, ``A/HRC/RES`` and ``E/RES`` targets, canonical,
  lettered parts reduced to their base symbol, the file's own symbol left out (the gold);
* takes the text a user would have: for English the PDF text layer
  ``../shared/corpus/unga-en/A_RES_79_N.txt``; for languages without a text layer (or with
  ``--text akn``) the AKN file rendered as a PDF text layer reads it (:func:`render_akn_text`:
  notes after the text, note calls glued to the word before them);
* scores resograph's extractor (type resolution/decision) and the CR-UNSC regex baseline
  against the links, micro-averaged, and prints a markdown table and the machine.

    .venv/bin/python bench/eval_unga_links.py [--lang en] [--text auto|akn] [--verbose] [--json]

"False positives" here include citations the editors did not link; read them with
``--verbose`` before calling them errors. The editors link no decisions (``A/DEC/...``) and
no Commission on Human Rights resolutions, so the extractor's are left out of the comparison.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lxml import etree

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from _corpus import machine_line, sibling  # noqa: E402

ev = sibling("eval_citations")

#: --lang code -> (AKN folder name, extractor language code)
LANGUAGES = {
    "en": "english", "fr": "french", "es": "spanish",
    "ru": "russian", "ar": "arabic", "zh": "chinese",
}

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
_BLOCK = {"p", "paragraph", "container", "formula", "point", "subheading", "tr", "intro",
          "wrapUp", "list", "heading", "blockList", "item",
          "docProponent", "session", "docketNumber", "docStatus", "docDate", "location",
          "docAuthority", "event"}
_SKIP = {"meta", "img"}
_LINK_HOST = re.compile(r"^https?://(?:www\.)?(?:undocs\.org|docs\.un\.org)/(?:[a-z]{2}/)?",
                        re.IGNORECASE)
_RES_TARGET = re.compile(r"^(?:A/HRC/RES|A/RES|S/RES|E/RES)/", re.IGNORECASE)


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def own_symbol(path: Path) -> str:
    """``A_RES_79_10-2421660E.xml`` or ``A_RES_79_10.txt`` -> ``A/RES/79/10``."""
    m = re.match(r"A_RES_(\d+)_(\d+)", path.name)
    if not m:
        raise ev.GoldError(f"{path}: not a General Assembly resolution file name")
    return f"A/RES/{m.group(1)}/{m.group(2)}"


def canonical_link(href: str) -> str | None:
    """Canonical resolution symbol an editor's link points to, or None for other targets.

    ``https://undocs.org/en/S/RES/1631(2005)`` -> ``S/RES/1631 (2005)``;
    ``.../A/RES/47/120B`` and ``.../A/RES/58/292a-b`` -> ``A/RES/47/120``;
    ``.../A/RES/2200 (XXI)`` -> ``A/RES/2200(XXI)``; ``.../A/hrc/RES/5/1`` -> ``A/HRC/RES/5/1``.
    """
    from resograph.graph.symbols import normalise, parse

    target = unquote(_LINK_HOST.sub("", href.strip())).strip().rstrip(".,;")
    if not _RES_TARGET.match(target):
        return None
    target = target.upper()
    # lettered parts and ranges after a modern number: 47/120B, 58/292A-B, 60/1 A-C
    target = re.sub(r"^((?:A|E|A/HRC)/RES/(?:[A-Z]+-)?\d+/\d+)\s*[A-Z](?:-[A-Z])?$", r"\1",
                    target)
    # lettered parts of old numbers: 217 A (III), 217A(III), 181 (II) A
    target = re.sub(r"^([AE]/RES/\d+)\s*[A-Z]?\s*\(([^)]+)\)(?:\s*[A-Z])?$", r"\1(\2)", target)
    info = parse(normalise(target))
    if info.organ == "UN" or info.kind not in ("resolution", "decision"):
        return None
    return info.symbol


def linkable(symbol: str) -> bool:
    """Whether the editors link this kind of target (they never link decisions or E/CN.4).

    Both sides are compared on the same families: resolutions of the General Assembly,
    Security Council, Human Rights Council and ECOSOC.
    """
    return bool(_RES_TARGET.match(symbol))


def linked_resolutions(path: Path) -> set[str]:
    """The canonical resolutions an AKN file links to, its own symbol left out."""
    try:
        tree = etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ev.GoldError(f"{path}: cannot parse AKN file ({exc})") from exc
    found = set()
    for a in tree.iter(f"{{{AKN_NS}}}a"):
        symbol = canonical_link(a.get("href", ""))
        if symbol:
            found.add(symbol)
    found.discard(own_symbol(path))
    return found


def render_akn_text(path: Path) -> str:
    """The AKN file as a PDF text layer reads it, for languages with no text layer.

    The symbol heads the text as on a UN document's first page; blocks become lines;
    note calls are glued to the word before them (``resolution 77/228`` + note 5 reads
    ``resolution 77/2285``, as in the PDFs); the notes follow the text after a rule, each
    as ``N text``. Metadata (``meta``) is not text and is left out.
    """
    tree = etree.parse(str(path))
    notes: list[str] = []
    after_num = False  # the paragraph's text runs on after its number, as in print

    def walk(el: Any, buf: list[str]) -> None:
        name = _local(el.tag)
        if name in _SKIP:
            if el.tail:
                buf.append(_ws(el.tail))
            return
        if name == "authorialNote":
            marker = el.get("marker") or str(len(notes) + 1)
            while buf and buf[-1].endswith((" ", "\t")):  # glue the call to the word before
                buf[-1] = buf[-1].rstrip(" \t")
            buf.append(marker)
            note_buf: list[str] = []
            for child in el:
                walk(child, note_buf)
            notes.append(f"{marker} {_squash(''.join(note_buf))}")
            if el.tail:
                buf.append(_ws(el.tail))
            return
        nonlocal after_num
        block = name in _BLOCK
        if block:
            if not after_num:
                buf.append("\n")
            after_num = False
        if name == "num":
            buf.append("\n" + (el.text or "").strip() + " ")
            after_num = True
        elif el.text:
            buf.append(_ws(el.text))
        if name == "eol":
            buf.append("\n")
        for child in el:
            walk(child, buf)
        if name == "td":
            buf.append("\t")
        if block:
            buf.append("\n")
        if el.tail:
            buf.append(_ws(el.tail))

    root = tree.getroot()
    body: list[str] = []
    for child in root:
        for part in child:
            if _local(part.tag) != "meta":
                walk(part, body)
    lines = [line for line in (_squash(x) for x in "".join(body).split("\n")) if line]
    out: list[str] = [] if own_symbol(path) in lines else [own_symbol(path)]
    out.extend(lines)
    if notes:
        out += ["", "_______________", "", *notes]
    return "\n".join(out) + "\n"


def _ws(text: str) -> str:
    """Layout whitespace of the XML (indentation, line breaks) is one space, as in print."""
    return re.sub(r"\s+", " ", text)


def _squash(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def document_key(path: Path) -> str:
    """Own symbol, with the part letter for lettered parts (``A_RES_79_245 B-...xml``)."""
    m = re.match(r"A_RES_\d+_\d+\s*([A-Z])?-", path.name)
    part = m.group(1) if m else None
    return f"{own_symbol(path)} {part}" if part else own_symbol(path)


def pairs(corpus: Path, lang: str, text: str) -> list[tuple[Path, Path | None]]:
    """(AKN file, text-layer file or None to render) for every AKN file of ``lang``."""
    folder = corpus / "unga-akn" / "79" / LANGUAGES[lang]
    if not folder.is_dir():
        raise ev.GoldError(f"{folder}: AKN folder not found; set --corpus or RESOGRAPH_CORPUS")
    out = []
    for akn in sorted(folder.glob("A_RES_79_*.xml")):
        layer = corpus / "unga-en" / f"{own_symbol(akn).replace('/', '_')}.txt"
        # the text layer holds the resolution as first published, not a later part B
        use_layer = (lang == "en" and text == "auto" and layer.is_file()
                     and document_key(akn) == own_symbol(akn))
        out.append((akn, layer if use_layer else None))
    return out


def evaluate(corpus: Path = ev.DEFAULT_CORPUS, lang: str = "en",
             text: str = "auto") -> dict[str, Any]:
    """Score extractor and baseline against the editors' links for one language."""
    gold: dict[str, set[str]] = {}
    texts: dict[str, str] = {}
    own: dict[str, str] = {}
    sources = {"text-layer": 0, "akn-render": 0}
    for akn, layer in pairs(corpus, lang, text):
        key = document_key(akn)
        gold[key] = linked_resolutions(akn)
        own[key] = own_symbol(akn)
        if layer is not None:
            texts[key] = layer.read_text(encoding="utf-8")
            sources["text-layer"] += 1
        else:
            texts[key] = render_akn_text(akn)
            sources["akn-render"] += 1
    base = {k: ev.baseline.baseline_citations(t, own[k]) for k, t in texts.items()}
    scores = [ev.score("CR-UNSC regex (baseline)", base, gold)]
    extractor_error = None
    failures: dict[str, str] = {}
    try:
        extract = ev.load_extractor()
    except ImportError as exc:
        extractor_error = f"resograph extractor not available yet ({exc})"
    else:
        found: dict[str, set[str]] = {}
        for key, t in texts.items():
            try:
                parsed = ev.call_extractor(extract, t, key, lang)
            except Exception as exc:  # scored as misses, reported by file
                failures[key] = f"{type(exc).__name__}: {exc}"
                continue
            found[key] = {c.target for c in parsed.citations
                          if c.type in ev.RESOLUTION_TYPES and linkable(c.target)} - {own[key]}
        scores.insert(0, ev.score("resograph", found, gold))
    return {"lang": lang, "documents": len(gold), "sources": sources,
            "gold_citations": sum(len(v) for v in gold.values()),
            "documents_without_links": sum(1 for v in gold.values() if not v),
            "scores": scores, "extractor_error": extractor_error,
            "extractor_failures": failures, "machine": ev.machine()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ev.DEFAULT_CORPUS,
                        help="shared corpus folder (holds unga-akn/ and unga-en/)")
    parser.add_argument("--lang", choices=sorted(LANGUAGES), default="en")
    parser.add_argument("--text", choices=("auto", "akn"), default="auto",
                        help="auto: the PDF text layer where there is one (English), else "
                             "the AKN rendered as one; akn: always render the AKN")
    parser.add_argument("--render", type=Path, metavar="AKN_FILE",
                        help="only print AKN_FILE rendered as a text layer, and exit")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.render:
            sys.stdout.write(render_akn_text(args.render))
            return 0
        result = evaluate(args.corpus, args.lang, args.text)
    except (ev.GoldError, OSError, etree.XMLSyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(dict(result, scores=[s.to_json() for s in result["scores"]]),
                         indent=1, ensure_ascii=False))
        return 0
    print(f"GA session 79, {args.lang}: {result['documents']} AKN files "
          f"({result['sources']['text-layer']} scored on the PDF text layer, "
          f"{result['sources']['akn-render']} on the AKN rendered as text), "
          f"{result['gold_citations']} linked resolutions "
          f"({result['documents_without_links']} files link none)\n")
    if result["extractor_error"]:
        print(f"NOTE: {result['extractor_error']}; scoring the baseline only.\n")
    if result["extractor_failures"]:
        print(f"NOTE: the extractor failed on {len(result['extractor_failures'])} files "
              "(their links count as missed).\n")
    print(ev.markdown_table(result["scores"]))
    if args.verbose:
        for s in result["scores"]:
            print(f"\n## {s.system}: {len(s.errors)} documents differ from the links")
            for name, err in sorted(s.errors.items()):
                print(f"- {name}: not linked {err['false_positives']} missed {err['missed']}")
        for name, why in sorted(result["extractor_failures"].items()):
            print(f"- extractor failed on {name}: {why}")
    print("\n" + machine_line(result["machine"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
