"""The SHACL shapes: each accepts its conforming example and rejects its crafted wrong one with
the expected message (tests/data/shapes/<Shape>-ok.ttl / -bad.ttl, ``# expect:`` line); the
hand-written 56/15 example conforms, and UNDO's competency question runs on it."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from shacl_check import shapes_graph, validate, violations

from resograph import shapes
from resograph.graph import vocab

DATA = Path(__file__).parent / "data"
FIXTURES = DATA / "shapes"
EXAMPLE = DATA / "A_HRC_RES_56_15.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
RGSH = "https://w3id.org/resograph/shapes#"
RG = rdflib.Namespace("https://w3id.org/resograph/ontology#")


def node_shapes() -> list[str]:
    graph = rdflib.Graph().parse(shapes.path())
    return sorted(str(s)[len(RGSH):] for s in graph.subjects(rdflib.RDF.type, SH.NodeShape))


def expectation(path: Path) -> str:
    match = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{path.name} has no '# expect:' line"
    return match.group(1).strip()


def test_every_shape_has_both_fixtures() -> None:
    names = node_shapes()
    assert len(names) >= 30
    missing = [f"{n}-{kind}.ttl" for n in names for kind in ("ok", "bad")
               if not (FIXTURES / f"{n}-{kind}.ttl").is_file()]
    assert missing == []
    orphans = {p.name.rsplit("-", 1)[0] for p in FIXTURES.glob("*.ttl")} - set(names)
    assert orphans == set()


@pytest.mark.parametrize("shape", node_shapes())
def test_shape_accepts_its_conforming_example(shape: str) -> None:
    results = validate(FIXTURES / f"{shape}-ok.ttl")
    assert [str(r) for r in results] == []


@pytest.mark.parametrize("shape", node_shapes())
def test_shape_rejects_its_wrong_example(shape: str) -> None:
    path = FIXTURES / f"{shape}-bad.ttl"
    expected = expectation(path)
    results = validate(path)
    hits = [r for r in results if r.shape == shape and expected in r.message]
    assert hits, f"{shape}: expected '{expected}', got {[str(r) for r in results]}"


def test_severities_are_deliberate() -> None:
    """Warnings and infos stay warnings and infos: the date-as-cited rule must not block."""
    severities = {}
    for shape in ("DateAsCitedShape", "VoteCountsShape", "VerbMeaningMissingShape",
                  "CitesLaterShape", "SelfCitationShape"):
        results = [r for r in validate(FIXTURES / f"{shape}-bad.ttl") if r.shape == shape]
        severities[shape] = {r.severity for r in results}
    assert severities == {
        "DateAsCitedShape": {"Warning"}, "VoteCountsShape": {"Warning"},
        "VerbMeaningMissingShape": {"Info"}, "CitesLaterShape": {"Violation"},
        "SelfCitationShape": {"Violation"},
    }


def test_sparql_constraints_are_plain_sparql_that_pyoxigraph_runs() -> None:
    """The fast validator compiles each SHACL-SPARQL constraint to plain SPARQL: with the
    declared prefixes prepended and $this as an ordinary variable, every query must parse and
    run on pyoxigraph, and find the violation in its -bad example."""
    graph = shapes_graph()
    prefixes = "".join(
        f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>\n"
        for d in graph.objects(None, SH.declare))
    checked = 0
    for shape, constraint in graph.subject_objects(SH.sparql):
        name = str(shape)[len(RGSH):]
        query = prefixes + str(graph.value(constraint, SH.select)).replace("$this", "?this")
        store = ox.Store()
        store.bulk_load(path=str(FIXTURES / f"{name}-bad.ttl"), format=ox.RdfFormat.TURTLE)
        rows = list(store.query(query))
        assert rows, f"{name}: the compiled query finds nothing in its -bad example"
        store = ox.Store()
        store.bulk_load(path=str(FIXTURES / f"{name}-ok.ttl"), format=ox.RdfFormat.TURTLE)
        assert list(store.query(query)) == [], name
        checked += 1
    assert checked >= 12


# -- the hand-written 56/15 example ------------------------------------------------------------

def test_the_56_15_example_conforms() -> None:
    assert [str(r) for r in validate(EXAMPLE)] == []


def test_date_as_cited_warns_only_when_the_adoption_date_is_known() -> None:
    graph = rdflib.Graph().parse(EXAMPLE)
    ga = rdflib.URIRef(vocab.work_iri("A/RES/48/141"))
    # 48/141 ingested from its own text: adopted 20 December 1993, cited as of 7 January 1994
    graph.remove((ga, RG.citedOnly, None))
    graph.add((ga, RG.adoptionDate, rdflib.Literal("1993-12-20", datatype=rdflib.XSD.date)))
    results = validate(graph)
    assert violations(results) == []
    warnings = [r for r in results if r.severity == "Warning"]
    assert [r.shape for r in warnings] == ["DateAsCitedShape"]
    assert "1994-01-07" in warnings[0].message and "1993-12-20" in warnings[0].message
    assert warnings[0].focus == vocab.citation_iri("A/HRC/RES/56/15", "fr", 6)


def test_the_56_15_example_holds_the_facts() -> None:
    graph = rdflib.Graph().parse(EXAMPLE)
    work = rdflib.URIRef(vocab.work_iri("A/HRC/RES/56/15"))
    assert str(graph.value(work, RG.adoptionDate)) == "2024-07-11"
    cited = {str(o) for o in graph.objects(work, RG.cites)}
    expected = {vocab.work_iri(s) for s in (
        "A/RES/48/141", "A/RES/60/251", "A/HRC/RES/5/1", "A/HRC/RES/5/2", "A/HRC/RES/16/21",
        "A/HRC/RES/54/28", "A/RES/75/233")}
    expected |= {vocab.instrument_iri(k) for k in ("charter", "udhr", "iccpr", "icescr")}
    assert cited == expected
    request = rdflib.URIRef(vocab.request_iri("A/HRC/RES/56/15", "fr", 1))
    assert graph.value(request, RG.dueSession) == rdflib.URIRef(vocab.session_iri("HRC", "60"))
    assert graph.value(request, RG.addresseeAgent) == rdflib.URIRef(vocab.organ_iri("OHCHR"))


UNDO_QUESTION = """
PREFIX undo: <https://w3id.org/un/ontology/undo/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?document WHERE {
  ?rel a undo:Relation ;
       undo:hasProponent <%(proponent)s> ;
       undo:hasSemantics <%(semantics)s> ;
       undo:hasReceiver <%(receiver)s> .
  ?ann a undo:Annotation ; oa:hasBody ?rel ; oa:hasTarget ?document .
}
"""

UNDO_RECALLS = """
PREFIX undo: <https://w3id.org/un/ontology/undo/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT DISTINCT ?receiver WHERE {
  ?rel a undo:Relation ;
       undo:hasProponent <%(proponent)s> ;
       undo:hasSemantics <%(semantics)s> ;
       undo:hasReceiver ?receiver .
  ?ann a undo:Annotation ; oa:hasBody ?rel ; oa:hasTarget <%(document)s> .
}
"""


def _example_store() -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(EXAMPLE), format=ox.RdfFormat.TURTLE)
    return store


def test_undo_competency_question_which_documents_describe_the_organ_recalling_x() -> None:
    """UNDO's question 3 ("documents that describe the General Assembly recalling resolution
    X"), asked of the Council that adopted 56/15, with UNDO's own terms."""
    store = _example_store()
    hrc, ga = vocab.organ_iri("HRC"), vocab.organ_iri("GA")
    recalling = vocab.verb_iri("recalling")
    work = vocab.work_iri("A/HRC/RES/56/15")
    for receiver in ("A/RES/48/141", "A/HRC/RES/5/1", "A/HRC/RES/54/28", "A/RES/75/233"):
        rows = list(store.query(UNDO_QUESTION % {
            "proponent": hrc, "semantics": recalling, "receiver": vocab.work_iri(receiver)}))
        assert [r["document"].value for r in rows] == [work], receiver
    # not the General Assembly, and not a work 56/15 only bears in mind
    assert list(store.query(UNDO_QUESTION % {
        "proponent": ga, "semantics": recalling,
        "receiver": vocab.work_iri("A/RES/48/141")})) == []
    assert list(store.query(UNDO_QUESTION % {
        "proponent": hrc, "semantics": recalling,
        "receiver": vocab.work_iri("A/RES/60/251")})) == []


def test_undo_query_lists_the_recalls_of_56_15() -> None:
    rows = _example_store().query(UNDO_RECALLS % {
        "proponent": vocab.organ_iri("HRC"), "semantics": vocab.verb_iri("recalling"),
        "document": vocab.work_iri("A/HRC/RES/56/15")})
    assert {r["receiver"].value for r in rows} == {vocab.work_iri(s) for s in (
        "A/RES/48/141", "A/HRC/RES/5/1", "A/HRC/RES/5/2", "A/HRC/RES/16/21", "A/RES/75/233",
        "A/HRC/RES/54/28")}
