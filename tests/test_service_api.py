"""The JSON-LD API, linked-data dereferencing and HTML pages, on a live server."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic, to_isomorphic
from service_data import (
    GA,
    HRC,
    SC_A,
    SC_B,
    SUBJECT_IRI,
    LiveServer,
    build_graphs,
    build_store,
)

from resograph.graph import vocab

TTL = {"Accept": "text/turtle"}
JLD = {"Accept": "application/ld+json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def get(server: LiveServer, path: str, **kw: object) -> requests.Response:
    return requests.get(server.url + path, **kw)  # type: ignore[arg-type]


def members(doc: dict) -> list[dict]:
    m = doc.get("member", [])
    return m if isinstance(m, list) else [m]


# --------------------------------------------------------------------------- resolutions


@pytest.mark.parametrize("spelling", ["S/RES/687 (1991)", "S/RES/687(1991)", "s/res/687 (1991)"])
def test_symbol_as_printed(server: LiveServer, spelling: str) -> None:
    r = get(server, "/api/resolutions/" + quote(spelling), headers=JLD)
    assert r.status_code == 200
    doc = r.json()
    assert doc["symbol"] == SC_A
    assert doc["id"] == vocab.work_iri(SC_A)
    assert doc["adoption"]["votesYes"] == 12


def test_resolution_document(server: LiveServer) -> None:
    doc = get(server, "/api/resolutions/" + HRC, headers=JLD).json()
    assert doc["@context"].endswith("/api/context.jsonld")
    assert doc["organ"]["organCode"] == "HRC"
    assert doc["session"]["sessionNumber"] == "56"
    assert doc["adoptionDate"] == "2024-07-11"
    langs = sorted(e["languageCode"] for e in doc["hasLanguageVersion"])
    assert langs == ["en", "fr"]
    fr = next(e for e in doc["hasLanguageVersion"] if e["languageCode"] == "fr")
    assert [p["key"] for p in fr["paragraphs"]] == ["pre1", "pre2", "op1"]
    cited = {c["citedWork"] if isinstance(c["citedWork"], str) else c["citedWork"]["id"]
             for c in doc["citations"]}
    assert vocab.work_iri(GA) in cited and vocab.instrument_iri("udhr") in cited
    ga_cit = next(c for c in doc["citations"] if isinstance(c["citedWork"], dict)
                  and c["citedWork"]["id"] == vocab.work_iri(GA))
    assert ga_cit["dateAsCited"] == "1993-12-20"
    assert ga_cit["citingParagraph"].endswith("/para/pre1")
    assert any(r["dueSession"] == vocab.session_iri("HRC", "59") for r in doc["requests"])
    assert doc["subject"][0]["id"] == SUBJECT_IRI


def test_unknown_symbol_is_404_json(server: LiveServer) -> None:
    r = get(server, "/api/resolutions/A/RES/99/999")
    assert r.status_code == 404
    assert r.json()["error"]["parameter"] == "symbol"


@pytest.mark.parametrize(("query", "param"), [
    ("year=abc", "year"), ("organ=XX", "organ"), ("page=0", "page"), ("per_page=100000",
                                                                        "per_page"),
    ("language=french!", "language"), ("colour=red", "colour"), ("session=%7B%7D", "session"),
])
def test_bad_parameter_is_400_naming_it(server: LiveServer, query: str, param: str) -> None:
    r = get(server, "/api/resolutions?" + query)
    assert r.status_code == 400
    assert r.json()["error"]["parameter"] == param


def symbols_of(server: LiveServer, query: str) -> list[str]:
    doc = get(server, "/api/resolutions?" + query, headers=JLD).json()
    return sorted(m["symbol"] for m in members(doc))


def test_filters(server: LiveServer) -> None:
    assert symbols_of(server, "") == sorted([HRC, GA, SC_A, SC_B])
    assert symbols_of(server, "organ=SC") == sorted([SC_A, SC_B])
    assert symbols_of(server, "organ=sc&year=1991") == sorted([SC_A, SC_B])
    assert symbols_of(server, "year=1993") == [GA]
    assert symbols_of(server, "session=56&organ=HRC") == [HRC]
    assert symbols_of(server, "cites=" + quote(GA)) == [HRC]
    assert symbols_of(server, "cites=" + quote("S/RES/687(1991)")) == [SC_B]
    cited = symbols_of(server, "cited_by=" + quote(HRC))
    assert GA in cited and "A/HRC/RES/5/1" in cited  # stubs of cited works included
    assert symbols_of(server, "q=iraq") == sorted([SC_A, SC_B])
    assert symbols_of(server, "q=Kuwait+earlier") == [SC_B]
    assert symbols_of(server, "subject=" + quote(SUBJECT_IRI)) == [HRC]
    assert symbols_of(server, "subject=human+rights") == [HRC]
    assert symbols_of(server, "language=fr") == [HRC]


@pytest.mark.parametrize("evil", ['"', '"} UNION { ?w ?p ?o } #', "}\n}", "\\u0022",
                                  "' OR 1=1", "ＳＥＬＥＣＴ", "\u202e"])
def test_injection_finds_nothing(server: LiveServer, evil: str) -> None:
    for name in ("q", "session", "subject", "cites"):
        r = get(server, "/api/resolutions", params={name: evil}, headers=JLD)
        assert r.status_code in (200, 400)
        if r.status_code == 200:
            assert r.json()["totalItems"] == 0


def test_pagination(server: LiveServer) -> None:
    doc = get(server, "/api/resolutions?per_page=1&page=2", headers=JLD).json()
    assert doc["totalItems"] == 4 and len(members(doc)) == 1
    view = doc["view"]
    assert view["type"] == "PartialCollectionView"
    assert "page=1" in view["first"] and "page=4" in view["last"]
    assert "page=1" in view["previous"] and "page=3" in view["next"]
    page3 = get(server, "/api/resolutions?per_page=1&page=3", headers=JLD).json()
    assert members(page3)[0]["symbol"] != members(doc)[0]["symbol"]


def test_cited_by_network_votes(server: LiveServer) -> None:
    cb = get(server, "/api/resolutions/" + GA + "/cited-by", headers=JLD).json()
    assert [m["symbol"] for m in members(cb)] == [HRC]
    assert cb["totalItems"] == 1
    net = get(server, "/api/resolutions/" + quote(SC_A) + "/network?depth=1", headers=JLD).json()
    nodes = {m["symbol"]: m for m in members(net)}
    assert set(nodes) == {SC_A, SC_B, "S/RES/660 (1990)"}
    assert vocab.work_iri(SC_A) in nodes[SC_B]["cites"]
    assert nodes["S/RES/660 (1990)"]["citedOnly"] is True
    net2 = get(server, "/api/resolutions/" + GA + "/network?depth=2", headers=JLD).json()
    assert "A/HRC/RES/5/1" in {m.get("symbol") for m in members(net2)}
    assert get(server, "/api/resolutions/" + GA + "/network?depth=9").status_code == 400
    votes = get(server, "/api/resolutions/" + quote(SC_A) + "/votes", headers=JLD).json()
    assert (votes["votesYes"], votes["votesNo"], votes["votesAbstain"]) == (12, 1, 2)
    by_code = {v["voter"]["code"]: v["voteValue"] for v in votes["vote"]}
    assert by_code["CUB"] == "rg:no" and by_code["FRA"] == "rg:yes" and len(by_code) == 15
    assert get(server, "/api/resolutions/" + HRC + "/votes").status_code in (200, 404)


def network(server: LiveServer, symbol: str, query: str) -> dict:
    return get(server, "/api/resolutions/" + quote(symbol) + "/network?" + query,
               headers=JLD).json()


def test_network_limit_and_truncation(server: LiveServer) -> None:
    # HRC is the hub of the test data: GA's depth-2 neighbourhood goes through it
    full = network(server, GA, "depth=2")
    full_ids = {m["id"] for m in members(full)}
    assert full["truncated"] is False
    assert full["totalNodes"] == full["totalItems"] == len(full_ids) > 3
    near = {m["id"] for m in members(network(server, GA, "depth=1"))}
    assert len(near) == 3
    cut = network(server, GA, "depth=2&limit=3")
    cut_ids = {m["id"] for m in members(cut)}
    assert cut["truncated"] is True
    assert cut["totalItems"] == 3 and cut["totalNodes"] == len(full_ids)
    assert cut_ids == near  # nearer hops first: the whole first hop before the second
    for m in members(cut):  # edges only between the nodes kept
        assert set(m.get("cites", [])) <= cut_ids
    # the ranking is deterministic, and a limit equal to the total keeps everything
    assert {m["id"] for m in members(network(server, GA, "depth=2&limit=3"))} == cut_ids
    exact = network(server, GA, f"depth=2&limit={len(full_ids)}")
    assert exact["truncated"] is False and {m["id"] for m in members(exact)} == full_ids


@pytest.mark.parametrize("value", ["0", "abc", "100000", "-1"])
def test_network_bad_limit_is_400_naming_it(server: LiveServer, value: str) -> None:
    r = get(server, "/api/resolutions/" + GA + "/network?depth=2&limit=" + value)
    assert r.status_code == 400
    assert r.json()["error"]["parameter"] == "limit"


def test_member_states_requests_organs_stats(server: LiveServer) -> None:
    states = get(server, "/api/member-states", headers=JLD).json()
    assert "FRA" in {m["code"] for m in members(states)}
    fra = get(server, "/api/member-states/fra", headers=JLD).json()
    assert fra["code"] == "FRA"
    assert fra["votesCast"][0]["voteOn"]["symbol"] == SC_A
    assert get(server, "/api/member-states/XYZ").status_code == 404
    assert get(server, "/api/member-states/12").status_code == 400
    reqs = get(server, "/api/requests?due_session=59&organ=HRC", headers=JLD).json()
    assert reqs["totalItems"] == 2
    assert get(server, "/api/requests?due_session=59").json()["error"]["parameter"] == "organ"
    organs = get(server, "/api/organs", headers=JLD).json()
    assert {"GA", "SC", "HRC"} <= {m.get("organCode") for m in members(organs)}
    stats = get(server, "/api/stats", headers=JLD).json()
    assert stats["entities"] == 4 and stats["triples"] > 1000


def test_labels_in_the_language_asked(server: LiveServer) -> None:
    fr = get(server, "/api/resolutions/" + HRC + "?lang=fr", headers=JLD).json()
    assert fr["organ"]["label"] == {"fr": "Conseil des droits de l'homme"}
    al = get(server, "/api/resolutions/" + HRC, headers={**JLD, "Accept-Language": "fr"}).json()
    assert al["organ"]["label"] == fr["organ"]["label"]
    en = get(server, "/api/resolutions/" + HRC, headers=JLD).json()
    assert en["organ"]["label"] == {"en": "Human Rights Council"}
    # a language without labels falls back to English
    zz = get(server, "/api/resolutions/" + quote(SC_A) + "/votes?lang=ru", headers=JLD).json()
    voters = {v["voter"]["code"]: v["voter"]["label"] for v in zz["vote"]}
    assert voters["SUN"] == {"en": "Union of Soviet Socialist Republics"}
    assert voters["FRA"] == {"ru": "Франция"}  # today's states are named in every language


def test_openapi_and_context(server: LiveServer) -> None:
    spec = get(server, "/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for path in ("/api/resolutions", "/api/resolutions/{symbol}", "/api/member-states/{code}",
                 "/api/resolutions/{symbol}/votes", "/api/requests"):
        assert path in spec["paths"]
    ctx = get(server, "/api/context.jsonld").json()["@context"]
    assert ctx["citations"]["@reverse"].endswith("#citingWork")
    assert ctx["title"]["@container"] == "@language"


# --------------------------------------------------------------------------- isomorphism

ISO_PATHS = [
    "/api/resolutions/" + HRC,
    "/api/resolutions/" + HRC + "?lang=fr",
    "/api/resolutions/" + quote(SC_A),
    "/api/resolutions?organ=SC",
    "/api/resolutions?per_page=2&page=2",
    "/api/resolutions/" + GA + "/cited-by",
    "/api/resolutions/" + quote(SC_A) + "/network?depth=2",
    "/api/resolutions/" + GA + "/network?depth=2&limit=3",
    "/api/resolutions/" + quote(SC_A) + "/votes",
    "/api/requests?due_session=59&organ=HRC",
    "/api/organs", "/api/stats", "/api/member-states", "/api/member-states/FRA",
    "/doc/" + HRC, "/doc/" + HRC + "/fr/para/op1", "/organ/GA", "/session/HRC/59",
    "/state/CUB", "/verb/recalling", "/instrument/udhr", "/ontology", "/.well-known/void",
]


@pytest.mark.parametrize("path", ISO_PATHS)
def test_jsonld_is_isomorphic_to_turtle(server: LiveServer, path: str) -> None:
    jr = get(server, path, headers=JLD)
    tr = get(server, path, headers=TTL)
    assert jr.status_code == tr.status_code == 200
    assert jr.headers["Content-Type"].startswith("application/ld+json")
    assert tr.headers["Content-Type"].startswith("text/turtle")
    from_json = rdflib.Graph().parse(data=jr.text, format="json-ld", base=server.url + path)
    from_ttl = rdflib.Graph().parse(data=tr.text, format="turtle")
    assert len(from_ttl) > 0
    if not isomorphic(from_json, from_ttl):
        a, b = to_isomorphic(from_json), to_isomorphic(from_ttl)
        only_json = sorted(str(t) for t in a - b)[:5]
        only_ttl = sorted(str(t) for t in b - a)[:5]
        pytest.fail(f"{path}: JSON-LD and Turtle differ\nonly JSON-LD: {only_json}\n"
                    f"only Turtle: {only_ttl}")


def test_jsonld_also_reads_with_pyld(server: LiveServer) -> None:
    from pyld import jsonld

    doc = get(server, "/api/resolutions/" + quote(SC_A) + "/votes", headers=JLD).json()
    ctx = get(server, "/api/context.jsonld").json()
    doc["@context"] = ctx["@context"]
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    from_pyld = rdflib.Graph().parse(data=nquads, format="nt")
    ttl = get(server, "/api/resolutions/" + quote(SC_A) + "/votes", headers=TTL).text
    assert isomorphic(from_pyld, rdflib.Graph().parse(data=ttl, format="turtle"))


# --------------------------------------------------------------------------- linked data


def test_dereferencing_with_conneg(server: LiveServer) -> None:
    path = "/doc/" + HRC
    for accept, ctype in (("text/turtle", "text/turtle"),
                          ("application/n-triples", "application/n-triples"),
                          ("application/rdf+xml", "application/rdf+xml"),
                          ("application/ld+json", "application/ld+json")):
        r = get(server, path, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
        assert "Accept" in r.headers["Vary"]
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    html = get(server, path, headers=BROWSER)
    assert html.headers["Content-Type"].startswith("text/html")
    g = rdflib.Graph().parse(data=get(server, path, headers=TTL).text, format="turtle")
    assert (rdflib.URIRef(vocab.work_iri(HRC)), rdflib.URIRef(str(vocab.RG) + "symbol"),
            rdflib.Literal(HRC)) in g


def test_etag_and_304(server: LiveServer) -> None:
    r = get(server, "/doc/" + HRC, headers=TTL)
    etag = r.headers["ETag"]
    again = get(server, "/doc/" + HRC, headers={**TTL, "If-None-Match": etag})
    assert again.status_code == 304
    other = get(server, "/doc/" + HRC, headers={**JLD, "If-None-Match": etag})
    assert other.status_code == 200  # a different representation has another ETag


def test_every_minted_iri_dereferences(server: LiveServer) -> None:
    q = ("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "
         f'"{vocab.BASE}") && !STRSTARTS(STR(?s), "{vocab.BASE}ontology")) }}')
    rows = server.store.select(q)
    assert len(rows) > 50
    for row in rows:
        path = "/" + row["s"].value[len(vocab.BASE):]
        r = get(server, path, headers=TTL, allow_redirects=False)
        assert r.status_code == 200, path


def test_symbol_spelling_redirects(server: LiveServer) -> None:
    r = get(server, "/doc/" + quote("S/RES/687 (1991)"), headers=TTL, allow_redirects=False)
    assert r.status_code == 301 and r.headers["Location"].endswith("/doc/S/RES/687(1991)")
    assert get(server, "/doc/A/RES/1/2", headers=TTL).status_code == 404


def test_ontology_documentation(server: LiveServer) -> None:
    html = get(server, "/ontology", headers=BROWSER).text
    assert "rg:Resolution" in html and "rg:citedWork" in html
    fr = get(server, "/ontology?lang=fr", headers=BROWSER).text
    assert "résolution" in fr
    ttl = get(server, "/ontology", headers=TTL)
    g = rdflib.Graph().parse(data=ttl.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/resograph/ontology"), rdflib.RDF.type,
            rdflib.OWL.Ontology) in g


def test_void_and_healthz(server: LiveServer) -> None:
    g = rdflib.Graph().parse(data=get(server, "/.well-known/void", headers=TTL).text,
                             format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    assert (None, rdflib.RDF.type, void.Dataset) in g
    assert any(int(o) > 1000 for o in g.objects(None, void.triples))
    assert get(server, "/healthz").json() == {"status": "ok"}


# --------------------------------------------------------------------------- HTML


def test_html_pages(server: LiveServer) -> None:
    home = get(server, "/", headers=BROWSER).text
    assert "United Nations" in home and 'name="q"' in home and HRC in home
    page = get(server, "/doc/" + quote(SC_A), headers=BROWSER).text
    assert '<svg class="network"' in page and '<svg class="votebar"' in page
    assert "Cuba" in page and "S/RES/686 (1991)" in page
    hrc = get(server, "/doc/" + HRC, headers=BROWSER).text
    assert 'lang="fr"' in hrc and "Rappelant" in hrc and "langtoggle" in hrc
    assert "/search?subject=" in hrc
    assert "United Nations" in hrc  # source acknowledged in the footer
    assert get(server, "/organ/SC", headers=BROWSER).status_code == 200
    session = get(server, "/session/HRC/59", headers=BROWSER).text
    assert HRC in session  # the request due at session 59
    found = get(server, "/search?q=iraq", headers=BROWSER).text
    assert SC_A in found and SC_B in found
    assert get(server, "/search?year=x", headers=BROWSER).status_code == 400
    assert get(server, "/doc/A/RES/1/2", headers=BROWSER).status_code == 404


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_json_shape_does_not_follow_the_order_of_the_triples(seed: int) -> None:
    """The same data loaded in another order gives the same JSON, byte for byte: where a node
    is embedded (``voteOn``, ``verbMeaning``, a cited work...) is decided by keys and IRIs,
    not by the order the engine returns the triples in."""
    import random

    from resograph.graph.store import OxigraphStore
    from resograph.service import create_app
    from resograph.service.config import Config

    source = build_store()
    rng = random.Random(seed)
    graphs = list(build_graphs().items())
    rng.shuffle(graphs)
    for _, quads in graphs:
        rng.shuffle(quads)
    shuffled = OxigraphStore(None)
    shuffled.replace_graphs(dict(graphs))
    paths = [f"/api/resolutions/{quote(HRC)}", f"/api/resolutions/{quote(SC_A)}/votes",
             f"/api/resolutions/{quote(HRC)}/network?depth=2",
             f"/api/resolutions/{quote(GA)}/cited-by", "/api/resolutions", "/api/organs",
             "/api/member-states/FRA"]
    a = create_app(source, Config.from_env(environ={})).test_client()
    b = create_app(shuffled, Config.from_env(environ={})).test_client()
    for path in paths:
        ra, rb = a.get(path), b.get(path)
        assert ra.status_code == rb.status_code == 200, path
        assert ra.get_data() == rb.get_data(), path
