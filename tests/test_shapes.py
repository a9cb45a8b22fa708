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


# -- numbering scopes and lettered parts (issue 4 triage) ---------------------------------------

def _with_paragraphs(rows: list[tuple[str, str, int]]) -> rdflib.Graph:
    """The conforming OrdinalUniqueShape example plus French paragraphs (key, kind, ordinal)."""
    graph = rdflib.Graph().parse(FIXTURES / "OrdinalUniqueShape-ok.ttl")
    work = vocab.work_iri("A/HRC/RES/56/15")
    expression = rdflib.URIRef(vocab.expression_iri("A/HRC/RES/56/15", "fr"))
    for key, kind, ordinal in rows:
        p = rdflib.URIRef(vocab.paragraph_iri("A/HRC/RES/56/15", "fr", key))
        wp = rdflib.URIRef(vocab.work_paragraph_iri("A/HRC/RES/56/15", key))
        graph.add((p, rdflib.RDF.type, RG.Paragraph))
        graph.add((p, RG.paragraphOf, expression))
        graph.add((p, RG.realizes, wp))
        graph.add((p, RG.paragraphKind, RG[kind]))
        graph.add((p, RG.ordinal, rdflib.Literal(ordinal)))
        graph.add((p, RG.key, rdflib.Literal(key)))
        graph.add((wp, rdflib.RDF.type, RG.WorkParagraph))
        graph.add((wp, RG.workParagraphOf, rdflib.URIRef(work)))
        graph.add((wp, RG.paragraphKind, RG[kind]))
        graph.add((wp, RG.ordinal, rdflib.Literal(ordinal)))
        graph.add((wp, RG.key, rdflib.Literal(key)))
    return graph


def _ordinal_results(graph: rdflib.Graph) -> list[tuple[str, str]]:
    """(shape, message) of the ordinal shapes, by pyshacl and by the product's validator,
    which must agree."""
    from resograph.graph.validate import default_validator, graph_to_quads

    pyshacl_found = sorted((r.shape, r.message) for r in validate(graph)
                           if r.shape.startswith("Ordinal"))
    report = default_validator().validate_quads(graph_to_quads(graph))
    fast_found = sorted((r.shape.rsplit("#", 1)[-1], r.message) for r in report.results
                        if (r.shape or "").rsplit("#", 1)[-1].startswith("Ordinal"))
    assert fast_found == pyshacl_found
    return pyshacl_found


def test_numbering_restarts_in_each_part_or_section() -> None:
    """A resolution whose sections (79/258) or components (79/259 A-C) each number from 1:
    the key's prefix up to its last "__" is the numbering scope, and the restart is no error."""
    graph = _with_paragraphs([
        ("s1__op1", "operative", 1), ("s1__op2", "operative", 2),
        ("s2__op1", "operative", 1), ("comp_1__pre1", "preambular", 1),
        ("comp_1__op1", "operative", 1), ("comp_1__s1-2__op1", "operative", 1),
        ("comp_1__s1-2__op2", "operative", 2)])
    assert _ordinal_results(graph) == []


def test_a_duplicate_or_a_gap_inside_one_part_is_still_caught() -> None:
    dup = _with_paragraphs([("s1__op1", "operative", 1), ("s1__op1-2", "operative", 1),
                            ("s2__op1", "operative", 1)])
    assert _ordinal_results(dup) == [
        ("OrdinalUniqueShape", "Two paragraphs of the same kind share ordinal 1")]
    gap = _with_paragraphs([("s1__op1", "operative", 1), ("s2__op2", "operative", 2)])
    assert _ordinal_results(gap) == [
        ("OrdinalContiguousShape", "Paragraph ordinals are not contiguous: 2 has no predecessor")]
    # without keys in parts, a plain resolution numbering 1, 1 is wrong as before
    plain = _with_paragraphs([("op1-2", "operative", 1)])
    assert [s for s, _ in _ordinal_results(plain)] == ["OrdinalUniqueShape"]


def _lettered(symbol: str, number: str) -> rdflib.Graph:
    graph = rdflib.Graph().parse(FIXTURES / "SymbolOrganShape-ok.ttl")
    work = rdflib.URIRef(vocab.work_iri("A/HRC/RES/56/15"))
    for prop in (RG.symbol, RG.organ, RG.session, RG.number):
        graph.remove((work, prop, None))
    session = rdflib.URIRef(vocab.session_iri("GA", "79"))
    graph.add((work, RG.symbol, rdflib.Literal(symbol)))
    graph.add((work, RG.organ, rdflib.URIRef(vocab.organ_iri("GA"))))
    graph.add((work, RG.session, session))
    graph.add((work, RG.number, rdflib.Literal(number)))
    graph.add((session, rdflib.RDF.type, RG.Session))
    graph.add((session, RG.sessionOf, rdflib.URIRef(vocab.organ_iri("GA"))))
    graph.add((session, RG.sessionNumber, rdflib.Literal("79")))
    return graph


@pytest.mark.parametrize(("symbol", "number", "shapes_hit"), [
    ("A/RES/79/245 B", "245 B", set()),  # adopted on its own, months after 79/245
    ("A/RES/79/93 A-B", "93 A-B", set()),  # one file holding both parts
    ("A/RES/79/245B", "245B", {"SymbolOrganShape", "UNDocumentShape"}),  # not canonical
    ("A/RES/79/245 b", "245 b", {"SymbolOrganShape", "UNDocumentShape"}),
    ("A/RES/79/245", "245 B", {"SymbolConsistencyShape"}),
])
def test_a_lettered_part_of_a_ga_resolution(symbol: str, number: str,
                                            shapes_hit: set[str]) -> None:
    results = violations(validate(_lettered(symbol, number)))
    assert {r.shape for r in results} == shapes_hit
