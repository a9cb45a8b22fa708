"""Cross-language paragraph alignment of the AKN4UN reader (issue 9 follow-up).

For every resolution of ``unga-akn/`` and ``unsc-akn/`` with two or more language versions,
the share of its paragraph keys present in all its versions, with the keys the reader gives
(``Paragraph.key``: printed structure) and with the UN's ``eId`` (``Paragraph.eid``, behind
the same component/annex prefix: what the reader keyed on before). Reported for all symbols,
for those whose versions have the same number of paragraphs (where full alignment is
possible), and for preambular + operative paragraphs only; the symbols that still differ are
listed (genuine differences between the language versions' markup).

    .venv/bin/python bench/eval_akn_alignment.py [CORPUS]
"""

from __future__ import annotations

import os
import platform
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from resograph.graph.akn import parse_akn
from resograph.graph.model import Paragraph, ParsedResolution

ROOT = Path(__file__).resolve().parent.parent
_PREFIX = re.compile(r"^((?:comp_\d+__)?(?:annex\d+__)?)")


def eid_key(p: Paragraph) -> str:
    """The key as it was: the component/annex prefix and the UN's eId."""
    prefix = _PREFIX.match(p.key or "")
    return f"{prefix.group(1) if prefix else ''}{p.eid or p.key}"


def share(versions: dict[str, ParsedResolution], key: Callable[[Paragraph], str],
          kinds: tuple[str, ...] | None = None) -> tuple[int, int]:
    """(keys in every version, keys in any version) of one resolution."""
    sets = [{key(p) for p in r.paragraphs if kinds is None or p.kind in kinds}
            for r in versions.values()]
    union = set().union(*sets)
    return len(set.intersection(*sets)), len(union)


def _key(p: Paragraph) -> str:
    return p.key or ""


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    files = sorted([*corpus.glob("unga-akn/*/*/*.xml"), *corpus.glob("unsc-akn/*/*/*.xml")])
    if not files:
        print(f"no AKN files under {corpus}")
        return 1
    t0 = time.process_time()
    by: dict[str, dict[str, ParsedResolution]] = defaultdict(dict)
    duplicates = 0
    for f in files:
        r = parse_akn(f, with_text_extraction=False)
        keys = [p.key for p in r.paragraphs]
        duplicates += len(keys) - len(set(keys))
        by[r.symbol][r.language] = r
    multi = {s: v for s, v in by.items() if len(v) > 1}
    equal = {s for s, v in multi.items() if len({len(r.paragraphs) for r in v.values()}) == 1}
    print(f"machine: {os.cpu_count()} cpus, python {platform.python_version()}; "
          f"{len(files)} files parsed in {time.process_time() - t0:.1f} CPU s")
    print(f"symbols: {len(by)}, with 2+ language versions: {len(multi)}, of which with the "
          f"same paragraph count in every version: {len(equal)}")
    print(f"repeated keys within one language version (must be 0): {duplicates}")
    print("| symbols | paragraphs | key | keys in all versions | share | symbols differing |")
    print("|---|---|---|---|---|---|")
    rows = (("all", None, None), ("same count", equal, None),
            ("all", None, ("preambular", "operative")))
    remaining: list[str] = []
    for label, only, kinds in rows:
        for name, key in (("eId (before)", eid_key), ("key (after)", _key)):
            inter = union = 0
            bad = []
            for s, v in sorted(multi.items()):
                if only is not None and s not in only:
                    continue
                i, u = share(v, key, kinds)
                inter, union = inter + i, union + u
                if i != u:
                    bad.append(s)
            what = "pre+op" if kinds else "all"
            print(f"| {label} | {what} | {name} | {inter}/{union} | {inter / union:.4f} "
                  f"| {len(bad)} |")
            if name.startswith("key") and label == "all" and kinds is None:
                remaining = bad
    print(f"\nsymbols whose versions still differ ({len(remaining)}): genuine markup "
          "differences (a block split or merged in some languages, numbers missing):")
    for s in remaining:
        counts = {lang: len(r.paragraphs) for lang, r in sorted(multi[s].items())}
        i, u = share(multi[s], _key)
        print(f"  {s}: {i}/{u} keys in all versions; paragraphs per language {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
