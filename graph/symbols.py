"""UN document symbols: parse, normalise and describe them.

A symbol as printed (``S/RES/687(1991)``, ``s/res/687 (1991)``, ``A/RES/181 (II)``) is brought
to its canonical form (``S/RES/687 (1991)``, ``A/RES/181(II)``) so that every source meets at
one IRI. Canonical forms follow the UN's own usage: a space before the year of Security
Council resolutions, none before the roman session of early General Assembly resolutions.
A General Assembly resolution adopted in lettered parts keeps the UN's spelling with a space
before the part (``A/RES/79/245 B``, ``A/RES/79/93 A-B``; ``A/RES/79/245B`` as links and file
names print it is the same symbol): its number is ``245 B``, as the UN cites it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROMAN = r"(?:[IVXLC]+)"


@dataclass(frozen=True)
class SymbolInfo:
    """What a canonical symbol says by itself."""

    symbol: str
    organ: str  # GA, SC, ECOSOC, HRC, CHR, or "UN" for other documents
    kind: str  # resolution | decision | document
    session: str | None = None
    number: str | None = None  # "141"; with a lettered part as printed: "245 B"
    year: int | None = None
    part: str | None = None  # lettered part of a GA resolution: "B", "A-B"


_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    # Security Council: S/RES/687 (1991)
    (re.compile(r"^S/RES/(?P<number>\d+)\s*\((?P<year>\d{4})\)$"), "SC", "resolution"),
    # General Assembly, sessions I-XXX, special and emergency: A/RES/1514(XV), A/RES/186(S-2)
    (re.compile(rf"^A/RES/(?P<number>\d+)\s*\((?P<session>{ROMAN}|S-[IVXLC\d]+|ES-[IVXLC\d]+)\)$"),
     "GA", "resolution"),
    # General Assembly modern and emergency special: A/RES/48/141, A/RES/ES-10/2, A/RES/S-27/2,
    # in lettered parts: A/RES/79/245 B, A/RES/79/93 A-B
    (re.compile(r"^A/RES/(?P<session>(?:ES-|S-)?\d+)/"
                r"(?P<number>\d+(?: (?P<part>[A-Z](?:-[A-Z])?))?)$"), "GA", "resolution"),
    (re.compile(r"^A/DEC/(?P<session>(?:ES-|S-)?\d+)/(?P<number>\d+)$"), "GA", "decision"),
    # Human Rights Council: A/HRC/RES/5/1, A/HRC/RES/S-35/1, A/HRC/DEC/...
    (re.compile(r"^A/HRC/RES/(?P<session>(?:S-)?\d+)/(?P<number>\d+)$"), "HRC", "resolution"),
    (re.compile(r"^A/HRC/DEC/(?P<session>(?:S-)?\d+)/(?P<number>\d+)$"), "HRC", "decision"),
    # Commission on Human Rights: E/CN.4/RES/2005/74
    (re.compile(r"^E/CN\.4/RES/(?P<session>\d{4})/(?P<number>\d+)$"), "CHR", "resolution"),
    (re.compile(r"^E/CN\.4/DEC/(?P<session>\d{4})/(?P<number>\d+)$"), "CHR", "decision"),
    # ECOSOC: E/RES/1503(XLVIII), E/RES/2004/67
    (re.compile(rf"^E/RES/(?P<number>\d+)\s*\((?P<session>{ROMAN}|S-[IVXLC\d]+)\)$"), "ECOSOC",
     "resolution"),
    (re.compile(r"^E/RES/(?P<session>\d{4})/(?P<number>\d+)$"), "ECOSOC", "resolution"),
    (re.compile(r"^E/DEC/(?P<session>\d{4})/(?P<number>\d+)$"), "ECOSOC", "decision"),
]


_GA_PART = re.compile(r"^(A/RES/(?:ES-|S-)?\d+/\d+)\s?([A-Z](?:\s?-\s?[A-Z])?)$")


def normalise(symbol: str) -> str:
    """Canonical spelling of a symbol as printed; unknown shapes are only tidied up."""
    s = re.sub(r"\s+", " ", symbol.strip()).upper()
    s = re.sub(r"\s*/\s*", "/", s)
    s = s.replace("E/CN. 4", "E/CN.4")
    m = re.match(r"^S/RES/(\d+)\s*\((\d{4})\)$", s)
    if m:
        return f"S/RES/{int(m.group(1))} ({m.group(2)})"
    m = re.match(r"^(A|E)/RES/(\d+)\s*\(([^)]+)\)$", s)
    if m:
        return f"{m.group(1)}/RES/{int(m.group(2))}({m.group(3).replace(' ', '')})"
    m = _GA_PART.match(s)
    if m:  # A/RES/79/245B, A/RES/79/93 A - B -> A/RES/79/245 B, A/RES/79/93 A-B
        return f"{m.group(1)} {m.group(2).replace(' ', '')}"
    # Any other symbol: spaces carry no identity. The IRI drops them (vocab.symbol_path) and
    # the editors' links print the same document both ways (``NPT/CONF.2000/28 (Parts I and
    # II)`` and ``NPT/CONF.2000/28(PartsIandII)``): one spelling per IRI, or the node would
    # carry two rg:symbol values (UNDocumentShape).
    return s.replace(" ", "")


def parse(symbol: str) -> SymbolInfo:
    """Describe a symbol; unknown shapes come back as organ ``UN``, kind ``document``."""
    canon = normalise(symbol)
    for pattern, organ, kind in _PATTERNS:
        m = pattern.match(canon)
        if m:
            g = m.groupdict()
            year = int(g["year"]) if g.get("year") else None
            return SymbolInfo(canon, organ, kind, g.get("session"), g.get("number"), year,
                              g.get("part"))
    return SymbolInfo(canon, "UN", "document")


def sc(number: int | str, year: int | str) -> str:
    return f"S/RES/{int(number)} ({year})"


def ga(session: str, number: int | str, *, old_style: bool | None = None) -> str:
    """``ga("48", 141)`` -> ``A/RES/48/141``; ``ga("XV", 1514)`` -> ``A/RES/1514(XV)``.

    Sessions I-XXX (roman) and the early special sessions cited as ``186 (S-2)`` use the old
    form ``A/RES/N(SESSION)``; pass ``old_style=True`` when the text printed it that way.
    """
    if old_style is None:
        old_style = bool(re.fullmatch(rf"(?:S-|ES-)?{ROMAN}", session))
    if old_style:
        return f"A/RES/{int(number)}({session})"
    return f"A/RES/{session}/{int(number)}"


def hrc(session: str, number: int | str, decision: bool = False) -> str:
    return f"A/HRC/{'DEC' if decision else 'RES'}/{session}/{int(number)}"
