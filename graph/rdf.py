"""Parsed resolution -> RDF quads, using the resograph ontology (ontology/resograph.ttl).

One source document (one resolution in one language) becomes one named graph,
:func:`resograph.graph.vocab.graph_iri`, holding:

* the work (``rg:Resolution`` / ``rg:Decision``) with its identity (symbol, organ, session,
  number, adoption date, meeting, agenda item), adoption (method, counts, member-state votes),
  subjects, and its language version (``rg:LanguageVersion``, ``dcterms:language``, title);
* the paragraphs, per language (``rg:Paragraph``) and per work (``rg:WorkParagraph``,
  aligned across languages by key);
* every citation as an ``rg:Citation`` node (also an ``undo:Relation`` with proponent,
  semantics and receiver, annotated on the citing work with an ``undo:Annotation``), plus the
  direct ``rg:cites`` triple, plus a *cited-only* stub of each cited work (``rg:citedOnly
  true``, symbol, organ, session, number, never an adoption date);
* requests (``rg:Request``);
* PROV-O provenance of the graph itself (``rg:DocumentGraph``, ``prov:wasGeneratedBy``).

Why pyoxigraph terms built by hand: this is the ingest hot path (thousands of documents), and
building ``pyoxigraph.Quad`` objects directly is an order of magnitude faster than going
through rdflib. :func:`to_rdflib` converts for pyshacl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache

import pyoxigraph as ox
import rdflib

from resograph import __version__, ontology
from resograph.graph import symbols, vocab
from resograph.graph.model import ORGANS, ParsedResolution

__all__ = [
    "RdfError",
    "serialize",
    "shared_quads",
    "to_quads",
    "to_rdflib",
]


class RdfError(ValueError):
    """A parsed resolution holds a value that cannot become RDF (e.g. a malformed date)."""


# -- terms, built once ------------------------------------------------------------------------

_RG = str(vocab.RG)
_N = ox.NamedNode


def _rg(name: str) -> ox.NamedNode:
    return _N(_RG + name)


RDF_TYPE = _N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = _N("http://www.w3.org/2000/01/rdf-schema#label")
XSD_DATE = _N("http://www.w3.org/2001/XMLSchema#date")
XSD_DATETIME = _N("http://www.w3.org/2001/XMLSchema#dateTime")
XSD_INTEGER = _N("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOLEAN = _N("http://www.w3.org/2001/XMLSchema#boolean")
DCT_LANGUAGE = _N("http://purl.org/dc/terms/language")
DCT_TITLE = _N("http://purl.org/dc/terms/title")
DCT_SUBJECT = _N("http://purl.org/dc/terms/subject")
SKOS_CONCEPT = _N("http://www.w3.org/2004/02/skos/core#Concept")
SKOS_PREFLABEL = _N("http://www.w3.org/2004/02/skos/core#prefLabel")
SKOS_INSCHEME = _N("http://www.w3.org/2004/02/skos/core#inScheme")
PROV = "http://www.w3.org/ns/prov#"
PROV_ENTITY = _N(PROV + "Entity")
PROV_ACTIVITY = _N(PROV + "Activity")
PROV_SOFTWARE_AGENT = _N(PROV + "SoftwareAgent")
PROV_GENERATED_BY = _N(PROV + "wasGeneratedBy")
PROV_GENERATED_AT = _N(PROV + "generatedAtTime")
PROV_ENDED_AT = _N(PROV + "endedAtTime")
PROV_ASSOCIATED = _N(PROV + "wasAssociatedWith")
UNDO_RELATION = _N(str(vocab.UNDO) + "Relation")
UNDO_ANNOTATION = _N(str(vocab.UNDO) + "Annotation")
UNDO_PROPONENT = _N(str(vocab.UNDO) + "hasProponent")
UNDO_SEMANTICS = _N(str(vocab.UNDO) + "hasSemantics")
UNDO_RECEIVER = _N(str(vocab.UNDO) + "hasReceiver")
OA_BODY = _N(str(vocab.OA) + "hasBody")
OA_TARGET = _N(str(vocab.OA) + "hasTarget")

C_RESOLUTION = _rg("Resolution")
C_DECISION = _rg("Decision")
C_UNDOCUMENT = _rg("UNDocument")
C_INSTRUMENT = _rg("Instrument")
C_LANGVERSION = _rg("LanguageVersion")
C_PARAGRAPH = _rg("Paragraph")
C_WORKPARAGRAPH = _rg("WorkParagraph")
C_CITATION = _rg("Citation")
C_REQUEST = _rg("Request")
C_SESSION = _rg("Session")
C_ADOPTION = _rg("Adoption")
C_VOTE = _rg("Vote")
C_MEMBERSTATE = _rg("MemberState")
C_DOCGRAPH = _rg("DocumentGraph")
C_INGESTION = _rg("Ingestion")
C_EXTRACTOR = _rg("Extractor")

#: The ontology's properties by local name (rg:...).
P = {name: _rg(name) for name in (
    "symbol", "organ", "session", "sessionOf", "sessionNumber", "number", "year",
    "adoptionDate", "meeting", "agendaItem", "agendaTitle", "publicationDate",
    "hasLanguageVersion", "languageVersionOf", "languageCode", "citedOnly", "paragraphOf",
    "workParagraphOf", "realizes", "paragraphKind", "ordinal", "key", "leadingVerb",
    "verbMeaning", "text", "footnote", "citingParagraph", "citingExpression", "citingWork",
    "citedWork", "cites", "verb", "dateAsCited", "pinpoint", "inNote", "discoveryMethod",
    "requestIn", "requestingWork", "addressee", "addresseeAgent", "action", "object",
    "dueSession", "dueDate", "adoption", "adoptionMethod", "vote", "voteOn", "voter",
    "voteValue", "votesYes", "votesNo", "votesAbstain", "votesNonVoting", "sponsor",
    "relatedDocument", "committeeReport", "draft", "meetingRecord", "describes", "sourceFile",
    "sourceFormat", "sha256", "extractorVersion", "iso3166Alpha3",
)}

KIND = {"preambular": _rg("preambular"), "operative": _rg("operative"),
        "other": _rg("otherParagraph")}
METHOD = {"without-vote": _rg("withoutVote"), "unanimous": _rg("unanimous"),
          "vote": _rg("recordedVote"), "unknown": _rg("unknownMethod")}
VOTE_VALUE = {"yes": _rg("yes"), "no": _rg("no"), "abstain": _rg("abstain"),
              "non-voting": _rg("nonVoting")}
DISCOVERY = {"text": _rg("textExtraction"), "akn-link": _rg("aknLink"), "akn": _rg("aknLink"),
             "synth": _rg("synthetic"), "synthetic": _rg("synthetic")}
DOC_ROLE = {"report": P["committeeReport"], "committee-report": P["committeeReport"],
            "draft": P["draft"], "record": P["meetingRecord"]}
CLASS_OF_KIND = {"resolution": C_RESOLUTION, "decision": C_DECISION, "document": C_UNDOCUMENT}
TRUE = ox.Literal("true", datatype=XSD_BOOLEAN)

#: Addressees named in requests that map to a known agent node (organs.ttl), lower-cased
#: prefixes; lets UNDO's ``undo:hasReceiver`` point at an agent, not only at a string.
ADDRESSEES: tuple[tuple[str, str], ...] = (
    ("high commissioner for refugees", "UNHCR"),
    ("haut-commissaire des nations unies pour les réfugiés", "UNHCR"),
    ("haut-commissaire pour les réfugiés", "UNHCR"),
    ("high commissioner", "OHCHR"), ("haut-commissaire", "OHCHR"),
    ("haute-commissaire", "OHCHR"), ("haut-commissariat", "OHCHR"),
    ("office of the high commissioner", "OHCHR"),
    ("secretary-general", "SG"), ("secrétaire général", "SG"),
    ("general assembly", "GA"), ("assemblée générale", "GA"),
    ("security council", "SC"), ("conseil de sécurité", "SC"),
    ("economic and social council", "ECOSOC"), ("conseil économique et social", "ECOSOC"),
    ("human rights council", "HRC"), ("conseil des droits de l'homme", "HRC"),
)
_LEADING_ARTICLE = re.compile(r"^(?:the |le |la |l'|les )?(?:united nations |office of the united "
                              r"nations )?", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@lru_cache(maxsize=65536)
def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _date(value: str, what: str, symbol: str) -> ox.Literal:
    if not _DATE.match(value):
        raise RdfError(f"{symbol}: {what} {value!r} is not an ISO date (YYYY-MM-DD)")
    return ox.Literal(value, datatype=XSD_DATE)


def _int(value: int | str) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=XSD_INTEGER)


def addressee_agent(addressee: str) -> str | None:
    """The organ/office IRI a request's addressee names, if it is one resograph knows."""
    name = _LEADING_ARTICLE.sub("", addressee.strip().lower().replace("’", "'"))
    if name.startswith("office of the united nations "):
        name = "office of the " + name[len("office of the united nations "):]
    for prefix, code in ADDRESSEES:
        if name.startswith(prefix):
            return vocab.organ_iri(code)
    return None


def target_iri(target: str, type_: str) -> str:
    """IRI of a citation target: an instrument key or a UN symbol."""
    if type_ == "instrument":
        return vocab.instrument_iri(target)
    return vocab.work_iri(symbols.normalise(target))


# -- the document graph -----------------------------------------------------------------------

def to_quads(parsed: ParsedResolution, *, extractor_version: str,
             ingested_at: str | None = None) -> list[ox.Quad]:
    """All quads one parsed document contributes, in its own named graph.

    ``ingested_at`` (ISO 8601 date-time, default: now, UTC) is the provenance time; pass it
    for reproducible output. Raises :class:`RdfError` on a malformed date.
    """
    sym = parsed.symbol
    lang = parsed.language
    g = _node(vocab.graph_iri(sym, lang))
    out: list[ox.Quad] = []
    add = out.append
    Q = ox.Quad

    def lit(text: str) -> ox.Literal:
        return ox.Literal(text, language=lang)

    w = _node(vocab.work_iri(sym))
    e = _node(vocab.expression_iri(sym, lang))
    organ = _node(vocab.organ_iri(parsed.organ))

    # identity of the work
    add(Q(w, RDF_TYPE, C_DECISION if parsed.kind == "decision" else C_RESOLUTION, g))
    add(Q(w, P["symbol"], ox.Literal(sym), g))
    add(Q(w, P["organ"], organ, g))
    if parsed.session:
        _session(out, g, parsed.organ, parsed.session)
        add(Q(w, P["session"], _node(vocab.session_iri(parsed.organ, parsed.session)), g))
    if parsed.number:
        add(Q(w, P["number"], ox.Literal(str(parsed.number)), g))
    if parsed.year:
        add(Q(w, P["year"], _int(parsed.year), g))
    if parsed.adopted:
        add(Q(w, P["adoptionDate"], _date(parsed.adopted, "adoption date", sym), g))
    if parsed.meeting:
        add(Q(w, P["meeting"], ox.Literal(parsed.meeting), g))
    if parsed.agenda_item:
        add(Q(w, P["agendaItem"], ox.Literal(parsed.agenda_item), g))
    for sponsor in parsed.sponsors:
        add(Q(w, P["sponsor"], ox.Literal(sponsor), g))
    add(Q(w, P["hasLanguageVersion"], e, g))

    # the language version
    add(Q(e, RDF_TYPE, C_LANGVERSION, g))
    add(Q(e, P["languageVersionOf"], w, g))
    add(Q(e, DCT_LANGUAGE, _node(vocab.language_iri(lang)), g))
    add(Q(e, P["languageCode"], ox.Literal(lang), g))
    if parsed.title:
        add(Q(e, DCT_TITLE, lit(parsed.title), g))
        add(Q(w, DCT_TITLE, lit(parsed.title), g))
    if parsed.agenda_title:
        add(Q(e, P["agendaTitle"], lit(parsed.agenda_title), g))
    if parsed.published:
        add(Q(e, P["publicationDate"], _date(parsed.published, "publication date", sym), g))

    _adoption(out, g, parsed, w, lang)

    for subject in parsed.subjects:
        s = _node(subject.iri)
        add(Q(w, DCT_SUBJECT, s, g))
        add(Q(s, RDF_TYPE, SKOS_CONCEPT, g))
        if subject.label:
            add(Q(s, SKOS_PREFLABEL, lit(subject.label), g))
        if subject.scheme and subject.scheme.startswith(("http://", "https://")):
            add(Q(s, SKOS_INSCHEME, _node(subject.scheme), g))

    for role, doc_symbol in parsed.documents.items():
        info = symbols.parse(doc_symbol)
        d = _node(vocab.work_iri(info.symbol))
        add(Q(w, DOC_ROLE.get(role, P["relatedDocument"]), d, g))
        _stub(out, g, d, info)

    # paragraphs
    verb_of: dict[str, str | None] = {}
    for para in parsed.paragraphs:
        key = para.key or ""
        p = _node(vocab.paragraph_iri(sym, lang, key))
        wp = _node(vocab.work_paragraph_iri(sym, key))
        kind = KIND.get(para.kind, KIND["other"])
        ordinal = _int(para.number)
        keylit = ox.Literal(key)
        verb_of[key] = para.verb_meaning
        add(Q(p, RDF_TYPE, C_PARAGRAPH, g))
        add(Q(p, P["paragraphOf"], e, g))
        add(Q(p, P["realizes"], wp, g))
        add(Q(p, P["paragraphKind"], kind, g))
        add(Q(p, P["ordinal"], ordinal, g))
        add(Q(p, P["key"], keylit, g))
        if para.verb:
            add(Q(p, P["leadingVerb"], lit(para.verb), g))
        if para.verb_meaning:
            add(Q(p, P["verbMeaning"], _node(vocab.verb_iri(para.verb_meaning)), g))
        if para.text:
            add(Q(p, P["text"], lit(para.text), g))
        for note in para.footnotes:
            add(Q(p, P["footnote"], lit(note), g))
        add(Q(wp, RDF_TYPE, C_WORKPARAGRAPH, g))
        add(Q(wp, P["workParagraphOf"], w, g))
        add(Q(wp, P["paragraphKind"], kind, g))
        if para.kind != "other":
            # preambular and operative ordinals are the same in every language; the count of
            # unnumbered blocks is not (a block split in one language shifts it)
            add(Q(wp, P["ordinal"], ordinal, g))
        add(Q(wp, P["key"], keylit, g))

    # citations, the UNDO layer, and cited-only stubs
    stubbed: set[str] = set()
    for n, cit in enumerate(parsed.citations, start=1):
        c = _node(vocab.citation_iri(sym, lang, n))
        if cit.type == "instrument":
            t_iri = vocab.instrument_iri(cit.target)
        else:
            info = symbols.parse(cit.target)
            t_iri = vocab.work_iri(info.symbol)
        t = _node(t_iri)
        add(Q(c, RDF_TYPE, C_CITATION, g))
        add(Q(c, RDF_TYPE, UNDO_RELATION, g))
        add(Q(c, P["citingWork"], w, g))
        add(Q(c, P["citingExpression"], e, g))
        if cit.paragraph:
            add(Q(c, P["citingParagraph"], _node(vocab.paragraph_iri(sym, lang, cit.paragraph)),
                  g))
        add(Q(c, P["citedWork"], t, g))
        add(Q(w, P["cites"], t, g))
        if cit.verb:
            add(Q(c, P["verb"], lit(cit.verb), g))
        meaning = cit.verb_meaning or (verb_of.get(cit.paragraph) if cit.paragraph else None)
        if meaning:
            vm = _node(vocab.verb_iri(meaning))
            add(Q(c, P["verbMeaning"], vm, g))
            add(Q(c, UNDO_SEMANTICS, vm, g))
        if cit.as_cited_date:
            add(Q(c, P["dateAsCited"], _date(cit.as_cited_date, "date as cited", sym), g))
        if cit.pinpoint:
            add(Q(c, P["pinpoint"], ox.Literal(cit.pinpoint), g))
        if cit.in_note:
            add(Q(c, P["inNote"], TRUE, g))
        add(Q(c, P["discoveryMethod"], DISCOVERY.get(cit.method, DISCOVERY["text"]), g))
        add(Q(c, UNDO_PROPONENT, organ, g))
        add(Q(c, UNDO_RECEIVER, t, g))
        a = _node(vocab.annotation_iri(sym, lang, n))
        add(Q(a, RDF_TYPE, UNDO_ANNOTATION, g))
        add(Q(a, OA_BODY, c, g))
        add(Q(a, OA_TARGET, w, g))
        if t_iri in stubbed:
            continue
        stubbed.add(t_iri)
        if cit.type == "instrument":
            add(Q(t, RDF_TYPE, C_INSTRUMENT, g))
            add(Q(t, P["key"], ox.Literal(cit.target), g))
        elif info.symbol != sym:
            _stub(out, g, t, info)

    # requests
    for n, req in enumerate(parsed.requests, start=1):
        r = _node(vocab.request_iri(sym, lang, n))
        add(Q(r, RDF_TYPE, C_REQUEST, g))
        add(Q(r, RDF_TYPE, UNDO_RELATION, g))
        add(Q(r, P["requestingWork"], w, g))
        add(Q(r, UNDO_PROPONENT, organ, g))
        if req.paragraph:
            add(Q(r, P["requestIn"], _node(vocab.paragraph_iri(sym, lang, req.paragraph)), g))
        add(Q(r, P["addressee"], ox.Literal(req.addressee), g))
        agent = addressee_agent(req.addressee)
        if agent:
            add(Q(r, P["addresseeAgent"], _node(agent), g))
            add(Q(r, UNDO_RECEIVER, _node(agent), g))
        add(Q(r, P["action"], ox.Literal(req.action), g))
        if req.object:
            add(Q(r, P["object"], lit(req.object), g))
        if req.verb:
            add(Q(r, P["verb"], lit(req.verb), g))
        meaning = req.verb_meaning or (verb_of.get(req.paragraph) if req.paragraph else None)
        if meaning:
            vm = _node(vocab.verb_iri(meaning))
            add(Q(r, P["verbMeaning"], vm, g))
            add(Q(r, UNDO_SEMANTICS, vm, g))
        if req.due_session is not None:
            due_organ = req.due_organ or parsed.organ
            due = str(req.due_session)
            _session(out, g, due_organ, due)
            add(Q(r, P["dueSession"], _node(vocab.session_iri(due_organ, due)), g))
        if req.due_date:
            add(Q(r, P["dueDate"], _date(req.due_date, "due date", sym), g))

    _provenance(out, g, parsed, w, extractor_version, ingested_at)
    return out


def _session(out: list[ox.Quad], g: ox.NamedNode, organ: str, session: str) -> None:
    s = _node(vocab.session_iri(organ, session))
    out.append(ox.Quad(s, RDF_TYPE, C_SESSION, g))
    out.append(ox.Quad(s, P["sessionOf"], _node(vocab.organ_iri(organ)), g))
    out.append(ox.Quad(s, P["sessionNumber"], ox.Literal(session), g))


def _stub(out: list[ox.Quad], g: ox.NamedNode, t: ox.NamedNode,
          info: symbols.SymbolInfo) -> None:
    """What a citation alone tells about a cited work: never its adoption date."""
    Q = ox.Quad
    out.append(Q(t, RDF_TYPE, CLASS_OF_KIND.get(info.kind, C_UNDOCUMENT), g))
    out.append(Q(t, P["symbol"], ox.Literal(info.symbol), g))
    out.append(Q(t, P["citedOnly"], TRUE, g))
    if info.organ in ORGANS:
        out.append(Q(t, P["organ"], _node(vocab.organ_iri(info.organ)), g))
        if info.session:
            _session(out, g, info.organ, info.session)
            out.append(Q(t, P["session"], _node(vocab.session_iri(info.organ, info.session)), g))
    if info.number:
        out.append(Q(t, P["number"], ox.Literal(info.number), g))
    if info.year:
        out.append(Q(t, P["year"], _int(info.year), g))


def _adoption(out: list[ox.Quad], g: ox.NamedNode, parsed: ParsedResolution,
              w: ox.NamedNode, lang: str) -> None:
    ad = parsed.adoption
    if ad.method == "unknown" and not ad.votes and ad.yes is None:
        return
    Q = ox.Quad
    a = _node(vocab.adoption_iri(parsed.symbol))
    out.append(Q(w, P["adoption"], a, g))
    out.append(Q(a, RDF_TYPE, C_ADOPTION, g))
    out.append(Q(a, P["adoptionMethod"], METHOD.get(ad.method, METHOD["unknown"]), g))
    for field, prop in (("yes", "votesYes"), ("no", "votesNo"), ("abstain", "votesAbstain"),
                        ("non_voting", "votesNonVoting")):
        value = getattr(ad, field)
        if value is not None:
            out.append(Q(a, P[prop], _int(value), g))
    if not ad.votes:
        return
    # hot loop (193 states per GA vote): IRI prefixes minted once by vocab, terms hoisted
    vote_prefix = vocab.vote_iri(parsed.symbol, "")
    state_prefix = vocab.state_iri("")
    add = out.append
    p_vote, p_on, p_voter, p_value = P["vote"], P["voteOn"], P["voter"], P["voteValue"]
    p_code = P["iso3166Alpha3"]
    # a UN state (type, code, names in six languages) is described once, in the shared
    # graph (_state_quads): repeating it in every voting document graph made 2 of the 7 quads
    # of each recorded vote. A code outside the table is described here, with the name the
    # source gave in the document's language.
    known = _state_codes()
    for mv in ad.votes:
        v = ox.NamedNode(vote_prefix + mv.code)
        st = _node(state_prefix + mv.code)
        add(Q(a, p_vote, v, g))
        add(Q(v, RDF_TYPE, C_VOTE, g))
        add(Q(v, p_on, w, g))
        add(Q(v, p_voter, st, g))
        add(Q(v, p_value, VOTE_VALUE[mv.vote], g))
        if mv.code not in known:
            add(Q(st, RDF_TYPE, C_MEMBERSTATE, g))
            add(Q(st, p_code, ox.Literal(mv.code), g))
            if mv.name:
                add(Q(st, RDFS_LABEL, ox.Literal(mv.name, language=lang), g))


def _provenance(out: list[ox.Quad], g: ox.NamedNode, parsed: ParsedResolution,
                w: ox.NamedNode, extractor_version: str, ingested_at: str | None) -> None:
    Q = ox.Quad
    when = ingested_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    t = ox.Literal(when, datatype=XSD_DATETIME)
    act = _node(vocab.activity_iri(parsed.symbol, parsed.language))
    agent = _node(vocab.extractor_iri(extractor_version))
    version = ox.Literal(extractor_version)
    out.append(Q(g, RDF_TYPE, C_DOCGRAPH, g))
    out.append(Q(g, RDF_TYPE, PROV_ENTITY, g))
    out.append(Q(g, P["describes"], w, g))
    out.append(Q(g, PROV_GENERATED_BY, act, g))
    out.append(Q(g, PROV_GENERATED_AT, t, g))
    out.append(Q(g, P["extractorVersion"], version, g))
    out.append(Q(g, P["sourceFormat"], ox.Literal(parsed.source_format), g))
    if parsed.file:
        out.append(Q(g, P["sourceFile"], ox.Literal(parsed.file.replace("\\", "/")
                                                     .rsplit("/", 1)[-1]), g))
    if parsed.source_sha256:
        out.append(Q(g, P["sha256"], ox.Literal(parsed.source_sha256.lower()), g))
    out.append(Q(act, RDF_TYPE, C_INGESTION, g))
    out.append(Q(act, RDF_TYPE, PROV_ACTIVITY, g))
    out.append(Q(act, PROV_ENDED_AT, t, g))
    out.append(Q(act, PROV_ASSOCIATED, agent, g))
    out.append(Q(agent, RDF_TYPE, C_EXTRACTOR, g))
    out.append(Q(agent, RDF_TYPE, PROV_SOFTWARE_AGENT, g))
    out.append(Q(agent, P["extractorVersion"], version, g))


# -- shared graphs ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _shared() -> tuple[ox.Quad, ...]:
    quads: list[ox.Quad] = []
    for path in ontology.all_paths():
        graph = vocab.GRAPH_ONTOLOGY if path.name == "resograph.ttl" else vocab.GRAPH_SHARED
        g = ox.NamedNode(graph)
        with path.open("rb") as fh:
            for t in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=ontology.ONTOLOGY_IRI):
                quads.append(ox.Quad(t.subject, t.predicate, t.object, g))
    quads += _state_quads(ox.NamedNode(vocab.GRAPH_SHARED))
    return tuple(quads)


@lru_cache(maxsize=1)
def _state_codes() -> frozenset[str]:
    from resograph.graph import states

    return states.codes()


def _state_quads(g: ox.NamedNode) -> list[ox.Quad]:
    """Every UN Member and observer State, one IRI each (``vocab.state_iri(code)``): its type,
    ISO alpha-3 code and ``rdfs:label`` in each official language it has a name in (the UN's
    English name; the others from :mod:`resograph.graph.states`), so that a vote names its
    voter in the reader's language without every document graph repeating 193 names."""
    from resograph.graph import states

    out: list[ox.Quad] = []
    for state in states.all_states():
        node = _node(vocab.state_iri(state.code))
        out.append(ox.Quad(node, RDF_TYPE, C_MEMBERSTATE, g))
        out.append(ox.Quad(node, P["iso3166Alpha3"], ox.Literal(state.code), g))
        for lang, name in states.labels(state.code).items():
            out.append(ox.Quad(node, RDFS_LABEL, ox.Literal(name, language=lang), g))
    return out


def shared_quads() -> list[ox.Quad]:
    """The ontology (in ``GRAPH_ONTOLOGY``) and organs, instruments, verb concepts and the
    member states with their names in the six languages (in ``GRAPH_SHARED``), read from the
    package's Turtle files and :mod:`resograph.graph.states`."""
    return list(_shared())


# -- serialisations ---------------------------------------------------------------------------

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
           "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def serialize(parsed: ParsedResolution, fmt: str = "turtle", *,
              extractor_version: str = __version__, ingested_at: str | None = None) -> str:
    """One document as text, for ``resograph extract --format turtle|jsonld``.

    Turtle and JSON-LD (compacted with :data:`vocab.PREFIXES` as ``@context``) carry the
    document's triples (its named graph is flattened; the graph IRI stays the subject of the
    provenance triples); ``trig``/``nquads`` keep the graph.
    """
    if fmt not in FORMATS:
        raise RdfError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    quads = to_quads(parsed, extractor_version=extractor_version, ingested_at=ingested_at)
    if fmt == "jsonld":
        # compact JSON-LD with the project's prefixes as @context (pyoxigraph writes expanded)
        graph = to_rdflib(quads)
        return graph.serialize(format="json-ld", context=dict(vocab.PREFIXES), auto_compact=True)
    if fmt == "turtle":
        quads.sort(key=lambda q: str(q.subject))  # one block per subject: readable output
        data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                            format=ox.RdfFormat.TURTLE, prefixes=dict(vocab.PREFIXES))
    elif fmt == "trig":
        data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(vocab.PREFIXES))
    else:
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return data.decode("utf-8")


def to_rdflib(quads: Iterable[ox.Quad], *, dataset: bool = False
              ) -> rdflib.Graph | rdflib.Dataset:
    """pyoxigraph quads as rdflib, for pyshacl: by default one Graph holding the union of all
    graphs (what SHACL validates against); ``dataset=True`` keeps the named graphs."""
    quads = list(quads)
    if dataset:
        data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        ds = rdflib.Dataset()
        ds.parse(data=data, format="nquads")
        return ds
    graph = rdflib.Graph()
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                      format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=nt, format="nt")
    return graph
