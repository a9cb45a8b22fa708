"""One behavioural suite for every store: the embedded OxigraphStore, and RemoteStore against
a real Oxigraph server and a real Virtuoso (started by ``tests/engines.py`` on loopback).

Each test gets an empty store (remote engines are shared by the session and emptied of their
named graphs before each test, system graphs aside).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import require
from engines import Engine, oxigraph_server, virtuoso_server  # noqa: F401 - fixtures

from resograph.graph import remote_store as rs
from resograph.graph.remote_store import RemoteStore, bind_variables, query_form
from resograph.graph.store import OxigraphStore, QueryError, ReadOnlyError, Store

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
G1, G2, G3 = EX + "g1", EX + "g2", EX + "g3"
A, B, C = (ox.NamedNode(EX + x) for x in "abc")
CITES = ox.NamedNode(EX + "cites")
LABEL = ox.NamedNode(EX + "label")

#: Strings built to break out of a naively spliced literal or IRI.
NASTY = [
    'x" } ; DROP ALL ; #',
    "x' } ; DROP ALL ; #",
    '""" ; DROP ALL ; """',
    "\\u0022 } ; DROP ALL ; #",
    "line\nbreak\r\ttab \\ backslash",
    "> } DROP ALL { <",
    "?o $o # not a variable",
]


def _doc(n: int = 3) -> list[ox.Triple]:
    """A small document graph: a cites b, labels in two languages, a number, a blank node."""
    bn = ox.BlankNode()
    return [
        ox.Triple(A, CITES, B),
        ox.Triple(A, LABEL, ox.Literal("Resolution A", language="en")),
        ox.Triple(A, LABEL, ox.Literal("Résolution A", language="fr")),
        ox.Triple(A, ox.NamedNode(EX + "paragraphs"),
                  ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))),
        ox.Triple(A, ox.NamedNode(EX + "request"), bn),
        ox.Triple(bn, LABEL, ox.Literal("a request")),
        ox.Triple(A, ox.NamedNode(EX + "adopted"),
                  ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
    ]


def _wipe(store: Store) -> None:
    for g in store.named_graphs():
        store.delete_graph(g)


ENGINES = [pytest.param("oxigraph", marks=pytest.mark.engine),
           pytest.param("virtuoso", marks=pytest.mark.engine)]


@pytest.fixture(params=["embedded", *ENGINES])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store of each kind."""
    if request.param == "embedded":
        s: Store = OxigraphStore(None)
    else:
        engine: Engine = request.getfixturevalue(f"{request.param}_server")
        s = RemoteStore.from_options(engine.base_url, engine=request.param)
        _wipe(s)
    yield s
    s.close()


@pytest.fixture(params=ENGINES)
def remote(request: pytest.FixtureRequest) -> Iterator[RemoteStore]:
    """An empty RemoteStore on each engine."""
    engine: Engine = request.getfixturevalue(f"{request.param}_server")
    s = RemoteStore.from_options(engine.base_url, engine=request.param)
    _wipe(s)
    yield s
    s.close()


def _quads(store: Store, graph: str) -> set[str]:
    """A graph's quads as N-Quads lines, blank nodes renamed so that stores compare."""
    out = set()
    for q in store.graph_quads(graph):
        s = "_:b" if isinstance(q.subject, ox.BlankNode) else str(q.subject)
        o = "_:b" if isinstance(q.object, ox.BlankNode) else str(q.object)
        out.add(f"{s} {q.predicate} {o} {q.graph_name}")
    return out


# --------------------------------------------------------------------------- reading


def test_select_ask_construct_with_bindings(store: Store) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    rows = store.select("SELECT ?o WHERE { ?s <http://example.org/cites> ?o }", {"s": A})
    assert rows == [{"o": B}]
    rows = store.select("SELECT ?s WHERE { ?s <http://example.org/cites> ?o } ORDER BY ?s")
    assert [r["s"] for r in rows] == [A, B]  # default graph = union of named graphs
    # a bound variable absent from the projection, and an aggregate over it
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {"s": A})
    assert rows[0]["n"].value == "6"
    fr = ox.Literal("Résolution A", language="fr")
    assert store.ask("ASK { ?s <http://example.org/label> ?l }", {"l": fr})
    assert not store.ask("ASK { ?s <http://example.org/label> ?l }",
                         {"l": ox.Literal("Résolution A", language="de")})
    triples = store.construct("CONSTRUCT { ?s <http://example.org/citedBy> ?x } "
                              "WHERE { ?x <http://example.org/cites> ?s }", {"s": C})
    assert triples == [ox.Triple(C, ox.NamedNode(EX + "citedBy"), B)]
    triples = store.construct("CONSTRUCT WHERE { ?s <http://example.org/cites> ?o }", {"o": C})
    assert triples == [ox.Triple(B, CITES, C)]
    # a boolean comes back as the term that was written (Virtuoso answers "1")
    rows = store.select("SELECT ?v WHERE { ?s <http://example.org/adopted> ?v }")
    assert rows == [{"v": ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))}]
    # optional values come back absent, not as None
    rows = store.select("SELECT ?s ?x WHERE { ?s <http://example.org/cites> ?o "
                        "OPTIONAL { ?s <http://example.org/nothing> ?x } }", {"o": C})
    assert rows == [{"s": B}]


@pytest.mark.parametrize("nasty", NASTY)
def test_bindings_cannot_inject(store: Store, nasty: str) -> None:
    """A literal value full of quotes, braces and keywords is matched exactly, as data."""
    lit = ox.Literal(nasty)
    store.replace_graphs({G1: [ox.Triple(A, LABEL, lit)], G2: [ox.Triple(B, LABEL, C)]})
    rows = store.select("SELECT ?s WHERE { ?s <http://example.org/label> ?l }", {"l": lit})
    assert rows == [{"s": A}]
    assert store.ask("ASK { ?s <http://example.org/label> ?l }", {"l": lit})
    assert not store.ask("ASK { ?s <http://example.org/label> ?l }",
                         {"l": ox.Literal(nasty + " ")})
    got = store.select("SELECT ?l WHERE { ?s <http://example.org/label> ?l }", {"s": A})
    assert got[0]["l"].value == nasty
    assert store.named_graphs() == [G1, G2]  # nothing dropped


def test_iri_injection_is_refused_before_any_query() -> None:
    with pytest.raises(ValueError):
        ox.NamedNode("http://example.org/a> } ; DROP ALL ; #")


@pytest.mark.parametrize("name", ["s) {} DROP ALL #", "?s", "", "s o"])
def test_bad_binding_names_are_refused(name: str) -> None:
    with pytest.raises(QueryError, match="variable name"):
        bind_variables("SELECT * WHERE { ?s ?p ?o }", {name: A})


def test_bind_variables_respects_syntax() -> None:
    """The VALUES block goes into the WHERE group, not into IRIs, strings, comments or the
    CONSTRUCT template, and the result still parses (checked by pyoxigraph's parser)."""
    cases = [
        "PREFIX ex: <http://example.org/WHERE#> # { not here\n"
        "SELECT ?o WHERE { ?s ex:select '{' . ?s ?p ?o }",
        "SELECT (EXISTS { ?s ?p ?o } AS ?e) WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM <http://example.org/g> WHERE { ?s ?p ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
        "DESCRIBE ?s",
        "SELECT * { { SELECT ?s WHERE { ?s ?p ?o } } }",
    ]
    mem = ox.Store()
    mem.add(ox.Quad(A, CITES, B))
    for q in cases:
        bound = bind_variables(q, {"s": A})
        assert "VALUES" in bound or "DESCRIBE <" in bound
        mem.query(bound)  # raises SyntaxError if the rewrite broke the query
        assert query_form(bound) == query_form(q)
    assert bind_variables(cases[0], {"s": A}).index("VALUES") > cases[0].index("WHERE")
    construct = bind_variables(cases[2], {"s": A})
    assert construct.index("VALUES") > construct.index("WHERE")


@pytest.mark.parametrize("media_type", ["application/sparql-results+json",
                                        "application/sparql-results+xml",
                                        "text/tab-separated-values", "text/csv"])
def test_run_query_select_formats(store: Store, media_type: str) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    q = "SELECT ?s ?o WHERE { ?s <http://example.org/cites> ?o } ORDER BY ?s"
    body, mt, form = store.run_query(q, media_type)
    assert (mt, form) == (media_type, "SELECT")
    if media_type == "text/csv":
        lines = body.decode().replace('"', "").splitlines()
        assert lines[0].replace(" ", "").split(",") == ["s", "o"]
        assert lines[1:] == [f"{A.value},{B.value}", f"{B.value},{C.value}"]
        return
    fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
           "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media_type]
    sols = ox.parse_query_results(body, fmt)
    assert [(s["s"], s["o"]) for s in sols] == [(A, B), (B, C)]


@pytest.mark.parametrize("media_type", ["application/sparql-results+json",
                                        "application/sparql-results+xml"])
def test_run_query_ask(store: Store, media_type: str) -> None:
    store.replace_graphs({G1: _doc()})
    body, mt, form = store.run_query("ASK { ?s <http://example.org/cites> ?o }", media_type)
    assert form == "ASK" and mt == media_type
    fmt = (ox.QueryResultsFormat.JSON if "json" in media_type else ox.QueryResultsFormat.XML)
    assert bool(ox.parse_query_results(body, fmt)) is True


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples",
                                        "application/rdf+xml"])
def test_run_query_construct_formats(store: Store, media_type: str) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    q = "CONSTRUCT { ?s <http://example.org/cites> ?o } WHERE { ?s <http://example.org/cites> ?o }"
    body, mt, form = store.run_query(q, media_type)
    assert (mt, form) == (media_type, "CONSTRUCT")
    got = {q.triple for q in ox.parse(body, format=ox.RdfFormat.from_media_type(media_type))}
    assert got == {ox.Triple(A, CITES, B), ox.Triple(B, CITES, C)}


def test_run_query_dataset_and_errors(store: Store) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    q = "SELECT ?s WHERE { ?s <http://example.org/cites> ?o }"
    body, _, _ = store.run_query(q, "application/sparql-results+json", default_graph_uris=[G2])
    assert [s["s"] for s in ox.parse_query_results(body, ox.QueryResultsFormat.JSON)] == [B]
    q = "SELECT ?g ?s WHERE { GRAPH ?g { ?s <http://example.org/cites> ?o } }"
    body, _, _ = store.run_query(q, "application/sparql-results+json", named_graph_uris=[G1])
    sols = list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON))
    assert [(s["g"], s["s"]) for s in sols] == [(ox.NamedNode(G1), A)]
    with pytest.raises(QueryError):
        store.run_query("SELEC ?s WHERE { ?s ?p ?o }", "application/sparql-results+json")
    with pytest.raises(QueryError):
        store.select("SELECT ?s WHERE { ?s ?p ?o ")


# --------------------------------------------------------------------------- writing


def test_named_graphs_and_graph_quads(store: Store) -> None:
    assert store.named_graphs() == []
    store.replace_graphs({G2: [ox.Triple(B, CITES, C)], G1: _doc()})
    assert store.named_graphs() == [G1, G2]
    assert _quads(store, G2) == {f"{B} {CITES} {C} <{G2}>"}
    assert len(store.graph_quads(G1)) == 7
    assert store.graph_quads(G3) == []


def test_replace_graphs_replaces_and_is_idempotent(store: Store) -> None:
    store.replace_graphs({G1: _doc(3), G2: [ox.Triple(B, CITES, C)]})
    before = (_quads(store, G1), _quads(store, G2))
    store.replace_graphs({G1: _doc(3), G2: [ox.Triple(B, CITES, C)]})
    assert (_quads(store, G1), _quads(store, G2)) == before  # same input, same store
    store.replace_graphs({G1: _doc(7)})
    after = _quads(store, G1)
    assert len(after) == 7 and any('"7"' in q for q in after) and not any('"3"' in q
                                                                         for q in after)
    assert _quads(store, G2) == before[1]  # untouched
    store.replace_graph(G2, [])
    assert store.named_graphs() == [G1]
    # quads given with another graph name land in the graph being replaced
    store.replace_graphs({G3: [ox.Quad(C, CITES, A, ox.NamedNode(G1))]})
    assert _quads(store, G3) == {f"{C} {CITES} {A} <{G3}>"}


def test_delete_graph(store: Store) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    store.delete_graph(G1)
    store.delete_graph(G3)  # absent: no error
    assert store.named_graphs() == [G2]
    assert not store.ask("ASK { ?s <http://example.org/label> ?o }")


def test_load_malformed_rdf_changes_nothing(store: Store) -> None:
    store.replace_graphs({G1: _doc()})
    before = _quads(store, G1)
    bad = (b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n"
           b"<http://example.org/a> <http://example.org/p> \"unterminated .\n")
    with pytest.raises(QueryError, match=r"2"):  # the message names line 2
        store.load(bad, "application/n-triples", graph=G1, replace=True)
    with pytest.raises(QueryError):
        store.load(b"@prefix ex: <http://example.org/> . ex:a ex:p ", "text/turtle", graph=G2)
    assert _quads(store, G1) == before
    assert store.named_graphs() == [G1]


def test_load_add_and_replace(store: Store) -> None:
    ttl = (b"@prefix ex: <http://example.org/> .\n"
           b"ex:a ex:cites ex:b . ex:b ex:label \"B\"@en .\n")
    store.load(ttl, "text/turtle", graph=G1)
    store.load(b"<http://example.org/c> <http://example.org/cites> <http://example.org/a> .",
               "application/n-triples", graph=G1)
    assert len(store.graph_quads(G1)) == 3
    store.load(ttl, "text/turtle", graph=G1, replace=True)
    assert len(store.graph_quads(G1)) == 2
    trig = (b"@prefix ex: <http://example.org/> .\n"
            b"ex:g2 { ex:b ex:cites ex:c . }\nex:g3 { ex:c ex:cites ex:a . }\n")
    store.load(io.BytesIO(trig), "application/trig", replace=True)
    assert store.named_graphs() == [G1, G2, G3]
    with pytest.raises(QueryError, match="named graphs"):
        store.load(ttl, "text/turtle", replace=True)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_export_round_trip(store: Store, fmt: str) -> None:
    store.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)]})
    out = io.BytesIO()
    store.export(out, fmt)
    fresh = OxigraphStore(None)
    fresh.load(out.getvalue(), fmt, replace=True)
    assert fresh.named_graphs() == [G1, G2]
    for g in (G1, G2):
        assert _quads(fresh, g) == _quads(store, g)
    one = io.BytesIO()
    store.export(one, "turtle", graph=G2)
    got = {q.triple for q in ox.parse(one.getvalue(), format=ox.RdfFormat.TURTLE)}
    assert got == {ox.Triple(B, CITES, C)}


# --------------------------------------------------------------------------- remote only


def test_update_is_one_transaction_on_oxigraph_not_on_virtuoso(remote: RemoteStore) -> None:
    """What replace_graphs relies on: Oxigraph applies a multi-operation Update request in one
    transaction; Virtuoso does not (hence GSP PUT per graph there). If this test starts
    failing, an engine changed and docs/deploy.md must change with it."""
    with pytest.raises(rs.StoreError):
        remote.update("INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/a> "
                      "<http://example.org/p> 1 } } ; "
                      "LOAD <http://127.0.0.1:1/missing.ttl> INTO GRAPH <http://example.org/g2>")
    expected = [] if remote.profile.name == "oxigraph" else [G1]
    assert remote.named_graphs() == expected


def test_replace_graphs_request_shape(remote: RemoteStore, monkeypatch: pytest.MonkeyPatch
                                      ) -> None:
    """A batch that fits goes as one Update request (one transaction on Oxigraph, isolated
    on Virtuoso); a graph too large for one request goes by one GSP PUT."""
    calls: list[str] = []
    real = remote._request

    def spy(method: str, url: str, **kw: object) -> requests.Response:
        calls.append(f"{method} {url.rsplit('/', 1)[-1]}")
        return real(method, url, **kw)

    monkeypatch.setattr(remote, "_request", spy)
    remote.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)], G3: []})
    update = remote.update_url.rsplit("/", 1)[-1]
    assert calls == [f"POST {update}"]
    assert remote.named_graphs() == [G1, G2]
    calls.clear()
    big = [ox.Triple(A, ox.NamedNode(f"{EX}p{i}"), ox.Literal(str(i))) for i in range(1500)]
    remote.max_update_bytes = 50_000
    remote.replace_graphs({G1: big, G2: [ox.Triple(C, CITES, A)]})
    assert calls == [f"POST {update}", f"PUT {remote.gsp_url.rsplit('/', 1)[-1]}"]
    assert len(remote.graph_quads(G1)) == 1500
    assert _quads(remote, G2) == {f"{C} {CITES} {A} <{G2}>"}


def test_large_loads_are_chunked(remote: RemoteStore) -> None:
    """Past the per-request limits the store splits the work and still writes everything
    (Virtuoso's SPARQL compiler fails on ~5,000 triples in one INSERT DATA)."""
    triples = [ox.Triple(A, ox.NamedNode(f"{EX}p{i}"), ox.Literal(f"value {i}"))
               for i in range(12_000)]
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    remote.max_update_bytes = 200_000
    remote.load(data, "application/n-triples", graph=G1)
    remote.replace_graphs({G2: triples, G3: triples[:10]})
    for g in (G1, G2):
        assert remote.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                             {"g": ox.NamedNode(g)})[0]["n"].value == "12000"
    remote.add_quads([ox.Quad(B, CITES, C, ox.NamedNode(G3))])
    assert len(remote.graph_quads(G3)) == 11


def test_blank_nodes_survive_the_update_path(remote: RemoteStore) -> None:
    """Virtuoso refuses blank nodes in INSERT DATA: the Update path rewrites it."""
    remote.replace_graphs({G1: _doc()})
    rows = remote.select("SELECT ?l WHERE { ?a <http://example.org/request> ?r . "
                         "?r <http://example.org/label> ?l }")
    assert [r["l"].value for r in rows] == ["a request"]
    with pytest.raises(QueryError, match="blank node"):
        remote.select("SELECT * WHERE { ?s ?p ?o }", {"s": ox.BlankNode()})


@pytest.mark.engine
def test_read_only_remote_store_refuses_writes(oxigraph_server: Engine) -> None:  # noqa: F811
    s = RemoteStore.from_options(oxigraph_server.base_url, engine="oxigraph", read_only=True)
    with pytest.raises(ReadOnlyError):
        s.replace_graphs({G1: _doc()})
    with pytest.raises(ReadOnlyError):
        s.update("CLEAR ALL")
    assert s.ask("ASK {}")


@pytest.mark.engine
def test_virtuoso_authenticated_endpoints(virtuoso_server: Engine,  # noqa: F811
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials from the environment select /sparql-auth and /sparql-graph-crud-auth
    with HTTP digest; a wrong password is refused with a message naming the variables."""
    monkeypatch.setenv(rs.ENV_USER, virtuoso_server.extra["user"])
    monkeypatch.setenv(rs.ENV_PASSWORD, virtuoso_server.extra["password"])
    s = RemoteStore.from_options(virtuoso_server.base_url + "/sparql", engine="virtuoso")
    assert s.query_url.endswith("/sparql-auth") and s.gsp_url.endswith("/sparql-graph-crud-auth")
    _wipe(s)
    s.replace_graphs({G1: _doc()})
    s.add_quads([ox.Quad(B, CITES, C, ox.NamedNode(G1))])
    s.update("INSERT DATA { GRAPH <http://example.org/g2> { <http://example.org/x> "
             "<http://example.org/y> <http://example.org/z> } }")
    assert s.named_graphs() == [G1, G2]
    assert len(s.graph_quads(G1)) == 8
    monkeypatch.setenv(rs.ENV_PASSWORD, "wrong")
    bad = RemoteStore.from_options(virtuoso_server.base_url, engine="virtuoso")
    with pytest.raises(rs.StoreError, match=rs.ENV_PASSWORD):
        bad.delete_graph(G1)
    _wipe(s)


@pytest.mark.engine
def test_cli_export_over_remote_store(oxigraph_server: Engine) -> None:  # noqa: F811
    """`resograph export --store-url ... --engine oxigraph` works on a remote store."""
    s = RemoteStore.from_options(oxigraph_server.base_url, engine="oxigraph")
    _wipe(s)
    s.replace_graphs({G1: _doc()})
    res = subprocess.run([sys.executable, "-m", "resograph", "export", "--store-url",
                          oxigraph_server.base_url, "--engine", "oxigraph", "--format", "nquads"],
                         capture_output=True, timeout=120, check=False)
    if res.returncode != 0 and b"No module named" in res.stderr:
        pytest.fail(res.stderr.decode())
    assert res.returncode == 0, res.stderr.decode()
    assert len(list(ox.parse(res.stdout, format=ox.RdfFormat.N_QUADS))) == 7
    _wipe(s)


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize(("engine", "url", "expected"), [
    ("oxigraph", "http://h:7878", ("http://h:7878/query", "http://h:7878/update",
                                   "http://h:7878/store")),
    ("oxigraph", "http://h:7878/query", ("http://h:7878/query", "http://h:7878/update",
                                         "http://h:7878/store")),
    ("fuseki", "http://h:3030/ds/", ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                     "http://h:3030/ds/data")),
    ("virtuoso", "http://h:8890/sparql", ("http://h:8890/sparql", "http://h:8890/sparql",
                                          "http://h:8890/sparql-graph-crud")),
    (None, "https://db.example/sparql", ("https://db.example/sparql",
                                         "https://db.example/sparql", None)),
])
def test_from_options_presets(engine: str | None, url: str,
                              expected: tuple[str, str, str | None],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (rs.ENV_USER, rs.ENV_PASSWORD, rs.ENV_TOKEN):
        monkeypatch.delenv(var, raising=False)
    s = RemoteStore.from_options(url, engine=engine)
    assert (s.query_url, s.update_url, s.gsp_url) == expected
    s2 = RemoteStore.from_options(url, update_url="http://u/", gsp_url="http://g/", engine=engine)
    assert (s2.update_url, s2.gsp_url) == ("http://u/", "http://g/")


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(rs.ENV_USER, raising=False)
    monkeypatch.setenv(rs.ENV_TOKEN, "t0ken")
    s = RemoteStore.from_options("http://h/sparql")
    assert s._session.headers["Authorization"] == "Bearer t0ken"
    monkeypatch.delenv(rs.ENV_TOKEN)
    monkeypatch.setenv(rs.ENV_USER, "u")
    monkeypatch.delenv(rs.ENV_PASSWORD, raising=False)
    with pytest.raises(rs.StoreError, match=rs.ENV_PASSWORD):
        RemoteStore.from_options("http://h/sparql")
    monkeypatch.setenv(rs.ENV_PASSWORD, "p")
    assert isinstance(RemoteStore.from_options("http://h/sparql")._session.auth,
                      requests.auth.HTTPBasicAuth)
    with pytest.raises(rs.StoreError, match="engine"):
        RemoteStore.from_options("http://h/sparql", engine="neptune")
    with pytest.raises(rs.StoreError, match="store-url"):
        RemoteStore.from_options("h:8890", engine="virtuoso")


def test_unreachable_engine_is_a_store_error() -> None:
    from engines import free_port

    s = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=5)
    with pytest.raises(rs.StoreError, match="cannot reach"):
        s.ask("ASK {}")


def _start_service(engine_url: str, engine: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """One stateless `gunicorn 'resograph.cli:wsgi()'` process over the shared engine."""
    from engines import free_port

    gunicorn = Path(sys.executable).parent / "gunicorn"
    assert gunicorn.exists(), f"gunicorn not installed beside {sys.executable}"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESOGRAPH_STORE")}
    env.update(RESOGRAPH_STORE_URL=engine_url, RESOGRAPH_ENGINE=engine)
    with log.open("wb") as out:
        proc = subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}",
                                 "resograph.cli:wsgi()"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def _sparql_values(base: str, deadline: float) -> list[str]:
    q = "SELECT ?l WHERE { ?s <http://example.org/label> ?l } ORDER BY ?l"
    while True:
        try:
            r = requests.get(f"{base}/sparql", params={"query": q}, timeout=10,
                             headers={"Accept": "application/sparql-results+json"})
            r.raise_for_status()
            return [b["l"]["value"] for b in r.json()["results"]["bindings"]]
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.engine
def test_two_service_processes_share_one_engine(remote: RemoteStore, tmp_path: Path) -> None:
    """docs/deploy.md's layout: stateless service processes over one engine all answer the
    same, and all see a write made after they started."""
    engine_url = remote.query_url.rsplit("/", 1)[0]
    remote.replace_graphs({G1: [ox.Triple(A, LABEL, ox.Literal("first"))]})
    procs = [_start_service(engine_url, remote.profile.name, tmp_path / f"svc{i}.log")
             for i in range(2)]
    try:
        deadline = time.monotonic() + 60
        assert [_sparql_values(base, deadline) for _, base in procs] == [["first"], ["first"]]
        remote.replace_graphs({G2: [ox.Triple(B, LABEL, ox.Literal("second"))]})
        assert [_sparql_values(base, deadline) for _, base in procs] == [["first", "second"]] * 2
    finally:
        for proc, _ in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=20)


@pytest.mark.corpus
def test_ingest_and_validate_on_every_store(store: Store, corpus: Path) -> None:
    """`resograph ingest` and whole-store `validate` work unchanged on a remote store: the
    same documents go in, and the store conforms as the embedded one does.

    Virtuoso 7.2.5 answers two constructs of the validator's compiled SPARQL wrongly
    (``!(sameTerm(?v, <a>) || sameTerm(?v, <b>))`` keeps ``<a>``; ``NOT EXISTS { ?v
    rdf:type/rdfs:subClassOf* <C> }`` is true for instances of ``C``), so whole-store
    validation on a remote store reads the quads once and validates them locally
    (graph/validate.py ``Validator._validate_dump``); this checks it conforms there too.
    """
    from resograph.graph import ingest, validate

    files = sorted((corpus / "unga-en").glob("*.txt"))[:1]
    require(len(files) == 1, "corpus/unga-en holds no text")
    summary = ingest.ingest_paths(files, store, progress=False, workers=1)
    docs = [g for g in store.named_graphs() if "/graph/doc/" in g]
    assert (summary.failed, len(docs)) == ([], 1)
    again = ingest.ingest_paths(files, store, progress=False, workers=1)
    assert (again.failed, again.documents) == ([], 0)  # idempotent: nothing rewritten
    report = validate.validate_store(store)
    assert report.conforms, report.text()[:2000]


@pytest.mark.engine
def test_batched_export_checks_for_truncated_answers(remote: RemoteStore,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Export reads a few graphs per query and compares each answer with the graphs' quad
    counts, so an engine that silently cuts answers (Virtuoso's ResultSetMaxRows) makes
    export fail instead of writing a short dump."""
    remote.replace_graphs({G1: _doc(), G2: [ox.Triple(B, CITES, C)], G3: [ox.Triple(C, CITES, A)]})
    sizes = {G1: 7, G2: 1, G3: 1}
    monkeypatch.setattr(remote, "_graph_sizes", lambda: dict(sizes))
    got = list(remote._quads_in_batches(max_rows=7))  # G1 alone, then G2 + G3
    assert len(got) == 9 and {q.graph_name.value for q in got} == {G1, G2, G3}
    sizes[G2] = 5  # the engine "returns" fewer quads than the graph holds
    with pytest.raises(rs.StoreError, match="ResultSetMaxRows"):
        list(remote._quads_in_batches(max_rows=7))
    if remote.profile.name == "virtuoso":  # its named-graph query also counts quads
        monkeypatch.undo()
        assert remote._graph_sizes() == {G1: 7, G2: 1, G3: 1}


#: API reads whose queries go beyond plain triple patterns (numbered VALUES, sub-SELECTs,
#: a UNION of LIMITed sub-SELECTs for a capped network walk): each engine must answer them as
#: the embedded store does.
_API_PATHS = (
    "/api/resolutions/A/HRC/RES/56/15",
    "/api/resolutions/A/HRC/RES/56/15/network?depth=2",
    "/api/resolutions/A/RES/48/141/network?depth=2&limit=2",
    "/api/resolutions/A/RES/48/141/cited-by",
    "/api/resolutions/S/RES/687%20(1991)/votes",
    "/api/resolutions/S/RES/686%20(1991)/network?depth=2",
)


@pytest.mark.parametrize("store", ["embedded", *ENGINES], indirect=True)
def test_api_answers_alike_on_every_store(store: Store) -> None:
    """The service runs unchanged on a remote engine: the same data gives the same JSON-LD,
    shape included (the embedded store's answers are the reference, computed here too; each
    engine returns triples in its own order, and where a node is embedded must not follow
    it)."""
    from service_data import build_graphs, build_store

    from resograph.service import create_app
    from resograph.service.config import Config

    source = build_store()

    def answers(s: Store) -> dict[str, object]:
        client = create_app(s, Config.from_env(environ={})).test_client()
        out = {}
        for path in _API_PATHS:
            r = client.get(path, headers={"Accept": "application/ld+json"})
            assert r.status_code == 200, (path, r.status_code, r.get_data(as_text=True)[:300])
            out[path] = r.get_json()
        return out

    want = answers(source)
    assert want["/api/resolutions/A/RES/48/141/network?depth=2&limit=2"]["truncated"] is True
    store.replace_graphs(build_graphs())
    assert answers(store) == want
