"""The embedded store (OxigraphStore) and the format registry, for real on pyoxigraph."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest

from resograph.graph import formats
from resograph.graph.store import (
    OxigraphStore,
    QueryError,
    ReadOnlyError,
    StoreError,
)

EX = "http://example.org/"
G1, G2 = EX + "g1", EX + "g2"


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def triples(prefix: str, count: int) -> list[ox.Triple]:
    return [ox.Triple(n(f"{prefix}{i}"), n("p"), ox.Literal(f"value {i}", language="fr"))
            for i in range(count)]


@pytest.fixture
def store() -> OxigraphStore:
    s = OxigraphStore(None)
    s.replace_graphs({G1: triples("a", 3), G2: [ox.Triple(n("b"), n("q"), n("a0"))]})
    return s


def test_union_default_graph_and_named_graphs(store: OxigraphStore) -> None:
    assert store.named_graphs() == [G1, G2]
    rows = store.select("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s")
    assert [r["s"].value for r in rows] == [EX + "a0", EX + "a1", EX + "a2", EX + "b"]
    assert len(store.graph_quads(G1)) == 3
    assert store.graph_quads(EX + "nothing") == []


def test_select_iter_yields_the_rows_of_select(store: OxigraphStore) -> None:
    """Rows one at a time (the citation index reads every link this way), unbound variables
    left out as in select()."""
    query = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <urn:x> ?none } } ORDER BY ?s"
    rows = store.select_iter(query)
    assert not isinstance(rows, list)
    first = next(rows)
    assert first == {"s": n("a0"), "o": ox.Literal("value 0", language="fr")}
    assert [first, *rows] == store.select(query)
    with pytest.raises(QueryError):
        store.select_iter("ASK { ?s ?p ?o }")


def test_bindings_are_values_not_text(store: OxigraphStore) -> None:
    # a projected variable: pyoxigraph's own substitution
    rows = store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", {"s": n("a1")})
    assert [r["o"].value for r in rows] == ["value 1"]
    # a variable not projected (and an aggregate): bound by an inline VALUES block
    rows = store.select("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o }", {"s": n("a1")})
    assert rows[0]["c"].value == "1"
    # a hostile literal stays a literal
    evil = ox.Literal('x" } } ; DROP ALL ; SELECT * { ?a ?b "')
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", {"o": evil}) == []
    assert store.ask("ASK { ?s ?p ?o }", {"s": n("b")})
    assert not store.ask("ASK { ?s ?p ?o }", {"s": n("zz")})
    got = store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": n("b")})
    assert got == [ox.Triple(n("b"), n("q"), n("a0"))]
    assert len(store) == 4


def test_query_error_names_position(store: OxigraphStore) -> None:
    with pytest.raises(QueryError, match=r"1:\d+"):
        store.select("SELECT ?s WHERE { ?s ?p ")
    with pytest.raises(QueryError):
        store.update("INSERT DATA { <a> <b> }")


def test_replace_graphs_replaces_only_named_graphs(store: OxigraphStore) -> None:
    store.replace_graphs({G1: triples("c", 2)})
    assert {q.subject.value for q in store.graph_quads(G1)} == {EX + "c0", EX + "c1"}
    assert len(store.graph_quads(G2)) == 1  # untouched
    store.replace_graphs({G1: [], EX + "g3": triples("d", 1)})
    assert store.named_graphs() == [G2, EX + "g3"]
    store.delete_graph(G2)
    store.delete_graph(G2)  # no error the second time
    assert store.named_graphs() == [EX + "g3"]


def test_replace_graphs_is_atomic() -> None:
    """A batch with a term the engine refuses writes nothing, not even the valid graphs."""
    s = OxigraphStore(None)
    s.replace_graphs({G1: triples("a", 2)})
    bad = ox.Triple(n("x"), n("p"), ox.Literal("ok"))
    with pytest.raises((StoreError, TypeError, ValueError)):
        s.replace_graphs({G1: triples("new", 5), G2: [bad, "not a triple"]})  # type: ignore[list-item]
    assert {q.subject.value for q in s.graph_quads(G1)} == {EX + "a0", EX + "a1"}
    assert s.graph_quads(G2) == []


def test_load_malformed_names_line_and_writes_nothing(store: OxigraphStore) -> None:
    before = len(store)
    data = b'<http://e/a> <http://e/p> "1" .\n<http://e/a> <http://e/p> oops .\n'
    with pytest.raises(QueryError, match="line 2"):
        store.load(data, "application/n-triples", graph=EX + "g9")
    assert len(store) == before
    store.load(b'<http://e/a> <http://e/p> "1" .\n', "text/turtle", graph=EX + "g9")
    assert len(store.graph_quads(EX + "g9")) == 1
    store.load(b'<http://e/a> <http://e/p> "2" .\n', "turtle", graph=EX + "g9", replace=True)
    assert [q.object.value for q in store.graph_quads(EX + "g9")] == ["2"]


@pytest.mark.parametrize("fmt", sorted(f for f, i in formats.RDF_FORMATS.items() if i.datasets))
def test_export_round_trip_whole_store(store: OxigraphStore, fmt: str) -> None:
    buf = io.BytesIO()
    store.export(buf, fmt)
    fresh = OxigraphStore(None)
    fresh.load(buf.getvalue(), formats.RDF_FORMATS[fmt].media_type)
    assert set(fresh.oxigraph) == set(store.oxigraph)


@pytest.mark.parametrize("fmt", sorted(formats.RDF_FORMATS))
def test_export_round_trip_one_graph(store: OxigraphStore, fmt: str) -> None:
    buf = io.BytesIO()
    store.export(buf, fmt, graph=G1)
    fresh = OxigraphStore(None)
    fresh.load(buf.getvalue(), fmt, graph=G1)
    assert set(fresh.graph_quads(G1)) == set(store.graph_quads(G1))
    assert fresh.named_graphs() == [G1]


def test_export_triple_format_of_whole_store_is_the_union(store: OxigraphStore) -> None:
    buf = io.BytesIO()
    store.export(buf, "ntriples")
    assert len(buf.getvalue().splitlines()) == 4


def test_run_query_protocol(store: OxigraphStore) -> None:
    body, mt, form = store.run_query("SELECT ?s WHERE { ?s ?p ?o }",
                                     "application/sparql-results+json")
    assert (mt, form) == ("application/sparql-results+json", "SELECT")
    assert len(json.loads(body)["results"]["bindings"]) == 4
    body, _, _ = store.run_query("SELECT ?s WHERE { ?s ?p ?o }", "application/json",
                                 default_graph_uris=[G2])
    assert len(json.loads(body)["results"]["bindings"]) == 1
    body, mt, form = store.run_query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "text/csv",
                                     named_graph_uris=[G2])
    assert form == "SELECT" and body.decode().split() == ["g", G2]
    body, mt, form = store.run_query("ASK { ?s ?p ?o }", "application/sparql-results+xml")
    assert form == "ASK" and b"true" in body
    body, mt, form = store.run_query("# CONSTRUCT in a comment\nDESCRIBE <http://example.org/b>",
                                     "text/turtle")
    assert form == "DESCRIBE" and mt == "text/turtle" and b"example.org/a0" in body
    with pytest.raises(QueryError):
        store.run_query("SELECT * WHERE { ?s ?p ?o }", "text/turtle")


def test_on_disk_reopen_read_only_and_lock(tmp_path) -> None:
    path = tmp_path / "store"
    s = OxigraphStore(path)
    s.replace_graphs({G1: triples("a", 2)})
    with pytest.raises(StoreError, match="lock"):
        OxigraphStore(path)
    s.close()
    ro = OxigraphStore(path, read_only=True)
    assert len(ro.graph_quads(G1)) == 2
    with pytest.raises(ReadOnlyError):
        ro.replace_graphs({G1: []})
    with pytest.raises(ReadOnlyError):
        ro.update("CLEAR ALL")
    assert len(ro.graph_quads(G1)) == 2
    with pytest.raises(StoreError):
        OxigraphStore(tmp_path / "absent", read_only=True)


def test_format_registry() -> None:
    assert formats.rdf_format("text/turtle; charset=utf-8").name == "turtle"
    assert formats.rdf_format(".nq").name == "nquads"
    assert formats.rdf_format("application/ld+json").ox_format == ox.RdfFormat.JSON_LD
    assert formats.rdf_format_for_path("x/default-dataset.nq.gz").name == "nquads"
    assert formats.results_format("text/tab-separated-values").name == "tsv"
    assert "application/sparql-results+json" in formats.results_media_types()
    for info in formats.RDF_FORMATS.values():
        assert info.ox_format.media_type in info.media_types
    with pytest.raises(formats.FormatError, match="known"):
        formats.rdf_format("application/x-unknown")
