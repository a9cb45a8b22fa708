"""The remote store: the :class:`~resograph.graph.store.Store` interface over an existing
SPARQL 1.1 engine, speaking only standards.

* reads: SPARQL 1.1 Protocol queries (``POST``, form-encoded ``query=``, with
  ``default-graph-uri`` / ``named-graph-uri``), results parsed into pyoxigraph terms;
* writes: SPARQL 1.1 Update (``POST``, form-encoded ``update=``) and, where an engine's Update
  has limits, the Graph Store HTTP Protocol (``PUT``/``DELETE ?graph=IRI``).

Why this exists: one machine's embedded store is the default, but an operator who already runs
Oxigraph server, Virtuoso, Fuseki, GraphDB or Neptune can point several stateless resograph
processes at it (docs/deploy.md). Nothing above this module knows which store it talks to.

Guarantees per engine (what "atomic" means for :meth:`RemoteStore.replace_graphs`):

* **Oxigraph server** (and Fuseki, generic): the whole batch is *one* SPARQL Update request
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} } ...``, which these engines apply in
  one transaction: all graphs change together or none does (tested: a failing operation
  late in a request rolls back the earlier ones). A batch larger than ``max_update_bytes``
  (64 MB for Oxigraph, 8 MB otherwise) is split into several requests, graph by graph: each
  graph stays atomic, the batch no longer is; a single graph larger than that is written by a
  Graph Store Protocol ``PUT`` when a GSP endpoint is known.
* **Virtuoso**: the same Update requests, but Virtuoso's SPARQL compiler gives up past a few
  thousand triples per request ("memory exhausted", "generated SQL text has exceeded 10000
  lines"), so requests carry at most 4,000 triples (1,000 with blank nodes). Measured
  (bench/bench_remote.py's probe): a reader never sees a graph half-replaced by one such
  request, but a multi-operation request is *not* all-or-nothing (an ``INSERT`` stays when a
  later operation of the same request fails), and a batch spanning several requests is not
  atomic. A graph of more than 4,000 triples (5% of the corpus's documents) goes by one GSP
  ``PUT``, during which readers *can* see it partly written. ``INSERT DATA`` refuses blank nodes
  there, so the Update path writes ``INSERT {...} WHERE {}`` instead; bulk adds
  (:meth:`RemoteStore.load` without ``replace``) use GSP ``POST``.

Variable bindings are never spliced into query text as strings: each value is a pyoxigraph term
written in its N-Triples form (which escapes everything that could end the term) and injected
through a ``VALUES`` block opening the query's ``WHERE`` group, located by a tokenizer that skips
IRIs, strings and comments.

Credentials come from the environment only (``RESOGRAPH_STORE_USER`` +
``RESOGRAPH_STORE_PASSWORD``, or ``RESOGRAPH_STORE_TOKEN`` for a bearer token), never from the
command line, where other users of the machine could read them.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from resograph.graph import formats
from resograph.graph.store import (
    QueryError,
    QueryTimeout,
    ReadOnlyError,
    Row,
    Store,
    StoreError,
    Term,
)
from resograph.graph.vocab import PREFIXES

ENV_USER = "RESOGRAPH_STORE_USER"
ENV_PASSWORD = "RESOGRAPH_STORE_PASSWORD"
ENV_TOKEN = "RESOGRAPH_STORE_TOKEN"
ENV_TIMEOUT = "RESOGRAPH_STORE_TIMEOUT"

DEFAULT_TIMEOUT = 60.0
#: Largest SPARQL Update request body sent at once (engine profiles override it).
DEFAULT_MAX_UPDATE_BYTES = 8_000_000
#: Largest GSP request body (N-Triples) sent at once when adding to a graph.
GSP_CHUNK_BYTES = 16_000_000

ENGINES = ("oxigraph", "virtuoso", "fuseki", "generic")

_VIRTUOSO_SYSTEM = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.openlinksw.com/schemas/",
)
_VIRTUOSO_LOCAL = re.compile(r"^https?://[^/]+/(?:sparql|DAV/)$")


def _virtuoso_system_graph(iri: str) -> bool:
    """Graphs a fresh Virtuoso holds for itself (its RDF views, LDP and DAV metadata)."""
    return iri.startswith(_VIRTUOSO_SYSTEM) or bool(_VIRTUOSO_LOCAL.match(iri))


@dataclass(frozen=True)
class EngineProfile:
    """What differs between engines, beyond their endpoint addresses."""

    name: str
    #: whether ``INSERT DATA`` accepts blank nodes (Virtuoso: no)
    bnodes_in_insert_data: bool = True
    #: graphs that belong to the engine, hidden from named_graphs() and export()
    system_graph: Callable[[str], bool] = lambda iri: False
    #: export with one query over all graphs (streamed) rather than graph by graph
    export_in_one_query: bool = True
    #: result media types the engine writes in a non-standard way: asked as JSON, converted
    #: locally (Virtuoso's TSV quotes IRIs as strings)
    convert_results: tuple[str, ...] = ()
    #: size limits of one SPARQL Update request: bytes, and triples (Virtuoso's SPARQL
    #: compiler runs out of parser stack around 5,000 triples in one INSERT DATA)
    max_update_bytes: int = DEFAULT_MAX_UPDATE_BYTES
    max_update_triples: int = 1_000_000_000
    #: how many triples' worth of the limit one triple with a blank node costs (Virtuoso
    #: writes those as INSERT {...} WHERE {}, which its pragma below does not speed up)
    bnode_weight: int = 1
    #: add triples to a graph with GSP POST rather than INSERT DATA
    add_with_gsp: bool = False
    #: engine-specific prologue of the Update requests resograph writes itself
    update_pragma: str = ""
    #: SELECT answers carry xsd:boolean as "1"/"0" (Virtuoso): map back to "true"/"false"
    canonical_booleans: bool = False
    #: how to list the named graphs (Virtuoso takes 28 s for the DISTINCT form over 2,000
    #: graphs and over 120 s over 6,000, but 1.1 s for the GROUP BY form over 6,000)
    named_graphs_query: str = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


PROFILES: dict[str, EngineProfile] = {
    # Oxigraph server takes a 50 MB update without complaint, and applies it in one
    # transaction: keep replace_graphs batches in one request as far as reasonable.
    "oxigraph": EngineProfile("oxigraph", max_update_bytes=64_000_000),
    "fuseki": EngineProfile("fuseki"),
    "generic": EngineProfile("generic"),
    "virtuoso": EngineProfile("virtuoso", bnodes_in_insert_data=False,
                              system_graph=_virtuoso_system_graph, export_in_one_query=False,
                              convert_results=("text/tab-separated-values",),
                              max_update_triples=4000, bnode_weight=4, add_with_gsp=True,
                              # pass INSERT DATA constants as data, not compiled SQL text:
                              # 4x faster at 1,000 triples (measured: 0.85 s -> 0.19 s), and
                              # ~5,000 triples fit in a request instead of ~1,500
                              update_pragma="DEFINE sql:big-data-const 1",
                              canonical_booleans=True,
                              named_graphs_query="SELECT ?g (COUNT(*) AS ?n) "
                                                 "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
}


# --------------------------------------------------------------------------- query text

_TOKEN = re.compile(r"""
  (?P<ws>\s+)
| (?P<comment>\#[^\n]*)
| (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
| (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
             |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
| (?P<var>[?$][0-9A-Za-z_\u00B7\u00C0-\uFFFF]+)
| (?P<word>[0-9A-Za-z_\u00C0-\uFFFF][\w.\-:%\u00B7\u00C0-\uFFFF]*|:[\w.\-:%]*)
| (?P<punct>.)
""", re.VERBOSE | re.DOTALL)

_VARNAME = re.compile(r"^[0-9A-Za-z_\u00C0-\uFFFF][0-9A-Za-z_\u00B7\u00C0-\uFFFF]*$")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int


def _tokens(query: str) -> list[_Tok]:
    """Significant tokens (no whitespace, no comments) with their positions."""
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "punct"
        if kind not in ("ws", "comment"):
            out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _matching_brace(toks: list[_Tok], i: int) -> int:
    """Index of the ``}`` closing the ``{`` at ``toks[i]``."""
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].text == "{":
            depth += 1
        elif toks[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    raise QueryError("unbalanced braces in the query")


def query_form(query: str) -> str:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the query's first form keyword
    outside IRIs, strings and comments (``SELECT`` when none is found, so that the engine
    reports the syntax error)."""
    for t in _tokens(query):
        if t.kind == "word" and t.text.upper() in _FORMS:
            return t.text.upper()
    return "SELECT"


def _check_bindings(bindings: Mapping[str, Term]) -> None:
    for name, value in bindings.items():
        if not isinstance(name, str) or not _VARNAME.match(name):
            raise QueryError(f"binding name {name!r} is not a SPARQL variable name "
                             "(letters, digits, underscore; no leading '?')")
        if isinstance(value, ox.BlankNode):
            raise QueryError(f"binding ?{name}: a blank node cannot be bound on a remote store "
                             "(its label is local to one response); bind an IRI or literal")
        if not isinstance(value, ox.NamedNode | ox.Literal):
            raise QueryError(f"binding ?{name}: expected a pyoxigraph NamedNode or Literal, "
                             f"got {type(value).__name__}")


def bind_variables(query: str, bindings: Mapping[str, Term] | None) -> str:
    """The query with ``bindings`` fixed, as a ``VALUES`` block opening its WHERE group.

    The values are pyoxigraph's N-Triples serialisation of the terms (``str(term)``): an IRI
    was validated when the ``NamedNode`` was made (no ``>``, quotes or spaces inside) and a
    literal has its quotes, backslashes and line breaks escaped, so no value can end its term
    and change the query's structure. Names must be SPARQL variable names.

    ``CONSTRUCT WHERE { T }`` (the short form) becomes ``CONSTRUCT { T } WHERE { VALUES .. T }``;
    ``DESCRIBE ?x`` without a WHERE clause gets the term in place of the variable.
    """
    if not bindings:
        return query
    _check_bindings(bindings)
    toks = _tokens(query)
    values = (f" VALUES ({' '.join('?' + k for k in bindings)}) "
              f"{{ ({' '.join(str(v) for v in bindings.values())}) }} ")
    form_at = next((i for i, t in enumerate(toks)
                    if t.kind == "word" and t.text.upper() in _FORMS), None)
    if form_at is None:
        raise QueryError("cannot bind variables: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
    form = toks[form_at].text.upper()
    i = form_at + 1
    if form == "CONSTRUCT":
        if i < len(toks) and toks[i].text == "{":
            i = _matching_brace(toks, i) + 1  # skip the template
        else:  # short form: CONSTRUCT [FROM ...] WHERE { T }
            j = next((k for k in range(i, len(toks)) if toks[k].text == "{"), None)
            if j is None:
                raise QueryError("cannot bind variables: CONSTRUCT without a WHERE group")
            close = _matching_brace(toks, j)
            body = query[toks[j].end:toks[close].start]
            where = next(k for k in range(i, j + 1)
                         if toks[k].kind == "word" and toks[k].text.upper() == "WHERE")
            return (query[:toks[where].start] + "{" + body + "} " + query[toks[where].start:
                    toks[j].end] + values + body + query[toks[close].start:])
    paren = 0
    for k in range(i, len(toks)):
        t = toks[k].text
        if t == "(":
            paren += 1
        elif t == ")":
            paren -= 1
        elif t == "{" and paren == 0:
            pos = toks[k].end
            return query[:pos] + values + query[pos:]
    if form == "DESCRIBE":  # DESCRIBE ?x with no WHERE clause: the term itself
        out, last = [], 0
        for t in toks:
            if t.kind == "var" and t.text[1:] in bindings:
                out.append(query[last:t.start] + str(bindings[t.text[1:]]))
                last = t.end
        return "".join(out) + query[last:]
    raise QueryError("cannot bind variables: the query has no WHERE group")


# --------------------------------------------------------------------------- results

_BNODE_OK = re.compile(r"[^A-Za-z0-9_]")


def _bnode(label: str) -> ox.BlankNode:
    """A blank node from an engine's label (Virtuoso writes ``nodeID://b10005``)."""
    return ox.BlankNode(_BNODE_OK.sub("_", label) or "b")


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def json_term(value: Mapping[str, str], *, canonical_booleans: bool = False) -> Term:
    """One RDF term of a SPARQL 1.1 JSON results binding (also Virtuoso's ``typed-literal``).

    ``canonical_booleans``: Virtuoso stores ``"true"^^xsd:boolean`` as an integer and answers
    SELECTs with ``"1"^^xsd:boolean``; map ``1``/``0`` back to ``true``/``false`` so that
    terms compare equal to what was written (its CONSTRUCT answers are already right).
    """
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return _bnode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return ox.Literal(text, language=lang)
        dt = value.get("datatype")
        if canonical_booleans and dt == _XSD_BOOLEAN and text in ("1", "0"):
            text = "true" if text == "1" else "false"
        return ox.Literal(text, datatype=ox.NamedNode(dt)) if dt else ox.Literal(text)
    raise StoreError(f"unexpected term type {kind!r} in the engine's SPARQL JSON results")


def parse_json_results(body: bytes, *, canonical_booleans: bool = False) -> list[Row] | bool:
    """SPARQL 1.1 JSON results as rows of pyoxigraph terms (unbound variables left out), or
    the boolean of an ASK."""
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise StoreError(f"the engine's answer is not SPARQL JSON results: {exc}") from exc
    if "boolean" in doc:
        return bool(doc["boolean"])
    try:
        return [{k: json_term(v, canonical_booleans=canonical_booleans) for k, v in b.items()}
                for b in doc["results"]["bindings"]]
    except (KeyError, TypeError, ValueError, SyntaxError) as exc:
        raise StoreError(f"malformed SPARQL JSON results from the engine: {exc}") from exc


def _normalise_json_bnodes(body: bytes) -> bytes:
    """Rewrite blank-node labels pyoxigraph would refuse (Virtuoso's ``nodeID://...``)."""
    doc = json.loads(body)
    for b in doc.get("results", {}).get("bindings", []):
        for v in b.values():
            if v.get("type") == "bnode":
                v["value"] = _BNODE_OK.sub("_", v["value"])
            if v.get("type") == "typed-literal":
                v["type"] = "literal"
    return json.dumps(doc).encode()


# --------------------------------------------------------------------------- the store


def _as_triple(q: ox.Quad | ox.Triple) -> ox.Triple:
    return q.triple if isinstance(q, ox.Quad) else q


def _bare(media_type: str | None) -> str:
    return (media_type or "").split(";", 1)[0].strip().lower()


class RemoteStore(Store):
    """A :class:`Store` over SPARQL 1.1 Query/Update and the Graph Store HTTP Protocol.

    ``query_url`` is the engine's query endpoint; ``update_url`` defaults to it (engines such
    as Virtuoso take both on one address); ``gsp_url`` is optional (without it everything goes
    through SPARQL Update). ``auth`` is a ``requests`` auth object (see :func:`auth_from_env`).
    The default graph of queries is whatever the engine makes it: resograph expects the union
    of named graphs (Oxigraph server ``--union-default-graph``; Virtuoso by default).
    """

    def __init__(self, query_url: str, update_url: str | None = None,
                 gsp_url: str | None = None, *, auth: AuthBase | None = None,
                 headers: Mapping[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 engine: str = "generic", read_only: bool = False,
                 max_update_bytes: int | None = None) -> None:
        if engine not in PROFILES:
            raise StoreError(f"--engine {engine!r}: expected one of {', '.join(ENGINES)}")
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.gsp_url = gsp_url
        self.timeout = timeout
        self.profile = PROFILES[engine]
        self.read_only = read_only
        self.max_update_bytes = max_update_bytes or self.profile.max_update_bytes
        self.max_update_triples = self.profile.max_update_triples
        self._session = requests.Session()
        self._session.auth = auth
        self._session.headers.update({"User-Agent": "resograph-remote-store"})
        if headers:
            self._session.headers.update(headers)

    # -- construction from command-line options ------------------------------------------------
    @classmethod
    def from_options(cls, url: str, update_url: str | None = None, gsp_url: str | None = None,
                     engine: str | None = None, *, read_only: bool = False,
                     timeout: float | None = None) -> RemoteStore:
        """The store for ``--store-url URL [--update-url] [--gsp-url] [--engine]``.

        Presets derive the endpoints from the engine's base address (a trailing ``/query``,
        ``/sparql`` etc. is accepted and stripped):

        ========  ==========================  ======================  ==========================
        engine    query                       update                  Graph Store Protocol
        ========  ==========================  ======================  ==========================
        oxigraph  BASE/query                  BASE/update             BASE/store
        fuseki    BASE/query (BASE = dataset) BASE/update             BASE/data
        virtuoso  BASE/sparql                 BASE/sparql             BASE/sparql-graph-crud
        generic   URL                         URL                     none (Update only)
        ========  ==========================  ======================  ==========================

        With credentials in the environment, Virtuoso's authenticated endpoints
        (``/sparql-auth``, ``/sparql-graph-crud-auth``, HTTP digest) are used instead.
        Explicit ``update_url`` / ``gsp_url`` always win.
        """
        engine = (engine or "generic").lower()
        if engine not in PROFILES:
            raise StoreError(f"--engine {engine!r}: expected one of {', '.join(ENGINES)}")
        if not re.match(r"^https?://", url):
            raise StoreError(f"--store-url {url!r}: expected an http:// or https:// address")
        auth, headers = auth_from_env(engine)
        base = url.rstrip("/")
        if engine == "oxigraph":
            base = re.sub(r"/(query|update|store)$", "", base)
            q, u, g = f"{base}/query", f"{base}/update", f"{base}/store"
        elif engine == "fuseki":
            base = re.sub(r"/(query|sparql|update|data|get)$", "", base)
            q, u, g = f"{base}/query", f"{base}/update", f"{base}/data"
        elif engine == "virtuoso":
            base = re.sub(r"/(sparql|sparql-auth|sparql-graph-crud|sparql-graph-crud-auth)$",
                          "", base)
            suffix = "-auth" if auth is not None else ""
            q = u = f"{base}/sparql{suffix}"
            g = f"{base}/sparql-graph-crud{suffix}"
        else:
            q, u, g = url, url, None  # type: ignore[assignment]
        if timeout is None:
            env = os.environ.get(ENV_TIMEOUT)
            try:
                timeout = float(env) if env else DEFAULT_TIMEOUT
            except ValueError as exc:
                raise StoreError(f"${ENV_TIMEOUT}={env!r}: expected seconds") from exc
        return cls(q, update_url or u, gsp_url or g, auth=auth, headers=headers,
                   timeout=timeout, engine=engine, read_only=read_only)

    def __repr__(self) -> str:
        return (f"RemoteStore({self.query_url!r}, engine={self.profile.name!r}"
                f"{', read-only' if self.read_only else ''})")

    # -- HTTP ----------------------------------------------------------------------------------
    def _request(self, method: str, url: str, **kw: Any) -> requests.Response:
        kw.setdefault("timeout", self.timeout)
        try:
            resp = self._session.request(method, url, **kw)
        except requests.Timeout as exc:
            raise QueryTimeout(f"{url}: no answer within {self.timeout:g} s "
                               f"(${ENV_TIMEOUT} sets the limit)") from exc
        except requests.RequestException as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL engine: {exc}") from exc
        if resp.status_code >= 400:
            self._raise_for(resp, url)
        return resp

    @staticmethod
    def _raise_for(resp: requests.Response, url: str) -> None:
        text = resp.text.strip()
        msg = text[:2000] or resp.reason
        low = text.lower()
        if resp.status_code in (401, 403):
            raise StoreError(f"{url}: HTTP {resp.status_code}, the engine refused the "
                             f"credentials (set ${ENV_USER} and ${ENV_PASSWORD}, or "
                             f"${ENV_TOKEN}): {msg[:300]}")
        if (resp.status_code in (503, 504) or "timeout" in low or "timed out" in low
                or "s1t00" in low):
            raise QueryTimeout(f"{url}: HTTP {resp.status_code}: {msg}")
        if resp.status_code == 400 or "syntax error" in low or "sp030" in low:
            raise QueryError(msg)
        raise StoreError(f"{url}: HTTP {resp.status_code}: {msg}")

    def _query(self, query: str, accept: str, *, default_graph_uris: Iterable[str] = (),
               named_graph_uris: Iterable[str] = (), stream: bool = False) -> requests.Response:
        data = [("query", query)]
        data += [("default-graph-uri", g) for g in default_graph_uris]
        data += [("named-graph-uri", g) for g in named_graph_uris]
        return self._request("POST", self.query_url, data=data, stream=stream,
                             headers={"Accept": accept})

    def _update(self, sparql: str, *, generated: bool = True) -> None:
        """Send an Update; ``generated`` ones (written here, not by the caller) get the
        engine profile's pragma."""
        if generated and self.profile.update_pragma:
            sparql = f"{self.profile.update_pragma}\n{sparql}"
        self._request("POST", self.update_url, data={"update": sparql})

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.query_url}: the store is open read-only")

    # -- reading -------------------------------------------------------------------------------
    def _results(self, query: str, bindings: Mapping[str, Term] | None,
                 expect: tuple[str, ...], method: str) -> list[Row] | bool:
        form = query_form(query)
        if form not in expect:
            raise QueryError(f"{method}() needs a {' or '.join(expect)} query, got {form}")
        resp = self._query(bind_variables(query, bindings), "application/sparql-results+json")
        return parse_json_results(resp.content,
                                  canonical_booleans=self.profile.canonical_booleans)

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        rows = self._results(query, bindings, ("SELECT",), "select")
        if isinstance(rows, bool):
            raise StoreError("the engine answered a SELECT with a boolean")
        return rows

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self._results(query, bindings, ("ASK",), "ask")
        if not isinstance(result, bool):
            raise StoreError("the engine answered an ASK without a boolean")
        return result

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        form = query_form(query)
        if form not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"construct() needs a CONSTRUCT or DESCRIBE query, got {form}")
        resp = self._query(bind_variables(query, bindings),
                           "application/n-triples, text/turtle;q=0.5")
        return self._parse_triples(resp)

    @staticmethod
    def _parse_triples(resp: requests.Response) -> list[ox.Triple]:
        try:
            fmt = formats.rdf_format(_bare(resp.headers.get("Content-Type")) or "ntriples")
            return [q.triple if isinstance(q, ox.Quad) else q
                    for q in ox.parse(resp.content, format=fmt.ox_format)]
        except (formats.FormatError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read the engine's RDF answer: {exc}") from exc

    def run_query(self, query: str, media_type: str, *,
                  default_graph_uris: Iterable[str] = (),
                  named_graph_uris: Iterable[str] = ()) -> tuple[bytes, str, str]:
        """Pass the query through; the engine's answer is relayed as is when it is in the
        requested format, and converted locally (via pyoxigraph) when the engine chose
        another one."""
        form = query_form(query)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        try:
            want = (formats.rdf_format(media_type) if graph_form
                    else formats.results_format(media_type))
        except formats.FormatError as exc:
            raise QueryError(f"cannot write {form} results as {media_type}: {exc}") from exc
        dgu, ngu = list(default_graph_uris), list(named_graph_uris)
        if graph_form:
            accept = f"{want.media_type}, application/n-triples;q=0.5"
        elif want.media_type in self.profile.convert_results:
            accept = "application/sparql-results+json"
        else:
            accept = f"{want.media_type}, application/sparql-results+json;q=0.5"
        resp = self._query(query, accept, default_graph_uris=dgu, named_graph_uris=ngu)
        got = _bare(resp.headers.get("Content-Type"))
        if got in want.media_types:
            return resp.content, want.media_type, form
        try:
            if graph_form:
                triples = self._parse_triples(resp)
                return ox.serialize(triples, format=want.ox_format), want.media_type, form
            src = formats.results_format(got or "json")
            body = resp.content
            if src.name == "json":
                body = _normalise_json_bnodes(body)
            parsed = ox.parse_query_results(body, src.ox_format)
            return parsed.serialize(format=want.ox_format), want.media_type, form
        except (formats.FormatError, SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot convert the engine's {got or 'untyped'} answer to "
                             f"{want.media_type}: {exc}") from exc

    def named_graphs(self) -> list[str]:
        return sorted(self._graph_sizes())

    def _graph_sizes(self) -> dict[str, int | None]:
        """Each non-system named graph, with its quad count when the engine's query gives
        one (the Virtuoso profile's GROUP BY form)."""
        out: dict[str, int | None] = {}
        for r in self.select(self.profile.named_graphs_query):
            g = r.get("g")
            if isinstance(g, ox.NamedNode) and not self.profile.system_graph(g.value):
                n = r.get("n")
                out[g.value] = int(n.value) if isinstance(n, ox.Literal) else None
        return out

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        g = ox.NamedNode(graph)
        triples = self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} }}")
        return [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples]

    def quads(self) -> Iterator[ox.Quad]:
        """Every quad of every (non-system) named graph, streamed when the engine allows."""
        if not self.profile.export_in_one_query:
            yield from self._quads_in_batches()
            return
        resp = self._query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                           "text/tab-separated-values", stream=True)
        try:
            if _bare(resp.headers.get("Content-Type")) != "text/tab-separated-values":
                body = _normalise_json_bnodes(resp.content)
                sols = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
            else:
                resp.raw.decode_content = True
                sols = ox.parse_query_results(resp.raw, ox.QueryResultsFormat.TSV)
            system = self.profile.system_graph
            for s in sols:
                g = s["g"]
                if isinstance(g, ox.NamedNode) and not system(g.value):
                    yield ox.Quad(s["s"], s["p"], s["o"], g)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read the engine's results: {exc}") from exc
        finally:
            resp.close()

    def _quads_in_batches(self, max_rows: int = 10_000) -> Iterator[ox.Quad]:
        """All quads, a few graphs per query, each answer checked against the graphs' quad
        counts: Virtuoso silently cuts answers at ``[SPARQL] ResultSetMaxRows`` (10,000 in
        Debian's configuration), and a short answer must be an error, not a short export."""
        sizes = self._graph_sizes()
        batch: list[str] = []
        expected = 0

        def fetch(graphs: list[str], n: int) -> list[ox.Quad]:
            values = " ".join(str(ox.NamedNode(g)) for g in graphs)
            rows = self.select("SELECT ?g ?s ?p ?o WHERE { VALUES ?g { " + values + " } "
                               "GRAPH ?g { ?s ?p ?o } }")
            if len(rows) != n:
                raise StoreError(f"{self.query_url}: the engine returned {len(rows)} of the "
                                 f"{n} quads of {len(graphs)} graph(s); raise its result size "
                                 "limit (Virtuoso: [SPARQL] ResultSetMaxRows)")
            return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]  # type: ignore[arg-type]

        for g in sorted(sizes):
            n = sizes[g]
            if n is None:  # no count from this engine: one graph at a time, unchecked
                yield from self.graph_quads(g)
                continue
            if batch and expected + n > max_rows:
                yield from fetch(batch, expected)
                batch, expected = [], 0
            batch.append(g)
            expected += n
        if batch:
            yield from fetch(batch, expected)

    # -- writing -------------------------------------------------------------------------------
    def _data_block(self, graph: ox.NamedNode | None, triples: list[ox.Triple]) -> tuple[str, bool]:
        """``GRAPH <g> { s p o . ... }`` and whether it holds blank nodes."""
        lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]
        bnodes = any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
                     for t in triples)
        body = "\n".join(lines)
        return (f"GRAPH {graph} {{\n{body}\n}}" if graph is not None else body), bnodes

    def _insert_op(self, block: str, bnodes: bool) -> str:
        if bnodes and not self.profile.bnodes_in_insert_data:
            return f"INSERT {{\n{block}\n}} WHERE {{}}"
        return f"INSERT DATA {{\n{block}\n}}"

    def _weight(self, triples: list[ox.Triple]) -> int:
        """How much of the per-request triple limit these triples use."""
        k = self.profile.bnode_weight
        if k == 1:
            return len(triples)
        return sum(k if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
                   else 1 for t in triples)

    def _chunks(self, triples: list[ox.Triple], max_bytes: int | None = None,
                max_triples: int | None = None) -> Iterator[list[ox.Triple]]:
        """Runs of triples whose N-Triples text stays under the request size limits."""
        max_bytes = max_bytes or self.max_update_bytes
        max_triples = max_triples or self.max_update_triples
        chunk: list[ox.Triple] = []
        size = weight = 0
        for t in triples:
            n = len(str(t).encode()) + 8
            w = self._weight([t])
            if chunk and (size + n > max_bytes or weight + w > max_triples):
                yield chunk
                chunk, size, weight = [], 0, 0
            chunk.append(t)
            size += n
            weight += w
        if chunk:
            yield chunk

    def _gsp(self, method: str, graph: str, body: bytes | None = None) -> None:
        if self.gsp_url is None:
            raise StoreError("no Graph Store Protocol endpoint (--gsp-url) configured")
        headers = {"Content-Type": "application/n-triples"} if body is not None else {}
        try:
            self._request(method, self.gsp_url, params={"graph": graph}, data=body,
                          headers=headers)
        except StoreError as exc:
            if method == "DELETE" and "404" in str(exc):
                return
            raise

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad | ox.Triple]]) -> None:
        """Replace graphs with as few ``DROP SILENT GRAPH ; INSERT DATA`` Update requests as
        the engine's limits allow (one, on Oxigraph, up to 64 MB); a graph too large for one
        request goes by GSP ``PUT`` (module docstring for what each engine guarantees)."""
        self._check_writable()
        content = {ox.NamedNode(name).value: [_as_triple(q) for q in quads]
                   for name, quads in graphs.items()}
        if not content:
            return
        ops: list[str] = []
        size = count = 0
        big: list[str] = []
        for name, triples in content.items():
            g = ox.NamedNode(name)
            parts = [f"DROP SILENT GRAPH {g}"]
            if triples:
                parts.append(self._insert_op(*self._data_block(g, triples)))
            text = " ;\n".join(parts)
            n = len(text.encode())
            w = self._weight(triples)
            if n > self.max_update_bytes or w > self.max_update_triples:
                big.append(name)
                continue
            if ops and (size + n > self.max_update_bytes or count + w > self.max_update_triples):
                self._update(" ;\n".join(ops))
                ops, size, count = [], 0, 0
            ops.append(text)
            size += n
            count += w
        if ops:
            self._update(" ;\n".join(ops))
        for name in big:
            self._replace_big_graph(name, content[name])

    def _replace_big_graph(self, name: str, triples: list[ox.Triple]) -> None:
        """A graph too large for one Update request: GSP PUT (atomic on engines that apply a
        PUT in one transaction), else DROP then INSERT in chunks (not atomic)."""
        if self.gsp_url:
            self._gsp("PUT", name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
            return
        g = ox.NamedNode(name)
        first = True
        for chunk in self._chunks(triples):
            op = self._insert_op(*self._data_block(g, chunk))
            self._update(f"DROP SILENT GRAPH {g} ;\n{op}" if first else op)
            first = False

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (no graph cleared), in as few Update requests as fit the size limit."""
        self._check_writable()
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in quads:
            key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            by_graph.setdefault(key, []).append(q.triple)
        for name, triples in by_graph.items():
            g = ox.NamedNode(name) if name is not None else None
            if name is not None and self.profile.add_with_gsp and self.gsp_url:
                for chunk in self._chunks(triples, GSP_CHUNK_BYTES, 10**9):
                    self._gsp("POST", name, ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES))
                continue
            for chunk in self._chunks(triples):
                self._update(self._insert_op(*self._data_block(g, chunk)))

    def delete_graph(self, graph: str) -> None:
        self._check_writable()
        self._update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def update(self, sparql: str) -> None:
        self._check_writable()
        self._update(sparql, generated=False)

    def load(self, data: bytes | IO[bytes], media_type: str, *, graph: str | None = None,
             replace: bool = False) -> None:
        """Parse locally first (so a syntax error names its line and nothing is sent), then
        write with :meth:`replace_graphs` or :meth:`add_quads`."""
        self._check_writable()
        try:
            fmt = formats.rdf_format(media_type)
        except formats.FormatError as exc:
            raise QueryError(str(exc)) from exc
        if isinstance(data, bytes | bytearray):
            data = io.BytesIO(data)
        try:
            parsed = list(ox.parse(data, format=fmt.ox_format))
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"{fmt.name}: {exc}") from exc
        if graph is not None:
            g = ox.NamedNode(graph)
            if replace:
                self.replace_graphs({graph: parsed})
            else:
                self.add_quads(ox.Quad(q.subject, q.predicate, q.object, g) for q in parsed)
            return
        quads = [q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object)
                 for q in parsed]
        if replace:
            by_graph: dict[str, list[ox.Quad]] = {}
            for q in quads:
                if not isinstance(q.graph_name, ox.NamedNode):
                    raise QueryError("replace=True needs the data's named graphs or a graph=")
                by_graph.setdefault(q.graph_name.value, []).append(q)
            self.replace_graphs(by_graph)
            return
        self.add_quads(quads)

    def export(self, out: IO[bytes], fmt: str, *, graph: str | None = None) -> None:
        """Dataset formats keep graph names; triple formats write one graph, or without
        ``graph`` the union of all graphs (as the embedded store does)."""
        info = formats.rdf_format(fmt)
        prefixes = dict(PREFIXES) if info.name in ("turtle", "trig", "n3", "rdfxml") else None
        quads = self.graph_quads(graph) if graph is not None else list(self.quads())
        if info.datasets:
            ox.serialize(quads, out, format=info.ox_format, prefixes=prefixes)
        else:
            triples = list(dict.fromkeys(q.triple for q in quads))
            ox.serialize(triples, out, format=info.ox_format, prefixes=prefixes)

    def close(self) -> None:
        self._session.close()


def auth_from_env(engine: str = "generic") -> tuple[AuthBase | None, dict[str, str]]:
    """Credentials from the environment: a bearer token (``RESOGRAPH_STORE_TOKEN``) or a
    user and password (``RESOGRAPH_STORE_USER`` / ``RESOGRAPH_STORE_PASSWORD``; HTTP digest for
    Virtuoso, basic otherwise). Returns ``(auth, extra headers)``."""
    token = os.environ.get(ENV_TOKEN)
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    user = os.environ.get(ENV_USER)
    if user:
        password = os.environ.get(ENV_PASSWORD)
        if password is None:
            raise StoreError(f"${ENV_USER} is set but ${ENV_PASSWORD} is not")
        if engine == "virtuoso":
            return HTTPDigestAuth(user, password), {}
        return HTTPBasicAuth(user, password), {}
    return None, {}
