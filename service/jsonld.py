"""JSON-LD that reads like plain JSON: one published ``@context`` and a small compactor.

The API builds each response as a set of triples (one CONSTRUCT plus, for collections, the
Hydra triples) and writes them twice: as Turtle/N-Triples/RDF/XML by pyoxigraph, and as JSON
here. The JSON is a tree rooted at the resource asked for; every key is a term of
:func:`context` (derived from the ontology, so a new property gets a term automatically) and
every value keeps its datatype or language, so that a JSON-LD processor reading the JSON finds
exactly the triples of the Turtle (``tests/test_service_api.py`` checks the isomorphism).
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from resograph.graph.vocab import CITO, HYDRA, PREFIXES, RG, SCHEMA, VOID

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"

#: Namespace of the few API-only terms (facts about a response, not about the UN record).
API = "https://w3id.org/resograph/api#"

#: Terms from outside the ontology the API uses: (term, IRI, kind). ``kind`` is ``id`` (an IRI
#: value), ``lang`` (a language map), ``plain`` (string/number/boolean) or a datatype IRI.
_EXTRA_TERMS: list[tuple[str, str, str]] = [
    ("label", RDFS + "label", "lang"),
    ("comment", RDFS + "comment", "lang"),
    ("seeAlso", RDFS + "seeAlso", "id"),
    ("subClassOf", RDFS + "subClassOf", "id"),
    ("domain", RDFS + "domain", "id"),
    ("range", RDFS + "range", "id"),
    ("prefLabel", SKOS + "prefLabel", "lang"),
    ("altLabel", SKOS + "altLabel", "lang"),
    ("notation", SKOS + "notation", "plain"),
    ("inScheme", SKOS + "inScheme", "id"),
    ("broader", SKOS + "broader", "id"),
    ("title", DCT + "title", "lang"),
    ("alternative", DCT + "alternative", "lang"),
    ("subject", DCT + "subject", "id"),
    ("language", DCT + "language", "id"),
    ("identifier", DCT + "identifier", "plain"),
    ("date", DCT + "date", XSD + "date"),
    ("issued", DCT + "issued", XSD + "date"),
    ("modified", DCT + "modified", XSD + "dateTime"),
    ("created", DCT + "created", XSD + "dateTime"),
    ("source", DCT + "source", "id"),
    ("isPartOf", DCT + "isPartOf", "id"),
    ("hasPart", DCT + "hasPart", "id"),
    ("references", DCT + "references", "id"),
    ("creator", DCT + "creator", "id"),
    ("publisher", DCT + "publisher", "id"),
    ("license", DCT + "license", "id"),
    ("wasGeneratedBy", PROV + "wasGeneratedBy", "id"),
    ("wasDerivedFrom", PROV + "wasDerivedFrom", "id"),
    ("wasAttributedTo", PROV + "wasAttributedTo", "id"),
    ("used", PROV + "used", "id"),
    ("startedAtTime", PROV + "startedAtTime", XSD + "dateTime"),
    ("endedAtTime", PROV + "endedAtTime", XSD + "dateTime"),
    ("sameAs", OWL + "sameAs", "id"),
    ("citesCito", str(CITO) + "cites", "id"),
    ("name", str(SCHEMA) + "name", "lang"),
    # Hydra: collections and pagination
    ("member", str(HYDRA) + "member", "id"),
    ("totalItems", str(HYDRA) + "totalItems", "plain"),
    ("view", str(HYDRA) + "view", "id"),
    ("first", str(HYDRA) + "first", "id"),
    ("last", str(HYDRA) + "last", "id"),
    ("next", str(HYDRA) + "next", "id"),
    ("previous", str(HYDRA) + "previous", "id"),
    # VoID statistics
    ("triples", str(VOID) + "triples", "plain"),
    ("entities", str(VOID) + "entities", "plain"),
    ("sparqlEndpoint", str(VOID) + "sparqlEndpoint", "id"),
    ("classPartition", str(VOID) + "classPartition", "id"),
    ("propertyPartition", str(VOID) + "propertyPartition", "id"),
    ("class", str(VOID) + "class", "id"),
    ("property", str(VOID) + "property", "id"),
    ("exampleResource", str(VOID) + "exampleResource", "id"),
    ("vocabulary", str(VOID) + "vocabulary", "id"),
    ("uriSpace", str(VOID) + "uriSpace", "plain"),
    # /network: how many nodes were found (the whole neighbourhood when not truncated, a
    # lower bound when truncated: the walk stops once the kept nodes are decided), and
    # whether some were left out
    ("totalNodes", API + "totalNodes", "plain"),
    ("truncated", API + "truncated", "plain"),
]

#: Reverse terms: the inverse direction of an ontology property, so that a work lists its
#: citations and a language version its paragraphs (same triples, read from the other end).
REVERSE_TERMS: dict[str, str] = {
    "paragraphs": str(RG) + "paragraphOf",
    "workParagraphs": str(RG) + "workParagraphOf",
    "realizations": str(RG) + "realizes",
    "citations": str(RG) + "citingWork",
    "citedBy": str(RG) + "citedWork",
    "requests": str(RG) + "requestingWork",
    "sessions": str(RG) + "sessionOf",
    "documents": str(RG) + "session",
    "votesCast": str(RG) + "voter",
}
#: Terms whose value is always a JSON array, even with one element.
SET_TERMS = {"hasLanguageVersion", "subject", "cites", "vote", "member", "sponsor",
             "footnote", *REVERSE_TERMS}
#: Order in which a node's links are followed when deciding where each node is embedded:
#: structure first, so paragraphs sit under their language version, not under a citation.
PRIORITY = ["hasLanguageVersion", "paragraphs", "workParagraphs", "adoption", "vote",
            "citations", "requests", "member", "view", "organ", "session", "citedWork",
            "voter", "sessions", "documents", "citedBy", "votesCast"]

_EXTRA_CLASSES = {
    "Collection": str(HYDRA) + "Collection",
    "PartialCollectionView": str(HYDRA) + "PartialCollectionView",
    "Concept": SKOS + "Concept",
    "Dataset": str(VOID) + "Dataset",
}


@cache
def _ontology_terms() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """(property terms, class terms) read from the shipped ontology."""
    from resograph import ontology

    store = ox.Store()
    for p in ontology.all_paths():
        store.load(path=str(p), format=ox.RdfFormat.TURTLE)
    props: list[tuple[str, str, str]] = []
    classes: dict[str, str] = {}
    q = f"""SELECT ?p ?kind ?range WHERE {{
      ?p a ?kind . FILTER(?kind IN (<{OWL}ObjectProperty>, <{OWL}DatatypeProperty>))
      FILTER(STRSTARTS(STR(?p), "{RG}"))
      OPTIONAL {{ ?p <{RDFS}range> ?range }} }} ORDER BY ?p"""
    seen = set()
    for row in store.query(q):
        iri = row["p"].value
        if iri in seen:
            continue
        seen.add(iri)
        rng = row["range"].value if row["range"] is not None else None
        if row["kind"].value == OWL + "ObjectProperty":
            kind = "id"
        elif rng == RDF_TYPE.replace("type", "langString"):
            kind = "lang"
        elif rng in (XSD + "date", XSD + "dateTime", XSD + "gYear"):
            kind = rng
        else:
            kind = "plain"
        props.append((iri[len(str(RG)):], iri, kind))
    for row in store.query(f"SELECT DISTINCT ?c WHERE {{ ?c a <{OWL}Class> "
                           f"FILTER(STRSTARTS(STR(?c), \"{RG}\")) }}"):
        classes[row["c"].value[len(str(RG)):]] = row["c"].value
    return props, classes


@cache
def terms() -> tuple[dict[str, tuple[str, str]], dict[str, list[tuple[str, str]]], dict[str, str]]:
    """(term -> (iri, kind), iri -> [(term, kind)], class iri -> term)."""
    props, classes = _ontology_terms()
    by_term: dict[str, tuple[str, str]] = {
        # member states carry their ISO code as "code" (what API users look for); the
        # organs' rg:code is "organCode"
        "code": (str(RG) + "iso3166Alpha3", "plain"),
        "organCode": (str(RG) + "code", "plain"),
    }
    for term, iri, kind in [*props, *_EXTRA_TERMS]:
        if term not in by_term:
            by_term[term] = (iri, kind)
    by_iri: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for term, (iri, kind) in by_term.items():
        by_iri[iri].append((term, kind))
    class_terms = {iri: t for t, iri in {**classes, **_EXTRA_CLASSES}.items()
                   if t not in by_term}
    return by_term, dict(by_iri), class_terms


@cache
def context() -> dict[str, Any]:
    """The published ``@context`` (served at /api/context.jsonld)."""
    by_term, _by_iri, class_terms = terms()
    ctx: dict[str, Any] = {"@version": 1.1}
    ctx.update({p: iri for p, iri in PREFIXES.items()})
    ctx.update({"hydra": str(HYDRA), "void": str(VOID), "schema": str(SCHEMA)})
    ctx["id"] = "@id"
    ctx["type"] = "@type"
    for iri, term in sorted(class_terms.items(), key=lambda x: x[1]):
        ctx[term] = iri
    for term, (iri, kind) in by_term.items():
        if kind == "id":
            ctx[term] = {"@id": iri, "@type": "@id"}
            if term in SET_TERMS:
                ctx[term]["@container"] = "@set"
        elif kind == "lang":
            ctx[term] = {"@id": iri, "@container": "@language"}
        elif kind == "plain":
            ctx[term] = {"@id": iri}
        else:
            ctx[term] = {"@id": iri, "@type": kind}
        if term in SET_TERMS and kind == "plain":
            ctx[term]["@container"] = "@set"
    for term, iri in REVERSE_TERMS.items():
        ctx[term] = {"@reverse": iri, "@type": "@id", "@container": "@set"}
    return {"@context": ctx}


# --------------------------------------------------------------------------- compaction


def _is_int(lex: str) -> bool:
    digits = lex[1:] if lex.startswith("-") else lex
    return digits.isdigit() and (digits == "0" or not digits.startswith("0"))


def _plain_value(lit: ox.Literal) -> Any:
    """The JSON native value a ``plain`` term gives back exactly, or ``None``."""
    if lit.language:
        return None
    dt = lit.datatype.value
    if dt == XSD + "string":
        return lit.value
    if dt == XSD + "integer" and _is_int(lit.value) and abs(int(lit.value)) < 2**53:
        return int(lit.value)
    if dt == XSD + "boolean" and lit.value in ("true", "false"):
        return lit.value == "true"
    return None


def _expanded(lit: ox.Literal) -> dict[str, Any]:
    if lit.language:
        return {"@value": lit.value, "@language": lit.language}
    if lit.datatype.value == XSD + "string":
        return {"@value": lit.value}
    return {"@value": lit.value, "@type": lit.datatype.value}


def _ref(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


_RG = str(RG)


def _short(iri: str) -> str:
    """``rg:operative`` for an ontology IRI (the context defines the prefix)."""
    return "rg:" + iri[len(_RG):] if iri.startswith(_RG) else iri


_KIND_ORDER = {"rg:preambular": 0, "rg:operative": 1}


_DIGITS = re.compile(r"(\d+)")


@lru_cache(maxsize=65536)
def _natural(text: str) -> tuple[Any, ...]:
    """``text`` split into strings and numbers (``op10`` after ``op9``); memoised, since the
    same IRIs are sorted again in every response that lists them."""
    return tuple(int(x) if x.isdigit() else x for x in _DIGITS.split(text))


def _order(value: Any) -> tuple[Any, ...]:
    """Stable, readable order of list items: paragraphs by kind and number, others by id."""
    if isinstance(value, dict):
        kind = value.get("paragraphKind")
        ordinal = value.get("ordinal", 0)
        ident = value.get("id")
        if ident is None:
            ident = value.get("symbol", "")
        return (_KIND_ORDER.get(kind, 2) if isinstance(kind, str) else 2,
                ordinal if isinstance(ordinal, int) else 0, _natural(str(ident)))
    return (3, 0, _natural(str(value)))


_PRIORITY_RANK = {key: i for i, key in enumerate(PRIORITY)}


def _rank(key: str) -> tuple[int, str]:
    return (_PRIORITY_RANK.get(key, len(PRIORITY)), key)


@cache
def _ref_term(p: str) -> tuple[str, bool]:
    """Key of a link (IRI or blank node object) by predicate ``p``: (its ``id`` term, False),
    else (the IRI itself, True: the value is written in expanded form, ``{"@id": ...}``)."""
    for term, kind in terms()[1].get(p, ()):
        if kind == "id":
            return term, False
    return p, p.startswith(("http://", "https://"))


@cache
def _literal_rules(p: str, has_lang: bool, datatype: str) -> tuple[tuple[str, str], ...]:
    """Terms that may carry a literal of predicate ``p`` (with a language tag, or of the
    datatype), in the order tried: a ``plain`` term only when the value converts exactly, the
    first ``lang`` or datatype term always (so the list ends there)."""
    rules: list[tuple[str, str]] = []
    for term, kind in terms()[1].get(p, ()):
        if has_lang:
            if kind == "lang":
                rules.append((term, kind))
                break
        elif kind == "plain":
            rules.append((term, kind))
        elif kind.startswith("http") and kind == datatype:
            rules.append((term, kind))
            break
    return tuple(rules)


_XSD_STRING = XSD + "string"
_XSD_INTEGER = XSD + "integer"
_XSD_BOOLEAN = XSD + "boolean"


def _literal_entry(p: str, lit: ox.Literal) -> tuple[str, Any, str | None]:
    """(key, JSON value, language or None) of a literal object of ``p``: what a term of
    :func:`context` gives back exactly, else the expanded ``@value`` form under the IRI."""
    language = lit.language
    lex = lit.value
    if language:
        rules = _literal_rules(p, True, "")
        if rules:
            return rules[0][0], lex, language
        return p, {"@value": lex, "@language": language}, None
    dt = lit.datatype.value
    for term, kind in _literal_rules(p, False, dt):
        if kind != "plain":
            return term, lex, None
        if dt == _XSD_STRING:
            return term, lex, None
        if dt == _XSD_INTEGER and _is_int(lex) and abs(int(lex)) < 2**53:
            return term, int(lex), None
        if dt == _XSD_BOOLEAN and lex in ("true", "false"):
            return term, lex == "true", None
    if dt == _XSD_STRING:
        return p, {"@value": lex}, None
    return p, {"@value": lex, "@type": dt}, None


@cache
def _rank_of(key: str) -> tuple[int, str]:
    return _rank(key)


def _sort_key(value: Any) -> tuple[Any, ...]:
    return _order(value)


def compact(triples: Iterable[ox.Triple], root: str, *, context_url: str) -> dict[str, Any]:
    """The triples as one JSON-LD tree rooted at ``root``, keys from :func:`context`.

    Each node is embedded once, where a breadth-first walk from the root (following links in
    :data:`PRIORITY` order, forward and reverse) first reaches it; elsewhere it is named by
    its IRI. Nodes the walk cannot reach go into ``@included``. Every triple is written
    exactly once, so the JSON-LD reads back as the same graph.

    Why it is written this way (issue 7: a resolution in six languages is thousands of
    triples): each triple is read from pyoxigraph once, into plain tuples (attribute access
    on pyoxigraph terms builds new Python objects every time), and each predicate's key is
    looked up once per predicate (:func:`_ref_term`, :func:`_literal_rules`), not once per
    triple and per walk.
    """
    class_terms = terms()[2]
    reverse_by_iri = {iri: t for t, iri in REVERSE_TERMS.items()}
    named, literal = ox.NamedNode, ox.Literal
    # per subject: its entries (index, predicate, object ref or None, key, value, and for a
    # literal its language or None, for a link whether it is written expanded)
    out_edges: dict[str, list[tuple[int, str, str | None, str, Any, str | bool | None]]] = {}
    # per object ref: (index, reverse key, subject ref) of the triples read backwards
    in_links: dict[str, list[tuple[int, str, str]]] = {}
    blank_refs: dict[str, int] = {}
    for i, t in enumerate(triples):
        s_term, p, o = t.subject, t.predicate.value, t.object
        sref = s_term.value if type(s_term) is named else "_:" + s_term.value
        otype = type(o)
        if otype is literal:
            key, value, language = _literal_entry(p, o)
            entry = (i, p, None, key, value, language)
        else:
            if otype is named:
                oref = o.value
            else:
                oref = "_:" + o.value
                blank_refs[oref] = blank_refs.get(oref, 0) + 1
            key, expanded = _ref_term(p)
            entry = (i, p, oref, key, oref, expanded)
            rkey = reverse_by_iri.get(p)
            if rkey is not None:
                in_links.setdefault(oref, []).append((i, rkey, sref))
        edges = out_edges.get(sref)
        if edges is None:
            out_edges[sref] = [entry]
        else:
            edges.append(entry)

    def links(ref: str) -> list[tuple[str, str, int, bool]]:
        """(key, target ref, triple index, reverse?) of a node, in walking order."""
        found = [(e[3], e[2], e[0], False) for e in out_edges.get(ref, ())
                 if e[2] is not None and e[1] != RDF_TYPE]
        found += [(rkey, sref, i, True) for i, rkey, sref in in_links.get(ref, ())]
        if len(found) > 1:
            # by key, then by target: where a node is embedded must not depend on the order
            # the engine returned the triples in (the same data loaded in another order would
            # give another JSON shape)
            found.sort(key=lambda x: (_rank_of(x[0]), x[1], x[3]))
        return found

    # 1. where is each node embedded? (breadth first from the root, then from each node
    #    the root does not reach: those become top-level nodes of ``@included``)
    placed: dict[str, tuple[str, str, int, bool] | None] = {}
    tops: list[str] = []
    starts = [root, *sorted(r for r in out_edges if not r.startswith("_:")),
              *(r for r in out_edges if r.startswith("_:"))]
    for start in starts:
        if start in placed:
            continue
        placed[start] = None
        tops.append(start)
        queue = deque([start])
        while queue:
            ref = queue.popleft()
            for key, target, index, reverse in links(ref):
                if target not in placed and target in out_edges:
                    placed[target] = (ref, key, index, reverse)
                    queue.append(target)
    # which triples are written by nesting a node under a reverse key, and which by
    # embedding the object where it is placed
    via_reverse: set[int] = set()
    embed_at: dict[int, str] = {}
    reverse_children: dict[str, list[tuple[str, str]]] = {}
    for child, v in placed.items():
        if v is None:
            continue
        if v[3]:
            via_reverse.add(v[2])
            reverse_children.setdefault(v[0], []).append((v[1], child))
        else:
            embed_at[v[2]] = child

    def render(ref: str) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        if not ref.startswith("_:") or blank_refs.get(ref, 0) > 1:
            obj["id"] = ref
        types: list[str] = []
        props: dict[str, Any] = {}
        for i, p, oref, key, value, language in out_edges.get(ref, ()):
            if i in via_reverse:
                continue  # written by the nesting under the parent's reverse key
            if oref is not None:
                if p == RDF_TYPE and not oref.startswith("_:"):
                    types.append(class_terms.get(oref, oref))
                    continue
                child = embed_at.get(i)
                if child is not None:
                    value = render(child)
                elif language:  # for a link: no term, expanded form
                    value = {"@id": oref}
                else:
                    value = _short(oref)
            elif language is not None:
                lmap = props.get(key)
                if lmap is None:
                    lmap = props[key] = {}
                prev = lmap.get(language)
                lmap[language] = value if prev is None else (
                    [*prev, value] if isinstance(prev, list) else [prev, value])
                continue
            vals = props.get(key)
            if vals is None:
                props[key] = [value]
            else:
                vals.append(value)
        for key, child in reverse_children.get(ref, ()):
            vals = props.get(key)
            if vals is None:
                props[key] = [render(child)]
            else:
                vals.append(render(child))
        if types:
            types = [_short(x) for x in types]
            obj["type"] = types[0] if len(types) == 1 else sorted(types)
        for key in sorted(props, key=_rank_of):
            vals = props[key]
            if isinstance(vals, dict):
                obj[key] = vals
                continue
            if len(vals) > 1:
                vals.sort(key=_sort_key)
            if key in SET_TERMS:
                obj[key] = vals
            else:
                obj[key] = vals[0] if len(vals) == 1 else vals
        return obj

    doc: dict[str, Any] = {"@context": context_url}
    doc.update(render(root))
    rest = [render(ref) for ref in tops[1:]]
    if rest:
        doc["@included"] = rest
    return doc
