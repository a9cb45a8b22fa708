"""Read the UN's own XML: Akoma Ntoso for the UN (AKN4UN) -> :class:`ParsedResolution`.

The UN (DGACM) publishes each resolution in each official language as an Akoma Ntoso 3.0
document. It carries what text extraction can only guess: the FRBR identity, numbered
paragraphs, footnotes (``authorialNote``), the editors' links to the documents cited
(``<a href="https://undocs.org/...">``), the vote with each member state, meeting, agenda
item, committee report and subjects (UNBIS, EuroVoc, SDG IRIs). The text extractor also reads
the paragraphs and notes, and adds the citations the editors did not link
(:func:`add_text_citations`, ``method="text"``); a link to the resolution's own symbol is
dropped.

What the corpus files look like (GA session 79, SC 2023, six languages), and so what is read:

* the root ``akomaNtoso`` holds a ``statement name="resolution"``; a resolution in parts
  (``A/RES/79/93 A-B``) is a ``documentCollection`` whose ``components`` hold one statement per
  part: its paragraphs get the component's position as key prefix (``comp_0__op4``);
* preamble ``container`` -> preambular paragraph (number = position); ``mainBody``
  ``paragraph`` (also inside ``section``/``part``) with an integer ``num`` -> operative paragraph
  (number = printed number); other body paragraphs and annex paragraphs (``attachments``) ->
  kind ``other``; paragraphs that are only a heading are skipped;
* paragraph keys come from the printed structure (``pre3``, ``op12``, ``annex1__n4``,
  ``op12_1``), not from the UN's ``eId``, which differs between the language versions
  (:func:`_structural_keys`); the eId is kept in ``Paragraph.eid``;
* numbering scopes: a key's prefix up to its last ``__`` (component, section) is where the
  numbering restarts (79/258 numbers each of its sections I-IX from 1); operative ordinals are
  the printed numbers and preambular ones count within their component, so ordinals are unique
  and contiguous within a scope (what OrdinalUniqueShape and OrdinalContiguousShape check);
* known errors in the source, kept rejected by the shapes: the Chinese 79/259 and 79/261 put
  operative paragraph 1 (79/261: 1-3) into the text of the block before it, without ``num``;
  the Russian ``A_RES_79_304`` file holds 79/309 (ingest keeps one copy);
* the verb is the leading ``span`` (italic in most languages, bold in Arabic and Chinese);
* voter names are English in every language version; :mod:`resograph.graph.states` maps them.

Security: the parser never resolves entities, loads a DTD or touches the network, and any
document type declaration is refused before parsing (AKN needs none), so an XML bomb or an
external entity aimed at a local file or listener is a :class:`ParseError` naming the file,
with nothing read and no connection made.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from resograph.graph import symbols
from resograph.graph.model import (
    Adoption,
    Citation,
    MemberVote,
    Paragraph,
    ParagraphKind,
    ParsedResolution,
    ParseError,
    Subject,
)
from resograph.graph.states import UnknownStateError, all_states, state_for

log = logging.getLogger(__name__)

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
AKN4UN_NS = "http://un.org/akn4un"
_A = "{" + AKN_NS + "}"

#: FRBRlanguage (ISO 639-2/B as the UN writes it) -> the two-letter codes resograph uses.
LANGUAGES = {"eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "rus": "ru", "ara": "ar",
             "zho": "zh", "chi": "zh"}
#: and back, for the export.
LANGUAGES_3 = {"en": "eng", "fr": "fra", "es": "spa", "ru": "rus", "ar": "ara", "zh": "zho"}

#: Vote categories of ``count/@refersTo`` -> :class:`MemberVote` vote values.
VOTE_CATEGORIES = {"inFavour": "yes", "against": "no", "abstaining": "abstain",
                   "notVoting": "non-voting", "nonVoting": "non-voting", "absent": "non-voting"}

#: Hosts whose paths are UN document symbols (``/en/A/RES/59/50``, ``/A/RES/59/50``).
_SYMBOL_HOSTS = {"undocs.org", "www.undocs.org", "docs.un.org"}
_LANG_SEGMENTS = {"en", "fr", "es", "ru", "ar", "zh", "ch"}

_DTD_MARKERS = tuple(m for s in ("<!DOCTYPE", "<!ENTITY")
                     for m in (s.encode(), s.encode("utf-16-le"), s.encode("utf-16-be")))

_STATE_NAMES_WITH_AND = None  # filled lazily: names containing " and " protect sponsor splits


# ----------------------------------------------------------------------------- entry points
def is_akn(data: bytes) -> bool:
    """True when ``data`` is XML whose root element is in the Akoma Ntoso 3.0 namespace.

    Reads only up to the root start tag, with entities, DTDs and network off; never raises.
    """
    if any(m in data[:4096] for m in _DTD_MARKERS):
        return False
    try:
        for _event, el in etree.iterparse(_BytesReader(data), events=("start",),
                                          resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False):
            return etree.QName(el).namespace == AKN_NS
    except (etree.XMLSyntaxError, ValueError):
        return False
    return False


def parse_akn(path: Path | str, *, with_text_extraction: bool = True) -> ParsedResolution:
    """Parse one AKN4UN file; a :class:`ParseError` names the file on any bad input.

    With ``with_text_extraction`` (the default) the text extractor also reads the paragraphs
    and notes, and the citations it finds that the editors did not link are added with
    ``method="text"`` (see :func:`add_text_citations`).
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read file: {exc.strerror or exc}", source=str(p)) from exc
    return parse_akn_bytes(data, str(p), with_text_extraction=with_text_extraction)


def parse_akn_bytes(data: bytes, source: str, *,
                    with_text_extraction: bool = True) -> ParsedResolution:
    """Parse AKN4UN XML held in memory; ``source`` names it in errors and in ``file``."""
    root = _parse_xml(data, source)
    reader = _Reader(root, source)
    res = reader.read(data)
    if with_text_extraction and not reader.own_export:
        add_text_citations(res)
    return res


# ----------------------------------------------------------------------------- XML, safely
class _BytesReader:
    """Minimal file-like object for iterparse (avoids copying ``data``)."""

    def __init__(self, data: bytes):
        self._data = data
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n < 0 else self._pos + n
        chunk = self._data[self._pos:end]
        self._pos = end
        return chunk


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, remove_comments=True,
                           remove_pis=True)


def _parse_xml(data: bytes, source: str) -> etree._Element:
    """Parse with every outward-reaching feature off; refuse DTDs; check the namespace."""
    for marker in _DTD_MARKERS:
        pos = data.find(marker)
        if pos >= 0:
            line = data.count(b"\n", 0, pos) + 1
            raise ParseError("document type or entity declarations are not allowed in "
                             "AKN input (possible XML bomb or external entity); nothing read",
                             source=source, line=line)
    try:
        tree = etree.fromstring(data, _parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"malformed XML: {exc.msg}", source=source, line=exc.lineno) from exc
    except ValueError as exc:  # e.g. unicode strings with encoding declarations
        raise ParseError(f"malformed XML: {exc}", source=source) from exc
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise ParseError("document type declarations are not allowed in AKN input",
                         source=source)
    root = tree.getroot()
    qn = etree.QName(root)
    if qn.namespace != AKN_NS or qn.localname != "akomaNtoso":
        raise ParseError(f"not Akoma Ntoso 3.0: root element is {root.tag!r} (expected "
                         f"akomaNtoso in {AKN_NS})", source=source, line=root.sourceline)
    return root


# ----------------------------------------------------------------------------- helpers
def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(_A):] if tag.startswith(_A) else tag.rsplit("}", 1)[-1]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _itertext(el: etree._Element) -> str:
    return _norm("".join(el.itertext()))


def _first(el: etree._Element | None, path: str) -> etree._Element | None:
    if el is None:
        return None
    return el.find(path, {"a": AKN_NS})


def _attr(el: etree._Element | None, path: str, name: str) -> str | None:
    found = _first(el, path)
    return found.get(name) if found is not None else None


_PART_GA = re.compile(r"^(A/RES/(?:ES-|S-)?\d+/\d+)\s*([A-Z](?:\s*-\s*[A-Z])?)$")
_PART_OLD = re.compile(r"^A/RES/(\d+)\s*([A-Z])\s*(\([^)]+\))$")


def split_part(symbol: str) -> tuple[str, str | None]:
    """``A/RES/79/93 A-B`` -> (``A/RES/79/93``, ``A-B``); ``A/RES/2200A(XXI)`` -> part ``A``.

    A resolution adopted in lettered parts is one work: the parts meet at the resolution.
    """
    s = symbols.normalise(symbol)
    m = _PART_GA.match(s)
    if m:
        return m.group(1), m.group(2).replace(" ", "")
    m = _PART_OLD.match(s)
    if m:
        return symbols.normalise(f"A/RES/{m.group(1)}{m.group(3)}"), m.group(2)
    return s, None


def symbol_from_href(href: str) -> tuple[str, str | None] | None:
    """The canonical symbol (and lettered part) an editors' link points to, or None.

    ``https://undocs.org/en/A/RES/59/50`` -> ``A/RES/59/50``; ``docs.un.org/ch/S/RES/2565(2021)``
    -> ``S/RES/2565 (2021)``. Links elsewhere (treaty sites, job-number PDFs) give None.
    """
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host not in _SYMBOL_HOSTS:
        if host == "documents.un.org" and parts.path.startswith("/api/symbol"):
            s = parse_qs(parts.query).get("s")
            if s:
                return split_part(s[0])
        return None
    segs = [seg for seg in unquote(parts.path).split("/") if seg]
    if segs and segs[0].lower() in _LANG_SEGMENTS:
        segs = segs[1:]
    if len(segs) < 2 or not re.match(r"^[A-Z]", segs[0]):
        return None
    return split_part("/".join(segs))


def _date_iso(y: str, m: int, d: str) -> str | None:
    try:
        yy, dd = int(y), int(d)
    except ValueError:
        return None
    if not 1900 <= yy <= 2100:
        return None
    try:
        return date(yy, m, dd).isoformat()
    except ValueError:  # 31 February, month 13
        return None


_MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    # Arabic writes "كانون الأول/ديسمبر": the part after the slash is unambiguous
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيه", "يوليه", "أغسطس",
           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
}
_AR_ALT = {"يونيو": 6, "يوليو": 7, "ابريل": 4, "إبريل": 4}
_MONTH_INDEX = {lang: {name: i + 1 for i, name in enumerate(names)}
                for lang, names in _MONTHS.items()}
_MONTH_INDEX["ar"].update(_AR_ALT)
_PART = r"(?:[A-Z](?:\s*-\s*[A-Z])?\s*,?\s+)?"
_AFTER = {
    "en": re.compile(rf"^\W{{0,3}}{_PART}(?:adopted\s+)?(?:of|dated)\s+(\d{{1,2}})\s+([A-Za-z]+)"
                     r",?\s+(\d{4})"),
    "fr": re.compile(rf"^[\s,]*{_PART}(?:en\s+date\s+)?du\s+(\d{{1,2}}|1er)\s+([a-zéû]+)"
                     r"\s+(\d{4})", re.I),
    "es": re.compile(rf"^[\s,]*{_PART}de\s+(\d{{1,2}})\s+de\s+([a-z]+)\s+de\s+(\d{{4}})",
                     re.I),
    "ru": re.compile(rf"^[\s,]*{_PART}от\s+(\d{{1,2}})\s+([а-я]+)\s+(\d{{4}})", re.I),
    # "المؤرخ 19 كانون الأول/ ديسمبر 2016"; a part letter is a word: "56/24 صاد المؤرخ ..."
    "ar": re.compile(rf"^[\s،,]*{_PART}(?:[\u0621-\u064A]{{1,4}}\s+)?"
                     r"(?:المؤرخ|المؤرخة|المؤرخين|المؤرختين)\s+(\d{1,2})\s+"
                     r"(?:[^\s/\d]+(?:\s[^\s/\d]+)?\s*/\s*)?([^\s\d/()]+)\s*(?:\(\))?\s+"
                     r"(\d{4})"),
}
_ZH_BEFORE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:第|的)?\s*$")


def cited_date(language: str, before: str, after: str) -> str | None:
    """The date the text gives right by a cited symbol (``of 7 December 2023``), or None."""
    if language == "zh":
        m = _ZH_BEFORE.search(before)
        return _date_iso(m.group(1), int(m.group(2)), m.group(3)) if m else None
    pattern = _AFTER.get(language)
    if pattern is None:
        return None
    m = pattern.match(after)
    if not m:
        return None
    day, month_name, year = m.groups()
    month = _MONTH_INDEX[language].get(month_name.lower())
    if month is None:
        return None
    return _date_iso(year, month, "1" if day == "1er" else day)


@lru_cache(maxsize=8)
def _verb_lexicon(language: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """(verb form in lower case -> SKOS meaning, adverbs) from graph/lexicons/<lang>.json.

    The lexicons are the extractor's data (``verbs`` grouped by paragraph kind, ``adverbs``);
    when a lexicon is missing or shaped differently the AKN reader leaves ``verb_meaning``
    empty rather than fail.
    """
    path = Path(__file__).parent / "lexicons" / f"{language}.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}, ()
    if not isinstance(data, dict):
        return {}, ()
    out: dict[str, str] = {}

    def take(mapping: object) -> None:
        if not isinstance(mapping, dict):
            return
        for form, meaning in mapping.items():
            if isinstance(meaning, str):
                out.setdefault(_norm(form).lower(), meaning)
            elif isinstance(meaning, dict):
                take(meaning)  # grouped by kind: {"preambular": {...}, "operative": {...}}

    take(data.get("verbs"))
    adverbs = data.get("adverbs") if isinstance(data.get("adverbs"), list) else []
    words = tuple(sorted((_norm(a).lower() for a in adverbs if isinstance(a, str)),
                         key=len, reverse=True))
    return out, words


def verb_meaning(verb: str | None, language: str) -> str | None:
    """The verb's meaning concept when the lexicon knows it (adverbs dropped, longest prefix)."""
    if not verb:
        return None
    lex, adverbs = _verb_lexicon(language)
    if not lex:
        return None
    v = _norm(verb).lower().strip(",:;،")
    stripped = v
    for adverb in adverbs:
        if adverb and adverb in stripped:
            stripped = re.sub(rf"(?<!\w){re.escape(adverb)}(?!\w)", " ", stripped)
    candidates = [v, _norm(stripped)]
    for cand in candidates:
        c = cand
        while c:
            if c in lex:
                return lex[c]
            if " " not in c:
                break
            c = c.rsplit(" ", 1)[0]
    return None


def split_sponsors(by: str) -> list[str]:
    """``"Belarus, Kazakhstan and Trinidad and Tobago"`` -> three names."""
    global _STATE_NAMES_WITH_AND
    if _STATE_NAMES_WITH_AND is None:
        names = set()
        for st in all_states():
            names.update(n for n in (st.name_en, st.names.get("en", "")) if " and " in n)
        names.update({"Antigua and Barbuda", "Bosnia and Herzegovina", "Trinidad and Tobago",
                      "Saint Kitts and Nevis", "Sao Tome and Principe",
                      "Saint Vincent and the Grenadines"})
        _STATE_NAMES_WITH_AND = sorted(names, key=len, reverse=True)
    text = _norm(unquote(by) if "%" in by else by)
    if not text:
        return []
    protected = text
    for i, name in enumerate(_STATE_NAMES_WITH_AND):
        protected = protected.replace(name, f"\x00{i}\x00")
    items = [x for chunk in protected.split(", ") for x in re.split(r"\s+and\s+", chunk)]
    out = []
    for item in items:
        item = re.sub(r"\x00(\d+)\x00", lambda m: _STATE_NAMES_WITH_AND[int(m.group(1))], item)
        item = item.strip(" ,")
        if item:
            out.append(item)
    return out


# ----------------------------------------------------------------------------- the reader
@dataclass
class _Block:
    """Text of one paragraph with its notes and link positions, collected in one pass."""

    parts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (href, parts list, start index, end index, in_note, class attribute)
    links: list[tuple[str, list[str], int, int, bool, str]] = field(default_factory=list)
    verb: str | None = None


_BLOCK_ENDS = {"p", "item", "point", "intro", "wrapUp", "listIntroduction", "li", "tr",
               "blockList", "list", "subheading", "heading", "num", "td", "th"}


def _collect(el: etree._Element, parts: list[str], block: _Block, in_note: bool) -> None:
    """Append ``el``'s text (not its tail) to ``parts``, notes and links to ``block``."""
    if el.text:
        parts.append(el.text)
    for child in el:
        local = _local(child)
        if local == "authorialNote":
            note_parts: list[str] = []
            _collect(child, note_parts, block, True)
            text = _norm("".join(note_parts))
            if text:
                block.notes.append(text)
        elif local == "a":
            start = len(parts)
            _collect(child, parts, block, in_note)
            href = child.get("href")
            if href:
                block.links.append((href, parts, start, len(parts), in_note,
                                    child.get("class") or ""))
        elif local:
            _collect(child, parts, block, in_note)
            if local in _BLOCK_ENDS:
                parts.append(" ")
        if child.tail:
            parts.append(child.tail)


def _leading_verb(el: etree._Element) -> str | None:
    """The leading emphasised words of the first ``p`` in ``el`` (the paragraph's verb)."""
    for p in el.iter(_A + "p"):
        if (p.text or "").strip():
            return None
        for child in p:
            if _local(child) == "authorialNote":
                return None
            if _local(child) == "span" and re.search(r"\b(italic|bold)\b", child.get("class", "")):
                verb = _norm("".join(child.itertext())).strip(" ,:;،")
                return verb or None
            return None
        return None
    return None


class _Reader:
    """Maps one parsed AKN4UN tree to a ParsedResolution."""

    def __init__(self, root: etree._Element, source: str):
        self.root = root
        self.source = source
        self.doc = next((c for c in root if _local(c)), None)
        if self.doc is None:
            raise ParseError("empty akomaNtoso document", source=source)
        self.meta = self.doc.find(_A + "meta")
        if self.meta is None:
            raise ParseError(f"no <meta> in the {_local(self.doc)} element", source=source,
                             line=self.doc.sourceline)
        self.language = "en"
        self.own_export = False  # written by resograph's AKN export: eIds are paragraph keys

    # -- top level ---------------------------------------------------------------------------
    def read(self, data: bytes) -> ParsedResolution:
        ident = self.meta.find(_A + "identification")
        if ident is None:
            raise ParseError("no FRBR <identification> in <meta>", source=self.source,
                             line=self.meta.sourceline)
        work = ident.find(_A + "FRBRWork")
        expr = ident.find(_A + "FRBRExpression")
        manif = ident.find(_A + "FRBRManifestation")
        lang3 = _attr(expr, "a:FRBRlanguage", "language") or ""
        if lang3 not in LANGUAGES:
            raise ParseError(f"unknown FRBRlanguage {lang3!r}", source=self.source)
        self.language = LANGUAGES[lang3]
        self.own_export = _attr(manif, "a:FRBRauthor", "href") == "#resograph"
        adopted = self._adoption_date(work, expr)
        symbol = self._symbol(work)
        info = symbols.parse(symbol)  # a lettered part: session 79, number "245 B"
        organ = info.organ
        if organ == "UN":
            author = _attr(work, "a:FRBRauthor", "href") or ""
            organ = {"ga": "GA", "sc": "SC", "#ga": "GA", "#sc": "SC"}.get(author.lower(), "UN")
        cover = self.doc.find(_A + "coverPage")
        res = ParsedResolution(
            symbol=symbol, organ=organ, language=self.language, file=self.source,
            kind="decision" if info.kind == "decision" else "resolution",
            session=info.session, number=info.number,
            year=info.year,  # the year in the symbol (SC); GA years come from `adopted`
            adopted=adopted, source_format="akn",
            source_sha256=hashlib.sha256(data).hexdigest(),
            published=self._frbr_date(expr, "publication"),
        )
        if hasattr(res, "marked_up"):
            res.marked_up = self._frbr_date(manif, "markup")
        if organ == "GA" and res.session is None:
            res.session = _attr(cover, ".//a:session", "value")
        res.title = self._title()
        self._agenda_and_meeting(res, cover)
        self._workflow(res, cover)
        # A/79/PV.43, A/79/PV.55 (Resumption 1) (canonical: A/79/PV.55(RESUMPTION1))
        pv = re.search(r"/PV\.(\d+)(?:\(RESUMPTION\d*\))?$", res.documents.get("record", ""))
        if pv and not self.own_export:  # resograph's export writes the meeting it holds
            # The meeting record's number is the same in every language, the printed meeting
            # may slip in one (Arabic 79/124: 74 for 47). But the record itself is wrong in
            # ten GA 79 files (79/64: PV.43, printed "44th" in the six languages and the PDF).
            # When the file's two sources disagree it does not establish the meeting: none is
            # stated, rather than a number that contradicts another source (rg:meeting has at
            # most one value per work).
            record = str(int(pv.group(1)))
            if res.meeting not in (None, record):
                log.info("%s: meeting %s printed, record says PV.%s: meeting left out",
                         self.source, res.meeting, record)
                res.meeting = None
            else:
                res.meeting = record
        res.adoption = self._adoption()
        res.subjects = self._subjects()
        self._body(res)
        return res

    def _frbr_date(self, el: etree._Element | None, name: str) -> str | None:
        if el is None:
            return None
        for d in el.iterfind(_A + "FRBRdate"):
            if d.get("name") == name:
                value = d.get("date")
                return value if value and not value.startswith("0001") else None
        return None

    def _adoption_date(self, work: etree._Element | None,
                       expr: etree._Element | None) -> str | None:
        """The adoption date, from the source that agrees across the six language versions.

        Measured on the corpus: the printed date (``docDate refersTo="#adoptionDate"``) first,
        then FRBRWork's date (wrong in a few French files, 0001-01-01 in some Arabic, Chinese,
        Russian and Spanish ones), the work URI, for the Security Council the publication date
        (the day of adoption), and last the workflow step (consistent but off for two SC texts).
        """
        for dd in self.doc.iter(_A + "docDate"):
            d = dd.get("date") or ""
            if dd.get("refersTo") == "#adoptionDate" and _ISO_DATE.match(d) and d[:4] != "0001":
                return d
        frbr = self._frbr_date(work, "adoption")
        if frbr:
            return frbr
        m = re.search(r"/(\d{4}-\d{2}-\d{2})/", _attr(work, "a:FRBRuri", "value") or "")
        if m and not m.group(1).startswith("0001"):
            return m.group(1)
        author = (_attr(work, "a:FRBRauthor", "href") or "").lstrip("#").lower()
        published = self._frbr_date(expr, "publication")
        if author == "sc" and published:
            return published
        for step in self.meta.iterfind(f"{_A}workflow/{_A}step"):
            d = step.get("date") or ""
            if step.get("outcome") == "adopted" and _ISO_DATE.match(d) and d[:4] != "0001":
                return d
        return None

    def _symbol(self, work: etree._Element | None) -> str:
        cover = self.doc.find(_A + "coverPage")
        if cover is not None:
            for dn in cover.iter(_A + "docNumber"):
                text = _itertext(dn)
                if text:
                    base, part = split_part(text)
                    # a file holding all parts ("A-B") is the resolution; a part adopted on
                    # its own ("A/RES/79/245 B", months after 79/245) is a work of its own
                    return f"{base} {part}" if part and "-" not in part else base
        # fallback: the FRBR work URI, /akn/un/statement/deliberation/unga/2024-11-18/79-10/
        uri = _attr(work, "a:FRBRuri", "value") or ""
        m = re.search(r"/un(ga|sc)/[\d-]+/([^/]+)/", uri)
        if m:
            organ, num = m.groups()
            if organ == "sc":
                n, _, year = num.partition("-")
                return symbols.sc(n, year)
            session, _, n = num.partition("-")
            return split_part(f"A/RES/{session}/{n}")[0]
        raise ParseError("no symbol: neither coverPage docNumber nor an FRBR work URI",
                         source=self.source)

    def _title(self) -> str | None:
        for dt in self.doc.iterfind(f"{_A}preface//{_A}docTitle"):
            text = _itertext(dt)
            if text:
                return text
        if self.language == "en":
            for kw in self.meta.iterfind(f"{_A}classification/{_A}keyword"):
                if kw.get("refersTo") == "title":
                    return _norm(kw.get("showAs") or kw.get("value") or "") or None
        return None

    def _agenda_and_meeting(self, res: ParsedResolution, cover: etree._Element | None) -> None:
        if cover is not None:
            for inline in cover.iter(_A + "inline"):
                name = inline.get("name")
                if name == "agenda item":
                    res.agenda_item = (_norm(inline.get("title") or "")
                                       or _itertext(inline) or None)
                elif name == "agenda item name":
                    res.agenda_title = _itertext(inline) or None
                elif name == "adoptionMeeting" and not res.meeting:
                    res.meeting = _meeting_number(inline)
        if res.agenda_title is None:  # Security Council: the agenda is a classification entry
            for kw in self.meta.iterfind(f"{_A}classification/{_A}keyword"):
                if kw.get("refersTo") == "agenda" and kw.get("dictionary") == "S/":
                    res.agenda_title = _norm(kw.get("showAs") or "").rstrip(".") or None
        if res.meeting is None:
            for loc in self.doc.iterfind(f"{_A}conclusions//{_A}location"):
                res.meeting = _meeting_number(loc)
                break

    def _workflow(self, res: ParsedResolution, cover: etree._Element | None) -> None:
        for step in self.meta.iterfind(f"{_A}workflow/{_A}step"):
            outcome = step.get("outcome")
            symbol = _norm(step.get("as") or "")
            if outcome == "draftResolution":
                if symbol:
                    res.documents.setdefault("draft", symbols.normalise(symbol))
                res.sponsors.extend(split_sponsors(step.get("by") or ""))
            elif outcome == "draftResolutionAdditionalSponsors":
                for name in split_sponsors(step.get("by") or ""):
                    if name not in res.sponsors:
                        res.sponsors.append(name)
            elif outcome == "adopted" and symbol:
                res.documents["record"] = symbols.normalise(symbol)
        if cover is None:
            return
        for prop in cover.iter(_A + "docProponent"):
            committee = (prop.get("refersTo") or "").lstrip("#")
            for inline in prop.iter(_A + "inline"):
                if inline.get("name") != "originating document":
                    continue
                m = re.search(r"[A-Z]+(?:/[\w.()-]+)+", _itertext(inline))
                if not m:
                    continue
                sym = symbols.normalise(m.group(0).rstrip(".,"))
                if committee == "noMainCommittee" or "/L." in sym:
                    res.documents.setdefault("draft", sym)
                else:
                    res.documents["report"] = sym

    def _adoption(self) -> Adoption:
        voting = self.meta.find(f"{_A}analysis/{_A}parliamentary/{_A}voting")
        if voting is None:
            return Adoption()
        outcome = voting.get("outcome") or ""
        counts: dict[str, int | None] = {}
        votes: list[MemberVote] = []
        for count in voting.iterfind(_A + "count"):
            category = (count.get("refersTo") or "").lstrip("#")
            vote = VOTE_CATEGORIES.get(category)
            if vote is None:
                continue
            value = (count.get("value") or "").strip()
            counts[vote] = int(value) if value.isdigit() else None
            for org in count.iter(_A + "organization"):
                name = _itertext(org)
                if not name:
                    continue
                try:
                    state = state_for(name)
                except UnknownStateError:
                    log.warning("%s: unmapped member state name %r", self.source, name)
                    continue
                votes.append(MemberVote(state.code, state.name_en, vote))
        if outcome == "adoptedWithoutVote":
            method = "without-vote"
        elif outcome in ("adoptedRecordedVote", "adoptedVote", "rejectedRecordedVote"):
            method = "vote"
        elif counts:
            no, abstain = counts.get("no") or 0, counts.get("abstain") or 0
            method = "unanimous" if counts.get("yes") and not no and not abstain else "vote"
        else:
            method = "unknown"
        return Adoption(method=method, yes=counts.get("yes"), no=counts.get("no"),
                        abstain=counts.get("abstain"), non_voting=counts.get("non-voting"),
                        votes=votes)

    def _subjects(self) -> list[Subject]:
        seen: dict[str, Subject] = {}
        for kw in self.meta.iterfind(f"{_A}classification/{_A}keyword"):
            iri = (kw.get("href") or "").strip()
            if not iri.startswith(("http://", "https://")) or iri in seen:
                continue
            scheme = subject_scheme(iri, kw.get("dictionary"))
            label = _norm((kw.get("showAs") or kw.get("value") or "").replace("_", " "))
            if scheme == "SDG" and (kw.get("value") or "").isdigit():
                label = f"SDG {kw.get('value')}"
            seen[iri] = Subject(iri, label or None, scheme)
        return list(seen.values())

    # -- body --------------------------------------------------------------------------------
    def _statements(self) -> Iterator[tuple[str, etree._Element]]:
        """(key prefix, statement) for the document or each component of a collection.

        The prefix is the component's position (``comp_0__``), not its eId: positions are
        what the language versions share.
        """
        if _local(self.doc) == "documentCollection":
            comps = self.root.find(_A + "components")
            if comps is not None:
                n = 0
                for comp in comps.iterfind(_A + "component"):
                    for st in comp:
                        if _local(st):
                            yield f"comp_{n}__", st
                            n += 1
            return
        yield "", self.doc

    def _raw_blocks(self) -> list[_Raw]:
        """Every paragraph-like block with text, in document order, with where it sits."""
        raws: list[_Raw] = []
        last_num: dict[tuple[str, str], int] = {}

        def take(el: etree._Element, prefix: str, area: str, path: tuple[int, ...]) -> None:
            num_el = el.find(_A + "num")
            num = _int_num(_itertext(num_el)) if num_el is not None else None
            if area != "preamble" and num is None and not _has_content(el):
                return  # a heading only
            block = _block_of(el)
            text = _norm("".join(block.parts))
            if num is None and num_el is None and area != "preamble":
                m = _NUM_IN_TEXT.match(text)
                # "33 – ..." printed in the text, not marked up as <num> (some Arabic, Chinese
                # and Russian files): taken when it continues the numbering
                last = last_num.get((prefix, area), 0)
                if m and int(m.group(1)) == last + 1 and (m.group(2) or (area == "body"
                                                                         and last)):
                    num, text = int(m.group(1)), text[m.end():]
            if num is not None:
                last_num[(prefix, area)] = num
            if text or block.notes:
                raws.append(_Raw(el, prefix, area, path, num, block, text))

        for prefix, st in self._statements():
            preamble = st.find(_A + "preamble")
            if preamble is not None:
                for child in preamble:
                    if _local(child) in ("container", "p", "paragraph"):
                        take(child, prefix, "preamble", ())
            body = st.find(_A + "mainBody")
            if body is not None:
                for el, path in _body_blocks(body):
                    take(el, prefix, "body", path)
            atts = st.find(_A + "attachments")
            if atts is not None:
                for i, att in enumerate(atts.iterfind(_A + "attachment"), 1):
                    for part in att.iter(_A + "preamble", _A + "mainBody"):
                        for el, path in _body_blocks(part):
                            take(el, prefix, f"annex{i}", path)
        return raws

    def _body(self, res: ParsedResolution) -> None:
        raws = self._raw_blocks()
        if self.own_export:
            _keys_from_eids(raws)
        else:
            _structural_keys(raws)
        # preambular ordinals count within their numbering scope, the key up to its last "__"
        # (comp_1__pre1: the component; also in resograph's own export, which writes one
        # statement with the keys as eIds), the scope the shapes check (OrdinalUniqueShape,
        # OrdinalContiguousShape)
        counters: dict[tuple[str, str], int] = {}
        seen_cit: dict[tuple[str, str | None, bool], Citation] = {}
        for raw in raws:
            scope = (raw.kind, raw.key.rpartition("__")[0] if raw.kind == "preambular" else "")
            counters[scope] = counters.get(scope, 0) + 1
            verb = _leading_verb(raw.el)
            para = Paragraph(number=raw.num if raw.kind == "operative" and raw.num is not None
                             else counters[scope], kind=raw.kind, verb=verb, text=raw.text,
                             key=raw.key, footnotes=raw.block.notes,
                             verb_meaning=verb_meaning(verb, self.language))
            if hasattr(para, "eid"):
                para.eid = raw.el.get("eId")
            res.paragraphs.append(para)
            self._citations(raw.block, para, seen_cit, res)
        res.citations = list(seen_cit.values())

    def _citations(self, block: _Block, para: Paragraph,
                   seen: dict[tuple[str, str | None, bool], Citation],
                   res: ParsedResolution) -> None:
        for href, parts, start, end, in_note, css in block.links:
            if href.startswith(_INSTRUMENT_BASE) and self.own_export:
                name = href[len(_INSTRUMENT_BASE):]
                key = (name, para.key, in_note)
                if name and key not in seen:
                    seen[key] = Citation(target=name, type="instrument", verb=para.verb,
                                         paragraph=para.key, verb_meaning=para.verb_meaning,
                                         method=_link_method(css), in_note=in_note)
                continue
            target = symbol_from_href(href)
            if target is None:
                continue
            symbol, part = target
            if symbol == res.symbol or symbol == split_part(res.symbol)[0]:
                continue  # the editors sometimes link the resolution's own symbol
            info = symbols.parse(symbol)
            ctype = info.kind if info.kind in ("resolution", "decision") else "document"
            key = (symbol, para.key, in_note)
            before = "".join(parts[max(0, start - 6):start])[-40:]
            after = "".join(parts[end:end + 8])[:80]
            date = cited_date(self.language, before, after) if ctype != "document" else None
            if key in seen:
                if seen[key].as_cited_date is None and date:
                    seen[key].as_cited_date = date
                continue
            seen[key] = Citation(target=symbol, type=ctype, verb=para.verb, paragraph=para.key,
                                 as_cited_date=date, pinpoint=f"part {part}" if part else None,
                                 verb_meaning=para.verb_meaning, method=_link_method(css),
                                 in_note=in_note)


@dataclass
class _Raw:
    """One block before it becomes a Paragraph: where it sits decides its kind and key."""

    el: etree._Element
    prefix: str  # the component ("comp_1__") or ""
    area: str  # "preamble", "body" or "annex1", "annex2" ...
    path: tuple[int, ...]  # positions of the sections/parts around it within its area
    num: int | None  # the printed integer number, if any
    block: _Block
    text: str
    kind: ParagraphKind = "other"
    key: str = ""


#: A paragraph number printed at the start of the text instead of in ``<num>``.
_NUM_IN_TEXT = re.compile(r"^[\u200e\u200f]*(\d{1,3})[\u200e\u200f]*"
                          r"(?:\s*([.)\-\u2013\u2014])|(?=\s))[\u200e\u200f]*\s+(?=\S)")

#: Punctuation a preambular paragraph ends with (Latin, Arabic, Chinese commas).
_PREAMBULAR_END = (",", "،", "，", "、")


def _block_of(el: etree._Element) -> _Block:
    """Text, notes and links of one block (its ``num`` and headings left out)."""
    block = _Block()
    parts = block.parts
    if _local(el) == "p":  # a bare p in a preamble or body
        _collect(el, parts, block, False)
        return block
    for child in el:
        local = _local(child)
        if local in ("num", "heading", "subheading"):
            if child.tail:
                parts.append(child.tail)
            continue
        _collect(child, parts, block, False)
        if local in _BLOCK_ENDS:
            parts.append(" ")
        if child.tail:
            parts.append(child.tail)
    return block


def _structural_keys(raws: list[_Raw]) -> None:
    """Kinds and keys that are the same in the six language versions of one resolution.

    The UN numbers eIds through the whole document, so one extra or missing block in one
    language shifts every eId after it (measured: 122 of 386 symbols). What the language
    versions do share is the printed structure, so a key says where a block is in it:

    * preambular paragraphs: ``pre{n}``, their position; an unnumbered body block before the
      first numbered one that ends like a preambular paragraph (with a comma) is one (some
      Arabic files put the preamble in ``mainBody``);
    * operative paragraphs: ``op{printed number}``; when numbers repeat in the body (numbering
      restarted in parts), the position of the enclosing sections is put in front (``s2__op1``);
    * annex blocks: ``annex{i}__`` then ``n{printed number}`` for numbered ones;
    * other blocks: the key of the last numbered block before them in the same area plus their
      position after it (``op12_1``: the first unnumbered block after paragraph 12), or
      ``u{n}`` before any: a block one language splits in two shifts keys only up to the next
      numbered paragraph;
    * components of a collection: ``comp_{i}__`` in front of all.
    """
    groups: dict[tuple[str, str], list[_Raw]] = {}
    for raw in raws:
        groups.setdefault((raw.prefix, raw.area), []).append(raw)
    pre_counts: dict[str, int] = {}
    used: set[str] = set()
    for (prefix, area), items in groups.items():
        if area == "preamble":
            for raw in items:
                raw.kind = "preambular"
        elif area == "body":
            first_num = next((i for i, r in enumerate(items) if r.num is not None), None)
            for i, raw in enumerate(items):
                if raw.num is not None:
                    raw.kind = "operative"
                elif first_num is not None and i < first_num \
                        and raw.text.rstrip().endswith(_PREAMBULAR_END):
                    raw.kind = "preambular"
        # preambular keys count across the preamble and a preamble spilled into the body
        for raw in items:
            if raw.kind == "preambular":
                pre_counts[prefix] = pre_counts.get(prefix, 0) + 1
                raw.key = f"{prefix}pre{pre_counts[prefix]}"
        numbered = [r for r in items if r.num is not None]
        nums = [r.num for r in numbered]
        sectioned = len(set(nums)) < len(nums)
        if sectioned and _repair_numbering(numbered):
            sectioned = len({r.num for r in numbered}) < len(numbered)
        tag = "op" if area == "body" else "n"
        head = prefix if area in ("body", "preamble") else f"{prefix}{area}__"
        anchor, after = "u", 0
        for raw in items:
            if raw.kind == "preambular":
                continue
            if raw.num is not None:
                section = "s" + "-".join(map(str, raw.path)) + "__" if sectioned and raw.path \
                    else ""
                anchor, after = f"{section}{tag}{raw.num}", 0
                raw.key = f"{head}{anchor}"
            else:
                after += 1
                raw.key = f"{head}{anchor}{after}" if anchor == "u" else f"{head}{anchor}_{after}"
    # last resort, never expected on UN files: a repeated key gets its occurrence appended
    for raw in raws:
        key, n = raw.key, 1
        while key in used:
            n += 1
            key = f"{raw.key}-{n}"
        raw.key = key
        used.add(key)


def _repair_numbering(numbered: list[_Raw]) -> bool:
    """Fix misprinted numbers that their neighbours determine, as the other languages print
    them: 9, 11, 11, 12 -> 9, 10, 11, 12 and 12, 12, 13, 14, 16 -> 12, 13, 14, 15, 16.

    At each place where the numbering stops rising, the shortest run of up to five numbers
    between two numbers whose difference equals their distance is renumbered; a genuine
    restart (... 12, 1, 2, 3 ...) has no such pair and is left alone. True when changed.
    """
    nums = [r.num or 0 for r in numbered]
    changed = False
    for i in range(1, len(nums)):
        if nums[i] > nums[i - 1]:
            continue
        done = False
        for a in (i - 1, i - 2):
            if a < 0:
                continue
            for b in range(i, min(len(nums), a + 7)):
                if b - a >= 2 and nums[b] - nums[a] == b - a:
                    for k in range(a + 1, b):
                        nums[k] = nums[a] + (k - a)
                    done = changed = True
                    break
            if done:
                break
    if changed:
        for r, n in zip(numbered, nums, strict=True):
            r.num = n
    return changed


def _keys_from_eids(raws: list[_Raw]) -> None:
    """resograph's own AKN export writes each paragraph's key as its eId: read them back, and
    the kinds as written (preamble, numbered body paragraph, other)."""
    used: set[str] = set()
    counters = {"preambular": 0, "operative": 0, "other": 0}
    for raw in raws:
        if raw.area == "preamble":
            raw.kind = "preambular"
        elif raw.area == "body" and raw.num is not None:
            raw.kind = "operative"
        counters[raw.kind] += 1
        key = raw.el.get("eId") or ""
        if not key or key in used:
            key = f"{raw.prefix}{'pre' if raw.kind == 'preambular' else raw.kind[:2]}" \
                  f"{counters[raw.kind]}"
        n = 1
        base = key
        while key in used:
            n += 1
            key = f"{base}-{n}"
        raw.key = key
        used.add(key)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: resograph's export links an instrument (no UN symbol) to its resograph IRI.
_INSTRUMENT_BASE = "https://w3id.org/resograph/instrument/"

_CONTAINERS = {"section", "part", "chapter", "title", "hcontainer", "division", "book",
               "subsection", "subpart", "tome", "article", "clause", "level", "doc",
               "mainBody", "preamble", "blockContainer"}


def _body_blocks(el: etree._Element,
                 path: tuple[int, ...] = ()) -> Iterator[tuple[etree._Element, tuple[int, ...]]]:
    """Top-level paragraph-like blocks inside a body, looking through sections and parts,
    each with the positions (1-based) of the sections around it."""
    n = 0
    for child in el:
        local = _local(child)
        if local in ("paragraph", "container", "p", "subparagraph"):
            yield child, path
        elif local in _CONTAINERS:  # crossHeading and other headings carry no paragraph
            n += 1
            yield from _body_blocks(child, (*path, n))


def _meeting_number(el: etree._Element) -> str | None:
    """The meeting number, language-neutral as the extractor gives it: ``title="39th"`` or
    ``39th plenary meeting`` / ``第39次全体会议`` -> ``39`` (one value for all languages)."""
    for text in (el.get("title") or "", _itertext(el)):
        m = re.search(r"\d+", text)
        if m:
            return str(int(m.group(0)))
    return None


def _has_content(el: etree._Element) -> bool:
    """A block with body text (not only ``num``/``heading``/``subheading``)."""
    if _local(el) == "p":
        return bool(_itertext(el))
    return any(_local(c) not in ("num", "heading", "subheading", "") for c in el)


def _link_method(css: str) -> str:
    """``akn-link`` for the editors' links; resograph's own AKN export marks citations other
    methods found as ``class="method-text"`` (so their provenance survives a round trip)."""
    for token in css.split():
        if token.startswith("method-") and len(token) > 7:
            return token[7:]
    return "akn-link"


def _int_num(text: str) -> int | None:
    """``1.``, ``12 -``, ``١.`` -> the integer; ``(a)``, ``I.`` -> None."""
    m = re.fullmatch(r"\s*(\d+)\s*[.\-)]?\s*", text)
    if not m:
        return None
    try:
        return int(m.group(1))
    except ValueError:
        return None


def subject_scheme(iri: str, dictionary: str | None = None) -> str | None:
    """``UNBIS``, ``EuroVoc`` or ``SDG`` from the keyword's dictionary or its IRI."""
    if "metadata.un.org/sdg" in iri:
        return "SDG"
    if "metadata.un.org/thesaurus" in iri:
        return "UNBIS"
    if "eurovoc.europa.eu" in iri:
        return "EuroVoc"
    if dictionary:
        d = dictionary.upper()
        if d.startswith("UNBIS"):
            return "UNBIS"
        if d.startswith("EUROVOC"):
            return "EuroVoc"
        if d.startswith("SDG"):
            return "SDG"
        return dictionary
    return None


# ----------------------------------------------------------------------------- text extractor
#: At most this many pieces per extractor call: the extractor reads paragraph numbers of up
#: to three digits.
_CHUNK = 900


_DIGIT_CANDIDATE = re.compile(r"\d\s?/\s?\d|\d\s?\(\d{4}\)")


@lru_cache(maxsize=8)
def _candidate_words(language: str) -> tuple[str, ...] | None:
    """The lexicon's resolution and decision words and instrument names, in lower case; None
    when the lexicon cannot be loaded."""
    try:
        from resograph.graph.lexicons import load

        data = load(language).data
        words = [*data.get("resolution_words", []), *data.get("decision_words", []),
                 *(data.get("instruments") or {})]
    except Exception:  # a missing or broken lexicon means links only
        log.debug("no lexicon for %s: AKN citations from links only", language, exc_info=True)
        return None
    return tuple(sorted({_norm(w).lower() for w in words if isinstance(w, str) and w.strip()},
                        key=len))


def _is_candidate(text: str, words: tuple[str, ...]) -> bool:
    """Whether the extractor could find a citation in ``text``: a number with a slash or a
    year in brackets, or a resolution/decision word or instrument name of the lexicon.

    Plain substring tests on the lower-cased text: measured on the corpus four times faster
    than one regex alternation of the same words (which dominated the cost of the merge).
    """
    if _DIGIT_CANDIDATE.search(text):
        return True
    low = text.lower()
    return any(w in low for w in words)


def _number_token(target: str) -> str:
    """The number part of a symbol, as the text prints it in every language: ``78/91`` for
    ``A/RES/78/91`` or ``A/HRC/RES/49/7``, ``2672`` for ``S/RES/2672 (2023)``."""
    m = re.search(r"(?:ES-|S-)?\d+/\d+$", target)
    if m:
        return m.group(0)
    m = re.search(r"(\d+)\s?\(", target)
    return m.group(1) if m else target


def add_text_citations(res: ParsedResolution) -> int:
    """Add what the text extractor finds in ``res``'s paragraphs and notes that the editors
    did not link there; returns how many citations were added.

    The editors link most citations but miss a few. Each paragraph text and each note with a
    candidate token (:func:`_is_candidate`) becomes one numbered piece of a small text
    (the own symbol on top, so that "its resolution" has an organ), read by
    :func:`resograph.graph.extract.extract_text` in one call; piece ``n`` is the extractor's
    operative paragraph ``n``, which maps its citations back to the AKN paragraph key.
    Added: resolutions, decisions and instruments (``method="text"``); never the own symbol,
    nor a symbol whose number the editors linked in the same paragraph to another organ (the
    link wins). A linked citation without a date as cited takes the extractor's date for the
    same target in the same paragraph. If the extractor is missing or raises
    :class:`ParseError`, ``res`` keeps the links only.
    """
    try:
        from resograph.graph.extract import extract_text
    except ImportError:
        return 0
    words = _candidate_words(res.language)
    if words is None:
        return 0
    pieces: list[tuple[str, str | None, bool]] = []  # text, paragraph key, in note
    for para in res.paragraphs:
        if para.text and _is_candidate(para.text, words):
            pieces.append((para.text, para.key, False))
        for note in para.footnotes:
            if _is_candidate(note, words):
                pieces.append((note, para.key, True))
    if not pieces:
        return 0
    by_para = {p.key: p for p in res.paragraphs}
    linked: dict[tuple[str | None, bool], dict[str, Citation]] = {}
    for c in res.citations:
        linked.setdefault((c.paragraph, c.in_note), {})[c.target] = c
    own = {res.symbol, split_part(res.symbol)[0]}
    head = split_part(res.symbol)[0]
    added = 0
    for start in range(0, len(pieces), _CHUNK):
        chunk = pieces[start:start + _CHUNK]
        text = head + "\n\n" + "\n\n".join(
            f"{n}. {t.replace(chr(10), ' ')}" for n, (t, _, _) in enumerate(chunk, 1)) + "\n"
        try:
            found = extract_text(text, lang=res.language, source=res.file)
        except ParseError as exc:
            log.info("%s: text extractor failed, AKN links only: %s", res.file, exc)
            return added
        for c in found.citations:
            m = re.fullmatch(r"op(\d+)(?:-\d+)?", c.paragraph or "")
            if not m or c.in_note or not 1 <= int(m.group(1)) <= len(chunk):
                continue
            piece_text, key, in_note = chunk[int(m.group(1)) - 1]
            if c.type not in ("resolution", "decision", "instrument") or c.target in own:
                continue
            here = linked.setdefault((key, in_note), {})
            if c.target in here:
                if here[c.target].as_cited_date is None and c.as_cited_date:
                    here[c.target].as_cited_date = c.as_cited_date
                continue
            if c.type != "instrument":
                token = _number_token(c.target)
                if token not in piece_text or any(
                        _number_token(t) == token for t in here):
                    continue  # not printed in this piece, or linked to another organ
            para = by_para.get(key)
            cit = Citation(target=c.target, type=c.type, verb=para.verb if para else c.verb,
                           paragraph=key, as_cited_date=c.as_cited_date, pinpoint=c.pinpoint,
                           verb_meaning=para.verb_meaning if para else c.verb_meaning,
                           method="text", in_note=in_note)
            here[c.target] = cit
            res.citations.append(cit)
            added += 1
    return added
