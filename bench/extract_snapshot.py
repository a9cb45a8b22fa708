"""Freeze the extractor's outputs on the whole corpus, to check that a speed change keeps them.

Runs :func:`resograph.graph.extract.extract_text` on every plain text of
``../shared/corpus/{hrc-fr,unsc-en,unga-en}`` and on every AKN file of ``unga-akn/79`` and
``unsc-akn/2023`` in the six languages rendered as a PDF text layer reads it (the renderer of
``bench/eval_languages.py``), and stores one SHA-256 digest of each result's JSON (``file`` and
``source_sha256`` left out) per document. Compare two snapshots to list the documents whose
output changed, so that a speed pass can prove it changed nothing (or only what it meant to).

    .venv/bin/python bench/extract_snapshot.py --out /tmp/extract_snapshot_before.json
    .venv/bin/python bench/extract_snapshot.py --out /tmp/after.json \
        --compare /tmp/extract_snapshot_before.json [--show 5]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import pickle
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = Path(os.environ.get("RESOGRAPH_CORPUS", ROOT.parent / "shared" / "corpus"))
TEXT_FOLDERS = ("hrc-fr", "unsc-en", "unga-en")
LANGS = ("en", "fr", "es", "ru", "ar", "zh")


def _eval_languages() -> Any:
    name = "eval_languages"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def documents(corpus: Path, cache: Path | None) -> list[tuple[str, str, str | None, str]]:
    """(key, text, lang or None, source name) of every document; rendered AKN texts cached
    in ``cache`` (a pickle) because rendering costs more than extracting."""
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    out: list[tuple[str, str, str | None, str]] = []
    for folder in TEXT_FOLDERS:
        for f in sorted((corpus / folder).glob("*.txt")):
            out.append((f"{folder}/{f.name}", f.read_text(encoding="utf-8"), None, str(f)))
    ev = _eval_languages()
    for lang in LANGS:
        for s in ("ga", "sc"):
            top, sub = ev.SETS[s]
            folder = corpus / top / sub / ev.LANGUAGES[lang]
            for akn in sorted(folder.glob("*.xml")):
                out.append((f"akn-{lang}/{akn.name}", ev.render(akn), lang, ev.own_symbol(akn)))
    if cache is not None:
        cache.write_bytes(pickle.dumps(out))
    return out


def digest(text: str, lang: str | None, source: str) -> str:
    from resograph.graph import extract

    try:
        data = extract.extract_text(text, lang=lang, source=source).to_json()
    except extract.ParseError as exc:
        return "ParseError: " + str(exc)
    data.pop("file", None)
    data.pop("source_sha256", None)
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=Path("/tmp/extract_snapshot_before.json"))
    ap.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/extract_snapshot_texts.pickle"),
                    help="pickle of the rendered texts (reused when present)")
    ap.add_argument("--show", type=int, default=10, help="changed documents to list")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.platform()}")
    docs = documents(args.corpus, args.cache)
    t0 = time.process_time()
    snap = {key: digest(text, lang, source) for key, text, lang, source in docs}
    print(f"{len(snap)} documents digested in {time.process_time() - t0:.1f} s CPU")
    args.out.write_text(json.dumps(snap, indent=0, sort_keys=True), encoding="utf-8")
    print(f"wrote {args.out}")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        changed = sorted(k for k in snap.keys() & before.keys() if snap[k] != before[k])
        missing = sorted(before.keys() ^ snap.keys())
        print(f"compared with {args.compare}: {len(changed)} changed, "
              f"{len(missing)} only in one snapshot")
        for k in changed[:args.show]:
            print("  changed:", k)
        return 1 if changed or missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
