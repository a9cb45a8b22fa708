"""The JSON-LD API under /api/: resolutions, citations, networks, votes, requests, organs.

Each endpoint builds its answer as RDF triples (queries in :mod:`.queries`, all user input
bound as values) and writes them in the representation asked: JSON-LD (default, compacted
with the one published context, :mod:`.jsonld`), Turtle, N-Triples or RDF/XML. Both come from
the same triples, so the JSON-LD read as RDF is the Turtle.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, g, request, url_for

from resograph.graph import symbols, vocab
from resograph.graph.model import ORGANS
from resograph.graph.store import OxigraphStore, Store, StoreError

from . import formats, i18n, jsonld, queries
from .citation_index import ALL_LINKS, CitationIndex

bp = Blueprint("api", __name__, url_prefix="/api")

LANGUAGES = i18n.LANGUAGES
HYDRA = str(vocab.HYDRA)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
API_FORMATS = [next(f for f in formats.GRAPH_FORMATS if f.name == "jsonld"),
               *(f for f in formats.GRAPH_FORMATS if f.name != "jsonld")]


class ApiError(Exception):
    """An error answered as JSON: ``status``, a message, and the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status = status
        self.parameter = parameter


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    body: dict[str, Any] = {"error": {"status": exc.status, "message": str(exc)}}
    if exc.parameter:
        body["error"]["parameter"] = exc.parameter
    return Response(json.dumps(body, ensure_ascii=False), status=exc.status,
                    mimetype="application/json")


@bp.errorhandler(StoreError)
def _store_error(exc: StoreError) -> Response:
    return _api_error(ApiError(500, f"store error: {exc}"))


# --------------------------------------------------------------------------- helpers


def store() -> Store:
    return current_app.extensions["resograph.store"]


def base() -> str:
    return current_app.config["RESOGRAPH"].base


def rebase(iri: str) -> str:
    """A vocabulary-minted IRI (canonical base) under the configured base."""
    if iri.startswith(vocab.BASE) and base() != vocab.BASE:
        return base() + iri[len(vocab.BASE):]
    return iri


def lang() -> str:
    """The language of labels: ``?lang=``, else ``Accept-Language``, else English (one of
    :data:`LANGUAGES`, chosen by :mod:`.i18n`); a malformed ``?lang=`` is a 400 naming it."""
    try:
        return i18n.current()
    except i18n.LanguageError as exc:
        raise ApiError(400, str(exc), exc.parameter) from None


def lit(value: str) -> ox.Literal:
    return ox.Literal(value)


def work_node(symbol: str) -> tuple[str, ox.NamedNode]:
    """Canonical symbol and work IRI for a symbol as printed; 404 when unknown."""
    canon = symbols.normalise(symbol)
    if not canon or len(canon) > 200:
        raise ApiError(400, f"symbol: {symbol!r} is not a UN symbol", "symbol")
    node = ox.NamedNode(rebase(vocab.work_iri(canon)))
    if not store().ask(queries.WORK_EXISTS, {"w": node}):
        raise ApiError(404, f"no resolution or document with symbol {canon!r}", "symbol")
    return canon, node


def construct(query: str, bindings: dict[str, Any]) -> list[ox.Triple]:
    """Run one of our CONSTRUCTs with values bound, de-duplicated.

    The engine substitutes only variables in scope at the top of the query, so an
    ``VALUES (?a ?b) { (UNDEF UNDEF) }`` line naming the bound variables opens the outer
    WHERE (query text we wrote; the values themselves travel as bindings, never as text).
    """
    if bindings:
        names = " ".join(f"?{k}" for k in bindings)
        undef = " ".join("UNDEF" for _ in bindings)
        head, sep, tail = query.partition("WHERE {")
        query = f"{head}{sep}\n  VALUES ({names}) {{ ({undef}) }}{tail}"
    triples = dedupe(store().construct(query, bindings))
    triples = drop_stale_stubs(triples)
    language = bindings.get("lang")
    if isinstance(language, ox.Literal):
        triples = prefer_language(triples, language.value)
    return triples


LABELS = {"http://www.w3.org/2000/01/rdf-schema#label",
          "http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title"}
CITED_ONLY = str(vocab.RG) + "citedOnly"


def prefer_language(triples: list[ox.Triple], language: str) -> list[ox.Triple]:
    """Keep, for each resource's label/title, the values in ``language``, else English,
    else all. (Done on the triples, so JSON-LD and Turtle still say the same.)"""
    groups: dict[tuple[str, str], list[ox.Triple]] = {}
    out: list[ox.Triple] = []
    for t in triples:
        if t.predicate.value in LABELS and isinstance(t.object, ox.Literal) \
                and t.object.language:
            groups.setdefault((str(t.subject), t.predicate.value), []).append(t)
        else:
            out.append(t)
    for values in groups.values():
        for want in (language, "en"):
            chosen = [t for t in values if t.object.language == want  # type: ignore[union-attr]
                      or t.object.language.startswith(want + "-")]  # type: ignore[union-attr]
            if chosen:
                break
        else:
            chosen = values
        out.extend(chosen)
    return out


def drop_stale_stubs(triples: list[ox.Triple]) -> list[ox.Triple]:
    """A citation marks the cited work ``citedOnly``; once the work itself is ingested that
    mark is stale: drop it for works that have a language version."""
    stubs = {t.subject.value for t in triples if t.predicate.value == CITED_ONLY
             and isinstance(t.subject, ox.NamedNode)}
    if not stubs:
        return triples
    real: set[str] = set()
    unknown: list[str] = []
    ordered = sorted(stubs)
    for v, hit in zip(ordered, cache_get_many([("has-version", v) for v in ordered]),
                      strict=True):
        if hit is None:
            unknown.append(v)
        elif hit[0]:
            real.add(v)
    if unknown:
        found = {r["t"].value for r in store().select(
            queries.has_version([str(ox.NamedNode(v)) for v in unknown]))}
        real |= found
        cache_put_many([(("has-version", v), (v in found,)) for v in unknown])
    if not real:
        return triples
    return [t for t in triples if not (t.predicate.value == CITED_ONLY
                                       and t.subject.value in real)]


def dedupe(triples: list[ox.Triple]) -> list[ox.Triple]:
    return list(dict.fromkeys(triples))


def context_url() -> str:
    return url_for("api.context", _external=True)


def represent(triples: list[ox.Triple] | Callable[[], tuple[list[ox.Triple], str]],
              root: str = "", *, status: int = 200, cache_key: Any = None) -> Response:
    """The triples in the negotiated format: compact JSON-LD, or an RDF serialisation.

    ``triples`` may be a function giving (triples, root), called only when the body is not
    cached: with ``cache_key`` (what, besides the URL, the format and the language, the
    answer depends on), the serialised body is kept until the next write, so that asking
    again for a big resolution or a hub's network costs neither the reads nor the compaction.
    """
    try:
        fmt = formats.negotiate(request.accept_mimetypes, API_FORMATS,
                                format_params=request.args.getlist("format"))
    except formats.NotAcceptable as exc:
        raise ApiError(406, str(exc)) from None
    if fmt.name == "jsonld":
        ctype = ("application/json; charset=utf-8"
                 if request.accept_mimetypes.best_match(["application/ld+json",
                                                         "application/json"])
                 == "application/json" else "application/ld+json; charset=utf-8")
    else:
        ctype = fmt.content_type
    key = None if cache_key is None else ("body", cache_key, request.url, fmt.name, ctype,
                                          context_url())
    body = cache_get(key) if key is not None else None
    if body is None:
        if callable(triples):
            triples, root = triples()
        triples = dedupe(triples)
        if fmt.name == "jsonld":
            doc = jsonld.compact(triples, root, context_url=context_url())
            # no indentation: json's C encoder only runs without it (5x faster on big
            # documents)
            body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        else:
            from .sparql import serialize

            body = serialize(triples, fmt)
        if key is not None:
            cache_put(key, body)
    resp = Response(body, status=status, content_type=ctype)
    resp.headers["Link"] = f'<{context_url()}>; rel="http://www.w3.org/ns/json-ld#context"'
    resp.vary.update(("Accept", "Accept-Language"))
    resp.set_etag(hashlib.sha1(body + ctype.encode()).hexdigest())
    return resp.make_conditional(request)


def int_param(name: str, default: int | None, *, low: int = 0, high: int | None = None
              ) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name}: {raw!r} is not an integer", name) from None
    if value < low or (high is not None and value > high):
        raise ApiError(400, f"{name}: {value} is outside {low}..{high if high else ''}", name)
    return value


def organ_param(name: str = "organ", *, required: bool = False) -> str | None:
    raw = request.args.get(name)
    if not raw:
        if required:
            raise ApiError(400, f"{name}: required (one of {', '.join(ORGANS)})", name)
        return None
    code = raw.strip().upper()
    if code not in ORGANS:
        raise ApiError(400, f"{name}: {raw!r} is not one of {', '.join(ORGANS)}", name)
    return code


def symbol_param(name: str) -> ox.NamedNode | None:
    raw = request.args.get(name)
    if not raw:
        return None
    canon = symbols.normalise(raw)
    if not canon or len(canon) > 200:
        raise ApiError(400, f"{name}: {raw!r} is not a UN symbol", name)
    return ox.NamedNode(rebase(vocab.work_iri(canon)))


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def collection_triples(coll: str, members: list[str], total: int, page: int, per_page: int,
                       ) -> list[ox.Triple]:
    """Hydra collection + PartialCollectionView triples for one page."""
    t = [_t(coll, str(RDF_TYPE.value), ox.NamedNode(HYDRA + "Collection")),
         _t(coll, HYDRA + "totalItems", ox.Literal(str(total), datatype=XSD_INT))]
    for m in members:
        t.append(_t(coll, HYDRA + "member", ox.NamedNode(m)))
    last = max(1, -(-total // per_page))
    args = {k: v for k, v in request.args.items(multi=True) if k != "page"}

    def page_url(n: int) -> str:
        return request.base_url + "?" + urlencode([*args.items(), ("page", str(n))])

    view = page_url(page)
    t += [_t(coll, HYDRA + "view", ox.NamedNode(view)),
          _t(view, str(RDF_TYPE.value), ox.NamedNode(HYDRA + "PartialCollectionView")),
          _t(view, HYDRA + "first", ox.NamedNode(page_url(1))),
          _t(view, HYDRA + "last", ox.NamedNode(page_url(last)))]
    if page > 1:
        t.append(_t(view, HYDRA + "previous", ox.NamedNode(page_url(min(page - 1, last)))))
    if page < last:
        t.append(_t(view, HYDRA + "next", ox.NamedNode(page_url(page + 1))))
    return t


def collection_iri() -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("page", "lang",
                                                                           "format")]
    return request.base_url + ("?" + urlencode(args) if args else "")


# --------------------------------------------------------------------------- fast reads
# Why this section exists (issue 7): every document graph repeats what it says about the works
# it cites (cited-only stubs) and about its session, and the default graph is the union of all
# graphs, so a join over the union multiplies rows by the number of copies (thousands for a
# classic such as the Charter or 1325 (2000)). Here a resolution's own description is read from
# its own document graphs (only the triples shown: decoding a term costs more than finding it),
# its properties included (not the stubs other documents hold), and what it links to (organs,
# cited works, member states, verb concepts) is read in one VALUES-batched SELECT DISTINCT per
# kind, the copies folded inside the engine. Those summaries are cached per store generation
# (:func:`generation`).

RG_ = str(vocab.RG)
RDFS_ = "http://www.w3.org/2000/01/rdf-schema#"
SKOS_ = "http://www.w3.org/2004/02/skos/core#"
DCT_ = "http://purl.org/dc/terms/"
TYPE_ = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PARAGRAPH_PREDICATES = frozenset({TYPE_, *(RG_ + p for p in (
    "paragraphOf", "key", "ordinal", "paragraphKind", "text", "leadingVerb", "verbMeaning",
    "footnote"))})
CITATION_PREDICATES = frozenset({TYPE_, *(RG_ + p for p in (
    "citingWork", "citedWork", "citingParagraph", "verb", "verbMeaning", "dateAsCited",
    "pinpoint", "inNote", "discoveryMethod", "citingExpression"))})
REQUEST_PREDICATES = frozenset({TYPE_, *(RG_ + p for p in (
    "requestingWork", "requestIn", "addressee", "addresseeAgent", "action", "object", "verb",
    "verbMeaning", "dueSession", "dueDate"))})
VOTE_PREDICATES = frozenset({TYPE_, *(RG_ + p for p in ("voter", "voteValue", "voteOn"))})
#: Properties summarised for each kind of linked resource (as the former CONSTRUCTs read them).
ORGAN_SUMMARY = (RDFS_ + "label", RG_ + "code")
SESSION_SUMMARY = (RG_ + "sessionNumber", RG_ + "sessionOf")
LABEL_SUMMARY = (RDFS_ + "label",)
PREFLABEL_SUMMARY = (SKOS_ + "prefLabel",)
TARGET_SUMMARY = (TYPE_, RG_ + "symbol", RG_ + "citedOnly", DCT_ + "title", RDFS_ + "label")
STATE_SUMMARY = (RG_ + "iso3166Alpha3", RDFS_ + "label")
CITING_SUMMARY = (TYPE_, RG_ + "symbol", RG_ + "adoptionDate", DCT_ + "title")
NODE_SUMMARY = (TYPE_, RG_ + "symbol", RG_ + "organ", RG_ + "year", RG_ + "adoptionDate",
                DCT_ + "title", RG_ + "citedOnly", RDFS_ + "label")
LIST_SUMMARY = (TYPE_, RG_ + "symbol", RG_ + "organ", RG_ + "session", RG_ + "adoptionDate",
                RG_ + "year", DCT_ + "title", RG_ + "citedOnly")
#: Default number of nodes a /network answer holds (``limit``; see :func:`network_members`):
#: a hub such as 60/251 or 1325 (2000) reaches thousands of works at depth 2.
MAX_NETWORK_NODES = 500
#: Largest ``limit`` a client may ask for.
MAX_NETWORK_LIMIT = 5000
#: Size of the in-process cache, counted in items (triples of a cached description, IRIs of a
#: cached list, 1 for anything else); least recently used entries go first. About 100 MB.
CACHE_SIZE = 300_000
_BATCH = 400
#: Works cited by at least this many works have their summaries read in their own graphs
#: (:func:`summaries`). At 100,000 resolutions a typical work is cited by ~10; over the union
#: its summary is one short index range, cheaper than finding its own graphs (1.4x, sixth
#: pass), while a hub's range holds every citing document's copy of its stub.
_HEAVY = 64
#: Targets per query in :func:`links_among` (all of a default answer's 500 nodes at once).
_TARGET_BATCH = 1000
#: Works per query when reading capped citer lists (:func:`queries.citers_capped`): planning a
#: UNION of sub-SELECTs costs more than linearly in their number (measured: 8 per query costs
#: about what one aggregated VALUES query costs per work).
_CAPPED_BATCH = 8
#: Fewest citers per previous-hop work read in the walk's first round (:func:`network_members`).
_MIN_SHARE = 16


def generation() -> int:
    """A number that changes whenever this process writes to the store (SPARQL Update, Graph
    Store Protocol): cached reads are valid only for the generation they were made in."""
    return current_app.extensions.get("resograph.generation", 0)


@bp.after_app_request
def _bump_generation(resp: Response) -> Response:
    """Writes go through /update and /store of this process: any non-read request there
    (even a refused one, to be safe) starts a new generation and empties the caches."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and \
            request.path.rstrip("/") in ("/update", "/store"):
        ext = current_app.extensions
        with _CACHE_LOCK:
            ext["resograph.generation"] = ext.get("resograph.generation", 0) + 1
            ext.pop("resograph.cache", None)
            ext.pop("resograph.lru", None)
    return resp


def cache_enabled() -> bool:
    """Only where this process sees every write: the embedded store (one writer process, whose
    writes come through :func:`_bump_generation`; a read-only view does not see other
    processes' writes until reopened anyway). A remote engine may be written by others, even
    when this service only reads it: no caching there."""
    return isinstance(store(), OxigraphStore)


def _lru() -> OrderedDict[Any, Any]:
    ext = current_app.extensions
    lru = ext.get("resograph.lru")
    if lru is None or ext.get("resograph.lru.gen") != generation():
        lru = ext["resograph.lru"] = OrderedDict()
        ext["resograph.lru.gen"] = generation()
        ext["resograph.lru.weight"] = 0
    return lru


_CACHE_LOCK = threading.Lock()  # gthread workers share the cache between threads


def cache_get(key: Any) -> Any:
    """The cached value for ``key`` in this store generation, or None."""
    return cache_get_many([key])[0]


def cache_get_many(keys: list[Any]) -> list[Any]:
    """The cached value of each key (None where there is none), under one lock: a network
    answer looks up the summaries of hundreds of nodes."""
    if not cache_enabled():
        return [None] * len(keys)
    g.setdefault("resograph_generation", generation())
    out: list[Any] = []
    with _CACHE_LOCK:
        lru = _lru()
        for key in keys:
            entry = lru.get(key)
            if entry is None:
                out.append(None)
            else:
                lru.move_to_end(key)
                out.append(entry[0])
    return out


def cache_put(key: Any, value: Any) -> None:
    """Cache ``value`` (treated as read-only by every caller) until the next write."""
    cache_put_many([(key, value)])


def cache_put_many(items: list[tuple[Any, Any]]) -> None:
    """:func:`cache_put` for several (key, value) pairs, under one lock."""
    if not cache_enabled():
        return
    # a value computed while a write landed may be stale: keep it out of the new generation
    if g.setdefault("resograph_generation", generation()) != generation():
        return
    ext = current_app.extensions
    with _CACHE_LOCK:
        lru = _lru()
        total = ext.get("resograph.lru.weight", 0)
        for key, value in items:
            if isinstance(value, bytes):  # a serialised body: ~300 bytes per item, as for triples
                weight = len(value) // 300 + 1
            else:
                weight = max(1, len(value)) if isinstance(value, list | tuple | dict) else 1
            if weight > CACHE_SIZE // 2:
                continue
            old = lru.pop(key, None)
            total += weight - (old[1] if old else 0)
            lru[key] = (value, weight)
        while total > CACHE_SIZE and lru:
            _k, (_v, w) = lru.popitem(last=False)
            total -= w
        ext["resograph.lru.weight"] = total


def summaries(iris: Iterable[str], predicates: tuple[str, ...]) -> list[ox.Triple]:
    """The given properties of each resource, copies folded; cached per resource.

    A resource described in the shared graph (instruments, organs, verb concepts, member
    states; never a work) is read there: the documents citing an instrument repeat a stub of
    it, thousands of copies for the Charter. A work cited by :data:`_HEAVY` works or more
    (known where the citation index is read) is read in its own document graphs: over the union
    its range holds every citing document's stub. Anything else is read over the union of
    graphs, one short index range for most works (reading the usual work's own graphs
    measured slower). One SELECT per batch of uncached resources and per pass, returning
    numbers for subjects and predicates (:func:`queries.summaries`)."""
    out: list[ox.Triple] = []
    missing: list[str] = []
    wanted = list(dict.fromkeys(iris))
    for iri, hit in zip(wanted, cache_get_many([("summary", x, predicates) for x in wanted]),
                        strict=True):
        if hit is None:
            missing.append(iri)
        else:
            out.extend(hit)
    if not missing:
        return out
    preds = [ox.NamedNode(p) for p in predicates]
    pred_text = [str(p) for p in preds]
    found: dict[str, list[ox.Triple]] = {iri: [] for iri in missing}

    def read(iris: list[str], graph: str | None, own: bool = False) -> set[str]:
        """Read ``iris`` in ``graph`` (None: the union), or in their own document graphs;
        the IRIs found described."""
        described: set[str] = set()
        for i in range(0, len(iris), _BATCH):
            nodes = [ox.NamedNode(x) for x in iris[i:i + _BATCH]]
            subjects = [str(n) for n in nodes]
            if own:
                rows = [(subjects[int(r["i"].value)], str(r["g"]), int(r["i"].value))
                        for r in store().select(queries.doc_graphs_of(subjects))]
                if not rows:
                    continue
                query = queries.graph_summaries(rows, pred_text)
            else:
                query = queries.summaries(subjects, pred_text, graph)
            for r in store().select(query):
                n = nodes[int(r["i"].value)]
                found[n.value].append(ox.Triple(n, preds[int(r["k"].value)], r["o"]))
                described.add(n.value)
        return described

    works = rebase(vocab.BASE + "doc/")  # never described in the shared graph
    shared = read([x for x in missing if not x.startswith(works)],
                  str(ox.NamedNode(rebase(vocab.GRAPH_SHARED))))
    rest = [x for x in missing if x not in shared]
    # much-cited works (known from the citation index, where it is read) in their own graphs:
    # what the citing documents' stubs say of a work, its own graphs say too (see
    # work_properties); works found there are done, cited-only ones are read over the union
    index = citation_index()
    heavy = [x for x in rest if x.startswith(works) and index.cited_by_count(x) >= _HEAVY
             ] if index is not None else []
    done = read(heavy, None, own=True) if heavy else set()
    read([x for x in rest if x not in done], None)
    cache_put_many([(("summary", iri, predicates), triples) for iri, triples in found.items()])
    for triples in found.values():
        out.extend(triples)
    return out


def finish(triples: list[ox.Triple], language: str) -> list[ox.Triple]:
    """What :func:`construct` does after the query: de-duplicate, drop stale cited-only
    marks, keep labels in the language asked."""
    return prefer_language(drop_stale_stubs(dedupe(triples)), language)


class OwnGraphs:
    """What a query reads from a work's own document graphs (every language), indexed by
    subject and by (predicate, object) for the reverse links (paragraphOf, citingWork,
    requestingWork). ``graphs`` is empty for a work known only through citations."""

    def __init__(self, node: ox.NamedNode, query: Callable[[list[str]], str]) -> None:
        # per subject: (predicate IRI, triple), the IRI read once (each read of a pyoxigraph
        # term's attribute builds a new Python object)
        self.by_subject: dict[str, list[tuple[str, ox.Triple]]] = {}
        self.by_link: dict[tuple[str, str], list[str]] = {}
        st = store()
        self.graphs = sorted({r["g"].value for r in st.select(queries.DOC_GRAPHS, {"w": node})})
        if not self.graphs:
            return
        for r in st.select_iter(query([str(ox.NamedNode(x)) for x in self.graphs])):
            s, p, o = r["s"], r["p"], r["o"]
            sv, pv = s.value, p.value
            self.by_subject.setdefault(sv, []).append((pv, ox.Triple(s, p, o)))
            if type(o) is ox.NamedNode:
                self.by_link.setdefault((pv, o.value), []).append(sv)

    def about(self, iri: str, predicates: frozenset[str] | None = None,
              exclude: str | None = None) -> list[ox.Triple]:
        return [t for p, t in self.by_subject.get(iri, ())
                if (predicates is None or p in predicates) and p != exclude]

    def linking(self, predicate: str, iri: str) -> list[str]:
        return list(dict.fromkeys(self.by_link.get((predicate, iri), ())))


def _description_query(graphs: list[str]) -> str:
    return queries.own_description(graphs, PARAGRAPH_PREDICATES, CITATION_PREDICATES,
                                   REQUEST_PREDICATES)


def _votes_query(graphs: list[str]) -> str:
    return queries.own_votes(graphs, VOTE_PREDICATES)


def work_properties(node: ox.NamedNode, own: OwnGraphs) -> list[ox.Triple]:
    """``?w ?p ?o`` without ``rg:cites``, copies folded.

    A work with document graphs of its own is described there and by its cited-only marker
    (``vocab.GRAPH_CITED_ONLY``, kept by ingest, normally gone once the work is ingested):
    the stubs that every citing document repeats say nothing more, and over the union of
    graphs this read would grow with the work's in-degree (thousands of copies for a
    classic). Only a work known through citations alone is read over the union (its stubs
    are all there is)."""
    if not own.graphs:
        return [ox.Triple(node, r["p"], r["o"])
                for r in store().select(queries.WORK_PROPERTIES, {"w": node})]
    marker = ox.NamedNode(rebase(vocab.GRAPH_CITED_ONLY))
    rows = store().select(queries.GRAPH_PROPERTIES, {"w": node, "g": marker})
    return dedupe(own.about(node.value) + [ox.Triple(node, r["p"], r["o"]) for r in rows])


def _objects(triples: Iterable[ox.Triple], predicate: str) -> list[str]:
    return list(dict.fromkeys(t.object.value for t in triples
                              if t.predicate.value == predicate
                              and isinstance(t.object, ox.NamedNode)))


def own_description(node: ox.NamedNode) -> list[ox.Triple]:
    """Everything /api/resolutions/{symbol} shows, before language selection (cached)."""
    key = ("resolution", node.value)
    hit = cache_get(key)
    if hit is not None:
        return hit
    w = node.value
    own = OwnGraphs(node, _description_query)
    wt = work_properties(node, own)
    out = list(wt)
    out += summaries(_objects(wt, RG_ + "organ"), ORGAN_SUMMARY)
    sessions = _objects(wt, RG_ + "session")
    if own.graphs:  # every document graph states its session (a session's summary over the
        # union would read it from every document of the session)
        out += [t for x in sessions for t in own.about(x, frozenset(SESSION_SUMMARY))]
    else:
        out += summaries(sessions, SESSION_SUMMARY)
    for e in _objects(wt, RG_ + "hasLanguageVersion"):
        out += own.about(e)
        for para in own.linking(RG_ + "paragraphOf", e):
            out += own.about(para, PARAGRAPH_PREDICATES)
    methods: list[str] = []
    for ad in _objects(wt, RG_ + "adoption"):
        adt = own.about(ad, exclude=RG_ + "vote")
        out += adt
        methods += _objects(adt, RG_ + "adoptionMethod")
    out += summaries(methods, LABEL_SUMMARY)
    targets: list[str] = []
    verbs: list[str] = []
    for c in own.linking(RG_ + "citingWork", w):
        ct = own.about(c, CITATION_PREDICATES)
        out += ct
        targets += _objects(ct, RG_ + "citedWork")
        verbs += _objects(ct, RG_ + "verbMeaning")
    for r in own.linking(RG_ + "requestingWork", w):
        rt = own.about(r, REQUEST_PREDICATES)
        out += rt
        verbs += _objects(rt, RG_ + "verbMeaning")
    out += summaries(targets, TARGET_SUMMARY)
    out += summaries(verbs, PREFLABEL_SUMMARY)
    out += summaries(_objects(wt, DCT_ + "subject"), PREFLABEL_SUMMARY)
    out = drop_stale_stubs(dedupe(out))
    cache_put(key, out)
    return out


def cited_by_page(node: ox.NamedNode, language: str, page: int, per_page: int
                  ) -> tuple[list[ox.Triple], list[str], int]:
    """(triples, citing works of the page, how many works cite ``node``): one page of the
    works citing ``node``, newest first (the order of /api/resolutions?cites=), with their
    citations of it and their summaries (for /cited-by and the resolution page).

    Paged because a classic is cited by thousands of works at UN scale: at 100,000
    resolutions, reading all 8,597 citing works of A/RES/217(III) took 5.8 s and 4.7 MB of
    JSON-LD, and its page listed them all (bench/SCALE.md, eighth pass)."""
    members, total = page_of_works(queries.resolution_filters(cites=True), {"cites": node},
                                   page, per_page)
    triples: list[ox.Triple] = []
    if members:
        rows = store().select(queries.citations_from([str(ox.NamedNode(m)) for m in members]),
                              {"w": node})
        triples = [ox.Triple(r["c"], r["cp"], r["co"]) for r in rows]
        triples += summaries(members, CITING_SUMMARY)
    return finish(triples, language), members, total


# --------------------------------------------------------------------------- data builders
# (used by the API endpoints and by the HTML pages)


def resolution_triples(node: ox.NamedNode, language: str) -> list[ox.Triple]:
    """The resolution as /api/resolutions/{symbol} shows it (see :func:`own_description`)."""
    return prefer_language(own_description(node), language)


def matching_works(where: str, bindings: dict[str, Any]) -> list[str]:
    """Every work a /api/resolutions filter selects, in page order (date desc, IRI).

    One query for all pages, cached per store generation and filter: the total is its
    length and a page is a slice, where the engine would otherwise evaluate the whole filter
    twice per page (COUNT, then ORDER BY ... OFFSET)."""
    key = ("list", where, tuple(sorted((k, str(v)) for k, v in bindings.items())))
    hit = cache_get(key)
    if hit is not None:
        return hit
    rows = store().select(queries.resolutions_ordered(where, bindings), bindings)
    ordered = list(dict.fromkeys(r["w"].value for r in rows))
    cache_put(key, ordered)
    return ordered


def page_of_works(where: str, bindings: dict[str, Any], page: int, per_page: int
                  ) -> tuple[list[str], int]:
    """(members of one page, total): a slice of the cached ordering where caching is on,
    else a COUNT and a LIMIT/OFFSET query, so a remote engine never ships the whole list."""
    if cache_enabled():
        ordered = matching_works(where, bindings)
        return ordered[(page - 1) * per_page:page * per_page], len(ordered)
    count_rows = store().select(queries.resolutions_count(where, bindings), bindings)
    total = int(count_rows[0]["n"].value) if count_rows else 0
    q = queries.resolutions_ordered(where, bindings) + \
        f" LIMIT {int(per_page)} OFFSET {int((page - 1) * per_page)}"
    rows = store().select(q, bindings)
    return list(dict.fromkeys(r["w"].value for r in rows)), total


def resolutions_query(params: dict[str, Any], language: str, page: int, per_page: int,
                      ) -> tuple[list[ox.Triple], list[str], int]:
    """(triples, member IRIs in order, total) for a filtered page of resolutions."""
    bindings: dict[str, Any] = {}
    flags: dict[str, Any] = {}
    if params.get("organ"):
        bindings["organ"] = ox.NamedNode(rebase(vocab.organ_iri(params["organ"])))
        flags["organ"] = True
    if params.get("session"):
        bindings["session"] = lit(params["session"])
        flags["session"] = True
    if params.get("year") is not None:
        bindings["year"] = ox.Literal(str(params["year"]), datatype=XSD_INT)
        flags["year"] = True
    if params.get("cites") is not None:
        bindings["cites"] = params["cites"]
        flags["cites"] = True
    if params.get("cited_by") is not None:
        bindings["citedBy"] = params["cited_by"]
        flags["cited_by"] = True
        flags["documents_only"] = False
    words = params.get("words") or []
    for i, w in enumerate(words):
        bindings[f"q{i}"] = lit(w)
    flags["words"] = len(words)
    subject = params.get("subject")
    if subject:
        if subject.startswith(("http://", "https://")):
            bindings["subject"] = ox.NamedNode(subject)
            flags["subject_iri"] = True
        else:
            bindings["subjectLabel"] = lit(subject)
            flags["subject_label"] = True
    if params.get("language"):
        bindings["language"] = lit(params["language"])
        flags["language"] = True
    where = queries.resolution_filters(**flags)
    page_members, total = page_of_works(where, bindings, page, per_page)
    triples = finish(summaries(page_members, LIST_SUMMARY), language)
    # member order: as the query sorted them (date desc, symbol)
    info: dict[str, tuple[str, str]] = {}
    for t in triples:
        s = t.subject.value
        d = info.setdefault(s, ("", ""))
        if t.predicate.value.endswith("#adoptionDate"):
            info[s] = (t.object.value, d[1])
        elif t.predicate.value.endswith("#symbol"):
            info[s] = (d[0], t.object.value)
    members = sorted(info, key=lambda s: info[s][1])
    members.sort(key=lambda s: info[s][0], reverse=True)
    return triples, members, total


def network_members(node: ox.NamedNode, depth: int, max_nodes: int
                    ) -> tuple[list[str], int]:
    """(the nodes a /network answer holds, in rank order; the number of nodes found).

    The neighbourhood is every work within ``depth`` citation links of ``node``, either
    direction, found hop by hop with aggregated queries that return one row per neighbour and
    the number of previous-hop works it is linked to (only IRIs and counts travel; summaries and
    edges are read for the kept nodes only). Ranking (what is kept when there are more than
    ``max_nodes``): nearer hops first, all of a hop before any of the next; within a hop, the
    works linked to the most works of the previous hop first, then by IRI, so the answer is
    deterministic. Cached per store generation.

    The walk is bounded (issue 7: at depth 2 an exhaustive walk read every citation link of the
    hubs of the first hop, tens of thousands at UN scale):

    * hop 1, the root's own links (what /cited-by lists), is read whole;
    * a further hop is read only while at most ``max_nodes`` nodes have been found (beyond, the
      kept nodes are decided); each work of the previous hop (at most ``max_nodes`` of them)
      contributes the works it cites (what one document cites) and, of the works citing it,
      in the store's order: first a share, ``2 * (max_nodes + 1)`` divided among the previous
      hop (at least :data:`_MIN_SHARE`); if the hop then holds too few nodes to fill the
      answer, the works cut are read again up to ``max_nodes + 1`` citers. A work cut there
      has more new neighbours than the answer can hold, so the answer is then truncated.

    So an answer that is not truncated is the whole neighbourhood, and its count is exact.
    When it is truncated, the number found is a lower bound of the neighbourhood's size, and
    the kept nodes are exactly those an exhaustive walk ranks first, except within a hop where a
    previous-hop work was cut: there the ranking counts the links read. Cost: the root's links,
    then about ``2 * max_nodes`` citer rows per hop (at most ``max_nodes + 1`` per work);
    never the whole citer list of a hub other than the root.
    """
    key = ("network", node.value, depth, max_nodes)
    hit = cache_get(key)
    if hit is not None:  # cached as [found, *kept], a list so the cache weighs it by length
        return hit[1:], hit[0]
    st = store()
    hops: dict[str, int] = {node.value: 0}
    ranked: list[str] = [node.value]
    frontier = [node.value]
    for hop in range(1, depth + 1):
        if not frontier or len(ranked) > max_nodes:
            break
        values = [str(ox.NamedNode(x)) for x in frontier]
        out_rows = [r for i in range(0, len(values), _BATCH)
                    for r in st.select(queries.neighbours(values[i:i + _BATCH], out=True))]
        citers: dict[str, list[str]] = {}
        if hop == 1:
            out_rows += st.select(queries.neighbours(values, out=False))
            counts = _counts(out_rows, citers, hops)
        else:
            # round 1: a share of twice the answer per work; round 2, only if that does not
            # fill the answer: the works cut, again, with the cap that makes a cut imply
            # truncation
            share = min(max_nodes + 1, max(_MIN_SHARE, -(-2 * (max_nodes + 1) // len(values))))
            citers = _capped_citers(values, share)
            counts = _counts(out_rows, citers, hops)
            cut = [w for w, ns in citers.items() if len(ns) >= share]
            if cut and share <= max_nodes and len(ranked) + len(counts) <= max_nodes:
                citers.update(_capped_citers(cut, max_nodes + 1))
                counts = _counts(out_rows, citers, hops)
        layer = sorted(counts, key=lambda x: (-counts[x], x))
        for x in layer:
            hops[x] = hop
        ranked += layer
        frontier = layer
    cache_put(key, [len(ranked), *ranked[:max_nodes]])
    return ranked[:max_nodes], len(ranked)


def links_among(works: list[str]) -> list[tuple[str, str]]:
    """Every ``rg:cites`` link between two of ``works``, sorted, copies folded.

    One query per batch of citing works against all of ``works`` as targets
    (:func:`queries.cites_among`): the engine returns positions, never IRIs. Measured on the
    10,000-resolution store, 30 depth-2 networks of 161-400 nodes: 31 ms per network against
    124 ms for reading each member's cited works and keeping those among the members. That
    read was cached per work, which served most members of neighbouring networks on a
    10,000 store (lower median there); at UN scale far fewer members repeat, and the
    uncached read is what the 95th percentile pays (bench/SCALE.md, fifth pass). The links
    are cached per network instead (:func:`network_triples`)."""
    targets = [str(ox.NamedNode(x)) for x in works]
    pairs: set[tuple[str, str]] = set()
    for i in range(0, len(works), _BATCH):
        for j in range(0, len(works), _TARGET_BATCH):
            rows = store().select(queries.cites_among(targets[i:i + _BATCH],
                                                      targets[j:j + _TARGET_BATCH]))
            pairs.update((works[i + int(r["i"].value)], works[j + int(r["j"].value)])
                         for r in rows)
    return sorted(pairs)


def _capped_citers(works: list[str], cap: int) -> dict[str, list[str]]:
    """At most ``cap`` works citing each work, in the store's order (:func:`network_members`)."""
    out: dict[str, list[str]] = {}
    for i in range(0, len(works), _CAPPED_BATCH):
        chunk = works[i:i + _CAPPED_BATCH]
        found: dict[int, list[str]] = {j: [] for j in range(len(chunk))}
        for r in store().select(queries.citers_capped(chunk, cap)):
            if type(r["n"]) is ox.NamedNode:
                found[int(r["j"].value)].append(r["n"].value)
        out.update((chunk[j], citers) for j, citers in found.items())
    return out


def _counts(out_rows: list[dict[str, Any]], citers: dict[str, list[str]], seen: dict[str, int]
            ) -> dict[str, int]:
    """Neighbour -> number of links to previous-hop works, for the neighbours not ``seen``."""
    counts: dict[str, int] = {}
    for r in out_rows:
        n = r["n"]
        if type(n) is ox.NamedNode and n.value not in seen:
            counts[n.value] = counts.get(n.value, 0) + int(r["k"].value)
    for ns in citers.values():
        for x in ns:
            if x not in seen:
                counts[x] = counts.get(x, 0) + 1
    return counts


class _IndexLoad:
    """One reading of the citation index for one store generation, in a thread."""

    def __init__(self, st: Store, gen: int, logger: Any) -> None:
        self.generation = gen
        self.pid = os.getpid()  # a forked worker (gunicorn --preload) has no such thread
        self.index: CitationIndex | None = None
        self.done = threading.Event()
        self._logger = logger
        threading.Thread(target=self._read, args=(st,), name="resograph-citation-index",
                         daemon=True).start()

    def _read(self, st: Store) -> None:
        try:
            self.index = CitationIndex((r["a"].value, r["b"].value)
                                       for r in st.select_iter(ALL_LINKS))
        except Exception:  # the SPARQL walk keeps serving; say why once
            self._logger.exception("the citation index could not be read; /network reads "
                                   "the links through SPARQL")
        finally:
            self.done.set()


_INDEX_LOCK = threading.Lock()


def citation_index(wait: float = 0.0) -> CitationIndex | None:
    """The store's citation links in memory (:mod:`.citation_index`) for this store
    generation, or None: while they are being read (up to ``wait`` seconds are spent waiting
    for them), where the service does not cache (remote engines), or when
    ``Config.citation_index`` is off. The first call of a generation starts reading them."""
    app = current_app
    if not app.config["RESOGRAPH"].citation_index or not cache_enabled():
        return None
    gen = generation()
    with _INDEX_LOCK:
        load = app.extensions.get("resograph.citation_index")
        if load is None or load.generation != gen or load.pid != os.getpid():
            load = app.extensions["resograph.citation_index"] = _IndexLoad(store(), gen,
                                                                           app.logger)
    load.done.wait(wait)
    return load.index


def cites_links(works: list[str]) -> list[tuple[str, str]]:
    """Every ``rg:cites`` link between two of ``works``, sorted: from the citation index
    where it is read, else through SPARQL (:func:`links_among`)."""
    index = citation_index()
    return index.links_among(works) if index is not None else links_among(works)


def warm_up(app: Flask) -> None:
    """Start reading what the first requests would otherwise find missing: the citation
    index, so that a server answers /network from memory soon after it starts; the order of
    every resolution (newest first), which the home page and unfiltered /api/resolutions
    pages are slices of; and the dataset's counts (:func:`stats_counts`). At 100,000
    resolutions the home page took ~50 s to its first answer (bench/SCALE.md, eighth pass)."""
    with app.app_context():
        citation_index()
        if not cache_enabled():
            return
    threading.Thread(target=_warm_caches, args=(app,), name="resograph-warm-up",
                     daemon=True).start()


def _warm_caches(app: Flask) -> None:
    with app.app_context():
        try:
            matching_works(queries.resolution_filters(), {})
            stats_counts()
        except Exception:  # the first request will compute them; say why once
            app.logger.exception("could not order and count the resolutions ahead of the "
                                 "first request")


def network_triples(node: ox.NamedNode, depth: int, language: str, *,
                    max_nodes: int = MAX_NETWORK_NODES) -> tuple[list[ox.Triple], str]:
    """The citation neighbourhood of ``node`` up to ``depth`` hops, both directions.

    Returns the triples of a collection (IRI = the request) whose members are the nodes, each
    with its summary and its ``rg:cites`` edges to other members. At most ``max_nodes`` nodes
    (the ``limit`` parameter, default :data:`MAX_NETWORK_NODES`), chosen as
    :func:`network_members` ranks them. The collection says how many nodes it holds
    (``totalItems``), how many the neighbourhood has (``totalNodes``: exact when nothing was
    left out, else a lower bound, as the walk stops once the kept nodes are decided) and
    whether nodes were left out (``truncated``). Edges: every ``rg:cites`` between two members.

    Nodes and edges come from the citation index held in memory (:func:`citation_index`,
    walked exhaustively) once it is read, else from the bounded walk over SPARQL
    (:func:`network_members`, :func:`links_among`): the same answer, except that inside a hop
    the SPARQL walk had to cut, the index ranks by every link, not by the links read.
    """
    index = citation_index()
    if index is not None:
        ranked, total = index.neighbourhood(node.value, depth, max_nodes)
        members = sorted(ranked)
        edges = index.links_among(members)
    else:
        ranked, total = network_members(node, depth, max_nodes)
        members = sorted(ranked)
        key = ("network-links", node.value, depth, max_nodes)
        edges = cache_get(key)
        if edges is None:
            edges = links_among(members)
            cache_put(key, edges)
    triples = finish(summaries(members, NODE_SUMMARY), language)
    cites = RG_ + "cites"
    triples += [_t(a, cites, ox.NamedNode(b)) for a, b in edges]
    coll = collection_iri()
    triples.append(_t(coll, str(RDF_TYPE.value), ox.NamedNode(HYDRA + "Collection")))
    triples.append(_t(coll, HYDRA + "totalItems",
                      ox.Literal(str(len(members)), datatype=XSD_INT)))
    triples.append(_t(coll, jsonld.API + "totalNodes", ox.Literal(str(total), datatype=XSD_INT)))
    triples.append(_t(coll, jsonld.API + "truncated",
                      ox.Literal("true" if total > len(members) else "false",
                                 datatype=XSD_BOOLEAN)))
    triples += [_t(coll, HYDRA + "member", ox.NamedNode(n)) for n in members]
    return triples, coll  # no copies: summaries, edges and members are each distinct


def votes_triples(node: ox.NamedNode, language: str) -> list[ox.Triple]:
    """The adoption with every member state's vote: the adoption and votes from the work's
    own graphs, the states' codes and labels as summaries (cached: 193 states, whose labels
    every voting document repeats)."""
    own = OwnGraphs(node, _votes_query)
    wt = work_properties(node, own)
    adoptions = _objects(wt, RG_ + "adoption")
    if not adoptions:
        return []
    adoption = ox.NamedNode(RG_ + "adoption")
    out: list[ox.Triple] = [ox.Triple(node, adoption, ox.NamedNode(ad)) for ad in adoptions]
    out += [t for t in wt if t.predicate.value == RG_ + "symbol"]
    methods: list[str] = []
    states: list[str] = []
    for ad in adoptions:
        adt = own.about(ad)
        out += adt
        methods += _objects(adt, RG_ + "adoptionMethod")
        for v in _objects(adt, RG_ + "vote"):
            vt = own.about(v, VOTE_PREDICATES)
            out += vt
            states += _objects(vt, RG_ + "voter")
    out += summaries(methods, LABEL_SUMMARY)
    out += summaries(states, STATE_SUMMARY)
    return finish(out, language)


def stats_counts() -> dict[str, Any]:
    """The dataset's counts (VoID, /api/stats, the home page): quads, works with text,
    distinct citation links, entities per class, documents per organ.

    Whole-store counts: at 100,000 resolutions they take ~33 s together (the quads 15 s as the
    embedded store's own count, used here, 36 s through SPARQL), so they are kept until this
    process writes, and a starting server computes them ahead (:func:`warm_up`). On a remote
    engine they are kept for the life of the process: each costs the engine a scan."""
    cache = current_app.extensions.setdefault("resograph.cache", {})
    hit = cache.get("stats-counts")
    if hit is not None:
        return hit
    st = store()
    n_triples = len(st) if isinstance(st, OxigraphStore) else \
        int(st.select(queries.COUNT_TRIPLES)[0]["n"].value)
    out = {"triples": n_triples,
           "documents": int(st.select(queries.COUNT_DOCUMENTS)[0]["n"].value),
           "cites": int(st.select(queries.COUNT_CITES)[0]["n"].value),
           "classes": [(r["class"].value, int(r["n"].value))
                       for r in st.select(queries.COUNT_BY_CLASS)],
           "organs": [(r["o"].value.rsplit("/", 1)[-1], int(r["n"].value))
                      for r in st.select(queries.DOCUMENTS_BY_ORGAN)]}
    cache["stats-counts"] = out
    return out


def stats_triples(dataset_iri: str) -> list[ox.Triple]:
    """VoID description with statistics (:func:`stats_counts`)."""
    counts = stats_counts()
    void = str(vocab.VOID)
    t = [_t(dataset_iri, str(RDF_TYPE.value), ox.NamedNode(void + "Dataset")),
         _t(dataset_iri, "http://purl.org/dc/terms/title",
            ox.Literal("resograph: United Nations resolutions and their citations",
                       language="en")),
         _t(dataset_iri, "http://purl.org/dc/terms/source",
            ox.NamedNode("https://digitallibrary.un.org/")),
         _t(dataset_iri, void + "triples",
            ox.Literal(str(counts["triples"]), datatype=XSD_INT)),
         _t(dataset_iri, void + "entities",
            ox.Literal(str(counts["documents"]), datatype=XSD_INT)),
         _t(dataset_iri, void + "sparqlEndpoint",
            ox.NamedNode(url_for("sparql.sparql", _external=True))),
         _t(dataset_iri, void + "uriSpace", ox.Literal(base())),
         _t(dataset_iri, void + "vocabulary", ox.NamedNode(str(vocab.RG))),
         _t(dataset_iri, void + "exampleResource",
            ox.NamedNode(rebase(vocab.work_iri("A/HRC/RES/56/15"))))]
    lp = ox.BlankNode("citeslinks")
    t += [_t(dataset_iri, void + "propertyPartition", lp),
          ox.Triple(lp, ox.NamedNode(void + "property"), ox.NamedNode(str(vocab.RG) + "cites")),
          ox.Triple(lp, ox.NamedNode(void + "triples"),
                    ox.Literal(str(counts["cites"]), datatype=XSD_INT))]
    for cls, n in counts["classes"]:
        bn = ox.BlankNode("class" + cls.rsplit("#", 1)[-1])
        t += [_t(dataset_iri, void + "classPartition", bn),
              ox.Triple(bn, ox.NamedNode(void + "class"), ox.NamedNode(cls)),
              ox.Triple(bn, ox.NamedNode(void + "entities"),
                        ox.Literal(str(n), datatype=XSD_INT))]
    return t


def stats_numbers() -> dict[str, int]:
    """Plain counts for the HTML pages."""
    counts = stats_counts()
    out = {"triples": counts["triples"], "documents": counts["documents"],
           "cites": counts["cites"]}
    for cls, n in counts["classes"]:
        out[cls.rsplit("#", 1)[-1]] = n
    return out


# --------------------------------------------------------------------------- endpoints


@bp.route("/")
def index() -> Response:
    """Where things are (plain JSON links)."""
    doc = {
        "@context": context_url(),
        "id": request.base_url,
        "openapi": url_for("api.openapi", _external=True),
        "resolutions": url_for("api.resolutions", _external=True),
        "organs": url_for("api.organs", _external=True),
        "memberStates": url_for("api.member_states", _external=True),
        "requests": url_for("api.requests_due", _external=True),
        "stats": url_for("api.stats", _external=True),
        "sparql": url_for("sparql.sparql", _external=True),
    }
    return Response(json.dumps(doc, indent=1), mimetype="application/json")


@bp.route("/context.jsonld")
def context() -> Response:
    body = json.dumps(jsonld.context(), indent=1, ensure_ascii=False).encode()
    resp = Response(body, content_type="application/ld+json; charset=utf-8")
    resp.set_etag(hashlib.sha1(body).hexdigest())
    resp.cache_control.public = True
    resp.cache_control.max_age = 3600
    return resp.make_conditional(request)


@bp.route("/openapi.json")
def openapi() -> Response:
    from .openapi import document

    return Response(json.dumps(document(), indent=1), mimetype="application/json")


def resolution_params() -> dict[str, Any]:
    params: dict[str, Any] = {"organ": organ_param()}
    session = request.args.get("session")
    if session:
        if not re.fullmatch(r"(?:ES-|S-)?[0-9IVXLC]{1,6}|\d{4}", session.strip().upper()):
            raise ApiError(400, f"session: {session!r} is not a session number", "session")
        params["session"] = session.strip().upper()
    params["year"] = int_param("year", None, low=1945, high=2100)
    params["cites"] = symbol_param("cites")
    params["cited_by"] = symbol_param("cited_by")
    q = request.args.get("q", "")
    if len(q) > 200:
        raise ApiError(400, "q: longer than 200 characters", "q")
    words = [w for w in re.split(r"\s+", q.strip().lower()) if w][:8]
    params["words"] = words
    subject = request.args.get("subject")
    if subject is not None and (not subject.strip() or len(subject) > 500):
        raise ApiError(400, "subject: give an IRI or a label", "subject")
    params["subject"] = subject.strip() if subject else None
    language = request.args.get("language")
    if language and not re.fullmatch(r"[a-z]{2,3}", language):
        raise ApiError(400, f"language: {language!r} is not a language code", "language")
    params["language"] = language
    return params


def page_params() -> tuple[int, int]:
    cfg = current_app.config["RESOGRAPH"]
    page = int_param("page", 1, low=1, high=1_000_000) or 1
    per_page = int_param("per_page", cfg.page_size, low=1, high=cfg.max_page_size) \
        or cfg.page_size
    return page, per_page


def only_params(known: set[str]) -> None:
    """400 for a query parameter the endpoint does not know (a misspelt filter must not
    silently return everything)."""
    for name in request.args:
        if name not in known:
            raise ApiError(400, f"{name}: unknown parameter (known: {', '.join(sorted(known))})",
                           name)


@bp.route("/resolutions")
def resolutions() -> Response:
    only_params({"organ", "session", "year", "cites", "cited_by", "q", "subject", "language",
                 "page", "per_page", "lang", "format"})
    params = resolution_params()
    page, per_page = page_params()
    triples, members, total = resolutions_query(params, lang(), page, per_page)
    coll = collection_iri()
    triples += collection_triples(coll, members, total, page, per_page)
    return represent(triples, coll)


@bp.route("/resolutions/<path:rest>")
def resolution(rest: str) -> Response:
    """/api/resolutions/{symbol}[/cited-by|/network|/votes] (symbol may contain slashes)."""
    m = re.fullmatch(r"(.+?)/(cited-by|network|votes)", rest)
    symbol, sub = (m.group(1), m.group(2)) if m else (rest, None)
    _canon, node = work_node(symbol)
    language = lang()
    if sub is None:
        return represent(lambda: (resolution_triples(node, language), node.value),
                         cache_key=("resolution", language))
    if sub == "votes":
        triples = votes_triples(node, language)
        if not triples:
            raise ApiError(404, f"no adoption recorded for {_canon!r}", "symbol")
        ad = next(t.object.value for t in triples if t.predicate.value.endswith("#adoption"))
        return represent(triples, ad)
    if sub == "network":
        cfg = current_app.config["RESOGRAPH"]
        depth = int_param("depth", 1, low=1, high=cfg.max_depth) or 1
        limit = int_param("limit", MAX_NETWORK_NODES, low=1, high=MAX_NETWORK_LIMIT) \
            or MAX_NETWORK_NODES
        return represent(lambda: network_triples(node, depth, language, max_nodes=limit),
                         cache_key=("network", language))
    only_params({"page", "per_page", "lang", "format"})
    page, per_page = page_params()
    triples, citing, total = cited_by_page(node, language, page, per_page)
    coll = collection_iri()
    return represent(triples + collection_triples(coll, citing, total, page, per_page), coll)


@bp.route("/requests")
def requests_due() -> Response:
    due = request.args.get("due_session")
    if not due:
        raise ApiError(400, "due_session: required (a session number)", "due_session")
    if not re.fullmatch(r"(?:ES-|S-)?\d{1,4}", due.strip().upper()):
        raise ApiError(400, f"due_session: {due!r} is not a session number", "due_session")
    organ = organ_param(required=True)
    due_iri = ox.NamedNode(rebase(vocab.session_iri(organ or "", due.strip().upper())))
    triples = construct(queries.REQUESTS, {"due": due_iri, "lang": lit(lang())})
    reqs = sorted({t.subject.value for t in triples if t.predicate.value.endswith("#dueSession")})
    coll = collection_iri()
    triples = list(triples) + collection_triples(coll, reqs, len(reqs), 1, max(1, len(reqs)))
    return represent(triples, coll)


def _whole_collection(query: str) -> Response:
    """A small, unpaginated collection (organs, member states): every member on one page."""
    triples = construct(query, {"lang": lit(lang())})
    members = sorted({t.subject.value for t in triples})
    coll = collection_iri()
    triples = list(triples) + collection_triples(coll, members, len(members), 1,
                                                 max(1, len(members)))
    return represent(triples, coll)


@bp.route("/organs")
def organs() -> Response:
    return _whole_collection(queries.ORGANS)


@bp.route("/stats")
def stats() -> Response:
    iri = url_for("api.stats", _external=True)
    return represent(list(stats_triples(iri)), iri)


@bp.route("/member-states")
def member_states() -> Response:
    return _whole_collection(queries.MEMBER_STATES)


@bp.route("/member-states/<code>")
def member_state(code: str) -> Response:
    if not re.fullmatch(r"[A-Za-z]{3}", code):
        raise ApiError(400, f"code: {code!r} is not an ISO 3166-1 alpha-3 code", "code")
    st = ox.NamedNode(rebase(vocab.state_iri(code.upper())))
    filters = []
    bindings: dict[str, Any] = {"st": st, "lang": lit(lang())}
    session = request.args.get("session")
    if session:
        if not re.fullmatch(r"(?:ES-|S-)?\d{1,4}", session.strip().upper()):
            raise ApiError(400, f"session: {session!r} is not a session number", "session")
        filters.append("?w rg:session ?fs . ?fs rg:sessionNumber ?session .")
        bindings["session"] = lit(session.strip().upper())
    subject = request.args.get("subject")
    if subject:
        if subject.startswith(("http://", "https://")):
            filters.append("?w dcterms:subject ?subject .")
            bindings["subject"] = ox.NamedNode(subject)
        else:
            filters.append("?w dcterms:subject ?fsub . ?fsub skos:prefLabel ?fsl "
                           "FILTER(LCASE(STR(?fsl)) = LCASE(?subjectLabel))")
            bindings["subjectLabel"] = lit(subject)
    q = queries.MEMBER_STATE % {"filters": "\n".join(filters)}
    triples = construct(q, bindings)
    if not triples:
        raise ApiError(404, f"no member state {code.upper()!r}", "code")
    return represent(list(triples), st.value)
