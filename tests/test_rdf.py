"""graph/rdf.py: a parsed resolution becomes its named graph (identity, paragraphs,
citations with cited-only stubs, requests, votes, provenance), which conforms to the shapes and
answers UNDO's competency question; shared graphs and serialisations."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from shacl_check import validate, violations

from resograph.graph import extract, rdf, vocab
from resograph.graph.model import (
    Adoption,
    Citation,
    MemberVote,
    Paragraph,
    ParsedResolution,
    Request,
    Subject,
)

RG = "https://w3id.org/resograph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SYMBOL = "A/HRC/RES/56/15"
WHEN = "2026-11-25T12:00:00+00:00"
SHA = "ab" * 32


def seed() -> ParsedResolution:
    """56/15 in French, built by hand: facts only, placeholder texts."""
    return ParsedResolution(
        symbol=SYMBOL, organ="HRC", language="fr", file="/corpus/hrc-fr/A_HRC_RES_56_15.fr.txt",
        session="56", number="15", year=2024, adopted="2024-07-11", title="Titre", meeting="35",
        agenda_item="10", agenda_title="Assistance technique", source_sha256=SHA.upper(),
        adoption=Adoption(method="without-vote"),
        documents={"draft": "A/HRC/56/L.5", "record": "A/HRC/56/PV.35"},
        subjects=[Subject("http://metadata.un.org/thesaurus/1004700", "DROITS DE L'HOMME")],
        paragraphs=[
            Paragraph(1, "preambular", "Guidé", "Texte un.", verb_meaning="guided-by"),
            Paragraph(2, "preambular", "Rappelant", "Texte deux.", verb_meaning="recalling"),
            Paragraph(1, "operative", "Prie", "Texte trois.", verb_meaning="requesting"),
        ],
        citations=[
            Citation("charter", "instrument", "Guidé", "pre1"),
            Citation("A/RES/48/141", "resolution", "Rappelant", "pre2", "1994-01-07"),
            Citation("A/HRC/RES/5/1", "resolution", "Rappelant", "pre2", "2007-06-18"),
            Citation("A/HRC/RES/5/2", "resolution", None, "pre2", "2007-06-18",
                     verb_meaning="recalling"),
            Citation("S/RES/687 (1991)", "resolution", pinpoint="paragraph 8", method="akn-link",
                     in_note=True),
            Citation("A/HRC/DEC/5/1", "decision", paragraph="pre2"),
            Citation("A/HRC/56/22", "document", paragraph="pre2"),
        ],
        requests=[Request("High Commissioner for Human Rights", "prepare a report", "op1",
                          verb="Prie", object="le programme", due_session=60)],
    )


def quads_of(parsed: ParsedResolution) -> list[ox.Quad]:
    return rdf.to_quads(parsed, extractor_version="0.1.0", ingested_at=WHEN)


def objects(quads: list[ox.Quad], subject: str, prop: str) -> list[ox.NamedNode | ox.Literal]:
    return [q.object for q in quads
            if q.subject == ox.NamedNode(subject) and q.predicate == ox.NamedNode(prop)]


def test_every_quad_is_in_the_document_graph() -> None:
    quads = quads_of(seed())
    assert len(quads) > 100
    assert {q.graph_name for q in quads} == {ox.NamedNode(vocab.graph_iri(SYMBOL, "fr"))}


def test_identity_of_the_work_and_its_language_version() -> None:
    quads = quads_of(seed())
    work, expr = vocab.work_iri(SYMBOL), vocab.expression_iri(SYMBOL, "fr")
    assert objects(quads, work, RG + "adoptionDate") == [
        ox.Literal("2024-07-11", datatype=ox.NamedNode(XSD + "date"))]
    assert objects(quads, work, RG + "organ") == [ox.NamedNode(vocab.organ_iri("HRC"))]
    assert objects(quads, work, RG + "session") == [
        ox.NamedNode(vocab.session_iri("HRC", "56"))]
    assert objects(quads, work, RG + "hasLanguageVersion") == [ox.NamedNode(expr)]
    assert objects(quads, expr, "http://purl.org/dc/terms/language") == [
        ox.NamedNode("http://id.loc.gov/vocabulary/iso639-1/fr")]
    assert objects(quads, expr, "http://purl.org/dc/terms/title") == [
        ox.Literal("Titre", language="fr")]
    method = objects(quads, vocab.adoption_iri(SYMBOL), RG + "adoptionMethod")
    assert method == [ox.NamedNode(RG + "withoutVote")]


def test_paragraphs_per_language_and_per_work() -> None:
    quads = quads_of(seed())
    para = vocab.paragraph_iri(SYMBOL, "fr", "op1")
    assert objects(quads, para, RG + "realizes") == [
        ox.NamedNode(vocab.work_paragraph_iri(SYMBOL, "op1"))]
    assert objects(quads, para, RG + "paragraphKind") == [ox.NamedNode(RG + "operative")]
    assert objects(quads, para, RG + "text") == [ox.Literal("Texte trois.", language="fr")]
    assert objects(quads, para, RG + "verbMeaning") == [
        ox.NamedNode(vocab.verb_iri("requesting"))]


def test_citations_are_nodes_with_a_direct_triple_and_the_undo_layer() -> None:
    quads = quads_of(seed())
    work = vocab.work_iri(SYMBOL)
    cited = {o.value for o in objects(quads, work, RG + "cites")}
    assert cited == {vocab.instrument_iri("charter"), vocab.work_iri("A/RES/48/141"),
                     vocab.work_iri("A/HRC/RES/5/1"), vocab.work_iri("A/HRC/RES/5/2"),
                     vocab.work_iri("S/RES/687 (1991)"), vocab.work_iri("A/HRC/DEC/5/1"),
                     vocab.work_iri("A/HRC/56/22")}
    c2 = vocab.citation_iri(SYMBOL, "fr", 2)
    assert objects(quads, c2, RG + "dateAsCited") == [
        ox.Literal("1994-01-07", datatype=ox.NamedNode(XSD + "date"))]
    assert objects(quads, c2, RG + "citingParagraph") == [
        ox.NamedNode(vocab.paragraph_iri(SYMBOL, "fr", "pre2"))]
    # the verb meaning comes from the citation, or else from its paragraph
    c3 = vocab.citation_iri(SYMBOL, "fr", 3)
    assert objects(quads, c3, RG + "verbMeaning") == [ox.NamedNode(vocab.verb_iri("recalling"))]
    c5 = vocab.citation_iri(SYMBOL, "fr", 5)
    assert objects(quads, c5, RG + "discoveryMethod") == [ox.NamedNode(RG + "aknLink")]
    assert objects(quads, c5, RG + "pinpoint") == [ox.Literal("paragraph 8")]
    undo = "https://w3id.org/un/ontology/undo/"
    assert objects(quads, c2, undo + "hasProponent") == [ox.NamedNode(vocab.organ_iri("HRC"))]
    assert objects(quads, c2, undo + "hasReceiver") == [
        ox.NamedNode(vocab.work_iri("A/RES/48/141"))]


def test_cited_only_stubs_never_claim_an_adoption_date() -> None:
    quads = quads_of(seed())
    ga = vocab.work_iri("A/RES/48/141")
    assert objects(quads, ga, RG + "citedOnly") == [
        ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))]
    assert objects(quads, ga, RG + "symbol") == [ox.Literal("A/RES/48/141")]
    assert objects(quads, ga, RG + "organ") == [ox.NamedNode(vocab.organ_iri("GA"))]
    assert objects(quads, ga, RG + "session") == [ox.NamedNode(vocab.session_iri("GA", "48"))]
    assert objects(quads, ga, RG + "number") == [ox.Literal("141")]
    sc = vocab.work_iri("S/RES/687 (1991)")
    assert objects(quads, sc, RG + "year") == [
        ox.Literal("1991", datatype=ox.NamedNode(XSD + "integer"))]
    assert objects(quads, sc, RG + "session") == []
    dec = vocab.work_iri("A/HRC/DEC/5/1")
    assert ox.NamedNode(RG + "Decision") in objects(
        quads, dec, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    report = vocab.work_iri("A/HRC/56/22")
    assert objects(quads, report, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == [
        ox.NamedNode(RG + "UNDocument")]
    charter = vocab.instrument_iri("charter")
    assert objects(quads, charter, RG + "key") == [ox.Literal("charter")]
    stub_dates = [q for q in quads if q.predicate == ox.NamedNode(RG + "adoptionDate")
                  and q.subject != ox.NamedNode(vocab.work_iri(SYMBOL))]
    assert stub_dates == []
    # the citing work is never its own stub
    assert objects(quads, vocab.work_iri(SYMBOL), RG + "citedOnly") == []


def test_related_documents_are_linked_by_role() -> None:
    quads = quads_of(seed())
    work = vocab.work_iri(SYMBOL)
    assert objects(quads, work, RG + "draft") == [ox.NamedNode(vocab.work_iri("A/HRC/56/L.5"))]
    record = vocab.work_iri("A/HRC/56/PV.35")
    assert objects(quads, work, RG + "meetingRecord") == [ox.NamedNode(record)]
    assert objects(quads, record, RG + "symbol") == [ox.Literal("A/HRC/56/PV.35")]
    assert objects(quads, record, RG + "adoptionDate") == []


def test_request_with_addressee_and_due_session() -> None:
    quads = quads_of(seed())
    req = vocab.request_iri(SYMBOL, "fr", 1)
    assert objects(quads, req, RG + "dueSession") == [
        ox.NamedNode(vocab.session_iri("HRC", "60"))]
    assert objects(quads, req, RG + "addresseeAgent") == [
        ox.NamedNode(vocab.organ_iri("OHCHR"))]
    assert objects(quads, req, RG + "action") == [ox.Literal("prepare a report")]
    assert objects(quads, req, RG + "verbMeaning") == [ox.NamedNode(vocab.verb_iri("requesting"))]


def test_provenance_of_the_document_graph() -> None:
    quads = quads_of(seed())
    g = vocab.graph_iri(SYMBOL, "fr")
    assert objects(quads, g, "http://www.w3.org/ns/prov#generatedAtTime") == [
        ox.Literal(WHEN, datatype=ox.NamedNode(XSD + "dateTime"))]
    assert objects(quads, g, RG + "sourceFile") == [ox.Literal("A_HRC_RES_56_15.fr.txt")]
    assert objects(quads, g, RG + "sha256") == [ox.Literal(SHA)]
    assert objects(quads, g, RG + "extractorVersion") == [ox.Literal("0.1.0")]
    activity = vocab.activity_iri(SYMBOL, "fr")
    assert objects(quads, g, "http://www.w3.org/ns/prov#wasGeneratedBy") == [
        ox.NamedNode(activity)]
    assert objects(quads, activity, "http://www.w3.org/ns/prov#wasAssociatedWith") == [
        ox.NamedNode(vocab.extractor_iri("0.1.0"))]
    # default time: now, a valid xsd:dateTime
    default = rdf.to_quads(seed(), extractor_version="0.1.0")
    (stamp,) = objects(default, g, "http://www.w3.org/ns/prov#generatedAtTime")
    assert datetime.fromisoformat(stamp.value).tzinfo is not None


def test_votes_per_member_state() -> None:
    parsed = seed()
    parsed.adoption = Adoption(method="vote", yes=2, no=1, abstain=0, votes=[
        MemberVote("FRA", "France", "yes"), MemberVote("DEU", "Allemagne", "yes"),
        MemberVote("USA", "États-Unis", "no")])
    quads = quads_of(parsed)
    vote = vocab.vote_iri(SYMBOL, "USA")
    assert objects(quads, vote, RG + "voter") == [ox.NamedNode(vocab.state_iri("USA"))]
    assert objects(quads, vote, RG + "voteValue") == [ox.NamedNode(RG + "no")]
    # a UN state is described once, in the shared graph, not in every voting document
    assert objects(quads, vocab.state_iri("FRA"), RG + "iso3166Alpha3") == []
    shared = rdf.shared_quads()
    assert objects(shared, vocab.state_iri("FRA"), RG + "iso3166Alpha3") == [ox.Literal("FRA")]
    adoption = vocab.adoption_iri(SYMBOL)
    assert objects(quads, adoption, RG + "votesYes") == [
        ox.Literal("2", datatype=ox.NamedNode(XSD + "integer"))]
    assert len(objects(quads, adoption, RG + "vote")) == 3
    assert [str(r) for r in validate(rdf.to_rdflib(quads))] == []


def test_the_document_graph_conforms_to_the_shapes() -> None:
    assert [str(r) for r in validate(rdf.to_rdflib(quads_of(seed())))] == []


def test_the_document_graph_with_the_shared_graphs_conforms() -> None:
    union = rdf.to_rdflib(quads_of(seed()) + rdf.shared_quads())
    assert [str(r) for r in validate(union)] == []


def test_validation_catches_a_wrong_document_graph() -> None:
    """The conformance tests above can fail: a self-citation and a malformed symbol."""
    parsed = seed()
    parsed.citations.append(Citation(SYMBOL, "resolution", paragraph="pre2"))
    parsed.symbol = "A/HRC/RES/56/15"
    parsed.number = "16"
    shapes_hit = {r.shape for r in validate(rdf.to_rdflib(quads_of(parsed)))}
    assert {"SelfCitationShape", "SymbolConsistencyShape"} <= shapes_hit


def test_undo_competency_question_on_to_quads_output() -> None:
    store = ox.Store()
    store.extend(quads_of(seed()))
    hrc, recalling = vocab.organ_iri("HRC"), vocab.verb_iri("recalling")
    cited = vocab.work_iri("A/RES/48/141")
    rows = store.query(f"""
        PREFIX undo: <https://w3id.org/un/ontology/undo/>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT DISTINCT ?document WHERE {{
          ?rel a undo:Relation ; undo:hasProponent <{hrc}> ; undo:hasSemantics <{recalling}> ;
               undo:hasReceiver <{cited}> .
          ?ann a undo:Annotation ; oa:hasBody ?rel ; oa:hasTarget ?document .
        }}""", use_default_graph_as_union=True)
    assert [r["document"].value for r in rows] == [vocab.work_iri(SYMBOL)]


def test_malformed_dates_raise_the_projects_error() -> None:
    parsed = seed()
    parsed.adopted = "11 July 2024"
    with pytest.raises(rdf.RdfError, match="adoption date"):
        quads_of(parsed)
    parsed = seed()
    parsed.citations[1].as_cited_date = "1994-1-7"
    with pytest.raises(rdf.RdfError, match="date as cited"):
        quads_of(parsed)


def test_addressees_map_to_known_agents() -> None:
    assert rdf.addressee_agent("the Secretary-General") == vocab.organ_iri("SG")
    assert rdf.addressee_agent("le Haut-Commissaire") == vocab.organ_iri("OHCHR")
    assert rdf.addressee_agent("High Commissioner for Refugees") == vocab.organ_iri("UNHCR")
    assert rdf.addressee_agent("Member States") is None


def test_shared_quads() -> None:
    quads = rdf.shared_quads()
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {vocab.GRAPH_ONTOLOGY, vocab.GRAPH_SHARED}
    hrc = ox.NamedNode(vocab.organ_iri("HRC"))
    labels = {q.object for q in quads if q.subject == hrc
              and q.predicate.value.endswith("prefLabel")}
    assert ox.Literal("Conseil des droits de l'homme", language="fr") in labels
    onto = [q for q in quads if q.graph_name.value == vocab.GRAPH_ONTOLOGY]
    assert any(q.subject.value == "https://w3id.org/resograph/ontology" for q in onto)
    assert rdf.shared_quads() == quads  # cached, and a fresh list each time
    assert rdf.shared_quads() is not quads


def test_serialize_turtle_and_jsonld_round_trip() -> None:
    parsed = seed()
    count = len({(q.subject, q.predicate, q.object) for q in quads_of(parsed)})
    turtle = rdf.serialize(parsed, "turtle", ingested_at=WHEN)
    assert "@prefix rg:" in turtle
    assert len(rdflib.Graph().parse(data=turtle, format="turtle")) == count
    jsonld = rdf.serialize(parsed, "jsonld", ingested_at=WHEN)
    json.loads(jsonld)
    assert len(rdflib.Graph().parse(data=jsonld, format="json-ld")) == count
    with pytest.raises(rdf.RdfError, match="format"):
        rdf.serialize(parsed, "rdfxml")


def test_to_rdflib_keeps_named_graphs_on_request() -> None:
    quads = quads_of(seed())
    dataset = rdf.to_rdflib(quads, dataset=True)
    assert isinstance(dataset, rdflib.Dataset)
    names = {str(c.identifier) for c in dataset.graphs() if len(c)}
    assert vocab.graph_iri(SYMBOL, "fr") in names
    graph = rdf.to_rdflib(iter(quads))  # any iterable
    assert len(graph) == len({(q.subject, q.predicate, q.object) for q in quads})


def test_the_extracted_seed_matches_the_hand_written_example(seed_text: Path) -> None:
    """Corpus: the French seed, extracted and converted, conforms to the shapes and cites
    exactly what tests/data/A_HRC_RES_56_15.ttl (written by hand) says it cites."""
    parsed = extract.extract_file(seed_text)
    quads = rdf.to_quads(parsed, extractor_version="0.1.0", ingested_at=WHEN)
    assert [str(r) for r in validate(rdf.to_rdflib(quads))] == []
    extracted = {o.value for o in objects(quads, vocab.work_iri(SYMBOL), RG + "cites")}
    example = rdflib.Graph().parse(Path(__file__).parent / "data" / "A_HRC_RES_56_15.ttl")
    written = {str(o) for o in example.objects(rdflib.URIRef(vocab.work_iri(SYMBOL)),
                                               rdflib.URIRef(RG + "cites"))}
    assert extracted == written


# -- lettered parts, document symbols, numbering scopes (issue 4 triage) ------------------------

def _ga(symbol: str, number: str, citations: list[Citation] | None = None,
        paragraphs: list[Paragraph] | None = None) -> ParsedResolution:
    return ParsedResolution(
        symbol=symbol, organ="GA", language="en", session="79", number=number,
        adopted="2025-06-30", title="Title", adoption=Adoption(method="without-vote"),
        paragraphs=paragraphs or [Paragraph(1, "operative", "Decides", "Text.")],
        citations=citations or [])


def test_a_part_adopted_on_its_own_conforms_and_is_cited_at_one_iri() -> None:
    """A/RES/79/245 B (the UN's spelling) validates; a link printing A/RES/79/245B reaches
    the same node with the same rg:symbol, so the node never carries two spellings."""
    from resograph.graph import symbols

    info = symbols.parse("A/RES/79/245B")
    assert (info.symbol, info.organ, info.session, info.number, info.part) == \
        ("A/RES/79/245 B", "GA", "79", "245 B", "B")
    part = _ga("A/RES/79/245 B", "245 B")
    citing = _ga("A/RES/79/300", "300", [Citation("A/RES/79/245B", "resolution", None, "op1")])
    quads = quads_of(part) + quads_of(citing)
    node = vocab.work_iri("A/RES/79/245 B")
    assert node == vocab.work_iri("A/RES/79/245B")
    assert {o.value for o in objects(quads, node, RG + "symbol")} == {"A/RES/79/245 B"}
    assert [str(r) for r in violations(validate(rdf.to_rdflib(quads)))] == []


def test_a_document_linked_with_and_without_spaces_has_one_symbol() -> None:
    """The editors link NPT/CONF.2000/28 (Parts I and II) both with and without spaces; the
    IRI drops spaces, so the symbol must too, or the stub carries two rg:symbol values."""
    a = _ga("A/RES/79/35", "35", [Citation("NPT/CONF.2000/28 (Parts I and II)", "document",
                                           None, "op1")])
    b = _ga("A/RES/79/41", "41", [Citation("NPT/CONF.2000/28(PartsIandII)", "document",
                                           None, "op1")])
    quads = quads_of(a) + quads_of(b)
    nodes = {q.subject.value for q in quads if q.predicate.value == RG + "symbol"
             and q.object.value.startswith("NPT/")}
    assert len(nodes) == 1
    assert {o.value for o in objects(quads, nodes.pop(), RG + "symbol")} == \
        {"NPT/CONF.2000/28(PARTSIANDII)"}
    assert [str(r) for r in violations(validate(rdf.to_rdflib(quads)))] == []


def test_paragraphs_numbered_per_part_conform() -> None:
    """Sections that each number from 1 (keys s1__op1, s2__op1) and components with their own
    preamble (comp_1__pre1) conform; the same numbers without part keys do not."""
    paras = [Paragraph(1, "preambular", "Recalling", "P.", key="comp_0__pre1"),
             Paragraph(1, "operative", "Decides", "A.", key="comp_0__s1__op1"),
             Paragraph(2, "operative", "Decides", "B.", key="comp_0__s1__op2"),
             Paragraph(1, "operative", "Decides", "C.", key="comp_0__s2__op1"),
             Paragraph(1, "preambular", "Recalling", "Q.", key="comp_1__pre1"),
             Paragraph(1, "operative", "Decides", "D.", key="comp_1__op1")]
    assert [str(r) for r in violations(validate(rdf.to_rdflib(quads_of(_ga("A/RES/79/258", "258",
                                                                paragraphs=paras)))))] == []
    flat = [Paragraph(p.number, p.kind, p.verb, p.text, key=f"{p.key.rsplit('__', 1)[1]}-{i}")
            for i, p in enumerate(paras)]
    shapes_hit = {r.shape for r in validate(rdf.to_rdflib(quads_of(
        _ga("A/RES/79/258", "258", paragraphs=flat))))}
    assert "OrdinalUniqueShape" in shapes_hit
