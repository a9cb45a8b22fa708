"""Resolution text -> :class:`~.model.ParsedResolution`: identity, paragraphs, citations, requests.

The extractor is language-neutral: every word it looks for comes from a lexicon
(:mod:`resograph.graph.lexicons`, one JSON file per language), so adding a language is adding a
data file. What the code knows is the *shape* of UN texts:

* a header (organ, session, agenda item, "resolution adopted by ... on DATE", ``N/M. Title``),
  then the organ as subject of the resolution ("The Security Council,"), preambular paragraphs
  led by a participle, operative paragraphs led by a number and a verb in the present, and a
  footer (meeting, vote);
* citations as a resolution word ("resolution", "résolution"...) followed by a list of numbers
  in one of the UN's numbering styles (``687 (1991)``, ``1514 (XV)``, ``181 (II) A``,
  ``48/141``, ``ES-10/2``, ``S-35/1``, ``2005/74``), each member with its own date, and the
  organ read from around the list: before it ("General Assembly resolution", "the Assembly in
  its resolution"), after it ("la résolution 48/141 de l'Assemblée générale"), or the citing
  organ itself ("its resolutions", "sa propre résolution");
* text-layer debris: page headers and job numbers, footnotes at page feet with their calls glued
  to the word or number before them (``resolution 77/2285`` = 77/228 + note 5), ``**`` marks,
  OCR noise in numbers.

Everything is precompiled once per language; a document is a handful of linear scans.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from resograph.graph import symbols
from resograph.graph.lexicons import Lexicon, LexiconError, alternation, available, load
from resograph.graph.model import (
    Adoption,
    Citation,
    Paragraph,
    ParsedResolution,
    ParseError,
    Request,
)

#: When True (the default), an unexpected internal error becomes a ParseError so that one bad
#: document never stops a batch; tests switch it off to see the real exception.
SAFETY_NET = True

#: Canonical English labels of the organs (used as request addressees for "Decides").
ORGAN_LABELS = {
    "GA": "General Assembly", "SC": "Security Council", "HRC": "Human Rights Council",
    "ECOSOC": "Economic and Social Council", "CHR": "Commission on Human Rights",
}

#: Upper bound of resolution numbers per session, per organ (plausibility of a number that may
#: carry a glued footnote call).
_MAX_NUMBER = {"GA": 420, "HRC": 80, "ECOSOC": 140, "CHR": 120}

#: Known Security Council resolution numbers per year (lowest, highest), derived from the
#: corpus file names (unsc-en, unsc-akn): a cited (number, year) that contradicts them is an
#: OCR error ("489 (1979)" printed for 459) and is repaired when one digit fix fits.
_SC_YEARS = {
    1946: (1, 15), 1947: (16, 34), 1948: (38, 66), 1949: (67, 78), 1950: (79, 88),
    1951: (90, 96), 1952: (97, 98), 1953: (99, 103), 1954: (104, 105), 1955: (106, 110),
    1956: (112, 121), 1957: (122, 126), 1958: (127, 130), 1959: (132, 132), 1960: (133, 160),
    1961: (161, 170), 1962: (171, 177), 1963: (178, 185), 1964: (186, 199), 1965: (200, 219),
    1966: (220, 232), 1967: (233, 244), 1968: (245, 262), 1969: (263, 275), 1970: (276, 291),
    1971: (292, 307), 1972: (308, 324), 1973: (325, 344), 1974: (345, 366), 1975: (368, 384),
    1976: (386, 402), 1977: (403, 422), 1978: (423, 443), 1979: (445, 461), 1980: (462, 484),
    1981: (485, 499), 1982: (500, 528), 1983: (529, 545), 1984: (546, 559), 1985: (560, 580),
    1986: (583, 593), 1987: (594, 606), 1988: (607, 626), 1989: (628, 646), 1990: (647, 683),
    1991: (684, 725), 1992: (727, 799), 1993: (800, 892), 1994: (893, 902), 2002: (1445, 1454),
    2023: (2672, 2722),
}
_OCR_CONFUSIONS = {"0": "689", "1": "74", "3": "85", "4": "1", "5": "368", "6": "508",
                   "7": "1", "8": "3560", "9": "80"}


def _sc_consistent(number: int, year: int) -> bool:
    for y, (lo, hi) in _SC_YEARS.items():
        if (y < year and number <= hi) or (y > year and number >= lo):
            return False
    return True


def _sc_repair(number: int, year: int) -> int:
    """The number as printed, or the one single-digit OCR fix consistent with the year."""
    if _sc_consistent(number, year):
        return number
    s = str(number)
    fixes = {int(s[:i] + c + s[i + 1:]) for i, ch in enumerate(s)
             for c in _OCR_CONFUSIONS.get(ch, "")}
    fits = [n for n in fixes if n > 0 and _sc_consistent(n, year)]
    return fits[0] if len(fits) == 1 else number


_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_MAX_TEXT = 5_000_000  # characters; a resolution is a few hundred kilobytes at most


# ============================================================================ public API


def extract_file(path: str | Path, *, lang: str | None = None) -> ParsedResolution:
    """Parse one file: .txt, .pdf, .docx (text extractor) or .xml (AKN4UN reader).

    Sets ``file``, ``source_format`` and ``source_sha256`` (of the file's bytes).
    Raises :class:`ParseError` naming the file for anything unreadable.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        raise ParseError("JSON Lines files are ingested, not extracted (use `resograph ingest`)",
                         source=str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", source=str(p)) from None
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xml":
        try:
            from resograph.graph import akn
        except ImportError as exc:
            raise ParseError(f"AKN4UN reader unavailable: {exc}", source=str(p)) from None
        parsed = akn.parse_akn(p)
        parsed.file = parsed.file or str(p)
        parsed.source_sha256 = parsed.source_sha256 or digest
        return parsed
    from resograph.graph import readers

    fmt = readers.source_format(p)
    text = readers.read_text(p)
    parsed = extract_text(text, lang=lang, source=str(p))
    parsed.file = str(p)
    parsed.source_format = fmt
    parsed.source_sha256 = digest
    return parsed


def extract_text(text: str, *, lang: str | None = None,
                 source: str | None = None) -> ParsedResolution:
    """Parse the text of one resolution; ``lang`` is detected among the lexicons when omitted.

    ``source`` (a file name) is used in error messages and, when the text does not print the
    resolution's symbol, to read it from the file name (``S_RES_0688_1991...``).
    Raises :class:`ParseError` when the text is not a resolution one can identify.
    """
    if not isinstance(text, str):
        raise ParseError("text must be a string", source=source)
    if len(text) > _MAX_TEXT:
        raise ParseError(f"text too long ({len(text)} characters) for one resolution",
                         source=source)
    if not SAFETY_NET:
        return _Extraction(text, lang, source).run()
    try:
        return _Extraction(text, lang, source).run()
    except ParseError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError(f"text too complex to parse ({type(exc).__name__})",
                         source=source) from None
    except Exception as exc:
        raise ParseError(f"extractor failure ({type(exc).__name__}: {exc}); please report",
                         source=source) from None


def detect_language(text: str) -> str:
    """The lexicon language whose words (and script) the text uses most."""
    sample = text[:2000]
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", sample.casefold())
    best, best_score = None, -1.0
    for code in available():
        try:
            lex = load(code)
        except LexiconError:
            continue
        score = float(sum(1 for w in words if w in lex.detect_words))
        if lex.script_re is not None:
            score += 0.5 * len(lex.script_re.findall(sample))
        if score > best_score:
            best, best_score = code, score
    return best or "en"


# ============================================================================ patterns


@dataclass
class _Patterns:
    """Everything compiled from one lexicon."""

    lex: Lexicon
    organ_line: re.Pattern[str]
    keyword: re.Pattern[str]
    token: re.Pattern[str]
    sep: re.Pattern[str]
    after_date: re.Pattern[str]
    after_organ: re.Pattern[str]
    after_pin: re.Pattern[str]
    chain: re.Pattern[str]
    antecedent: re.Pattern[str]
    after_foreign: re.Pattern[str]
    loose_date: re.Pattern[str]
    after_filler: re.Pattern[str]
    before_organ: re.Pattern[str]
    before_agent: re.Pattern[str]
    before_self: re.Pattern[str]
    before_pin: re.Pattern[str]
    verb_start: re.Pattern[str]
    verb_mid: re.Pattern[str]
    instrument: re.Pattern[str]
    addressee: re.Pattern[str]
    action: re.Pattern[str]
    inf: re.Pattern[str]
    organ_any: re.Pattern[str]
    full_organ: re.Pattern[str]
    agenda: list[re.Pattern[str]]
    session_line: list[re.Pattern[str]]
    adopted: list[re.Pattern[str]]
    meeting: list[re.Pattern[str]]
    adopted_line: list[re.Pattern[str]]
    adopted_line_led: list[re.Pattern[str] | None]
    without_vote: list[re.Pattern[str]]
    unanimous: list[re.Pattern[str]]
    vote: list[re.Pattern[str]]
    due_session: list[re.Pattern[str]]
    due_date: list[re.Pattern[str]]
    title_line: list[re.Pattern[str]]
    annex: re.Pattern[str]
    complementizer: re.Pattern[str]
    request_meanings: frozenset[str]
    # id() of a compiled case-insensitive pattern of this object's lists -> its
    # :func:`_folded_need` (absent: no check); by id, for hashing a compiled pattern hashes
    # its whole program (a due-session pattern holds hundreds of ordinals) at every look-up
    folded_needs: dict[int, tuple[str, ...] | None] = field(default_factory=dict)
    lead_adverb: re.Pattern[str] | None = None
    object_end: re.Pattern[str] | None = None
    verb_cand: re.Pattern[str] | None = None
    verb_after: re.Pattern[str] | None = None
    verb_scan: re.Pattern[str] | None = None  # verb_cand followed by verb_after
    verb_infos: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    start_words: frozenset[str] = frozenset()
    first_word: re.Pattern[str] | None = None
    kw_prefilter: re.Pattern[str] | None = None
    # strings one of which every form of a resolution or decision word holds after word
    # characters only (Arabic "قرار", "مقرر"): _anchors then finds keyword candidates with
    # str.find (see _keyword_cores); empty: kw_prefilter is scanned for
    kw_cores: tuple[str, ...] = ()
    # (literal, offsets) such that every match of ``instrument`` starts at an offset before
    # an occurrence of a literal (see _first_word_anchors); None: scanned for as it is
    instrument_anchors: tuple[tuple[str, tuple[int, ...]], ...] | None = None
    full_organ_anchors: tuple[tuple[str, tuple[int, ...]], ...] | None = None  # (the same)
    session_words: tuple[str, ...] = ()
    post_start: re.Pattern[str] | None = None
    post_start_prefixed: re.Pattern[str] | None = None  # post_start where "S-" is absent
    post_end: re.Pattern[str] | None = None
    # lexicon-driven extras for other scripts and word orders (es, ru, ar, zh)
    after_bare: re.Pattern[str] | None = None
    date_before: re.Pattern[str] | None = None
    topic_before: re.Pattern[str] | None = None
    lower_starts: bool = False
    kw_organ: re.Pattern[str] | None = None
    self_keywords: dict[str, list[str]] = field(default_factory=dict)
    scan_rewrites: tuple[tuple[re.Pattern[str], object], ...] = ()
    scan_table: dict[int, str] | None = None
    scan_chars: re.Pattern[str] | None = None  # the characters scan_table maps, as a class
    scan_map: dict[str, str] = field(default_factory=dict)
    # scan_map as (character, replacement) pairs to apply one after the other, when no
    # replacement holds a mapped character (so the order cannot matter); else None
    scan_pairs: tuple[tuple[str, str], ...] | None = None
    text_rewrites: tuple[tuple[re.Pattern[str], object], ...] = ()
    bounded: bool = True


# A number in one of the UN's numbering styles. Case-sensitive (letters of lettered parts are
# capitals); OCR variants of years and roman numerals are accepted and repaired later.
_TOKEN = (
    r"(?P<tok>"
    r"(?P<ms>(?:ES|S)-\d{1,2}|\d{1,4})\s?/\s?(?P<mn>\d{1,5})"
    r"(?P<ml>\s?[A-Z]{1,2}(?:(?:\s?-\s?|\s(?:{CONJ})\s)[A-Z]{1,2})*(?![\w/]))?"
    r"|(?P<on>\d{1,4}|[Il]|[\dSOIl][\dSOLIl]{1,3}(?=\s?\(\d{4}\)))(?:\s?(?P<ol1>[A-H])(?:\s?(?:-|{CONJ})\s?[A-H])*)?\s?"
    r"(?:\(\s?(?P<op>[12][\dlO]{3}|(?:ES|S)\s?-\s?[IVXL\d]{1,5}|[IVXLl1]{1,7})\s?\)"
    r"|\(?(?P<oy>19[4-9]\d|20[0-3]\d)\)?(?!\d))"
    r"(?:\s?(?P<ol2>[A-H])(?![\w]))?"
    r")"
)


_END = ""  # trie key marking "a phrase ends here"


def _trie(phrases: Iterable[str], gap: str = r"\s+") -> str:
    """The same strings as :func:`~.lexicons.alternation` (literal phrases, any run of spaces
    or ``gap`` between words, either apostrophe), as a prefix tree: ``(?:Recall(?:ing|s))``
    instead of one branch per phrase. Python's regex engine tries the branches of an
    alternation one after the other at every position it scans, so a lexicon of 250 verb forms
    or 40 treaty titles costs 250 (40) attempts per position flat, and a handful as a tree.
    A phrase that is a prefix of another is tried after it (longer forms win, as before)."""
    root: dict[str, dict] = {}
    for p in {p for p in phrases if p}:
        node = root
        for part in re.split(r"(\s+|['’])", p.strip()):
            if not part:
                continue
            if part.isspace():
                toks = [gap]
            elif part in ("'", "’"):
                toks = ["['’]"]
            else:
                toks = [re.escape(c) for c in part]
            for t in toks:
                node = node.setdefault(t, {})
        node[_END] = {}
    if not root:
        return r"(?!x)x"
    return "(?:" + _emit_trie(root)[0] + ")"


def _emit_trie(node: dict[str, dict]) -> tuple[str, int]:
    """(regex, depth) of a trie node; deeper branches first."""
    kids = sorted(((t, *_emit_trie(c)) for t, c in node.items() if t != _END),
                  key=lambda k: -k[2])
    if not kids:
        return "", 0
    alts = [t + rx for t, rx, _ in kids]
    depth = 1 + kids[0][2]
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if _END in node:
        return (f"(?:{body})?" if len(alts) == 1 else body + "?"), depth
    return body, depth


@cache
def _bmp() -> str:
    """Every character of the Basic Multilingual Plane, once."""
    return "".join(map(chr, range(0x10000)))


@cache
def _spaces() -> str:
    """The characters of ``\\s``, listed for a character class: a pattern that opens with a
    class is scanned for one character after the other, and the engine tests a listed
    character in a table, where ``\\s`` costs a function call per character (about twice
    the time over an Arabic text, of which no character is ASCII)."""
    return "".join(f"\\u{ord(c):04x}" for c in re.findall(r"\s", _bmp()))


def _first_chars(phrases: Iterable[str]) -> str:
    """A case-sensitive character class holding every character that a case-insensitive
    match of one of ``phrases`` may start with: the regex engine's own case folding, read
    off the Basic Multilingual Plane (no character beyond it folds to one within, and the
    class holds them all anyway); either apostrophe for one."""
    firsts = {q.strip()[0] for q in phrases if q.strip()}
    if firsts & {"'", "’"}:
        firsts |= {"'", "’"}
    if not firsts:
        return r"(?!x)x"
    cls = "[" + "".join(re.escape(c) for c in sorted(firsts)) + "]"
    found = sorted(set(re.findall(cls, _bmp(), re.I)))
    return "[" + "".join(re.escape(c) for c in found) + "\U00010000-\U0010ffff]"


def _cased(phrases: Iterable[str]) -> set[str]:
    """Each phrase in lower case, Capitalised and UPPER CASE (as lexicons.cased_alternation)."""
    forms: set[str] = set()
    for p in phrases:
        if p:
            forms |= {p, p.lower(), p[:1].upper() + p[1:].lower(), p.upper()}
    return forms


def _trie_fragments(lex: Lexicon) -> dict[str, str]:
    """The lexicon's large alternations rebuilt as prefix trees (same strings matched)."""
    from resograph.graph.lexicons import _strip_names

    d, f = lex.data, lex.frag
    out = {
        "ORGAN": _trie(lex.all_organ_names()),
        "ORGAN_FULL": _trie(_full_organ_names(lex)),
        "RES": _trie(d["resolution_words"]),
        "DEC": _trie(d.get("decision_words", [])),
        "RES_CASED": _trie(_cased(d["resolution_words"])),
        "DEC_CASED": _trie(_cased(d.get("decision_words", []))),
        "INSTRUMENT": _trie(d["instruments"]),
        "ADDRESSEE": _trie(d["addressees"]),
        "ACTION": _trie(d.get("actions", {})),
        "CONJ": _trie(d["list_conjunctions"]),
        "DATECONN": _trie(d["date_connectors"]),
        "TOPIC": _trie(d.get("topic_connectors", [])),
        "AFTERCONN": _trie(d.get("organ_after_connectors", [])),
        "SELF": _trie(d["self_words"]),
        "PINWORD": _trie(d.get("pinpoint_words", {})),
        "ADVERB": _trie(d.get("adverbs", [])),
        "MONTH": _trie(d["months"]),
    }
    # an adverb inside a verb phrase ("Reaffirming also its") is tried last, so that a phrase
    # that names the adverb itself ("تؤكد من جديد") wins, as in the longest-first alternation
    out["VERB"] = _trie((form for verbs in d["verbs"].values() for form in verbs),
                        gap=rf"\s+(?:{out['ADVERB']}\s+)??")
    dates = [p.replace("{MONTH}", out["MONTH"]) for p in d["date_patterns"]]
    out["DATE"] = "(?:" + "|".join(_strip_names(p) for p in dates) + ")"
    partial = [p.replace("{MONTH}", out["MONTH"]) for p in d.get("date_patterns_partial", [])]
    out["PDATE"] = "(?:" + "|".join(_strip_names(p) for p in partial or [r"(?!x)x"]) + ")"
    return {**f, **out}


def _full_organ_names(lex: Lexicon) -> list[str]:
    """The organ names that name one organ alone: a name of several words (not "Assembly");
    every name in a language written without spaces ("人权理事会"), where ambiguous_organs
    lists the short ones."""
    d = lex.data
    return [n for names in d["organs"].values() for n in names
            if " ".join(n.replace("’", "'").split()).casefold() not in lex.ambiguous
            and (len(n.split()) > 1 or not d.get("word_spaces", True))]


@cache
def _patterns(code: str) -> _Patterns:
    lex = load(code)
    f = _trie_fragments(lex)
    d = lex.data
    # languages written without spaces between words (zh) have no word boundaries to check
    bound = r"(?<!\w)" if d.get("word_spaces", True) else ""
    endw = r"(?![^\W\d_])" if bound else ""
    prefix = d.get("number_prefix") or r"(?!x)x"
    suffix = d.get("number_suffix") or r"(?!x)x"
    # Chinese prints each member's date before its number: "2013年12月18日第68/151号"
    sdate = rf"(?:(?P<sdate>{f['DATE']})\s*)?" if d.get("number_prefix") else ""
    # ... and may name each member's topic first: "第59/156号、题为“……”的2018年12月17日第73/189号"
    if sdate and d.get("topic_before_number"):
        sdate = rf"(?:(?:{d['topic_before_number']})\s*)?" + sdate
    # the organ as subject of the resolution: "The Security Council," / "Le Conseil ...,"
    organ_line = re.compile(
        rf"^[ \t]*(?:{f['ARTICLE']}\s*(?P<organ>{f['ORGAN']})[ \t]*[,،，]?"
        rf"|(?P<organ2>{f['ORGAN']})[ \t]*[,،，])[ \t]*$", re.M)
    # no leading look-behind in scanning patterns (it defeats the regex engine's prefix scan):
    # the character before a match is checked with _word_before() instead
    # a word between the resolution word and its number: Arabic "القرار اللاحق 77/318"
    # ("the subsequent resolution"), "قرار المجلس اللاحق 57/26"
    mods = d.get("resolution_modifiers", [])
    mod = rf"(?:{_trie(mods)}{endw}\s*)?" if mods else ""
    keyword = re.compile(
        rf"(?:(?P<res>{f['RES_CASED']})|(?P<dec>{f['DEC_CASED']})){endw}\s*{mod}"
        r"(?:No\.?\s*)?")
    kw_prefilter = re.compile(f["KW_PREFILTER"])
    kw_cores = _keyword_cores(d) if bound else ()
    token = re.compile(_TOKEN.replace("{CONJ}", f["CONJ"]))
    # between two members of a list: a comma or semicolon, a footnote call left by the text
    # layer ("2014,1 30/4"), a conjunction, a topic ("377 A (V) on uniting for peace and 76/262")
    sep = re.compile(
        rf"(?:{suffix})?"
        rf"(?:\s*(?:[,;、，；]\s*|\.\s+(?=\d{{1,4}}\s?\(\d{{4}}\)))?"
        rf"(?:\d{{1,3}}\s+(?=\d{{1,4}}\s?[/(]))?"
        rf"|(?<=\s)(?i:{f['TOPIC']})\s+[^,;()\d]{{1,80}}?,?\s+(?=(?i:{f['CONJ']})\s)"
        rf"|\s+(?i:{f['TOPIC']})\s+[^,;()\d]{{1,80}}?,?\s+(?=(?i:{f['CONJ']})\s)"
        rf"|\s*,?\s*(?i:{f['TOPIC']})\s+(?:[“\"«][^”\"»]{{1,300}}[”\"»]|[^;]{{1,160}}?)\s*,?\s+"
        rf"(?:(?i:{f['CONJ']})\s+)?(?=(?:(?:(?:ES|S)-)?\d{{1,4}}/\d{{1,4}}|\d{{1,4}}\s?\([^)]{{1,6}}\))\s*,?\s+"
        rf"(?i:{f['DATECONN']})\s+\d))"
        rf"(?:(?i:{f['CONJ']})\s*)?(?:(?i:(?P<sres>{f['RES']})|(?P<sdec>{f['DEC']}))\s+)?"
        rf"{sdate}(?:{prefix})?\s?"
        r"(?=\(?\d|[IlES]-?\d|ES-\d|[Il]\s?\(|[SOIl][\dSOLIl]{1,3}\s?\(\d{4}\))")
    after_date = re.compile(rf"\s*,?\s*(?i:{f['DATECONN']})\s+(?:(?P<date>(?i:{f['DATE']}))"
                            r"(?:\d{1,3}(?![\d/]))?"
                            rf"|(?P<pdate>(?i:{f['PDATE']}))(?![\w/]))\s*,?")
    loose_date = re.compile(
        rf"\s*,?\s*(?i:{f['DATECONN']})\s+(?P<loose>\d{{1,2}}[,.]?\s+[^\W\d_]{{3,12}}"
        rf"(?:[,.]?\s+\d{{4}}(?!\d))?"
        # several days of one month: "des 14 et 18 décembre 1973"
        rf"|\d{{1,2}}(?:\s*(?:,|(?i:{f['CONJ']}))\s*\d{{1,2}})+\s+(?i:{f['MONTH']})"
        rf"(?:\s+\d{{4}}(?!\d))?)\s*,?")
    after_organ = re.compile(
        rf"\s*,?\s*(?i:{f['AFTERCONN']})\s*(?P<organ>{f['ORGAN']}){endw}")
    after_pin = re.compile(
        rf"\s*,?\s*(?:(?i:{f['PININTRO']})\s+)?(?P<word>(?i:{f['PINWORD']}))\s+"
        rf"(?P<ref>\d+(?![\d/]|\s?\(\d)(?:\s?\([a-z]{{1,4}}\))?(?:\s*(?:,|–|-|(?i:{f['CONJ']}|"
        rf"{f['RANGE']}))\s*\d+(?![\d/]|\s?\(\d)(?:\s?\([a-z]{{1,4}}\))?)*)\s*,?")
    bare_after = "" in d.get("organ_after_connectors", [])
    conn = rf"(?i:{f['AFTERCONN']})" + ("?" if bare_after else "")
    # between an organ and a later word: a space, or in a language written without spaces a
    # few characters ("人权理事会相关决议", "人权理事会关于该议题的各项决议")
    wordgap = r"\s+" if bound else r"[^\d,;，；。、]{0,12}?"
    spaces = r"\s+" if bound else r"\s*"
    antecedent = re.compile(
        rf"(?i:{f['RES']}|{f['DEC']})[^.;:\d]{{0,60}}?{conn}\s*"
        rf"(?P<organ>{f['ORGAN_FULL']})"
        rf"|(?P<organ2>{f['ORGAN_FULL']}){wordgap}(?i:{f['RES']}|{f['DEC']})(?=[^\d]{{0,60}}$)")
    # "resolution 10/7 of 15 December 2023 of the Conference of the States Parties": another
    # body's; not after a comma ("dans sa résolution 68/237 ..., de la Décennie")
    after_foreign = re.compile(
        rf"(?<![,;])\s*(?i:{f['AFTERCONN']})\s*(?!{f['ORGAN']})[A-Z][\w-]+")
    chain = re.compile(
        rf"\s*[,;]?\s*(?:\d{{1,3}}\s*)?(?i:{f['CONJ']})\s+(?:(?i:{f['ADVERB']})\s+)?")
    after_filler = re.compile(
        rf"\s*[,;]?\s*(?i:{f['FILLER']})(?:\s*(?:[IVX]+|[A-Z]|\d+)(?:\s*[–-]\s*\d+)?)?"
        rf"(?=[\s,;.]|$)")
    organ_alt = f["ORGAN"]
    before_organ = re.compile(rf"(?P<organ>{organ_alt})\s*(?:['’]s\s*)?$")
    before_agent = re.compile(
        rf"(?P<organ>{organ_alt})\s*,?{spaces}(?i:{f['AGENT']})\s*"
        rf"(?:(?i:{f['SELF']})\s+)?$")
    before_self = re.compile(rf"{bound}(?i:{f['SELF']})\s*$")
    before_pin = re.compile(
        rf"{bound}(?P<word>(?i:{f['PINWORD']}))\s+(?P<ref>\d+(?:\s?\([a-z]{{1,4}}\))?"
        rf"(?:\s*(?:,|-|–|(?i:{f['CONJ']}))\s*\d+(?:\s?\([a-z]{{1,4}}\))?)*)\s*,?\s+"
        rf"(?i:{f['PINCONN']})\s*$")
    adverb = f["ADVERB"]
    verb_start = re.compile(
        rf"^\s*(?:(?i:{f['SUBJECT']})\s*,?\s+)?(?:(?i:{adverb})\s*,?\s+)*(?P<verb>(?i:{f['VERB']}))"
        rf"{endw}")
    verb_mid = re.compile(
        rf"(?:[,;:]\s*(?:(?i:{f['CONJ']})\s+)?|\s(?i:{f['CONJ']})\s+)(?:(?i:{adverb})\s+)*"
        rf"(?P<verb>(?i:{f['VERB']})){endw}")
    instrument = re.compile(rf"(?P<name>{f['INSTRUMENT']}){endw}")
    addressee = re.compile(rf"^\s*,?\s*(?:(?i:{f['ARTICLE']})\s*)?(?P<name>{f['ADDRESSEE']}){endw}",
                           re.I)
    action = re.compile(rf"^\s*(?P<action>{f['ACTION']}){endw}", re.I)
    inf = re.compile(rf"(?:^|\s)(?:{f['INF']})(?:\s+|(?<=['’]))", re.I)
    organ_any = re.compile(rf"(?P<organ>{organ_alt}){endw}")
    full_organ = re.compile(rf"(?P<organ>{f['ORGAN_FULL']}){endw}")
    lead_adverb = re.compile(rf"^\s*(?:{f['ADVERB']})\s+", re.I)
    # as [,;:]|\s(?:CONJ)\s(?:INF)\s, but opening with one character class: an alternation
    # whose branches open with classes gets no prefix scan from the regex engine, which then
    # tries it at every character (as it does anything case-insensitive that opens a pattern)
    object_end = re.compile(
        rf"[,;:{_spaces()}](?:(?<=[,;:])|(?<=\s)(?:{f['CONJ']})\s(?:{f['INF']})\s)", re.I)
    verb_cand = re.compile(rf"[,;:]\s*|\s(?=(?i:{f['CONJ']})\s)")
    verb_after = re.compile(
        rf"(?:(?i:{f['CONJ']})\s+)?(?:(?i:{adverb})\s+)*(?P<verb>(?i:{f['VERB']})){endw}")
    # a clause start (verb_cand) followed by a verb (verb_after), in one scan; verb_cand
    # rewritten to open with one character class, so that the engine scans for it quickly
    # verb_after starts with a conjunction, an adverb or a verb: a case-sensitive class of
    # their first letters, tested before it, spares the case-insensitive trees (which the
    # engine walks branch by branch) at most clause starts
    lead = _first_chars([*d["list_conjunctions"], *d.get("adverbs", []),
                         *(v for verbs in d["verbs"].values() for v in verbs)])
    verb_scan = re.compile(
        rf"[,;:{_spaces()}](?:(?<=[,;:])\s*|(?<=\s)(?=(?i:{f['CONJ']})\s))"
        rf"(?={lead})(?={verb_after.pattern})")
    # first words that may start a paragraph's verb phrase (verbs, adverbs, subjects)
    start_words = frozenset(
        (w.split()[0] if bound else w.strip()[0]).replace("’", "'").casefold()
        for w in [*(v for verbs in d["verbs"].values() for v in verbs),
                  *d.get("adverbs", []), *d.get("subject_prefixes", [])] if w.split())
    first_word = re.compile(r"\s*([^\s,;:]+)" if bound else r"\s*(\S)")
    complementizer = re.compile(
        rf"^\s*,?\s*{alternation(d.get('complementizers', []))}(?:\s|(?<=['’]))", re.I)
    annex_words = d.get("annex_words", [])
    annex = re.compile(rf"^\s*(?:{'|'.join(re.escape(w) for w in annex_words) or '(?!x)x'})"
                       r"(?:\s+[IVX\d]+)?\s*$")
    post_start = post_end = post_start_prefixed = None
    if d.get("resolution_words_after"):
        # "第1514(XV)号决议": the number before the resolution word
        # "第77/20号关于...的决议": a topic between the list and its word
        topic = rf"(?:(?:{d['topic_before_number']})\s?)?" if d.get("topic_before_number") else ""
        post_start = re.compile(rf"(?:{prefix})\s?(?=\d|(?:ES|S)-\d)"
                                rf"|(?=(?:ES|S)-\d{{1,2}}/\d{{1,4}}\s?(?:{suffix}))")
        # its first branch alone: all that can match in a text without "S-", and, opening
        # with the prefix word, scanned for quickly (the look-ahead branch gets no scan)
        post_start_prefixed = re.compile(rf"(?:{prefix})\s?(?=\d|(?:ES|S)-\d)")
        post_end = re.compile(
            rf"\s?(?:{suffix})?\s?{topic}(?:(?P<res>{alternation(d['resolution_words_after'])})"
            rf"|(?P<dec>{alternation(d.get('decision_words_after', []))}))")
    adopted_line = lex.compile_list("adopted_line")
    # case-insensitive lists searched in running text: what a text must hold for each
    checked = {k: lex.compile_list(k) for k in _FOLD_CHECKED}
    folded_needs: dict[int, tuple[str, ...] | None] = {}
    for key, compiled in checked.items():
        raws = d.get(key, [])
        for raw, rx in zip([raws] if isinstance(raws, str) else raws, compiled, strict=True):
            folded_needs[id(rx)] = _folded_need(raw, rx.flags)
    scan_map = {k: v or "" for k, v in d.get("scan_translate", {}).items()}
    return _Patterns(
        kw_prefilter=kw_prefilter, kw_cores=kw_cores,
        instrument_anchors=_first_word_anchors(d["instruments"]),
        full_organ_anchors=_first_word_anchors(_full_organ_names(lex)),
        session_words=tuple(w.casefold() for w in d.get("session_words", [])),
        post_start=post_start, post_end=post_end, bounded=bool(bound),
        post_start_prefixed=post_start_prefixed,
        lex=lex, organ_line=organ_line, keyword=keyword, token=token, sep=sep,
        after_date=after_date, after_organ=after_organ, after_filler=after_filler,
        lower_starts=bool(d.get("lowercase_verbs")),
        topic_before=re.compile(rf"(?:{d['topic_before_number']})\s*$")
        if d.get("topic_before_number") else None,
        date_before=re.compile(rf"(?:{f['DATE']})\s*$") if d.get("number_prefix") else None,
        after_bare=re.compile(rf"[ \t\n]+(?P<organ>{f['ORGAN']}){endw}") if bare_after else None,
        kw_organ=re.compile(
            rf"\s*(?:(?i:{alternation(d['organ_before_number'])})\s*)?(?P<organ>{f['ORGAN']})"
            rf"{endw}\s*{mod}(?=\(?\d|(?:ES|S)-\d)") if d.get("organ_before_number") else None,
        self_keywords={k.casefold(): v for k, v in d.get("self_resolution_words", {}).items()},
        scan_rewrites=_rewrites(d, "scan_rewrites", 0),
        scan_table=str.maketrans(d["scan_translate"]) if d.get("scan_translate") else None,
        scan_chars=re.compile("[" + "".join(re.escape(k) for k in d["scan_translate"]) + "]")
        if d.get("scan_translate") else None,
        scan_map=scan_map,
        scan_pairs=None if any(c in scan_map for v in scan_map.values() for c in v)
        else tuple(scan_map.items()),
        text_rewrites=_rewrites(d, "text_rewrites", re.M),
        after_pin=after_pin, chain=chain, antecedent=antecedent, after_foreign=after_foreign,
        loose_date=loose_date,
        before_organ=before_organ, before_agent=before_agent, before_self=before_self,
        before_pin=before_pin, verb_start=verb_start, verb_mid=verb_mid, instrument=instrument,
        addressee=addressee, action=action, inf=inf, organ_any=organ_any, full_organ=full_organ,
        agenda=lex.compile_list("agenda"), session_line=lex.compile_list("session_line"),
        adopted=lex.compile_list("adopted"), meeting=lex.compile_list("meeting"),
        adopted_line=adopted_line,
        adopted_line_led=[_led_by_newline(rx) for rx in adopted_line],
        without_vote=checked["without_vote"], unanimous=checked["unanimous"],
        vote=checked["vote"], due_session=checked["due_session"],
        due_date=checked["due_date"], title_line=lex.compile_list("title_line"),
        folded_needs=folded_needs,
        annex=annex, complementizer=complementizer, lead_adverb=lead_adverb,
        object_end=object_end, verb_cand=verb_cand, verb_after=verb_after,
        verb_scan=verb_scan,
        start_words=start_words, first_word=first_word,
        request_meanings=frozenset(d.get("request_meanings", [])),
    )


def _keyword_cores(data: dict) -> tuple[str, ...]:
    """A few strings of four or more characters such that every resolution or decision word,
    in each of its cased forms, holds one of them after word characters only (Arabic "قرار",
    "مقرر"; English "esolution", "ESOLUTION", "res.", ...); () when more than
    ``_MAX_CORES`` would be needed, or when the keyword prefilter holds a character that is no
    word character.

    Why: the prefilter (three character classes) is scanned for at every character of every
    paragraph, and tried at each of its first letters (in a language whose resolution words
    carry clitics, Arabic "والقرار", "بقرار", those are the commonest letters). A core is
    found with ``str.find``, a fast scan in C, and walking back from it over word characters
    gives the one word start where a keyword holding it can begin: every word start where a
    keyword can match is among them, and each is checked with the prefilter and the keyword
    pattern as before. Prefilter matches that overlap cannot hide a word start (the classes
    hold word characters only), so the candidates are the same."""
    words = [w for w in [*data.get("resolution_words", []), *data.get("decision_words", [])]
             if w]
    if not words:
        return ()
    # the prefilter's classes: the first three letters of each word, lower and upper case
    width = min(3, *(len(w) for w in words))
    if not all(c.isalnum() or c == "_" for w in words for ch in w[:width]
               for c in (ch.lower(), ch.upper())):
        return ()
    forms = sorted(_cased(words))
    covers: dict[str, set[str]] = {}
    for form in forms:
        for i in range(len(form)):
            if i and not (form[i - 1].isalnum() or form[i - 1] == "_"):
                break  # a later core would follow a character that is no word character
            for j in range(i + 4, len(form) + 1):
                if form[j - 1].isspace() or form[j - 1] in "'’":
                    break  # the trees match any space or apostrophe there: no literal core
                covers.setdefault(form[i:j], set()).add(form)
    left, cores = set(forms), []
    while left:
        best = max(covers, key=lambda c: (len(covers[c] & left), len(c)), default=None)
        if best is None or not covers[best] & left or len(cores) == _MAX_CORES:
            return ()
        cores.append(best)
        left -= covers[best]
    return tuple(cores)


#: more cores than this cost more ``str.find`` scans than the prefilter's one regex scan
_MAX_CORES = 8


def _first_word_anchors(phrases: Iterable[str]) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    """For the prefix tree of ``phrases`` (:func:`_trie`, case-sensitive): (literal, offsets)
    pairs such that every match starts ``k`` characters before an occurrence of a literal,
    ``k`` one of its offsets; None when more than :data:`_MAX_CORES` literals are needed.

    A match opens with a phrase's first word, printed as it is; a first word that holds a
    shorter one ("الميثاق" holds "ميثاق" two characters in) is found by that one's scan.

    Why: the tree opens with many first letters (in Arabic, the alef of the article, the
    commonest letter): the engine tries it at each of them, in every paragraph; the first
    words themselves are rare, and found by a few ``str.find`` scans of the whole document
    (:meth:`_Extraction._instrument_hits`)."""
    words = set()
    for phrase in phrases:
        if not phrase:
            continue  # (the tree leaves it out)
        p = phrase.strip()
        if not p or p[0] in "'’":
            return None  # the tree matches an empty string, or opens with a class there
        words.add(re.split(r"\s+|['’]", p)[0])
    anchors: dict[str, set[int]] = {}
    for word in sorted(words, key=lambda w: (len(w), w)):
        for lit, offsets in anchors.items():
            k = word.find(lit)
            if k >= 0:
                offsets.add(k)
                break
        else:
            anchors[word] = {0}
    if not anchors or len(anchors) > _MAX_CORES:
        return None
    return tuple((lit, tuple(sorted(offsets))) for lit, offsets in anchors.items())


def _anchored_finditer(rx: re.Pattern[str], anchors: tuple[tuple[str, tuple[int, ...]], ...],
                       text: str) -> list[re.Match[str]] | None:
    """``list(rx.finditer(text))`` for a pattern that matches no empty string and whose every
    match starts ``k`` characters before an occurrence of one of the ``anchors``' literals,
    ``k`` one of its offsets (:func:`_first_word_anchors`): the literals are found with
    ``str.find`` and the pattern is matched only there, in order, each match from the end
    of the previous one, as finditer scans. None when the literals occur so often (more
    than one start to try per 16 characters) that the plain scan costs less."""
    budget = len(text) // 16
    starts: set[int] = set()
    for lit, offsets in anchors:
        i = text.find(lit)
        while i >= 0:
            starts.update(i - k for k in offsets if k <= i)
            if len(starts) > budget:
                return None
            i = text.find(lit, i + 1)
    out: list[re.Match[str]] = []
    end = 0
    for start in sorted(starts):
        if start < end:
            continue
        m = rx.match(text, start)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


class _Roman:
    """A rewrite group value that formats as a roman numeral with ``{n:roman}``."""

    def __init__(self, value: str):
        self.value = value

    def __format__(self, spec: str) -> str:
        if spec == "roman" and self.value.isdigit() and 0 < int(self.value) < 90:
            n, out = int(self.value), ""
            for v, r in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                         (1, "I")):
                while n >= v:
                    out, n = out + r, n - v
            return out
        return self.value


def _rewrites(data: dict, key: str, flags: int) -> tuple[tuple[re.Pattern[str], object], ...]:
    """Compile a lexicon's ``[regex, replacement]`` rewrites. A replacement with ``{name}``
    fields is filled from the named groups (``{n:roman}``: the group as a roman numeral, for
    session numbers printed in Arabic digits: "(د-15)" -> "(XV)"); otherwise it is an ``re``
    template."""
    out = []
    for item in data.get(key, []):
        try:
            pattern, repl = item
            rx = re.compile(pattern, flags)
        except (ValueError, TypeError, re.error) as exc:
            raise LexiconError(f"lexicon {data.get('language')!r}: key {key!r}: {item!r}: "
                               f"{exc}") from None
        if "{" in repl:
            def fill(m: re.Match[str], repl: str = repl) -> str:
                return repl.format_map({k: _Roman(v or "") for k, v in m.groupdict().items()})
            out.append((rx, fill))
        else:
            out.append((rx, repl))
    return tuple(out)


def _required(items: list) -> frozenset[str] | None:
    """Strings of which every match of a parsed pattern (lookarounds included) must contain
    one, or None when unknown: a cheap ``in`` test then skips a rewrite that cannot apply,
    instead of running the regex over a whole paragraph (patterns opening with a look-behind
    get no prefix scan from the regex engine)."""
    from re import _constants as sre  # type: ignore[attr-defined]

    best: frozenset[str] | None = None

    def consider(cand: frozenset[str] | None) -> None:
        nonlocal best
        if not cand:
            return
        key = (min(map(len, cand)), -len(cand))
        if best is None or key > (min(map(len, best)), -len(best)):
            best = cand

    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            consider(frozenset([run]))
            run = ""
        cand: frozenset[str] | None = None
        if op is sre.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None
            cand = _required(av[3])
        elif op is sre.BRANCH:
            alts = [_required(a) for a in av[1]]
            cand = None if any(a is None for a in alts) else frozenset().union(*alts)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            cand = _required(av[2])
        elif op is sre.ASSERT:
            cand = _required(av[1])
        elif op is sre.IN and all(o is sre.LITERAL for o, _ in av):
            cand = frozenset(chr(v) for _, v in av)
        consider(cand)
    if run:
        consider(frozenset([run]))
    return best


def _prefilter(rx: re.Pattern[str]) -> str | re.Pattern[str] | None:
    """What a text must contain for ``rx`` to match: one string, or a pattern of several
    literal strings; None when unknown (the rewrite always runs)."""
    if rx.flags & re.IGNORECASE:
        return None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        req = _required(list(sre_parse.parse(rx.pattern, rx.flags)))
    except Exception:  # an unknown pattern shape just gets no prefilter
        return None
    if not req:
        return None
    if len(req) == 1:
        return next(iter(req))
    # several rules may need the same words (Arabic clitics before treaty names): one
    # compiled prefix tree each, shared, so that _apply tests it once per text
    return _compiled(_trie(req))


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: a rewrite is anchored (:func:`_anchor`) on at most this many literals, each one
#: ``str.find`` scan of the text
_MAX_ANCHORS = 12
#: an offset range wider than this is treated as unbounded
_FAR = 1 << 16
_Anchor = tuple[frozenset[str], int, int]


def _anchor_of(items: list, state: object) -> _Anchor | None:
    """(literals, lo, hi): every match of the parsed sequence ``items`` holds one of
    ``literals`` (case-sensitive) starting ``lo`` to ``hi`` characters after the match starts
    (``lo`` below 0: inside a look-behind); None when no such set is known. Of several, the
    one whose shortest literal is longest, then the fewest literals (as :func:`_required`)."""
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    best: _Anchor | None = None

    def consider(cand: _Anchor | None) -> None:
        nonlocal best
        if cand is None or not cand[0]:
            return
        key = (min(map(len, cand[0])), -len(cand[0]))
        if best is None or key > (min(map(len, best[0])), -len(best[0])):
            best = cand

    def shifted(inner: _Anchor | None, lo: int, hi: int) -> _Anchor | None:
        return None if inner is None else (inner[0], inner[1] + lo, inner[2] + hi)

    lo = hi = 0  # the offset range, from the match start, of the item at hand
    run, run_lo, run_hi = "", 0, 0
    for op, av in items:
        if op is sre.LITERAL:
            if not run:
                run_lo, run_hi = lo, hi
            run += chr(av)
            lo, hi = lo + 1, hi + 1
            continue
        if run:
            consider((frozenset([run]), run_lo, run_hi))
            run = ""
        cand: _Anchor | None = None
        if op is sre.SUBPATTERN:
            if not av[1] & re.IGNORECASE:
                cand = shifted(_anchor_of(av[3], state), lo, hi)
        elif op is sre.BRANCH:
            alts = [_anchor_of(a, state) for a in av[1]]
            if all(a is not None for a in alts):
                cand = (frozenset().union(*(a[0] for a in alts if a)),
                        lo + min(a[1] for a in alts if a), hi + max(a[2] for a in alts if a))
        elif op is sre.ASSERT:
            direction, sub = av
            if direction == 1:  # a look-ahead starts where it stands
                cand = shifted(_anchor_of(sub, state), lo, hi)
            else:  # a look-behind ends there, and has one width
                w = sre_parse.SubPattern(state, sub).getwidth()
                if w[0] == w[1]:
                    cand = shifted(_anchor_of(sub, state), lo - w[0], hi - w[0])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            cand = shifted(_anchor_of(av[2], state), lo, hi)
        elif op is sre.IN and all(o is sre.LITERAL for o, _ in av):
            cand = (frozenset(chr(v) for _, v in av), lo, hi)
        consider(cand)
        w_lo, w_hi = sre_parse.SubPattern(state, [(op, av)]).getwidth()
        lo, hi = lo + w_lo, hi + w_hi
        if hi >= _FAR:
            break  # nothing later has a bounded offset
    if run:
        consider((frozenset([run]), run_lo, run_hi))
    return best


def _anchor(rx: re.Pattern[str]) -> tuple[tuple[str, ...], int, int] | None:
    """Literals of three or more characters, at most :data:`_MAX_ANCHORS` of them, one of
    which every match of the rewrite ``rx`` holds at a bounded offset from its start
    (:func:`_anchor_of`), as (literals, lo, hi); None for a rule without them, or one that
    may match an empty string or opens with a literal (the engine's own quick scan finds
    that one).

    Why: a rule that opens with a character class ("[\\s(]" before Arabic clitics) or a
    look-behind gets no literal prefix scan from the regex engine: it is tried at every
    character of the whole text, though it can only match a few characters before one of
    its literals (treaty names). :func:`_sub_anchored` finds the literals with ``str.find``
    and tries the rule only there. (A literal that starts with another one is left out: the
    shorter one's scan finds it.)"""
    if rx.flags & re.IGNORECASE:
        return None
    try:
        from re import _constants as sre_constants  # type: ignore[attr-defined]
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        tree = sre_parse.parse(rx.pattern, rx.flags)
        if tree.getwidth()[0] == 0 or tree.data[0][0] is sre_constants.LITERAL:
            return None  # (a rule opening with a literal gets the engine's own quick scan)
        found = _anchor_of(tree.data, tree.state)
    except Exception:  # an unknown pattern shape is just substituted as it is
        return None
    if found is None:
        return None
    literals = sorted(found[0], key=lambda s: (len(s), s))
    kept = tuple(s for i, s in enumerate(literals)
                 if not any(s.startswith(t) for t in literals[:i]))
    if len(kept[0]) < 3 or len(kept) > _MAX_ANCHORS:
        return None
    return kept, found[1], found[2]


def _sub_anchored(rx: re.Pattern[str], anchor: tuple[tuple[str, ...], int, int], repl: object,
                  text: str, occurrences: dict[str, list[int]]) -> str | None:
    """``rx.sub(repl, text)`` for a rule with an :func:`_anchor`: the rule is matched only
    where a match can start, a few characters before one of its literals, in order, each
    match from the end of the previous one (as ``re.sub`` scans); None when the literals
    are so frequent that the plain substitution is cheaper. ``occurrences`` caches where
    each literal is found in ``text`` (rules of one lexicon share their literals)."""
    literals, lo, hi = anchor
    width = hi - lo + 1
    budget = len(text) // 16  # candidate starts worth trying one by one
    starts: set[int] = set()
    for lit in literals:
        found = occurrences.get(lit)
        if found is None:
            found = occurrences[lit] = []
            i = text.find(lit)
            while i >= 0:
                found.append(i)
                i = text.find(lit, i + 1)
        if len(starts) + width * len(found) > budget:
            return None
        for i in found:
            starts.update(range(max(i - hi, 0), min(i - lo, len(text)) + 1))
    return _sub_at(rx, repl, text, sorted(starts)) if starts else text


def _sub_at(rx: re.Pattern[str], repl: object, text: str, starts: Iterable[int], *,
            every: bool = False) -> str:
    """``rx.sub(repl, text)`` when every match starts at one of ``starts`` (ascending): each
    is matched from the end of the previous match on, as ``re.sub`` scans; ``every``: each
    start is known to be a match (asserted)."""
    out: list[str] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        m = rx.match(text, start)
        if m is None:
            assert not every, "a start given as a match is none"
            continue
        out.append(text[end:start])
        out.append(repl(m) if callable(repl) else m.expand(repl))  # type: ignore[arg-type]
        end = m.end()
    if not out:
        return text
    out.append(text[end:])
    return "".join(out)


def _ascii_twin(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx`` opening with ``[0-9]`` where it opens with ``\\d`` (or ``(\\d)``); ``rx`` itself
    otherwise. On a text holding no digit but ASCII ones the twin matches alike; opening with
    a class the engine scans for character by character, it tests each in a table, where
    ``\\d`` costs a Unicode look-up per character (about twice the time on an Arabic text)."""
    twin = _TWINS.get(rx)
    if twin is None:
        for lead, ascii_lead in ((r"(\d)", "([0-9])"), (r"\d", "[0-9]")):
            if rx.pattern.startswith(lead):
                twin = re.compile(ascii_lead + rx.pattern[len(lead):], rx.flags)
                break
        else:
            twin = rx
        _TWINS[rx] = twin
    return twin


def _apply(rules: tuple[tuple[re.Pattern[str], object], ...], text: str,
           ascii_digits: bool = False) -> str:
    """Each rewrite ``rx.sub(repl, text)`` in turn; ``ascii_digits``: the text holds no digit
    but ASCII ones (see :func:`_ascii_twin`)."""
    found: dict[re.Pattern[str], bool] = {}
    occurrences: dict[str, list[int]] = {}
    for rx, repl in rules:
        if ascii_digits:
            rx = _ascii_twin(rx)
        anchor = _ANCHORS.get(rx, False)
        if anchor is False:
            anchor = _ANCHORS[rx] = _anchor(rx)
        if anchor is not None:
            new = _sub_anchored(rx, anchor, repl, text, occurrences)
            if new is not None:
                if new != text:
                    text, found, occurrences = new, {}, {}
                continue
        need = _PREFILTERS.get(rx, False)
        if need is False:
            need = _PREFILTERS[rx] = _prefilter(rx)
        if need is None:
            pass
        elif isinstance(need, str):
            if need not in text:
                continue
        else:
            hit = found.get(need)
            if hit is None:
                hit = found[need] = need.search(text) is not None
            if not hit:
                continue
        led = _LEDS.get(rx, False)
        if led is False:
            led = _LEDS[rx] = _led_by_newline(rx)
        new = (rx.sub(repl, text) if led is None  # type: ignore[call-overload]
               else _sub_led(rx, led, repl, text))
        if new != text:
            text, found, occurrences = new, {}, {}
    return text


def _sub_led(rx: re.Pattern[str], led: re.Pattern[str], repl: object, text: str) -> str:
    """``rx.sub(repl, text)`` for a rule that opens with ``^`` (multiline): its matches are
    found with its newline-led twin (:func:`_line_match_starts`), for ``^`` gets no prefix
    scan from the regex engine (the rule is tried at every character of a whole text, the
    twin only where a line begins), and each is matched again with ``rx`` for its groups
    (a match of the twin is one of ``rx`` there)."""
    return _sub_at(rx, repl, text, _line_match_starts(rx, led, text), every=True)


def _led_by_newline(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """The same pattern led by a newline instead of ``^``, for a MULTILINE pattern that opens
    with ``^`` (and cannot match an empty string); None for any other.

    A case-insensitive pattern gets no prefix scan from the regex engine, so ``^\\s*Adopted``
    is tried at every character of a whole text; led by ``\\n`` (a literal, not cased) it is
    tried only where a line begins, several times faster. :func:`_line_match_starts` turns
    its matches back into those of the original."""
    if not rx.flags & re.MULTILINE or not rx.pattern.startswith("^"):
        return None
    try:
        from re import _constants as sre  # type: ignore[attr-defined]
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        tree = sre_parse.parse(rx.pattern, rx.flags)
        if not tree.data or tree.data[0] != (sre.AT, sre.AT_BEGINNING) \
                or tree.getwidth()[0] == 0:
            return None
        return re.compile(r"\n" + rx.pattern[1:], rx.flags)
    except Exception:  # an unusual pattern shape is just scanned as it is
        return None


def _line_match_starts(rx: re.Pattern[str], led: re.Pattern[str] | None,
                       text: str) -> Iterator[int]:
    """Where the matches of ``rx.finditer(text)`` start, in order, found with ``led`` (its
    twin from :func:`_led_by_newline`) when there is one: a match of ``led`` at a newline is
    a match of ``rx`` on the next character (same groups, same end), and the text's first
    line, which no newline leads, is tried with ``rx`` itself."""
    if led is None:
        for m in rx.finditer(text):
            yield m.start()
        return
    pos = 0
    m = rx.match(text)
    if m is not None:
        yield 0
        pos = m.end()  # > 0: the pattern cannot match empty
    while (m := led.search(text, max(pos - 1, 0))) is not None:
        yield m.start() + 1
        pos = m.end()


#: ASCII letters whose every case-insensitive match casefolds to the letter itself, in runs
#: of three or more: "i" is left out, for it also matches "İ" and "ı" (checked against every
#: code point; "s" matches "ſ" and "k" the Kelvin sign, which casefold to "s" and "k")
_FOLD_SAFE = re.compile(r"[a-hj-zA-HJ-Z]{3,}")
#: the lexicon lists whose patterns get a :func:`_folded_need` check
_FOLD_CHECKED = ("due_session", "due_date", "vote", "unanimous", "without_vote")
_SLOT = re.compile(r"\{(?:ORGAN|DATE|ORDINAL|CARDINAL|MONTH)\}")


def _folded_need(pattern: str, flags: int) -> tuple[str, ...] | None:
    """For a case-insensitive lexicon pattern: strings one of which a text, casefolded, must
    hold for the pattern to match it; None when unknown. Such a pattern gets no prefix scan
    from the regex engine (it is tried at every character of the text); a substring test is
    a fast scan in C. The lexicon's slots ({ORDINAL}...) are left empty for this: what the
    rest of the pattern requires, the whole pattern requires too, and parsing the slots'
    hundreds of words would cost more than the check saves."""
    if not flags & re.IGNORECASE:
        return None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        req = _required(list(sre_parse.parse(_SLOT.sub("(?:)", pattern), flags)))
    except Exception:  # an unknown pattern shape is just searched
        return None
    if not req:
        return None
    out = []
    for literal in req:
        runs = _FOLD_SAFE.findall(literal)
        if not runs:
            return None
        out.append(max(runs, key=len).casefold())
    return tuple(out)


#: compiled rewrite -> what a text must contain for it to apply (None: always run)
_PREFILTERS: dict[re.Pattern[str], str | re.Pattern[str] | None] = {}
#: compiled rewrite -> its :func:`_led_by_newline` twin (None: it has none)
_LEDS: dict[re.Pattern[str], re.Pattern[str] | None] = {}
#: compiled rewrite -> its :func:`_ascii_twin`
_TWINS: dict[re.Pattern[str], re.Pattern[str]] = {}
#: compiled rewrite -> its :func:`_anchor` (None: it has none)
_ANCHORS: dict[re.Pattern[str], tuple[tuple[str, ...], int, int] | None] = {}


# Explicit symbols printed in full: S/RES/687 (1991), A/RES/48/141, A/HRC/RES/S-35/1, E/CN.4/...
# (every branch opens with a letter, not a group: the regex engine then scans for S, A, E)
_EXPLICIT = re.compile(
    r"(?P<sym>(?:S/RES/\d{1,4}\s?\(\d{4}\)"
    r"|A/RES/\d{1,4}\s?\((?:[IVXL]+|(?:ES|S)-[IVXL\d]+)\)"
    r"|E/RES/\d{1,4}\s?\((?:[IVXL]+|(?:ES|S)-[IVXL\d]+)\)"
    r"|A/(?:HRC/)?(?:RES|DEC)/(?:(?:ES|S)-)?\d{1,4}/\d{1,4}"
    r"|E/(?:CN\.4/)?(?:RES|DEC)/\d{4}/\d{1,4}))")
_BRACKET = re.compile(r"\[([^\]\n]{0,300}(?:\n[^\]\n]{0,300}){0,2})\]")
_DOCUMENT = re.compile(
    r"(?P<sym>(?:A|S|E)/(?:(?:HRC|AC\.\d+|C\.\d|CN\.\d+|CONF\.\d+|[A-Z]{2,5})/)?"
    r"(?:\d{1,4}/)?(?:L\.\d{1,4}|\d{1,5})(?:/(?:Add|Corr|Rev)\.\d+)*)(?![\w/])")
_HRC_REPORT = re.compile(r"\(A/\d{2}/53(?:/Add\.\d+)?(?![\d.])")
_SC_SELF_FILE = re.compile(r"S_RES_0*(\d+)_(\d{4})", re.I)
_GA_FILE = re.compile(r"A_RES_((?:ES-|S-)?\d+)_(\d+)", re.I)
_HRC_FILE = re.compile(r"A_HRC_RES_((?:S-)?\d+)_(\d+)", re.I)
_SC_HEAD = re.compile(
    r"^\s*(?:Resolution\s+|Résolution\s+)?(?P<n>\d{1,4})\s?\((?P<y>\d{4})\)", re.M | re.I)
_OWN_SYMBOL_LINE = re.compile(
    r"^[ \t]*(?P<sym>(?:A|S|E)/(?:HRC/|CN\.4/)?RES/[\w\-/]+(?:\s?\(\d{4}\))?)[ \t]*$", re.M)
# a line of page furniture: a job number ("24-21657 (E)"), a page number ("2/8") or a barcode
# ("*2421657*"); one pattern for the three, matched on each of hundreds of short lines
_FURNITURE = re.compile(
    r"\s*(?:\d{2}-\d{5}\s*(?:\([A-Z]\))?|\d{1,3}\s*/\s*\d{1,3}|\*?\d{7}\*?)\s*$")
_NOTE_SEP = re.compile(r"^\s*_{5,}\s*$")
_NOTE_START = re.compile(r"^\s*(?P<n>\d{1,3})\s+(?P<text>\S.*)$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,3})\s?\.(?:\s+|$)")
_SUBITEM = re.compile(r"^\s*\((?:[a-z]{1,2}|[ivxl]{1,5}|\d{1,2})\)\s")
_ROMAN_HEADING = re.compile(r"^\s*(?:[IVX]{1,5}|[A-Z])\.?\s*$")
_END_PUNCT_RX = re.compile(
    r"[,;:.!?，；：。！？،؛]['’”\")\]）]*\s*(?:\d{1,3}|\(\d{1,3}\))?\s*$")


def _numbered(line: str) -> re.Match[str] | None:
    """``_NUMBERED.match(line)``: a line that opens with neither a digit nor a space cannot
    match, and is told so without the regex call (most lines of a text open with a word)."""
    first = line[:1]
    return _NUMBERED.match(line) if first.isdecimal() or first.isspace() else None


def _ends_clause(line: str) -> bool:
    """Does the line end with clause punctuation (a note call and closing quotes allowed)?
    Only its last characters are searched: a search over the whole line tries every comma."""
    s = line.rstrip()
    return _END_PUNCT_RX.search(s, max(0, len(s) - 24)) is not None
_FOOTNOTE_CALL = re.compile(r"(?P<n>\d{1,3})(?=[\s,.;:)]|$)")  # + _call_before()
_WS = re.compile(r"\s+")
_SCAN_SEP = "\n\x00\n"
_PART = "\x00part"  # marks where the next part (B, C...) of a resolution begins
_YEAR = re.compile(r"\d{4}")
# between two lists that each close with their word ("第18/120号决定、第24/14号决议"): the same
# organ goes on
_SEP_ONLY = re.compile(r"[\s,;、，；]*")
_DIGIT = re.compile(r"\d")
_NUMBER_ONLY = re.compile(r"\d{1,3}\s?\.")
_WORDCHAR = re.compile(r"\w")
_OCR_DIGITS = str.maketrans("SOLIl", "50111")
# Arabic-Indic, Eastern Arabic-Indic and full-width digits, full-width ( ) / read as ASCII
_DIGITS = {**{0x0660 + i: 0x30 + i for i in range(10)}, **{0x06F0 + i: 0x30 + i for i in range(10)},
           **{0xFF10 + i: 0x30 + i for i in range(10)}, 0xFF08: 0x28, 0xFF09: 0x29, 0xFF0F: 0x2F}
_NON_ASCII_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19\uff08\uff09\uff0f]")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff"
                   r"\u061c\u202a-\u202e\u2066-\u2069]")  # and bidi marks of right-to-left text
#: a digit (``\\d``) that is no ASCII digit
_OTHER_DIGIT = re.compile(r"[^\D0-9]")
# either of the two above, or any digit \d knows beyond ASCII in the Basic Multilingual
# Plane (listed, so that the class costs no more than the others: \d itself is a look-up per
# character; those beyond it are left to _has_astral): what _clean has to look for at all
_ODD_CHARS = re.compile(
    "[" + _NON_ASCII_DIGITS.pattern[1:-1] + _CTRL.pattern[1:-1]
    + "".join(map(re.escape, sorted(set(_OTHER_DIGIT.findall(_bmp()))))) + "]")


def _has_astral(text: str) -> bool:
    """A character beyond the Basic Multilingual Plane in ``text``: its UTF-16 form is then
    longer than two bytes a character. (A copy in C; a range of those characters in
    _ODD_CHARS would cost a second test per character of every text scanned.)"""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def _word_before(text: str, pos: int, extra: str = "") -> bool:
    """True when the character before ``pos`` continues a word (so a match there is no word)."""
    if pos == 0:
        return False
    ch = text[pos - 1]
    return ch.isalnum() or ch == "_" or ch in extra


def _call_before(text: str, pos: int) -> bool:
    """True when digits at ``pos`` are glued to a word or punctuation: a footnote call."""
    if pos == 0:
        return False
    ch = text[pos - 1]
    return (ch.isalpha() or ch in ".,;:)”’\"") and not ch.isdigit()


def _has_call(text: str, k: int) -> bool:
    """Does ``text`` carry the call of note ``k`` (digits glued to a word or punctuation)?"""
    needle = str(k)
    i = text.find(needle)
    while i >= 0:
        end = i + len(needle)
        if _call_before(text, i) and (end == len(text) or not text[end].isdigit()):
            return True
        i = text.find(needle, i + 1)
    return False


def _squash(text: str) -> str:
    """``_WS.sub(" ", text)``: ``str.split`` splits at the same white space as ``\\s`` (the
    Unicode spaces) and scans several times faster than a regex substitution."""
    words = text.split()
    if not words:
        return " " if text else ""
    out = " ".join(words)
    if text[0].isspace():
        out = " " + out
    if text[-1].isspace():
        out += " "
    return out


def _has_ascii_digit(text: str) -> bool:
    """An ASCII digit anywhere in ``text``: ten substring tests (memchr speed; a loop, not
    ``any()`` over a generator, which costs more than the tests on a short paragraph)."""
    for d in "0123456789":  # noqa: SIM110 - see the docstring
        if d in text:
            return True
    return False


def _has_digit(text: str) -> bool:
    """``\\d`` anywhere in ``text``: the ASCII digits first (:func:`_has_ascii_digit`), then
    the regex, whose Unicode digit test costs several times more per character; a text of
    ASCII only has no other digits."""
    return _has_ascii_digit(text) or (not text.isascii() and _DIGIT.search(text) is not None)


# a run of ASCII digits glued to a letter or punctuation (a superset of what _call_before
# accepts before it: it is checked again); opening with a digit, for the engine's quick scan
_GLUED_DIGITS = re.compile(r"[0-9](?<=(?:[^\W\d_]|[.,;:)”’\"])[0-9])[0-9]*")


def _calls_in(text: str) -> set[int]:
    """Every ``k`` for which ``_has_call(text, k)`` holds, in one pass over the text: the
    call ``str(k)`` is a whole run of ASCII digits (a digit on either side fails the test,
    so does a leading zero), glued to a word or punctuation before it."""
    out: set[int] = set()
    if not _has_ascii_digit(text):  # a text without digits needs no scan
        return out
    n = len(text)
    for m in _GLUED_DIGITS.finditer(text):
        a, b = m.span()
        run = m.group()
        if (run[0] != "0" or b - a == 1) and _call_before(text, a) \
                and (b == n or not text[b].isdigit()):
            out.add(int(run))
    return out


def _roman(text: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(text):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


# ============================================================================ extraction


@dataclass
class _Block:
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The paragraph as printed: lines joined, a line-end hyphen kept ("work-life")."""
        return self._join(dehyphenate=False)

    @property
    def scan_text(self) -> str:
        """The text citations are read from: a word hyphenated at a line end is rejoined
        ("10 Au-\ngust" -> "10 August"), so that dates and words match."""
        return self._join(dehyphenate=True)

    def _join(self, *, dehyphenate: bool) -> str:
        out = ""
        for line in self.lines:
            s = line.strip()
            if not s:
                continue
            if out.endswith("-") and not out.endswith(" -"):
                if dehyphenate and len(out) > 1 and out[-2].isalpha() and s[0].islower():
                    out = out[:-1] + s
                else:
                    out += s
            else:
                out = f"{out} {s}" if out else s
        return out


class _Extraction:
    def __init__(self, text: str, lang: str | None, source: str | None):
        self.raw = text
        self.source = source
        if lang is not None:
            try:
                load(lang)
            except LexiconError as exc:
                raise ParseError(str(exc), source=source) from None
        self.lang = lang or detect_language(text)
        self.p = _patterns(self.lang)
        self.lex = self.p.lex
        self.notes: dict[int, str] = {}
        self._articles = {a.casefold() for a in self.lex.data.get("organ_articles", [])}
        self._verbs_for: str | None = None
        self._note_organ: str | None = None
        self._mentions: list[tuple[int, str | None]] | None = []
        self.offset = 0
        self.doc_text = ""
        self._verbs: list[tuple[int, str, str]] = []
        self._verb_iter: Iterator[re.Match[str]] | None = None  # the scan of _verbs_for
        self._verb_read = -1  # where the last match read from _verb_iter starts
        self._starts: dict[str, re.Match[str] | None] = {}
        self._latest_session = 99
        self.symbol: str | None = None
        self.organ: str | None = None
        self._furniture_symbol: str | None = None  # see _strip_furniture
        self._ascii_digits = False  # the text holds no digit but ASCII ones (see _clean)

    # ------------------------------------------------------------------ cleaning

    def _has_digit(self, text: str) -> bool:
        """:func:`_has_digit` of a text cut from this document: the ASCII digit tests alone
        when the document holds no other digit (see :meth:`_clean`), for the regex test of
        a paragraph without ASCII digits (most paragraphs of an Arabic text, which is never
        ASCII) scans every character of it."""
        return _has_ascii_digit(text) or (not self._ascii_digits and _has_digit(text))

    def _clean(self, text: str) -> str:
        # one scan finds whether there is any digit to map or control character to drop (most
        # texts have neither): each costs a pass of the regex engine over the whole text
        odd = _ODD_CHARS.search(text) is not None
        if odd and _NON_ASCII_DIGITS.search(text):
            text = text.translate(_DIGITS)
        # a text with no odd character and none beyond the BMP has no digit but ASCII ones,
        # nor has any text cut from it (rewrites copy its characters, and write no digit; a
        # test checks the lexicons): :meth:`_has_digit` then needs no regex, and rewrites use
        # _ascii_twin
        self._ascii_digits = not (odd or _has_astral(text)) or _OTHER_DIGIT.search(text) is None
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        if odd:
            text = _CTRL.sub("", text)
        text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
        text = text.replace("**", "\n\n").replace("*", "").replace("^", "")
        if self.p.text_rewrites:  # e.g. Arabic paragraph numbers "12 - " -> "12. "
            text = _apply(self.p.text_rewrites, text, self._ascii_digits)
        return text

    def _strip_furniture(self, lines: list[str]) -> tuple[list[str], list[str]]:
        """Remove page headers/footers of a PDF text layer; collect page-foot notes.

        Returns the body lines and the note lines (in order).
        """
        # (a blank line, of which a text layer has hundreds, is tested without the regex)
        furniture = [len(s) < 30 and not s.isspace() and _FURNITURE.match(s) is not None
                     for s in lines]
        if sum(furniture) < 2:
            return lines, []
        own_lines = list(_OWN_SYMBOL_LINE.finditer("\n".join(lines[:40])))
        own = {m.group("sym").replace(" ", "") for m in own_lines}
        if own_lines:  # dropped below with the first page's header cluster: kept for _identity
            self._furniture_symbol = own_lines[0].group("sym")
        drop = [False] * len(lines)
        notes: list[str] = []
        n = len(lines)
        # header clusters: the own-symbol line, job number and page number within a few lines
        for idx in [i for i, f in enumerate(furniture) if f]:
            lo, hi = max(0, idx - 7), min(n, idx + 7)
            window = range(lo, hi)
            if not any(furniture[j] for j in window if j != idx) and not any(
                    lines[j].strip().replace(" ", "") in own for j in window):
                continue
            for j in window:
                if drop[j]:  # already dropped by an overlapping window
                    continue
                t = lines[j].strip()
                if furniture[j] or t.replace(" ", "") in own or not t:
                    drop[j] = True
        # title lines repeated in page headers: short lines next to a dropped cluster that are
        # part of the first-page title
        head = " ".join(x.strip() for x in lines[:35])
        anchors = [j for j in range(n) if drop[j] and lines[j].strip()]
        for a in anchors:
            for idx in range(max(41, a - 3), min(n, a + 4)):
                if drop[idx]:
                    continue
                t = lines[idx].strip()
                if not t or len(t) > 100:
                    continue
                if t in head and not _NUMBERED.match(t) and not _NOTE_START.match(t):
                    drop[idx] = True
        # page-foot notes: from a separator line to the next dropped header (or the end)
        # (the separators found first, a substring test before the regex: a separator holds
        # five "_"; one among the lines a note already took is part of that note)
        seps = [i for i, s in enumerate(lines) if "_____" in s and _NOTE_SEP.match(s)]
        idx = 0
        for sep in seps:
            if sep < idx:
                continue
            drop[sep] = True
            j = sep + 1
            while j < n and not (drop[j] and lines[j].strip()):
                notes.append(lines[j])
                drop[j] = True
                j += 1
            idx = j
        return [s for s, d in zip(lines, drop, strict=True) if not d], notes

    def _parse_notes(self, note_lines: list[str]) -> None:
        """Note text by number; a new note must follow the previous number (1, 2, 3 ...)."""
        current: int | None = None
        for line in note_lines:
            s = line.strip()
            if not s:
                continue
            m = _NOTE_START.match(s)
            if m:
                k = int(m.group("n"))
                if current is None or k == current + 1 or (k not in self.notes and k > current
                                                            and k - current < 4):
                    current = k
                    self.notes[k] = m.group("text")
                    continue
            if current is not None:
                self.notes[current] += " " + s

    # ------------------------------------------------------------------ main

    def run(self) -> ParsedResolution:
        text = self._clean(self.raw)
        if not re.search(r"[^\W\d_]", text):
            raise ParseError("no text in input", source=self.source)
        lines = text.split("\n")
        lines, note_lines = self._strip_furniture(lines)
        self._parse_notes(note_lines)
        body_text = "\n".join(lines)

        # where the resolution proper starts (the organ as subject) and ends (the footer)
        start_line, subject_organ = self._find_subject(lines)
        end_line = self._find_footer(lines, start_line)
        header = "\n".join(lines[:start_line])
        body = lines[start_line:end_line]
        # a resolution in parts (GA "A", "B"...): each part closes with its own meeting line
        # and the next one opens a few lines below with the organ as subject again; all parts
        # are the resolution's text (the footer read is the last part's)
        while end_line < len(lines):
            nxt = next((i for i in range(end_line + 1, min(len(lines), end_line + 8))
                        if len(lines[i]) <= 80 and self.p.organ_line.match(lines[i])), None)
            if nxt is None:
                break
            more = self._find_footer(lines, nxt + 1)
            body += ["", _PART, "", *lines[nxt + 1:more]]
            end_line = more
        # an annex printed after the meeting line (GA: conventions, declarations) is text of
        # the resolution, not footer
        annex_at = next((i for i in range(end_line + 1, min(len(lines), end_line + 40))
                         if self.p.annex.match(lines[i])), None)
        annex_lines = lines[annex_at:] if annex_at is not None else []
        footer_lines = lines[end_line:annex_at] if annex_at is not None else lines[end_line:]
        footer = "\n".join(footer_lines)
        self._footer_notes(footer_lines)

        res = ParsedResolution(symbol="", organ="", language=self.lang, file=self.source)
        self._identity(res, header, footer, body_text, subject_organ)
        self.symbol, self.organ = res.symbol, res.organ
        # no text cites a General Assembly session later than its own (a misprinted "97/258"
        # in a session-79 text is no resolution): the citing session, or its year's, plus one
        if res.organ == "GA" and res.session and res.session.isdigit():
            self._latest_session = int(res.session) + 1
        elif res.year and 1976 <= res.year <= 2100:
            self._latest_session = res.year - 1944
        paragraphs = self._paragraphs([*body, "", *annex_lines])
        res.paragraphs = [p for p, _ in paragraphs]
        self.doc_text = "\n".join(t for _, t in paragraphs)
        self._mentions = None  # read when a short organ name first needs resolving
        seen: set[tuple[str, str | None, bool]] = set()
        offset = 0
        scans = self._scan_texts([t for _, t in paragraphs])
        hits = self._instrument_hits(scans)
        for i, ((para, ptext), stext) in enumerate(zip(paragraphs, scans, strict=True)):
            self.offset = offset
            for c in self._citations(stext, para, scanned=True,
                                     instruments=hits[i] if hits is not None else None):
                key = (c.target, c.paragraph, c.in_note)
                if key not in seen:
                    seen.add(key)
                    res.citations.append(c)
            req = self._request(ptext, para)
            if req:
                res.requests.append(req)
            offset += len(ptext) + 1
        for c in self._note_citations(paragraphs):
            key = (c.target, c.paragraph, c.in_note)
            if key not in seen and (c.target, c.paragraph, False) not in seen:
                seen.add(key)
                res.citations.append(c)
        for para, _ in paragraphs:
            para.footnotes = [self.notes[k] for k in getattr(para, "_calls", [])]
        return res

    # ------------------------------------------------------------------ structure

    def _find_subject(self, lines: list[str]) -> tuple[int, str | None]:
        for idx, line in enumerate(lines[:400]):
            if len(line) > 80:
                continue
            m = self.p.organ_line.match(line)
            if m:
                return idx + 1, self.lex.organ(m.group("organ") or m.group("organ2"))
        for idx, line in enumerate(lines):
            if _NUMBERED.match(line) or self._verb_start(line):
                return idx, None
        return 0, None

    def _find_footer(self, lines: list[str], start: int) -> int:
        rest = "\n".join(lines[start:])
        best = None
        for rx, led in zip(self.p.adopted_line, self.p.adopted_line_led, strict=True):
            for at in _line_match_starts(rx, led, rest):
                line_start = rest.rfind("\n", 0, at) + 1
                line_end = rest.find("\n", at)
                if (line_end if line_end >= 0 else len(rest)) - line_start < 120:
                    if best is None or line_start < best:
                        best = line_start
                    break
        if best is None:
            return len(lines)
        return start + rest.count("\n", 0, best)

    def _footer_notes(self, footer_lines: list[str]) -> None:
        """Notes printed after the footer (compilations of SC resolutions)."""
        current = None
        for line in footer_lines[1:]:
            s = line.strip()
            m = _NOTE_START.match(s)
            if m and int(m.group("n")) not in self.notes and not re.match(
                    r"^\d+\s*(?:st|nd|rd|th|d|e)?\s", s[len(m.group("n")):] or " x"):
                current = int(m.group("n"))
                self.notes[current] = m.group("text")
            elif current is not None and s:
                self.notes[current] += " " + s
        self.footer_note_numbers = set(self.notes)

    # ------------------------------------------------------------------ identity

    def _identity(self, res: ParsedResolution, header: str, footer: str, body: str,
                  subject_organ: str | None) -> None:
        p, lex = self.p, self.lex
        head = header if header.strip() else body[:3000]
        # symbol
        symbol = None
        m = _OWN_SYMBOL_LINE.search(head[:2000])
        if m:
            symbol = symbols.normalise(m.group("sym"))
        organ = subject_organ
        for rx in p.adopted:
            m = rx.search(head)
            if m:
                if m.groupdict().get("organ") and not organ:
                    organ = lex.organ(m.group("organ")) or organ
                if m.groupdict().get("date"):
                    res.adopted = lex.parse_date(m.group("date"))
                break
        if organ is None:
            m = p.full_organ.search(head[:1500])
            if m:
                organ = lex.organ(m.group("organ"))
        title_m = None
        for rx in p.title_line:
            title_m = rx.search(head)
            if title_m:
                break
        if title_m:
            res.title = self._title_from(head, title_m)
        if symbol is None and title_m and organ in ("GA", "HRC"):
            sess, num = title_m.group("symbol").split("/")
            symbol = symbols.hrc(sess, num) if organ == "HRC" else symbols.ga(sess, num)
        if symbol is None:
            m = _SC_HEAD.search(head[:600])
            if m and (organ in (None, "SC")):
                symbol = symbols.sc(m.group("n"), m.group("y"))
        if symbol is None and self.source:
            name = Path(self.source).name
            for rx, build in ((_HRC_FILE, lambda a, b: symbols.hrc(a, b)),
                              (_SC_SELF_FILE, lambda a, b: symbols.sc(a, b)),
                              (_GA_FILE, lambda a, b: symbols.ga(a, b))):
                m = rx.search(name)
                if m:
                    symbol = build(m.group(1), m.group(2))
                    break
        if symbol is None and self._furniture_symbol:
            # the own-symbol line of the first page's header, which _strip_furniture dropped
            # with the job number and barcode beside it: the last resort, for a text layer
            # whose title line lost its number ("Cooperation between ..." for "79/9. ...")
            # read under a name that is no file name
            symbol = symbols.normalise(self._furniture_symbol)
        if symbol is None:
            raise ParseError("cannot identify the resolution: no symbol in the text "
                             "(e.g. 'A/RES/79/1', '56/15. Title', 'Resolution 687 (1991)') "
                             "nor in the file name", source=self.source)
        info = symbols.parse(symbol)
        res.symbol = info.symbol
        res.kind = "decision" if info.kind == "decision" else "resolution"
        res.organ = info.organ if info.organ != "UN" else (organ or "UN")
        res.session = info.session
        res.number = info.number
        res.year = info.year
        if res.session is None and res.organ != "SC":
            for rx in p.session_line:
                m = rx.search(head)
                if m:
                    n = lex.ordinal(m.group("ordinal"))
                    if n:
                        res.session = str(n)
                    break
        # agenda item and its title
        for rx in p.agenda:
            m = rx.search(head)
            if m:
                res.agenda_item = _WS.sub(" ", m.group("item")).strip()
                res.agenda_title = self._lines_after(head, m.end())
                break
        # meeting and date in the footer
        # the footer, and short notes ("22 Adopted without vote."), not the page-foot notes
        tail = footer + "\n" + "\n".join(n for n in self.notes.values() if len(n) < 200)
        for rx in p.meeting:
            m = rx.search(footer) or rx.search(tail)
            if m:
                res.meeting = m.group("meeting")
                if res.adopted is None:
                    res.adopted = lex.parse_date(footer[m.end():m.end() + 80])
                break
        if res.adopted is None:
            res.adopted = lex.parse_date(head[:800]) if head else None
        if res.year is None and res.adopted:
            res.year = int(res.adopted[:4])
        res.adoption = self._adoption(footer, tail)
        # "[on the report of the Third Committee (A/79/450, para. 39)]", "[... (A/79/L.2)]"
        for bracket in _BRACKET.finditer(head):
            for m in _DOCUMENT.finditer(bracket.group(1)):
                sym = symbols.normalise(m.group("sym"))
                res.documents.setdefault("draft" if "/L." in sym else "report", sym)

    def _title_from(self, head: str, m: re.Match[str]) -> str:
        rest = head[m.start("title"):]
        out: list[str] = []
        for line in rest.split("\n"):
            s = line.strip()
            if not s:
                break
            out.append(s)
        return _WS.sub(" ", " ".join(out)).strip() or m.group("title").strip()

    def _lines_after(self, head: str, pos: int) -> str | None:
        rest = head[pos:].split("\n")
        out: list[str] = []
        started = False
        for line in rest[1:] if rest and not rest[0].strip() else rest:
            s = line.strip()
            if not s:
                if started:
                    break
                continue
            if any(rx.search(s) for rx in self.p.adopted) or any(
                    rx.match(s) for rx in self.p.title_line):
                break
            started = True
            out.append(s)
            if len(out) > 5:
                break
        title = _WS.sub(" ", " ".join(out)).strip()
        return title or None

    def _may_match(self, rx: re.Pattern[str], folded: str) -> bool:
        """False when ``rx`` (a case-insensitive lexicon pattern) cannot match the text
        whose casefold is ``folded`` (see :func:`_folded_need`); True when it may."""
        need = self.p.folded_needs.get(id(rx))
        return need is None or any(n in folded for n in need)

    def _adoption(self, footer: str, tail: str) -> Adoption:
        lex = self.lex
        for where in (footer, tail):
            flat = _squash(where)
            folded = flat.casefold()
            for rx in self.p.vote:
                m = rx.search(flat) if self._may_match(rx, folded) else None
                if m:
                    g = m.groupdict()
                    yes = lex.cardinal(g["yes"]) if g.get("yes") else None
                    no = lex.cardinal(g["no"]) if g.get("no") else None
                    ab = lex.cardinal(g["abstain"]) if g.get("abstain") else 0
                    if yes is not None:
                        return Adoption(method="vote", yes=yes, no=no or 0, abstain=ab or 0)
            if any(self._may_match(rx, folded) and rx.search(flat) for rx in self.p.unanimous):
                return Adoption(method="unanimous")
            if any(self._may_match(rx, folded) and rx.search(flat) for rx in self.p.without_vote):
                return Adoption(method="without-vote")
        return Adoption()

    # ------------------------------------------------------------------ paragraphs

    def _is_start(self, line: str) -> bool:
        return bool(_numbered(line) or self._verb_start(line))

    def _verb_start(self, text: str) -> re.Match[str] | None:
        """The leading verb of a paragraph; the first word is looked up in a set before the
        (large) verb pattern runs, which most lines of a text never need."""
        if text in self._starts:  # a block's first line is asked again when blocks merge
            return self._starts[text]
        words = self.p.first_word.match(text)
        if words is None or words.group(1).replace("’", "'").casefold() \
                not in self.p.start_words:
            m = None
        else:
            m = self.p.verb_start.match(text)
        self._starts[text] = m
        return m

    def _verb_info(self, form: str) -> tuple[str, str] | None:
        """``lex.verb(form)``, remembered per language: the same few forms come back in
        every paragraph of every text, and each look-up folds the form anew."""
        infos = self.p.verb_infos
        if form in infos:
            return infos[form]
        info = self.lex.verb(form)
        if len(infos) < 20_000:  # bounded: a text of odd spacings cannot grow it for ever
            infos[form] = info
        return info

    def _paragraphs(self, lines: list[str]) -> list[tuple[Paragraph, str]]:
        # 1. blocks: blank lines, or a line that starts a paragraph after an ending line
        blocks: list[list[str]] = []
        cur: list[str] = []
        for line in lines:
            s = line.strip()
            if not s:
                if cur:
                    blocks.append(cur)
                    cur = []
                continue
            # a new paragraph starts with a capital, a digit, a letter of a script without
            # case, or (languages whose leading verbs are lower case: ru) any letter
            if cur and (not s[0].islower() or self.p.lower_starts) \
                    and _ends_clause(cur[-1]) \
                    and self._is_start(s):
                blocks.append(cur)
                cur = []
            cur.append(s)
        if cur:
            blocks.append(cur)
        # 2. merge continuations, drop headings
        merged: list[_Block] = []
        pending_number: str | None = None
        headings: set[int] = set()
        for blk in blocks:
            first = blk[0]
            if len(blk) == 1 and _NUMBER_ONLY.fullmatch(first.strip()):
                pending_number = first.strip()
                continue
            if pending_number:
                blk = [f"{pending_number} {blk[0]}", *blk[1:]]
                first = blk[0]
                pending_number = None
                merged.append(_Block(list(blk)))
                continue
            if blk == [_PART]:
                merged.append(_Block([_PART]))
                continue
            starts = self._is_start(first)
            prev = merged[-1] if merged else None
            # a continuation: lower case, a sub-item, or the previous block left open
            if prev is not None and not starts and (
                    first[:1].islower() or _SUBITEM.match(first)
                    or not _ends_clause(prev.lines[-1])):
                prev.lines.extend(blk)
                continue
            if not starts:
                text = " ".join(blk)
                if len(text) < 90 and not _ends_clause(text):
                    if self.p.annex.match(text):
                        headings.add(len(merged))
                        merged.append(_Block(["\x00annex"]))
                    continue  # heading
            merged.append(_Block(list(blk)))
        # 3. paragraphs
        out: list[tuple[Paragraph, str]] = []
        keys: set[str] = set()
        n_pre = n_op = n_other = 0
        seen_op = False
        annex = False
        last_op = 0
        for blk in merged:
            if blk.lines == ["\x00annex"]:
                annex = True
                continue
            if blk.lines == [_PART]:  # the next part numbers its paragraphs from 1 again
                seen_op, annex, last_op = False, False, 0
                continue
            text = blk.text
            m = _NUMBERED.match(text)
            number = int(m.group("n")) if m else None
            rest = text[m.end():] if m else text
            vm = self._verb_start(rest)
            verb = meaning = None
            kind_hint = None
            if vm:
                verb = vm.group("verb")
                info = self._verb_info(verb)
                if info:
                    kind_hint, meaning = info
            if number is not None and number <= last_op and seen_op:
                annex = True
            if annex:
                n_other += 1
                para = Paragraph(number=n_other, kind="other", verb=verb, verb_meaning=meaning,
                                 text=rest.strip(), key=f"other{n_other}")
            elif number is not None or kind_hint == "operative" or (
                    seen_op and kind_hint != "preambular"):
                seen_op = True
                n_op += 1
                num = number if number is not None else n_op
                last_op = num
                para = Paragraph(number=num, kind="operative", verb=verb, verb_meaning=meaning,
                                 text=rest.strip())
                if para.key in keys:
                    para.key = f"op{num}-{n_op}"
            else:
                n_pre += 1
                para = Paragraph(number=n_pre, kind="preambular", verb=verb,
                                 verb_meaning=meaning, text=rest.strip())
            keys.add(para.key or "")
            # (no "-" in the text: no line ends with one, and nothing to rejoin)
            scan = blk.scan_text if "-" in text and any(
                x.endswith("-") for x in blk.lines) else text
            if scan != text:
                m2 = _NUMBERED.match(scan)
                rest = scan[m2.end():] if m2 else scan
            out.append((para, rest))
        return out

    # ------------------------------------------------------------------ citations

    def _verb_at(self, text: str, pos: int, para: Paragraph) -> tuple[str | None, str | None]:
        """The verb governing position ``pos``: the last clause-initial verb before it."""
        if self._verbs_for is not text:
            self._verbs_for = text
            self._verbs = []
            # verb_scan: a clause start (verb_cand) followed by a verb (verb_after), in one
            # scan; the same (start, verb) pairs as matching verb_after after each candidate
            self._verb_iter = self.p.verb_scan.finditer(text)
            self._verb_read = -1
        # read the scan only as far as the first match at or after pos (the citations of a
        # paragraph are mostly in its first half): the verbs before pos are then all known
        while self._verb_read < pos and self._verb_iter is not None:
            m = next(self._verb_iter, None)
            if m is None:
                self._verb_iter = None
                break
            self._verb_read = m.start()
            info = self._verb_info(m.group("verb"))
            if info:
                self._verbs.append((m.start(), m.group("verb"), info[1]))
        verb, meaning = para.verb, para.verb_meaning
        for start, v, mean in self._verbs:
            if start >= pos:
                break
            verb, meaning = v, mean
        return verb, meaning

    def _organ_before(self, text: str, kw_start: int) -> tuple[str | None, int, str]:
        """Organ named before a resolution word; returns (organ, start of the context, how)."""
        lo = max(0, kw_start - 160)
        before = text[lo:kw_start]
        m = self.p.before_agent.search(before)
        if m:
            return self._organ_name(m.group("organ"), lo + m.start()), lo + m.start(), "agent"
        m = self.p.before_organ.search(before)
        if m:
            if self._foreign(before, m.start(), m.group("organ")):
                return "FOREIGN", lo + m.start(), "named"
            return self._organ_name(m.group("organ"), lo + m.start()), lo + m.start(), "named"
        m = self.p.before_self.search(before)
        if m:
            return self.organ, lo + m.start(), "self"
        # "Commission on the Status of Women resolution": a capitalised word that is no organ
        words = before.rsplit(None, 2)
        if len(words) >= 2 and words[-1][:1].isupper() and words[-1].isalpha() \
                and not words[-2].endswith((".", ";", ":")) \
                and self._verb_info(words[-1]) is None \
                and words[-1].casefold() not in self._articles:
            return "FOREIGN", kw_start, "named"
        return None, kw_start, ""

    def _foreign(self, text: str, start: int, name: str) -> bool:
        """A short organ name ("Assembly", "Council") qualified by a capitalised word before it
        names another body ("United Nations Environment Assembly", "Governing Council")."""
        if len(name.split()) > 1:
            return False
        words = text[:start].split()
        if not words:
            return False
        prev = words[-1]
        return prev[:1].isupper() and prev.casefold() not in self._articles

    def _organ_name(self, name: str, pos: int) -> str | None:
        organ = self.lex.organ(name)
        if organ:
            return organ
        candidates = self.lex.ambiguous.get(re.sub(r"\s+", " ", name).casefold())
        if not candidates:
            return None
        return self._organ_among(candidates, pos)

    def _organ_among(self, candidates: list[str], pos: int) -> str | None:
        """Which of ``candidates`` a short name means: the citing organ, else the last one
        named in full before ``pos``, else the first."""
        if self.organ in candidates:
            return self.organ
        # the council last named in full before this point of the document
        upto = self.offset + pos
        last = None
        if self._mentions is None:
            # organs named in full in the document, by position (most texts never ask)
            found = _anchored_finditer(self.p.full_organ, self.p.full_organ_anchors,
                                       self.doc_text) if self.p.full_organ_anchors else None
            self._mentions = [
                (m.start(), self.lex.organ(m.group("organ")))
                for m in (self.p.full_organ.finditer(self.doc_text) if found is None else found)
                if not (self.p.bounded and _word_before(self.doc_text, m.start()))]
        for start, o in self._mentions:
            if start >= upto:
                break
            if o in candidates:
                last = o
        return last or candidates[0]

    def _anchors(self, text: str) -> list[tuple[int, int, bool | None]]:
        """Where lists of numbers start: after a resolution/decision word (is_dec known), or
        after a number prefix of languages that print the word after the list (None)."""
        p = self.p
        out: list[tuple[int, int, bool | None]] = []
        last = -1
        if p.kw_cores:
            starts: Iterable[int] = self._core_starts(text)
        else:
            starts = (cand.start() for cand in p.kw_prefilter.finditer(text))
        for start in starts:
            if start < last or (p.bounded and _word_before(text, start)):
                continue
            if p.kw_cores and not p.kw_prefilter.match(text, start):
                continue
            kw = p.keyword.match(text, start)
            if kw:
                out.append((start, kw.end(), kw.group("dec") is not None))
                last = kw.end()
        if p.post_start is not None:
            rx = p.post_start if "S-" in text else p.post_start_prefixed
            out.extend((m.start(), m.end(), None) for m in rx.finditer(text))  # type: ignore[union-attr]
            out.sort()
        return out

    def _holds_keyword(self, text: str) -> bool:
        """``keyword.search(text)`` found something: every match holds a keyword core
        (:func:`_keyword_cores`), and a text without any is told so by substring tests,
        without the scan (which tries the keyword trees at each of their first letters)."""
        cores = self.p.kw_cores
        if cores and not any(core in text for core in cores):
            return False
        return self.p.keyword.search(text) is not None

    def _core_starts(self, text: str) -> list[int]:
        """The word starts before each occurrence of a keyword core, in order (see
        :func:`_keyword_cores`)."""
        found: set[int] = set()
        for core in self.p.kw_cores:
            i = text.find(core)
            while i >= 0:
                start = i
                while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    start -= 1
                found.add(start)
                i = text.find(core, i + 1)
        return sorted(found)

    def _instrument_hits(self, texts: list[str]) -> list[list[tuple[int, str]]] | None:
        """For each of ``texts``, (start, name) of each match of ``instrument.finditer`` on it,
        read in one pass over the texts joined (:func:`_anchored_finditer`). A match never
        crosses the joining separator (no phrase holds a NUL), so the texts' matches are
        those of each text alone. None when that pass does not pay."""
        anchors = self.p.instrument_anchors
        if anchors is None or not texts:
            return None
        joined = _SCAN_SEP.join(texts)
        found = _anchored_finditer(self.p.instrument, anchors, joined)
        if found is None:
            return None
        hits: list[list[tuple[int, str]]] = [[] for _ in texts]
        ends = list(itertools.accumulate(len(t) + len(_SCAN_SEP) for t in texts))
        idx = 0
        for m in found:
            while ends[idx] <= m.start():
                idx += 1
            hits[idx].append((m.start() - (ends[idx] - len(texts[idx]) - len(_SCAN_SEP)),
                              m.group("name")))
        return hits

    def _scan(self, text: str) -> str:
        """The copy of a text citations are read from: "،" -> ",", "(د-15)" -> "(XV)"."""
        p = self.p
        if p.scan_pairs is not None:
            # one str.replace per mapped character present: each a fast scan in C, where a
            # regex substitution calls back into Python for every character it maps
            for char, repl in p.scan_pairs:
                if char in text:
                    text = text.replace(char, repl)
        elif p.scan_chars is not None:
            # as text.translate(p.scan_table), but a regex finds the few characters to map
            # (str.translate walks a dict per character of the paragraph)
            text = p.scan_chars.sub(lambda m: p.scan_map[m.group()], text)
        if p.scan_rewrites:
            text = _apply(p.scan_rewrites, text, self._ascii_digits)
        return text

    def _scan_texts(self, texts: list[str]) -> list[str]:
        """:meth:`_scan` of many texts in one pass over the document: a rewrite costs a call
        and a scan per paragraph otherwise. The texts are joined by a separator no rewrite
        crosses (a NUL between newlines: _clean removes NULs from the input); should one
        ever be consumed, each text is scanned alone."""
        if self.p.scan_chars is None and not self.p.scan_rewrites:
            return texts
        # the separator leads too, so that every text starts after a newline (rewrites may
        # look for a word start as "preceded by a space", which then holds at a text's start)
        out = self._scan(_SCAN_SEP + _SCAN_SEP.join(texts)).split(_SCAN_SEP)
        return out[1:] if len(out) == len(texts) + 1 else [self._scan(t) for t in texts]

    def _citations(self, text: str, para: Paragraph | None, *,
                   in_note: bool = False, scanned: bool = False,
                   instruments: list[tuple[int, str]] | None = None) -> list[Citation]:
        """Citations in one paragraph (or note); ``instruments``: the (start, name) of the
        instrument names in ``text``, when :meth:`_instrument_hits` read them already."""
        out: list[Citation] = []
        key = para.key if para else None
        p = self.p
        if not scanned:
            text = self._scan_texts([text])[0]
        last_end, last_organ, last_how = -1, None, ""
        consumed = -1
        has_digit = self._has_digit(text)  # no number, no symbol: names only
        for kw_start, pos, kw_dec in self._anchors(text) if has_digit else ():
            if kw_start < consumed:
                continue
            tm = p.token.match(text, pos)
            kw_organ = None
            if not tm and p.kw_organ is not None:
                # the organ between the word and the number: "resoluciones del Consejo de
                # Seguridad 2170 (2014)", "قرار مجلس الأمن 1459 (2003)"
                km = p.kw_organ.match(text, pos)
                if km:
                    kw_organ = self._organ_name(km.group("organ"), km.start("organ"))
                    pos = km.end()
                    tm = p.token.match(text, pos)
            if not tm:
                continue
            is_dec = cur_dec = bool(kw_dec)
            first_date = None
            if kw_dec is None and p.date_before is not None:
                # "人权理事会2017年3月24日第34/36号决议": the date, then the organ, before "第"
                bm = p.date_before.search(text, max(0, kw_start - 24), kw_start)
                if bm:
                    first_date = self.lex.parse_date(bm.group(0))
                    kw_start = bm.start()
                if p.topic_before is not None:
                    # "人权理事会关于数字时代隐私权的2015年3月26日第28/16号": a topic between
                    tb = p.topic_before.search(text, max(0, kw_start - 90), kw_start)
                    if tb:
                        kw_start = tb.start()
                        # "人权理事会2023年4月4日题为“……”的第52/24号决议": the date first
                        bm = p.date_before.search(text, max(0, kw_start - 24), kw_start)
                        if bm:
                            first_date = first_date or self.lex.parse_date(bm.group(0))
                            kw_start = bm.start()
            if kw_organ is not None:
                group_organ, ctx_start, how = kw_organ, kw_start, "named"
            elif p.self_keywords and text[kw_start:pos].strip().casefold() in p.self_keywords:
                # the word itself says whose: Arabic "قرارها" (her resolution: the Assembly's),
                # "قراره" (his: a Council's) -- the citing organ if it fits, else the last named
                group_organ = self._organ_among(
                    p.self_keywords[text[kw_start:pos].strip().casefold()], kw_start)
                ctx_start, how = kw_start, "self"
            else:
                group_organ, ctx_start, how = self._organ_before(text, kw_start)
            if not how and last_end >= 0 and (
                    p.chain.fullmatch(text, last_end, kw_start)
                    or (kw_dec is None and _SEP_ONLY.fullmatch(text, last_end, kw_start))):
                # "Council decision 18/120 of ... and resolutions 24/14": same organ
                group_organ, how = last_organ, last_how
            elif not how and in_note and self._note_organ:
                group_organ, how = self._note_organ, "note"
            if not how:
                # "resolutions ... of the Human Rights Council, the most recent of which being
                # resolutions 56/1 ...": the organ named after an earlier resolution word
                lo = max(last_end, kw_start - 250, 0)
                ante = None
                window = text[lo:kw_start]
                for am in p.antecedent.finditer(window):
                    ante = am
                if ante is not None and not p.token.search(window, ante.end()):
                    name = ante.group("organ") or ante.group("organ2")
                    group_organ = self._organ_name(name, ante.start())
                    how = "antecedent"
            pin = p.before_pin.search(text, max(0, ctx_start - 120), ctx_start)
            pinpoint = None
            if pin:
                word = self.lex.pinpoint_by_word.get(pin.group("word").casefold(), "paragraph")
                pinpoint = f"{word} {_WS.sub(' ', pin.group('ref')).strip()}"
            members: list[dict] = []
            while tm:
                mem: dict = {"m": tm, "date": first_date, "organ": None, "joined": False,
                             "dec": cur_dec}
                first_date = None
                pos = tm.end()
                for _ in range(6):
                    dm = p.after_date.match(text, pos)
                    if dm and mem["date"] is None:
                        if dm.group("date"):
                            mem["date"] = self.lex.parse_date(dm.group("date"))
                        else:  # "186 (1964) of 4 March": the year is the symbol's
                            year = tm.group("oy") or tm.group("op")
                            if year and year.isdigit() and len(year) == 4:
                                mem["date"] = self.lex.parse_partial_date(dm.group("pdate"),
                                                                          int(year))
                        pos = dm.end()
                        continue
                    om = p.after_organ.match(text, pos) or (
                        p.after_bare.match(text, pos) if p.after_bare is not None else None)
                    if om and mem["organ"] is None:
                        mem["organ"] = self._organ_name(om.group("organ"), om.start("organ"))
                        pos = om.end()
                        continue
                    lm = p.loose_date.match(text, pos) if mem["date"] is None else None
                    if lm:  # OCR-damaged date ("of 13, March"): skip it, keep the list going
                        raw = re.sub(r"[,.]", " ", lm.group("loose"))
                        mem["date"] = self.lex.parse_date(raw)
                        year = tm.group("oy") or tm.group("op")
                        if mem["date"] is None and year and year.isdigit() and len(year) == 4:
                            mem["date"] = self.lex.parse_partial_date(raw, int(year))
                        pos = lm.end()
                        continue
                    pm = p.after_pin.match(text, pos)
                    if pm and mem.get("pin") is None:
                        word = self.lex.pinpoint_by_word.get(pm.group("word").casefold(),
                                                             "paragraph")
                        mem["pin"] = f"{word} {_WS.sub(' ', pm.group('ref')).strip()}"
                        pos = pm.end()
                        continue
                    if mem["organ"] is None and p.after_foreign.match(text, pos):
                        mem["organ"] = "FOREIGN"
                        break
                    fm = p.after_filler.match(text, pos)
                    if fm and fm.end() > pos:
                        pos = fm.end()
                        continue
                    break
                members.append(mem)
                sm = p.sep.match(text, pos)
                if not sm:
                    break
                nxt = p.token.match(text, sm.end())
                if not nxt:
                    break
                if sm.end() - pos > 12 and any(
                        not (p.bounded and _word_before(text, o.start()))
                        for o in p.organ_any.finditer(text, pos, sm.end())):
                    break  # "... and Human Rights Council resolutions 28/16": a new group
                if sm.group("sdec"):
                    cur_dec = True
                elif sm.group("sres"):
                    cur_dec = False
                if sm.groupdict().get("sdate"):
                    first_date = self.lex.parse_date(sm.group("sdate"))
                joined = bool(_WORDCHAR.search(text, pos, sm.end())) and "," not in text[
                    pos:sm.end()]
                mem_next_joined = bool(joined)
                tm = nxt
                members.append({"_joined_marker": mem_next_joined})
            if kw_dec is None:  # number before the word: the word closes the list
                em = p.post_end.match(text, pos) if p.post_end else None
                if em is None:
                    continue
                pos = em.end()
                for item in members:
                    if "m" in item:
                        item["dec"] = em.group("dec") is not None
            consumed = pos
            # distribute organs and dates
            real: list[dict] = []
            joined_flag = False
            for item in members:
                if "_joined_marker" in item:
                    joined_flag = item["_joined_marker"]
                    continue
                item["joined"] = joined_flag
                joined_flag = False
                real.append(item)
            later_organ = None
            for item in reversed(real):
                if item["organ"]:
                    later_organ = item["organ"]
                elif later_organ and not group_organ:
                    item["organ"] = later_organ
            for i in range(len(real) - 1, 0, -1):
                if real[i]["date"] and real[i]["joined"] and real[i - 1]["date"] is None:
                    real[i - 1]["date_backfill"] = real[i]["date"]
            if is_dec and not how and all(item["organ"] is None for item in real):
                real = []  # a bare "decision 15/4" is mostly another body's (COP, Board...)
            for idx, item in enumerate(real):
                target = self._target(item["m"], item["organ"] or group_organ, item["dec"],
                                      how)
                if not target or target == self.symbol:
                    continue
                date = item["date"] or item.get("date_backfill")
                if date and not item["date"] and not self._date_fits(target, date):
                    date = None
                verb, meaning = self._verb_at(text, kw_start, para) if para else (None, None)
                out.append(Citation(
                    target=target, type="decision" if item["dec"] else "resolution", verb=verb,
                    verb_meaning=meaning, paragraph=key, as_cited_date=date,
                    pinpoint=item.get("pin") or (pinpoint if idx == 0 else None),
                    in_note=in_note))
            if real:
                last_end = pos
                last_organ = real[-1]["organ"] or group_organ
                last_how = how or "after"
        # symbols printed in full
        for m in (_EXPLICIT.finditer(text) if has_digit and ("/RES/" in text or "/DEC/" in text)
                  else ()):
            if _word_before(text, m.start(), "/"):
                continue
            info = symbols.parse(m.group("sym"))
            if info.organ == "UN" or info.symbol == self.symbol:
                continue
            verb, meaning = self._verb_at(text, m.start(), para) if para else (None, None)
            out.append(Citation(target=info.symbol, type=info.kind if info.kind in (
                "resolution", "decision") else "document", verb=verb, verb_meaning=meaning,
                paragraph=key, in_note=in_note))
        for m in (_DOCUMENT.finditer(text) if has_digit and "/" in text else ()):
            if _word_before(text, m.start(), "/"):
                continue
            sym = m.group("sym")
            if "/RES/" in sym or "/DEC/" in sym:
                continue
            verb, meaning = self._verb_at(text, m.start(), para) if para else (None, None)
            out.append(Citation(target=symbols.normalise(sym), type="document", verb=verb,
                                verb_meaning=meaning, paragraph=key, in_note=in_note))
        # instruments by name
        if instruments is None:
            instruments = [(m.start(), m.group("name")) for m in p.instrument.finditer(text)]
        for start, name in instruments:
            if p.bounded and _word_before(text, start):
                continue
            if p.bounded and " " not in name.strip():
                # "African Charter": a single-word name qualified by another name
                prev = text[max(0, start - 40):start].split()
                if prev and prev[-1][:1].isupper() and prev[-1].casefold() not in \
                        self._articles and not prev[-1].endswith((".", ";", ":", ",")):
                    continue
            verb, meaning = self._verb_at(text, start, para) if para else (None, None)
            for target in self.lex.instruments(name):
                out.append(Citation(target=target, type="instrument", verb=verb,
                                    verb_meaning=meaning, paragraph=key, in_note=in_note))
        return out

    def _date_fits(self, target: str, date: str) -> bool:
        info = symbols.parse(target)
        year = int(date[:4])
        if info.year is not None:
            return info.year == year
        if info.organ == "GA" and info.session and info.session.isdigit():
            return year - 1945 - int(info.session) in (0, 1)
        return True

    def _target(self, m: re.Match[str], organ: str | None, is_dec: bool, how: str) -> str | None:
        if organ == "FOREIGN":
            return None
        g = m.groupdict()
        if g.get("mn") is not None:
            sess = g["ms"].replace(" ", "")
            num = int(g["mn"])
            if sess.startswith("ES-"):
                organ = "GA"
            elif sess.isdigit() and len(sess) == 4:
                organ = "CHR" if organ == "CHR" else "ECOSOC"
            elif organ not in ("GA", "HRC") or (organ == "HRC" and not how and not g.get("ms")):
                organ = organ if organ in ("GA", "HRC") else "GA"
            num = self._unglue(organ, sess, num, m.end("mn"), is_dec)
            if num is None:
                return None
            if organ == "HRC":
                if sess.startswith("S-") or int(sess) <= 70:
                    return symbols.hrc(sess, num, decision=is_dec)
                return None
            if organ == "GA":
                s = sess
                # modern numbering (session/number) began with the 31st session (1976)
                if s.isdigit() and not 31 <= int(s) <= self._latest_session:
                    return None
                return f"A/{'DEC' if is_dec else 'RES'}/{s}/{num}"
            if organ == "CHR":
                return f"E/CN.4/{'DEC' if is_dec else 'RES'}/{sess}/{num}"
            if not 1946 <= int(sess) <= 2100:
                return None
            return f"E/{'DEC' if is_dec else 'RES'}/{sess}/{num}"
        number = (g.get("on") or "").translate(_OCR_DIGITS)  # OCR: "S11 (1982)" is 511
        if not number.isdigit() or int(number) == 0:
            return None
        par = (g.get("op") or g.get("oy") or "").replace(" ", "")
        if g.get("oy") or re.fullmatch(r"[12][\dlO]{3}", par):
            year = par.replace("l", "1").replace("O", "0")
            if not year.isdigit() or not 1946 <= int(year) <= 2035 or int(number) > 3000:
                return None
            if is_dec:
                return None
            return symbols.sc(_sc_repair(int(number), int(year)), year)
        par = par.upper().replace("L", "L")
        if par.startswith(("S-", "ES-")):
            head, _, tail = par.partition("-")
            tail = tail.replace("1", "I") if not tail.isdigit() else tail
            return f"A/RES/{int(number)}({head}-{tail})"
        roman = par.replace("1", "I")
        if roman.upper() != roman and not roman.isupper():
            roman = roman.upper()
        if _roman(roman) is None or _roman(roman) > 60:
            return None
        if organ == "ECOSOC":
            return f"E/RES/{int(number)}({roman})"
        if organ == "SC":
            organ = "GA"
        return symbols.ga(roman, number, old_style=True)

    def _unglue(self, organ: str, sess: str, num: int, end: int,
                decision: bool = False) -> int | None:
        """Strip a footnote call glued to a resolution number (``77/2285`` -> 77/228)."""
        limit = _MAX_NUMBER.get(organ, 500) if not decision else 700
        if num <= limit:
            return num
        s = str(num)
        for k in (1, 2):  # a call whose note is on the page foot
            if len(s) > k:
                head, tail = int(s[:-k]), int(s[-k:])
                if head <= limit and tail in self.notes:
                    return head
        if len(s) > 1 and 0 < int(s[:-1]) <= limit:  # plausibility alone: one-digit call
            return int(s[:-1])
        return None

    def _note_citations(self, paragraphs: list[tuple[Paragraph, str]]) -> list[Citation]:
        """Citations in page-foot notes, attached to the paragraph that carries the call."""
        if not self.notes:
            return []
        footer_only = getattr(self, "footer_note_numbers", set())
        calls: dict[int, Paragraph] = {}
        start = 0
        # the note calls each paragraph carries, read once per paragraph (not once per note)
        carried: list[set[int] | None] = [None] * len(paragraphs)
        for k in sorted(self.notes):
            for idx in range(start, len(paragraphs)):
                found = carried[idx]
                if found is None:
                    found = carried[idx] = _calls_in(paragraphs[idx][1])
                if k in found:
                    para = paragraphs[idx][0]
                    calls[k] = para
                    para.__dict__.setdefault("_calls", []).append(k)
                    start = idx
                    break
        out: list[Citation] = []
        scans = self._scan_texts(list(self.notes.values()))
        hits = self._instrument_hits(scans)
        for i, ((k, note), scan) in enumerate(zip(self.notes.items(), scans, strict=True)):
            para = calls.get(k)
            if para is None and k in footer_only and not self._holds_keyword(note):
                continue
            self.offset = 0
            # Official Records, Supplement No. 53 (A/73/53) is the Human Rights Council's report
            self._note_organ = "HRC" if _HRC_REPORT.search(note) else None
            for c in self._citations(scan, para, in_note=True, scanned=True,
                                     instruments=hits[i] if hits is not None else None):
                if para is not None:
                    c.verb, c.verb_meaning = para.verb, para.verb_meaning
                out.append(c)
        return out

    # ------------------------------------------------------------------ requests

    def _request(self, text: str, para: Paragraph) -> Request | None:
        if para.kind != "operative" or para.verb_meaning not in self.p.request_meanings:
            return None
        numbered = _NUMBERED.match(text)
        head = text[numbered.end():] if numbered else text
        # the paragraph's own verb, matched when paragraphs were read (a cached match is
        # the pattern's match of this very string); the pattern again otherwise
        vm = self._starts.get(head) or self.p.verb_start.match(head)
        if not vm:
            return None
        rest = text[vm.end():] if not numbered else text[numbered.end() + vm.end():]
        rest = self.p.lead_adverb.sub(" ", rest, count=1)
        addressee = None
        if self.p.complementizer.match(rest):
            # "Demands that Iraq ...": a clause, not an addressee
            if para.verb_meaning != "deciding":
                return None
            rest = " " + rest.lstrip()[rest.lstrip().find(" ") + 1:]
            am = None
        am = self.p.addressee.match(rest)
        after = rest
        if am:
            addressee = self.lex.addressee(am.group("name")) or am.group("name")
            after = rest[am.end():]
            im = self.p.inf.search(after, 0, 200)
            if im:
                after = after[im.end():]
        else:
            im = self.p.inf.search(rest, 0, 160)
            if im and im.start() > 0:
                raw = rest[:im.start()].strip(" ,")
                addressee = self.lex.addressee(raw) or raw
                after = rest[im.end():]
            elif para.verb_meaning == "deciding":
                addressee = ORGAN_LABELS.get(self.organ or "", self.organ or "")
                im = self.p.inf.match(rest)
                after = rest[im.end():] if im else rest
            else:
                return None
        if not addressee:
            return None
        if len(addressee) > 160:
            addressee = addressee[:160].rsplit(" ", 1)[0]
        action = None
        obj = None
        acm = self.p.action.match(after)
        if acm:
            action = self.lex.action(acm.group("action")) or acm.group("action")
            obj_text = after[acm.end():]
        else:
            words = after.split()
            action = words[0].strip(",;") if words else None
            obj_text = after[len(words[0]) + after.find(words[0]):] if words else ""
        obj = self.p.object_end.split(obj_text, maxsplit=1)[0].strip() or None
        if obj and len(obj) > 300:
            obj = obj[:300].rsplit(" ", 1)[0]
        req = Request(addressee=addressee, action=action or "", paragraph=para.key,
                      verb=para.verb, verb_meaning=para.verb_meaning, object=obj)
        lowered = text.casefold()
        has_session = not self.p.session_words or any(w in lowered for w in self.p.session_words)
        for rx in self.p.due_session if has_session else ():
            m = rx.search(text) if self._may_match(rx, lowered) else None
            if m:
                n = self.lex.ordinal(m.group("ordinal"))
                if n:
                    req.due_session = n
                    organ = m.groupdict().get("organ")
                    req.due_organ = (self._organ_name(organ, m.start("organ")) if organ
                                     else self.organ)
                break
        # every date pattern prints a four-digit year: no year, no due date (saves scanning
        # case-insensitive patterns, which get no prefix scan, over every request)
        for rx in self.p.due_date if self._has_digit(text) and _YEAR.search(text) else ():
            m = rx.search(text) if self._may_match(rx, lowered) else None
            if m:
                req.due_date = self.lex.parse_date(m.group("date"))
                break
        return req


def _env_safety_net() -> None:
    global SAFETY_NET
    if os.environ.get("RESOGRAPH_EXTRACT_STRICT") == "1":
        SAFETY_NET = False


_env_safety_net()
