"""A reimplementation of the simple citation regex of the CR-UNSC corpus, as a baseline.

The Corpus of Resolutions: UN Security Council (CR-UNSC, Fobbe) builds its citation network
with a few regular expressions over the resolution texts. resograph's README compares its own
extractor with that approach on the hand-annotated gold (``tests/data/unsc_gold.json``), so the
baseline here is deliberately as simple as the original idea, written from its description:

* ``N (YYYY)`` anywhere in the text is a Security Council resolution;
* ``General Assembly resolution N (ROMAN)`` is an old-style General Assembly resolution;
* ``A/RES/x/y`` is a modern General Assembly resolution.

What the baseline does *not* do is the point of the comparison: it does not read
coordinated lists with roman sessions (``resolutions 2253 (ES-V) and 2254 (ES-V)``), special
or emergency sessions, lettered parts, the organ from context, nor OCR damage beyond a single
whitespace character (a line break) between number and year.

Run ``python bench/crunsc_baseline.py FILE...`` to print what it finds in each file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# One whitespace character (space or line break) between the number and its year, as the
# original pattern ``[0-9]+ \([0-9]{4}\)`` allows once the text's line breaks are spaces.
_SC = re.compile(r"(?<![\d/])(\d{1,4})\s\((\d{4})\)")
_GA_OLD = re.compile(r"General\s+Assembly\s+resolutions?\s+(\d{1,4})\s*\(([IVXLC]+)\)")
_GA_NEW = re.compile(r"A/RES/(\d{1,3})/(\d{1,4})")


def baseline_citations(text: str, own_symbol: str | None = None) -> set[str]:
    """Canonical symbols the CR-UNSC-style regex finds in ``text``, minus ``own_symbol``.

    ``own_symbol`` is the canonical symbol of the resolution the text is (e.g.
    ``S/RES/758 (1992)``); a resolution never cites itself, and its heading matches ``N (YYYY)``.
    """
    found: set[str] = set()
    for m in _SC.finditer(text):
        found.add(f"S/RES/{int(m.group(1))} ({m.group(2)})")
    for m in _GA_OLD.finditer(text):
        found.add(f"A/RES/{int(m.group(1))}({m.group(2)})")
    for m in _GA_NEW.finditer(text):
        found.add(f"A/RES/{int(m.group(1))}/{int(m.group(2))}")
    if own_symbol:
        found.discard(own_symbol)
    return found


def own_symbol_from_filename(name: str) -> str | None:
    """``S_RES_0758_1992_EN_GOLD.txt`` -> ``S/RES/758 (1992)`` (None for other names)."""
    m = re.match(r"S_RES_(\d+)_(\d{4})_", Path(name).name)
    return f"S/RES/{int(m.group(1))} ({m.group(2)})" if m else None


def main(argv: list[str]) -> int:
    """Print each file's baseline citations, one file per line."""
    if not argv:
        print("usage: python bench/crunsc_baseline.py FILE...", file=sys.stderr)
        return 2
    for arg in argv:
        path = Path(arg)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{path}: cannot read ({exc.strerror})", file=sys.stderr)
            continue
        cites = baseline_citations(text, own_symbol_from_filename(path.name))
        print(f"{path.name}\t{'; '.join(sorted(cites))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
