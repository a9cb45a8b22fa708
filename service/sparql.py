"""SPARQL 1.1 Protocol (/sparql, /update) and Graph Store HTTP Protocol (/store).

Reads are open; writes need the operator's bearer token (401 without one, 403 with a wrong
one, compared in constant time). The protocol code only parses requests and negotiates; the
query itself goes through the app's :class:`~.runner.QueryRunner` so that the hardening work
can swap how queries are executed.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from resograph.graph.store import QueryError, QueryTimeout, ReadOnlyError, StoreError
from resograph.graph.vocab import SD, VOID

from . import formats
from .runner import Forbidden, QueryRunner, TooManyRows, query_form

bp = Blueprint("sparql", __name__)

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_W3_FORMATS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
}


@bp.before_request
def _limit_body() -> Response | None:
    """413 for a body over ``max_body``, with or without a Content-Length.

    Werkzeug enforces MAX_CONTENT_LENGTH from the header; a chunked body has none, so it is
    read here (at most ``max_body + 1`` bytes) and cached for the form parser and get_data().
    """
    if request.method not in ("POST", "PUT", "PATCH") or request.content_length is not None:
        return None
    limit = current_app.config["RESOGRAPH"].max_body
    # the raw input: werkzeug's request.stream would silently stop at the limit
    raw = request.environ.get("wsgi.input")
    chunks: list[bytes] = []
    size = 0
    while raw is not None and size <= limit:
        chunk = raw.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    data = b"".join(chunks)
    if len(data) > limit:
        return error(413, f"request body larger than the limit of {limit} bytes")
    request._cached_data = data  # werkzeug serves get_data() and form parsing from it
    return None


def error(status: int, message: str, **headers: str) -> Response:
    """A plain-text protocol error (SPARQL clients show the body to their users)."""
    resp = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    resp.headers.update(headers)
    return resp


def runner() -> QueryRunner:
    return current_app.extensions["resograph.runner"]


def serialize(triples: Iterable[ox.Triple], fmt: formats.Format) -> bytes:
    """Triples in one of the graph formats (pyoxigraph's serialisers, common prefixes)."""
    from resograph.graph.vocab import PREFIXES

    kw = {}
    if fmt.name in ("turtle", "trig", "rdfxml"):
        kw["prefixes"] = {**PREFIXES, "sd": str(SD), "void": str(VOID)}
    return ox.serialize(triples, format=fmt.ox_format, **kw)


def graph_response(triples: Iterable[ox.Triple], fmt: formats.Format, *,
                   status: int = 200) -> Response:
    resp = Response(serialize(triples, fmt), status=status, content_type=fmt.content_type)
    resp.vary.add("Accept")
    return resp


def format_params() -> list[str]:
    return [*request.values.getlist("format"), *request.values.getlist("output")]


# --------------------------------------------------------------------------- /sparql


def service_description() -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint."""
    sd = ox.NamedNode(request.base_url)
    t = [ox.Triple(sd, RDF_TYPE, ox.NamedNode(SD + "Service")),
         ox.Triple(sd, ox.NamedNode(SD + "endpoint"), sd),
         ox.Triple(sd, ox.NamedNode(SD + "supportedLanguage"),
                   ox.NamedNode(SD + "SPARQL11Query")),
         ox.Triple(sd, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
         ox.Triple(sd, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "BasicFederatedQuery"))]
    if current_app.config["RESOGRAPH"].write_token:
        t.append(ox.Triple(sd, ox.NamedNode(SD + "supportedLanguage"),
                           ox.NamedNode(SD + "SPARQL11Update")))
    for name, iri in _W3_FORMATS.items():
        if name in ("turtle", "ntriples", "rdfxml", "jsonld", "json", "xml", "csv", "tsv"):
            t.append(ox.Triple(sd, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(iri)))
    ds = ox.BlankNode()
    dg = ox.BlankNode()
    void = ox.NamedNode(request.host_url + ".well-known/void")
    t += [ox.Triple(sd, ox.NamedNode(SD + "defaultDataset"), ds),
          ox.Triple(ds, RDF_TYPE, ox.NamedNode(SD + "Dataset")),
          ox.Triple(ds, ox.NamedNode(SD + "defaultGraph"), dg),
          ox.Triple(dg, RDF_TYPE, ox.NamedNode(SD + "Graph")),
          ox.Triple(dg, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), void)]
    return t


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    """SPARQL 1.1 Protocol query operation."""
    if request.method == "OPTIONS":
        return Response(status=204)
    if request.method == "POST":
        ctype = request.mimetype
        if ctype == "application/x-www-form-urlencoded":
            query = request.form.get("query")
            if "update" in request.form and query is None:
                return error(400, "SPARQL Update goes to /update, not /sparql")
            params = request.form
        elif ctype == "application/sparql-query":
            query = request.get_data(as_text=True)
            params = request.args
        else:
            return error(415, f"unsupported Content-Type {ctype!r}: POST "
                              "application/x-www-form-urlencoded or application/sparql-query")
        default_graphs = [*request.args.getlist("default-graph-uri"),
                          *(params.getlist("default-graph-uri") if params is request.form
                            else [])]
        named_graphs = [*request.args.getlist("named-graph-uri"),
                        *(params.getlist("named-graph-uri") if params is request.form else [])]
    else:
        query = request.args.get("query")
        default_graphs = request.args.getlist("default-graph-uri")
        named_graphs = request.args.getlist("named-graph-uri")
    if query is None:
        if request.method == "POST":
            return error(400, "missing parameter 'query'")
        if formats.prefers_html(request.accept_mimetypes):
            return Response(render_template("query.html"), mimetype="text/html")
        try:
            fmt = formats.negotiate(request.accept_mimetypes, formats.GRAPH_FORMATS,
                                    format_params=format_params())
        except formats.NotAcceptable as exc:
            return error(406, str(exc))
        return graph_response(service_description(), fmt)
    if len(request.values.getlist("query")) > 1:
        return error(400, "parameter 'query' given more than once")

    form = query_form(query)
    candidates = (formats.GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE")
                  else formats.RESULT_FORMATS)
    try:
        fmt = formats.negotiate(request.accept_mimetypes, candidates,
                                format_params=format_params())
    except formats.NotAcceptable as exc:
        if form is None:  # unrecognised form: let the parser say what is wrong
            fmt = candidates[0]
        else:
            return error(406, str(exc))
    try:
        result = runner().run(query, fmt.media_type, default_graph_uris=default_graphs,
                              named_graph_uris=named_graphs)
    except QueryError as exc:
        return error(400, f"query syntax error: {exc}")
    except Forbidden as exc:
        return error(403, str(exc))
    except TooManyRows as exc:
        return error(413, str(exc))
    except QueryTimeout as exc:
        return error(503, f"query stopped: {exc}", **{"Retry-After": "10"})
    except StoreError as exc:
        return error(500, f"store error: {exc}")
    served = fmt
    if result.media_type != fmt.media_type:
        served = next((f for f in (*formats.RESULT_FORMATS, *formats.RDF_FORMATS)
                       if f.media_type == result.media_type.split(";")[0]), fmt)
    resp = Response(result.body, content_type=served.content_type)
    resp.vary.add("Accept")
    return resp


# --------------------------------------------------------------------------- writes


def check_token() -> Response | None:
    """``None`` when the request carries the operator's token, else the 401/403 response."""
    configured = current_app.config["RESOGRAPH"].write_token
    auth = request.headers.get("Authorization", "")
    scheme, _, given = auth.partition(" ")
    if not auth or scheme.lower() != "bearer" or not given.strip():
        return error(401, "this operation needs a bearer token (Authorization: Bearer ...)",
                     **{"WWW-Authenticate": 'Bearer realm="resograph"'})
    if not configured or not hmac.compare_digest(given.strip().encode(), configured.encode()):
        return error(403, "the bearer token is not valid for writes")
    return None


def _write_errors(exc: Exception) -> Response:
    if isinstance(exc, ReadOnlyError):
        return error(403, f"the store is read-only: {exc}")
    if isinstance(exc, Forbidden):
        return error(403, str(exc))
    if isinstance(exc, QueryError):
        return error(400, str(exc))
    return error(500, f"store error: {exc}")


@bp.route("/update", methods=["POST", "GET"])
def update() -> Response:
    """SPARQL 1.1 Protocol update operation (token required)."""
    denied = check_token()
    if denied is not None:
        return denied
    if request.method == "GET":
        return error(405, "SPARQL Update is POST only", Allow="POST")
    if request.mimetype == "application/x-www-form-urlencoded":
        text = request.form.get("update")
    elif request.mimetype == "application/sparql-update":
        text = request.get_data(as_text=True)
    else:
        return error(415, f"unsupported Content-Type {request.mimetype!r}: POST "
                          "application/x-www-form-urlencoded or application/sparql-update")
    if not text:
        return error(400, "missing parameter 'update'")
    try:
        runner().update(text)
    except StoreError as exc:
        return _write_errors(exc)
    return Response(status=204)


def _target_graph() -> tuple[str | None, Response | None]:
    """The ``?graph=`` IRI, ``None`` for ``?default``; or the 400 response."""
    graph = request.args.get("graph")
    default = "default" in request.args
    if (graph and default) or (not graph and not default):
        return None, error(400, "give exactly one of ?graph=IRI or ?default")
    if graph and not graph.startswith(("http://", "https://", "urn:")):
        return None, error(400, f"parameter 'graph': {graph!r} is not an absolute IRI")
    return graph, None


def _check_parses(data: bytes, fmt: formats.Format) -> None:
    """Raise :class:`QueryError` (a 400) when ``data`` is not valid ``fmt``."""
    try:
        for _ in ox.parse(data, format=fmt.ox_format):
            pass
    except (SyntaxError, ValueError) as exc:
        raise QueryError(f"{fmt.name}: {exc}") from exc


@bp.route("/store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store() -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol, indirect graph identification (token required)."""
    denied = check_token()
    if denied is not None:
        return denied
    graph, bad = _target_graph()
    if bad is not None:
        return bad
    store = current_app.extensions["resograph.store"]
    exists = graph is None or graph in set(store.named_graphs())
    try:
        if request.method in ("GET", "HEAD"):
            if not exists:
                return error(404, f"no graph {graph}")
            fmt = formats.negotiate(request.accept_mimetypes, formats.GRAPH_FORMATS,
                                    format_params=format_params())
            if graph is None:
                q = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
                body, _mt, _form = store.run_query(q, fmt.media_type)
                return Response(body, content_type=fmt.content_type)
            triples = [q.triple for q in store.graph_quads(graph)]
            return graph_response(triples, fmt)
        if request.method == "DELETE":
            if not exists:
                return error(404, f"no graph {graph}")
            if graph is None:
                store.update("CLEAR DEFAULT")
            else:
                store.delete_graph(graph)
            runner().invalidate()
            return Response(status=204)
        fmt = formats.UPLOAD_FORMATS.get(request.mimetype)
        if fmt is None:
            return error(415, f"unsupported Content-Type {request.mimetype!r}; send one of "
                              + ", ".join(sorted(formats.UPLOAD_FORMATS)))
        data = request.get_data()
        if graph is None and request.method == "PUT":
            # parse before clearing: a malformed upload must leave the store unchanged
            _check_parses(data, fmt)
            store.update("CLEAR DEFAULT")
        store.load(data, fmt.media_type, graph=graph, replace=request.method == "PUT")
        runner().invalidate()
    except formats.NotAcceptable as exc:
        return error(406, str(exc))
    except StoreError as exc:
        return _write_errors(exc)
    return Response(status=204 if exists else 201)
