"""SPARQL 1.1 Protocol, Graph Store Protocol and writes, with real clients on a live server."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
import rdflib
import requests
from service_data import GA, HRC, SC_A, LiveServer, build_store
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from resograph.graph import vocab
from resograph.service.config import Config, ConfigError
from resograph.service.runner import query_form

TOKEN = "s3cret-token"
RG = "https://w3id.org/resograph/ontology#"
SELECT_SYMBOLS = f"PREFIX rg: <{RG}> SELECT DISTINCT ?s WHERE {{ ?w rg:symbol ?s }} ORDER BY ?s"
CONSTRUCT_HRC = (f"PREFIX rg: <{RG}> CONSTRUCT {{ ?w rg:symbol ?s }} WHERE {{ ?w rg:symbol ?s "
                 f"FILTER(?s = \"{HRC}\") }}")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    srv = LiveServer(build_store(), write_token=TOKEN)
    yield srv
    srv.close()


@pytest.fixture()
def writable() -> Iterator[LiveServer]:
    """A fresh store per test: writes must not leak into other tests."""
    srv = LiveServer(build_store(), write_token=TOKEN)
    yield srv
    srv.close()


def wrapper(server: LiveServer, query: str, fmt: str) -> SPARQLWrapper:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    return sw


# --------------------------------------------------------------------------- SPARQLWrapper


def test_sparqlwrapper_select_json(server: LiveServer) -> None:
    res = wrapper(server, SELECT_SYMBOLS, JSON).query().convert()
    symbols = [b["s"]["value"] for b in res["results"]["bindings"]]
    assert HRC in symbols and GA in symbols and SC_A in symbols


def test_sparqlwrapper_select_xml(server: LiveServer) -> None:
    doc = wrapper(server, SELECT_SYMBOLS, XML).query().convert()
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert HRC in values


@pytest.mark.parametrize(("fmt", "delim"), [(CSV, ","), (TSV, "\t")])
def test_sparqlwrapper_select_csv_tsv(server: LiveServer, fmt: str, delim: str) -> None:
    body = wrapper(server, SELECT_SYMBOLS, fmt).query().convert().decode()
    rows = list(csv.reader(io.StringIO(body), delimiter=delim))
    assert rows[0][0] in ("s", "?s")
    assert any(HRC in r[0] for r in rows[1:])


def test_sparqlwrapper_ask(server: LiveServer) -> None:
    q = f'PREFIX rg: <{RG}> ASK {{ ?w rg:symbol "{SC_A}" }}'
    assert wrapper(server, q, JSON).query().convert()["boolean"] is True
    q = f'PREFIX rg: <{RG}> ASK {{ ?w rg:symbol "A/RES/1/1" }}'
    assert wrapper(server, q, JSON).query().convert()["boolean"] is False


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, XML, JSONLD])
def test_sparqlwrapper_construct_every_format(server: LiveServer, fmt: str) -> None:
    result = wrapper(server, CONSTRUCT_HRC, fmt).query()
    graph = result.convert()
    if isinstance(graph, bytes):  # Turtle/N3/JSON-LD come back as bytes: parse them
        ctype = result.info()["content-type"].split(";")[0]
        graph = rdflib.Graph().parse(data=graph, format={
            "text/turtle": "turtle", "application/ld+json": "json-ld",
            "application/rdf+xml": "xml"}.get(ctype, "turtle"))
    assert (rdflib.URIRef(vocab.work_iri(HRC)), rdflib.URIRef(RG + "symbol"),
            rdflib.Literal(HRC)) in graph


def test_construct_ntriples_plain_http(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": CONSTRUCT_HRC},
                     headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/n-triples")
    assert f'<{vocab.work_iri(HRC)}> <{RG}symbol> "{HRC}" .' in r.text


# --------------------------------------------------------------------------- rdflib stores


def test_rdflib_sparqlstore_reads(server: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(server.url + "/sparql"))
    rows = list(graph.query(f'PREFIX rg: <{RG}> SELECT ?w WHERE {{ ?w rg:symbol "{GA}" }}'))
    assert rows and str(rows[0][0]) == vocab.work_iri(GA)


def test_rdflib_sparqlupdatestore_with_token(writable: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(writable.url + "/sparql", writable.url + "/update",
                              auth=None, headers={"Authorization": f"Bearer {TOKEN}"})
    g = rdflib.Graph(store=store, identifier=rdflib.URIRef("urn:test:g"))
    g.add((rdflib.URIRef("urn:test:s"), rdflib.URIRef("urn:test:p"), rdflib.Literal("v")))
    rows = list(g.query("SELECT ?o WHERE { GRAPH <urn:test:g> { <urn:test:s> ?p ?o } }"))
    assert [str(r[0]) for r in rows] == ["v"]
    assert "urn:test:g" in writable.store.named_graphs()


def test_rdflib_sparqlupdatestore_without_token_is_refused(writable: LiveServer) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

    store = SPARQLUpdateStore(writable.url + "/sparql", writable.url + "/update")
    g = rdflib.Graph(store=store, identifier=rdflib.URIRef("urn:test:g"))
    with pytest.raises(Exception, match="401"):
        g.add((rdflib.URIRef("urn:test:s"), rdflib.URIRef("urn:test:p"), rdflib.Literal("v")))
    assert "urn:test:g" not in writable.store.named_graphs()


# --------------------------------------------------------------------------- protocol corners


def test_post_form_and_direct_body(server: LiveServer) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    r1 = requests.post(server.url + "/sparql", data={"query": SELECT_SYMBOLS}, headers=accept)
    r2 = requests.post(server.url + "/sparql", data=SELECT_SYMBOLS.encode(),
                       headers={**accept, "Content-Type": "application/sparql-query"})
    assert r1.status_code == r2.status_code == 200
    assert r1.json() == r2.json()


def test_unsupported_content_type_is_415(server: LiveServer) -> None:
    r = requests.post(server.url + "/sparql", data=SELECT_SYMBOLS,
                      headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_syntax_error_is_400_with_parser_message(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert r.status_code == 400
    assert "error at 1:" in r.text  # the engine's message, with its position


def test_unacceptable_is_406(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": SELECT_SYMBOLS},
                     headers={"Accept": "image/png"})
    assert r.status_code == 406
    r = requests.get(server.url + "/sparql", params={"query": CONSTRUCT_HRC},
                     headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 406


def test_format_parameter_for_browsers(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": SELECT_SYMBOLS, "format": "csv"},
                     headers={"Accept": "text/html"})
    assert r.headers["Content-Type"].startswith("text/csv")
    r = requests.get(server.url + "/sparql", params={"query": CONSTRUCT_HRC,
                                                     "format": "rdfxml"})
    assert r.headers["Content-Type"].startswith("application/rdf+xml")


def test_default_and_named_graph_uri(server: LiveServer) -> None:
    ga_graph = vocab.graph_iri(GA, "en")
    q = (f"PREFIX rg: <{RG}> SELECT DISTINCT ?s WHERE {{ ?w rg:symbol ?s ; "
         "rg:hasLanguageVersion ?e }")
    r = requests.get(server.url + "/sparql", params={"query": q, "default-graph-uri": ga_graph},
                     headers={"Accept": "application/sparql-results+json"})
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == [GA]
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = requests.post(server.url + "/sparql", data={"query": q, "named-graph-uri": ga_graph},
                      headers={"Accept": "application/sparql-results+json"})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [ga_graph]


def test_service_description_and_query_page(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(server.url + "/sparql"), rdflib.RDF.type, sd.Service) in g
    assert (None, sd.feature, sd.UnionDefaultGraph) in g
    page = requests.get(server.url + "/sparql",
                        headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["Content-Type"].startswith("text/html")
    assert "query.js" in page.text
    examples = requests.get(server.url + "/sparql/examples.json").json()
    for ex in examples:  # every example query is valid and answers
        res = requests.post(server.url + "/sparql", data={"query": ex["query"]})
        assert res.status_code == 200, (ex["title"], res.text)


def test_cors_and_vary(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": SELECT_SYMBOLS},
                     headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in r.headers["Vary"]


def test_service_to_unlisted_host_is_refused(server: LiveServer) -> None:
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    r = requests.get(server.url + "/sparql", params={"query": q})
    assert r.status_code == 403 and "allowlist" in r.text


def test_query_form_detection() -> None:
    assert query_form("PREFIX a: <http://x#> # SELECT\n construct { ?s ?p ?o } {}") == \
        "CONSTRUCT"
    assert query_form('BASE <http://x/> ASK { ?s ?p "SELECT" }') == "ASK"
    assert query_form("INSERT DATA {}") is None


# --------------------------------------------------------------------------- writes


def test_update_needs_the_token(writable: LiveServer) -> None:
    upd = 'INSERT DATA { GRAPH <urn:t:g> { <urn:t:s> <urn:t:p> "x" } }'
    url = writable.url + "/update"
    assert requests.post(url, data={"update": upd}).status_code == 401
    bad = requests.post(url, data={"update": upd}, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 403
    assert "urn:t:g" not in writable.store.named_graphs()
    ok = requests.post(url, data={"update": upd}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    assert "urn:t:g" in writable.store.named_graphs()


def test_update_refused_when_no_token_configured() -> None:
    srv = LiveServer(build_store())
    try:
        r = requests.post(srv.url + "/update", data={"update": "CLEAR ALL"},
                          headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403
        assert len(srv.store.named_graphs()) > 3
    finally:
        srv.close()


def test_graph_store_protocol_round_trip(writable: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = writable.url + "/store"
    g = "urn:test:gsp"
    ttl = "<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"d\" .\n"
    assert requests.get(url, params={"graph": g}).status_code == 401
    r = requests.put(url, params={"graph": g}, data=ttl.encode(),
                     headers={**auth, "Content-Type": "text/turtle"})
    assert r.status_code == 201
    r = requests.get(url, params={"graph": g}, headers={**auth, "Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.count("\n") == 2
    r = requests.post(url, params={"graph": g}, data=b"<urn:x> <urn:y> <urn:z> .",
                      headers={**auth, "Content-Type": "application/n-triples"})
    assert r.status_code == 204
    assert len(writable.store.graph_quads(g)) == 3
    r = requests.put(url, params={"graph": g}, data=b"<urn:only> <urn:one> <urn:triple> .",
                     headers={**auth, "Content-Type": "text/turtle"})
    assert r.status_code == 204 and len(writable.store.graph_quads(g)) == 1
    assert requests.delete(url, params={"graph": g}, headers=auth).status_code == 204
    assert requests.get(url, params={"graph": g}, headers=auth).status_code == 404


def test_graph_store_malformed_put_is_400_naming_the_line(writable: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    g = vocab.graph_iri(GA, "en")
    before = sorted(map(str, writable.store.graph_quads(g)))
    bad = b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \"unterminated .\n<urn:x> <urn:y> .\n"
    r = requests.put(writable.url + "/store", params={"graph": g}, data=bad, headers=auth)
    assert r.status_code == 400
    assert "line 2" in r.text.lower() or "2:" in r.text
    assert sorted(map(str, writable.store.graph_quads(g))) == before


def test_graph_store_bad_parameters(writable: LiveServer) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    url = writable.url + "/store"
    assert requests.get(url, headers=auth).status_code == 400
    assert requests.get(url, params={"graph": "not an iri"}, headers=auth).status_code == 400
    r = requests.put(url, params={"graph": "urn:g"}, data=b"x",
                     headers={**auth, "Content-Type": "image/png"})
    assert r.status_code == 415


def test_body_limit(writable: LiveServer) -> None:
    srv = LiveServer(build_store(), write_token=TOKEN, max_body=1000)
    try:
        r = requests.post(srv.url + "/sparql", data={"query": "#" * 5000 + "\nASK {}"})
        assert r.status_code == 413
    finally:
        srv.close()


# --------------------------------------------------------------------------- config


def test_config_from_env_and_overrides() -> None:
    env = {"RESOGRAPH_QUERY_TIMEOUT": "3.5", "RESOGRAPH_ALLOW_SERVICE_HOSTS": "a.org, b.org",
           "RESOGRAPH_WRITE_TOKEN": "t"}
    cfg = Config.from_env(env, base=None, query_timeout=None)
    assert cfg.query_timeout == 3.5 and cfg.allow_service_hosts == ("a.org", "b.org")
    assert cfg.base == vocab.BASE and cfg.write_token == "t"
    assert Config.from_env(env, query_timeout=7).query_timeout == 7
    with pytest.raises(ConfigError, match="RESOGRAPH_MAX_ROWS"):
        Config.from_env({"RESOGRAPH_MAX_ROWS": "many"})
    with pytest.raises(ConfigError, match="base"):
        Config.from_env({}, base="ftp://x")
    assert Config.from_env({}).citation_index is True
    assert Config.from_env({"RESOGRAPH_CITATION_INDEX": "off"}).citation_index is False
    assert Config.from_env({"RESOGRAPH_CITATION_INDEX": "1"}).citation_index is True
    with pytest.raises(ConfigError, match="RESOGRAPH_CITATION_INDEX='maybe'"):
        Config.from_env({"RESOGRAPH_CITATION_INDEX": "maybe"})


def test_json_results_are_valid_json(server: LiveServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": SELECT_SYMBOLS})
    assert r.headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(r.text)["head"]["vars"] == ["s"]
