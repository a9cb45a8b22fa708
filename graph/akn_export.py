"""Write a resolution as Akoma Ntoso 3.0 (AKN4UN-shaped) XML, from the graph or a parse.

:func:`parsed_to_akn` turns a :class:`ParsedResolution` into an AKN ``statement`` laid out as
the UN's own files are (FRBR identity, classification, workflow, vote in ``analysis``, cover
page, preface, preamble containers, operative paragraphs, ``authorialNote`` footnotes, editors'
``<a href="https://undocs.org/...">`` links), valid against the OASIS schema, so that reading it
back with :func:`resograph.graph.akn.parse_akn_bytes` gives the same identity, paragraphs,
notes, links, vote and subjects. :func:`export_akn` does the same for a resolution in a store,
going graph -> ParsedResolution -> AKN (the graph side is the ingest component's reader).

Where a link stood in the text is not part of the model, so a link is put on the first
occurrence of the cited number as the text prints it (``59/50``, ``2672 (2023)``, the symbol of
a document) and, failing that, as an empty ``<a>`` at the end of the paragraph or note: the
link survives and the text is unchanged.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from lxml import etree

from resograph.graph import symbols, vocab
from resograph.graph.akn import AKN4UN_NS, AKN_NS, LANGUAGES_3
from resograph.graph.model import Citation, Paragraph, ParsedResolution

_A = "{" + AKN_NS + "}"
_U = "{" + AKN4UN_NS + "}"
_NSMAP = {None: AKN_NS, "akn4un": AKN4UN_NS}
_NO_DATE = "0001-01-01"  # how AKN4UN writes an unknown date; the reader maps it back to None

_VOTE_REFS = {"yes": "inFavour", "no": "against", "abstain": "abstaining",
              "non-voting": "notVoting"}
_OUTCOMES = {"without-vote": "adoptedWithoutVote", "vote": "adoptedRecordedVote"}
_DICTIONARIES = {"SDG": "SDGO", "UNBIS": "UNBIS", "EuroVoc": "EuroVoc"}


class ExportError(ValueError):
    """The resolution asked for is not in the store (or not uniquely)."""


def _el(parent: etree._Element | None, tag: str, text: str | None = None,
        **attrs: Any) -> etree._Element:
    name = tag if tag.startswith("{") else _A + tag
    clean = {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None}
    el = etree.Element(name, clean, nsmap=_NSMAP) if parent is None else \
        etree.SubElement(parent, name, clean)
    if text:
        el.text = text
    return el


def _frbr_base(p: ParsedResolution) -> str:
    date = p.adopted or _NO_DATE
    info = symbols.parse(p.symbol)
    if info.organ == "GA" and info.session and info.number:
        return f"/akn/un/statement/deliberation/unga/{date}/{info.session}-{info.number}/"
    if info.organ == "SC" and info.number and info.year:
        return f"/akn/un/statement/deliberation/unsc/{date}/{info.number}-{info.year}/"
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", p.symbol).strip("-")
    return f"/akn/un/statement/deliberation/{p.organ.lower()}/{date}/{slug}/"


def _display(target: str) -> str:
    """The symbol as a resolution's text prints it: ``59/50``, ``2672 (2023)``, ``1514 (XV)``."""
    m = re.match(r"^[AE]/(?:HRC/)?RES/(.+)$", target)
    if m:
        rest = m.group(1)
        return re.sub(r"^(\d+)\((.+)\)$", r"\1 (\2)", rest)
    m = re.match(r"^S/RES/(\d+ \(\d{4}\))$", target)
    if m:
        return m.group(1)
    return target


def _href(c: Citation, language: str) -> str:
    if c.type == "instrument":  # no UN symbol: resograph's IRI (the reader maps it back)
        return vocab.instrument_iri(c.target)
    part = ""
    if c.pinpoint and c.pinpoint.startswith("part "):
        part = c.pinpoint[5:]
    lang = "ch" if language == "zh" else language
    if part and (m := re.match(r"^(A/RES/\d+)(\(.+\))$", c.target)):  # 2200 A (XXI)
        return f"https://undocs.org/{lang}/{m.group(1)}{part}{quote(m.group(2), safe='()')}"
    return f"https://undocs.org/{lang}/{quote(c.target, safe='/()')}{part}"


def _method_class(c: Citation) -> str | None:
    """Citations found by other means than an editor's link say so (``class="method-text"``)
    so that reading the export back keeps their provenance."""
    return None if c.method in ("akn-link", "akn") else f"method-{c.method}"


def _fill(p: etree._Element, text: str, links: list[Citation], language: str,
          start_el: etree._Element | None = None) -> None:
    """Write ``text`` into ``p`` (after ``start_el`` if given) with ``links`` wrapped in <a>."""
    spans: list[tuple[int, int, Citation]] = []
    leftovers: list[Citation] = []
    for c in links:
        needle = _display(c.target)
        pos = 0
        placed = False
        while needle and (i := text.find(needle, pos)) >= 0:
            j = i + len(needle)
            if all(j <= s or i >= e for s, e, _ in spans):
                spans.append((i, j, c))
                placed = True
                break
            pos = i + 1
        if not placed:
            leftovers.append(c)
    spans.sort(key=lambda s: s[0])
    last = start_el
    cursor = 0

    def put(chunk: str) -> None:
        if not chunk:
            return
        if last is None:
            p.text = (p.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk

    for i, j, c in spans:
        put(text[cursor:i])
        last = _el(p, "a", text[i:j], href=_href(c, language), class_=_method_class(c))
        cursor = j
    put(text[cursor:])
    for c in leftovers:
        last = _el(p, "a", None, href=_href(c, language), class_=_method_class(c))


def _paragraph_p(parent: etree._Element, para: Paragraph, cites: list[Citation],
                 language: str) -> None:
    p = _el(parent, "p")
    text = para.text
    verb_el = None
    if para.verb and text.startswith(para.verb):
        verb_el = _el(p, "span", para.verb, class_="italic")
        text = text[len(para.verb):]
    _fill(p, text, [c for c in cites if not c.in_note], language, verb_el)
    note_cites = [c for c in cites if c.in_note]
    for n, note in enumerate(para.footnotes, 1):
        an = _el(p, "authorialNote", marker=str(n), placement="bottom",
                 eId=f"{para.key}__authorialNote_{n}")
        np_ = _el(an, "p")
        here = [c for c in note_cites if _display(c.target) in note]
        note_cites = [c for c in note_cites if c not in here]
        if n == len(para.footnotes):
            here += note_cites
        _fill(np_, note, here, language)


def parsed_to_akn(parsed: ParsedResolution) -> bytes:
    """AKN 3.0 XML (UTF-8, with declaration) for one language version of a resolution."""
    p = parsed
    lang3 = LANGUAGES_3.get(p.language, p.language)
    organ_ref = {"GA": "ga", "SC": "sc"}.get(p.organ, p.organ.lower())
    base = _frbr_base(p)
    root = _el(None, "akomaNtoso")
    st = _el(root, "statement", name="resolution")
    meta = _el(st, "meta")
    ident = _el(meta, "identification", source="#resograph")
    work = _el(ident, "FRBRWork")
    _el(work, "FRBRthis", value=base + "!main/")
    _el(work, "FRBRuri", value=base)
    _el(work, "FRBRdate", date=p.adopted or _NO_DATE, name="adoption")
    _el(work, "FRBRauthor", href="#" + organ_ref, as_="#author")
    _el(work, "FRBRcountry", value="un")
    expr = _el(ident, "FRBRExpression")
    _el(expr, "FRBRthis", value=f"{base}{lang3}@!main/")
    _el(expr, "FRBRuri", value=f"{base}{lang3}@/")
    _el(expr, "FRBRdate", date=p.published or _NO_DATE, name="publication")
    _el(expr, "FRBRauthor", href="#" + organ_ref, as_="#issuer")
    _el(expr, "FRBRlanguage", language=lang3)
    man = _el(ident, "FRBRManifestation")
    _el(man, "FRBRthis", value=f"{base}{lang3}@/!main.xml")
    _el(man, "FRBRuri", value=f"{base}{lang3}@.xml")
    _el(man, "FRBRdate", date=getattr(p, "marked_up", None) or _NO_DATE, name="markup")
    _el(man, "FRBRauthor", href="#resograph", as_="#editor")

    if p.subjects:
        cls = _el(meta, "classification", source="#resograph")
        for s in p.subjects:
            label = s.label or s.iri
            _el(cls, "keyword", value=label, showAs=label, href=s.iri,
                dictionary=_DICTIONARIES.get(s.scheme or "", s.scheme or "unknown"))

    step_date = p.adopted or _NO_DATE
    wf = _el(meta, "workflow", source="#resograph")
    if p.documents.get("draft") or p.sponsors:
        _el(wf, "step", date=step_date, outcome="draftResolution",
            as_=_token(p.documents.get("draft")), by=_join_names(p.sponsors))
    _el(wf, "step", date=step_date, outcome="adopted", as_=_token(p.documents.get("record")), by="")

    a = p.adoption
    if a.method != "unknown" or a.votes:
        parl = _el(_el(meta, "analysis", source="#resograph"), "parliamentary")
        voting = _el(parl, "voting", outcome=_OUTCOMES.get(a.method))
        counts = {"yes": a.yes, "no": a.no, "abstain": a.abstain, "non-voting": a.non_voting}
        for vote, ref in _VOTE_REFS.items():
            voters = [v for v in a.votes if v.vote == vote]
            value = counts[vote]
            if value is None and not voters:
                continue
            count = _el(voting, "count", value=value if value is not None else len(voters),
                        refersTo=ref)
            if voters:
                box = _el(count, _U + "voters")
                for v in voters:
                    _el(box, "organization", v.name, refersTo="memberState")
        if len(voting) == 0:  # the schema wants a count or quorum: AKN4UN writes an empty one
            _el(voting, "quorum", value="")

    refs = _el(meta, "references", source="#resograph")
    _el(refs, "TLCOrganization", eId="resograph", href="https://w3id.org/resograph/",
        showAs="resograph")
    _el(refs, "TLCOrganization", eId=organ_ref, href=f"/akn/ontology/organization/un/{organ_ref}",
        showAs=p.organ)
    for ref in ("inFavour", "against", "abstaining", "notVoting"):
        _el(refs, "TLCTerm", eId=ref, href=f"/akn/ontology/concept/un/voting/{ref}", showAs=ref)

    cover = _el(st, "coverPage")
    _el(_el(cover, "p"), "docNumber", p.symbol, refersTo="#symbol")
    if p.session and p.organ == "GA":
        _el(_el(cover, "p"), "session", f"Session {p.session}", value=p.session,
            refersTo="#" + organ_ref)
    if p.agenda_item:
        _el(_el(cover, "p"), "inline", p.agenda_item, name="agenda item", title=p.agenda_item)
    if p.agenda_title:
        _el(_el(cover, "p"), "inline", p.agenda_title, name="agenda item name")
    origin = p.documents.get("report") or p.documents.get("draft")
    if origin:
        prop = _el(_el(cover, "p"), "docProponent",
                   refersTo="#mainCommittee" if p.documents.get("report") else "#noMainCommittee")
        _el(prop, "inline", origin, name="originating document")

    if p.title:
        pre = _el(_el(st, "preface"), "p")
        _el(pre, "docNumber", p.symbol)
        _el(pre, "docTitle", p.title, refersTo="#resolutionTitle")

    by_para: dict[str | None, list[Citation]] = {}
    for c in p.citations:
        by_para.setdefault(c.paragraph, []).append(c)
    preamble = [x for x in p.paragraphs if x.kind == "preambular"]
    body = [x for x in p.paragraphs if x.kind != "preambular"]
    if preamble:
        pre_el = _el(st, "preamble")
        for para in preamble:
            cont = _el(pre_el, "container", name=para.verb or "preambular", eId=para.key)
            _paragraph_p(cont, para, by_para.get(para.key, []), p.language)
    main = _el(st, "mainBody")
    for para in body:
        par = _el(main, "paragraph", eId=para.key)
        if para.kind == "operative":
            _el(par, "num", f"{para.number}.")
        _paragraph_p(_el(par, "content"), para, by_para.get(para.key, []), p.language)
    if not body:
        _el(main, "p")
    if p.meeting or p.adopted:
        ev = _el(_el(_el(st, "conclusions"), "p"), "event", refersTo="#adoption")
        if p.meeting:
            _el(ev, "location", p.meeting, refersTo="#adoptionMeeting")
        if p.adopted:
            _el(ev, "docDate", p.adopted, date=p.adopted, refersTo="#adoptionDate")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _token(value: str | None) -> str | None:
    """An attribute of type agentRef/noWhiteSpace: spaces become no-break spaces, which the
    reader's whitespace normalisation turns back into spaces."""
    return None if value is None else re.sub(r"[ \t\r\n]+", "\u00a0", value.strip())


def _join_names(names: list[str]) -> str:
    """Sponsors as AKN4UN writes them in ``step/@by`` (an anyURI in the schema: a colon would
    read as a URI scheme, so ``%`` and ``:`` are percent-encoded; the reader decodes them)."""
    text = "".join(names) if len(names) <= 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return text.replace("%", "%25").replace(":", "%3A")


# ----------------------------------------------------------------------------- from a store
_RG = "https://w3id.org/resograph/ontology#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DCT = "http://purl.org/dc/terms/"
_SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_METHODS = {"withoutVote": "without-vote", "unanimous": "unanimous", "recordedVote": "vote",
            "unknownMethod": "unknown"}
_VOTES = {"yes": "yes", "no": "no", "abstain": "abstain", "nonVoting": "non-voting"}
_KINDS = {"preambular": "preambular", "operative": "operative", "otherParagraph": "other"}
_TYPES = {"Resolution": "resolution", "Decision": "decision", "UNDocument": "document",
          "Instrument": "instrument"}
_DISCOVERY = {"aknLink": "akn-link", "textExtraction": "text", "synthetic": "synth"}

_LANGUAGES_OF = """
PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT DISTINCT ?g ?lang WHERE {
  GRAPH ?g { ?e rg:languageVersionOf ?w ; rg:languageCode ?lang . ?g rg:describes ?w }
}"""


class _Index:
    """subject -> predicate -> objects, over one named graph's quads."""

    def __init__(self, quads: list[Any]):
        self.spo: dict[str, dict[str, list[Any]]] = {}
        for q in quads:
            self.spo.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(
                q.object)

    def all(self, s: str, p: str) -> list[Any]:
        return self.spo.get(s, {}).get(p, [])

    def one(self, s: str, p: str) -> str | None:
        values = self.all(s, p)
        return values[0].value if values else None

    def subjects(self, p: str, o: str) -> list[str]:
        return [s for s, po in self.spo.items() if any(x.value == o for x in po.get(p, ()))]


def _local_name(iri: str | None) -> str:
    return (iri or "").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def parsed_from_store(store: Any, *, symbol: str | None = None, graph: str | None = None,
                      language: str = "en") -> ParsedResolution | None:
    """Read one document graph back into a ParsedResolution (None when it is not there).

    ``graph`` names the document graph; otherwise ``symbol`` and ``language`` select it. What
    RDF does not keep comes back in a canonical order: paragraphs preambular, operative, other
    (each by ordinal), citations by their number, sponsors and notes as stored.
    """
    from resograph.graph import vocab
    from resograph.graph.akn import subject_scheme
    from resograph.graph.model import Adoption, MemberVote, Subject
    from resograph.graph.states import by_code

    if graph is None:
        if symbol is None:
            raise ExportError("give a symbol or a graph IRI")
        graph = vocab.graph_iri(symbols.normalise(symbol), language)
    quads = store.graph_quads(graph)
    if not quads:
        return None
    ix = _Index(quads)
    w = ix.one(graph, _RG + "describes")
    if w is None:
        return None
    sym = ix.one(w, _RG + "symbol") or ""
    exprs = ix.subjects(_RG + "languageVersionOf", w)
    e = exprs[0] if exprs else vocab.expression_iri(sym, language)
    lang = ix.one(e, _RG + "languageCode") or language
    types = {_local_name(t.value) for t in ix.all(w, _RDF_TYPE)}
    session_iri = ix.one(w, _RG + "session")
    res = ParsedResolution(
        symbol=sym, organ=_local_name(ix.one(w, _RG + "organ")) or symbols.parse(sym).organ,
        language=lang, kind="decision" if "Decision" in types else "resolution",
        session=ix.one(session_iri, _RG + "sessionNumber") if session_iri else None,
        number=ix.one(w, _RG + "number"), adopted=ix.one(w, _RG + "adoptionDate"),
        meeting=ix.one(w, _RG + "meeting"), agenda_item=ix.one(w, _RG + "agendaItem"),
        title=ix.one(e, _DCT + "title"), agenda_title=ix.one(e, _RG + "agendaTitle"),
        published=ix.one(e, _RG + "publicationDate"),
        source_format=ix.one(graph, _RG + "sourceFormat") or "akn",
        source_sha256=ix.one(graph, _RG + "sha256"),
        file=ix.one(graph, _RG + "sourceFile"),
        sponsors=[o.value for o in ix.all(w, _RG + "sponsor")],
    )
    year = ix.one(w, _RG + "year")
    res.year = int(year) if year else None
    for prop, role in (("committeeReport", "report"), ("draft", "draft"),
                       ("meetingRecord", "record"), ("relatedDocument", "related")):
        for d in ix.all(w, _RG + prop):
            doc = ix.one(d.value, _RG + "symbol") or _local_name(d.value)
            res.documents["record" if "/PV." in doc and role == "related" else role] = doc
    a = ix.one(w, _RG + "adoption")
    if a:
        def count(prop: str) -> int | None:
            v = ix.one(a, _RG + prop)
            return int(v) if v is not None else None

        votes = []
        for v in ix.all(a, _RG + "vote"):
            st = ix.one(v.value, _RG + "voter")
            # a UN state's code lives in the shared graph; its IRI ends with it
            code = (ix.one(st, _RG + "iso3166Alpha3") or _local_name(st)) if st else None
            value = _VOTES.get(_local_name(ix.one(v.value, _RG + "voteValue")))
            if not code or not value:
                continue
            try:
                name = by_code(code).name_en
            except KeyError:
                name = ix.one(st, _RDFS_LABEL) or code
            votes.append(MemberVote(code, name, value))  # type: ignore[arg-type]
        res.adoption = Adoption(
            method=_METHODS.get(_local_name(ix.one(a, _RG + "adoptionMethod")), "unknown"),
            yes=count("votesYes"), no=count("votesNo"), abstain=count("votesAbstain"),
            non_voting=count("votesNonVoting"), votes=votes)  # type: ignore[arg-type]
    for s in ix.all(w, _DCT + "subject"):
        res.subjects.append(Subject(s.value, ix.one(s.value, _SKOS_PREFLABEL),
                                    subject_scheme(s.value)))
    key_of: dict[str, str] = {}
    paras = []
    rank = {"preambular": 0, "operative": 1, "other": 2}
    for p in ix.subjects(_RG + "paragraphOf", e):
        key = ix.one(p, _RG + "key") or ""
        key_of[p] = key
        kind = _KINDS.get(_local_name(ix.one(p, _RG + "paragraphKind")), "other")
        meaning = ix.one(p, _RG + "verbMeaning")
        paras.append(Paragraph(
            number=int(ix.one(p, _RG + "ordinal") or 0), kind=kind,  # type: ignore[arg-type]
            verb=ix.one(p, _RG + "leadingVerb"), text=ix.one(p, _RG + "text") or "",
            verb_meaning=_local_name(meaning) if meaning else None, key=key,
            footnotes=[o.value for o in ix.all(p, _RG + "footnote")]))
    paras.sort(key=lambda x: (rank[x.kind], x.number, x.key or ""))
    res.paragraphs = paras
    cites = []
    for c in ix.subjects(_RG + "citingExpression", e):
        t = ix.one(c, _RG + "citedWork") or ""
        ttypes = {_local_name(x.value) for x in ix.all(t, _RDF_TYPE)}
        ctype = next((_TYPES[x] for x in ttypes if x in _TYPES), None)
        target = ix.one(t, _RG + "symbol") or ix.one(t, _RG + "key")
        if t == w:
            target, ctype = sym, ctype or res.kind
        if target is None:
            target = _local_name(t)
        if ctype is None:
            ctype = symbols.parse(target).kind
        meaning = ix.one(c, _RG + "verbMeaning")
        n = _local_name(c)
        cites.append((int(n) if n.isdigit() else 0, Citation(
            target=target, type=ctype,  # type: ignore[arg-type]
            verb=ix.one(c, _RG + "verb"),
            paragraph=key_of.get(ix.one(c, _RG + "citingParagraph") or ""),
            as_cited_date=ix.one(c, _RG + "dateAsCited"), pinpoint=ix.one(c, _RG + "pinpoint"),
            verb_meaning=_local_name(meaning) if meaning else None,
            method=_DISCOVERY.get(_local_name(ix.one(c, _RG + "discoveryMethod")), "text"),
            in_note=ix.one(c, _RG + "inNote") == "true")))
    res.citations = [c for _, c in sorted(cites, key=lambda x: x[0])]
    return res


def export_akn(store: Any, *, symbol: str | None = None, graph: str | None = None,
               language: str = "en") -> bytes:
    """AKN 3.0 XML of the resolution ``symbol`` (or the document graph ``graph``) in a store.

    Whatever the resolution was ingested from (AKN, PDF, text), its graph is read back into a
    ParsedResolution (:func:`parsed_from_store`) and written by :func:`parsed_to_akn`.
    Raises :class:`ExportError` naming the symbol and the languages that are there when the
    resolution is not in the store in ``language``.
    """
    if symbol is None and graph is None:
        raise ExportError("give --symbol or --graph")
    parsed = parsed_from_store(store, symbol=symbol, graph=graph, language=language)
    if parsed is None:
        from resograph.graph import vocab

        what = graph or symbol or ""
        have: list[str] = []
        if symbol:
            from pyoxigraph import NamedNode

            rows = store.select(_LANGUAGES_OF, {"w": NamedNode(vocab.work_iri(
                symbols.normalise(symbol)))})
            have = sorted({r["lang"].value for r in rows})
        hint = f" (languages in the store: {', '.join(have)})" if have else ""
        raise ExportError(f"no resolution {what!r} in language {language!r} in the store"
                          f"{hint}")
    return parsed_to_akn(parsed)
