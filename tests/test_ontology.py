"""The ontology: it parses, every term is declared and documented in English and French, the
shared vocabularies (organs, instruments, verb meanings) are complete, and an OWL RL closure
finds no inconsistency."""

from __future__ import annotations

import json
import re
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from owlrl.Closure import ERRNS
from rdflib import OWL, RDF, RDFS, SKOS

from resograph import ontology, shapes
from resograph.graph import rdf, vocab

RG = rdflib.Namespace(ontology.NAMESPACE)
DATA = Path(__file__).parent / "data"
LEXICONS = Path(__file__).resolve().parent.parent / "graph" / "lexicons"
SIX = {"en", "fr", "es", "ru", "ar", "zh"}
DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                OWL.NamedIndividual}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology.path())


@pytest.fixture(scope="module")
def shared() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology.all_paths():
        if path.name != "resograph.ttl":
            graph.parse(path)
    return graph


def declared_terms(onto: rdflib.Graph) -> set[rdflib.URIRef]:
    return {s for s, o in onto.subject_objects(RDF.type)
            if isinstance(s, rdflib.URIRef) and str(s).startswith(ontology.NAMESPACE)
            and (o in DECLARATIONS or str(o).startswith(ontology.NAMESPACE))}


def rg_terms_in(graph: rdflib.Graph) -> set[rdflib.URIRef]:
    """Every rg: IRI a graph uses, in any position (rdf:List members included)."""
    return {t for triple in graph for t in triple
            if isinstance(t, rdflib.URIRef) and str(t).startswith(ontology.NAMESPACE)}


def test_every_ontology_file_parses_with_rdflib_and_pyoxigraph() -> None:
    paths = ontology.all_paths()
    assert {p.name for p in paths} >= {"resograph.ttl", "verbs.ttl", "organs.ttl",
                                       "instruments.ttl"}
    for path in paths:
        assert len(rdflib.Graph().parse(path)) > 50, path
        assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) > 50, path


def test_ontology_header(onto: rdflib.Graph) -> None:
    iri = rdflib.URIRef(ontology.ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in onto
    assert onto.value(iri, OWL.versionIRI) is not None
    langs = {lit.language for lit in onto.objects(iri, RDFS.comment)}
    assert {"en", "fr"} <= langs
    assert str(vocab.RG) == ontology.NAMESPACE


def test_classes_and_properties_are_labelled_and_commented_in_english_and_french(
        onto: rdflib.Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [s for k in kinds for s in onto.subjects(RDF.type, k)
             if str(s).startswith(ontology.NAMESPACE)]
    assert len(terms) > 80
    missing = []
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop)}
            if not {"en", "fr"} <= langs:
                missing.append(f"{term} {prop}")
    assert not missing, missing


def test_every_rg_term_used_anywhere_is_declared(onto: rdflib.Graph,
                                                 shared: rdflib.Graph) -> None:
    declared = declared_terms(onto)
    shapes_graph = rdflib.Graph().parse(shapes.path())
    used = {
        "ontology": rg_terms_in(onto),
        "shapes": rg_terms_in(shapes_graph),
        "shared vocabularies": rg_terms_in(shared),
        "graph/rdf.py": {rdflib.URIRef(n.value) for n in (
            *rdf.P.values(), *rdf.KIND.values(), *rdf.METHOD.values(),
            *rdf.VOTE_VALUE.values(), *rdf.DISCOVERY.values(),
            rdf.C_RESOLUTION, rdf.C_DECISION, rdf.C_UNDOCUMENT, rdf.C_INSTRUMENT,
            rdf.C_LANGVERSION, rdf.C_PARAGRAPH, rdf.C_WORKPARAGRAPH, rdf.C_CITATION,
            rdf.C_REQUEST, rdf.C_SESSION, rdf.C_ADOPTION, rdf.C_VOTE, rdf.C_MEMBERSTATE,
            rdf.C_DOCGRAPH, rdf.C_INGESTION, rdf.C_EXTRACTOR)},
    }
    for where, terms in used.items():
        undeclared = sorted(str(t) for t in terms - declared)
        assert not undeclared, f"undeclared rg: terms used in {where}: {undeclared}"
    # and the check itself can fail
    assert rdflib.URIRef(ontology.NAMESPACE + "notATerm") not in declared


def test_every_class_has_a_shape(onto: rdflib.Graph) -> None:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes_graph = rdflib.Graph().parse(shapes.path())
    targeted = set(shapes_graph.objects(None, sh.targetClass))
    classes = {c for c in onto.subjects(RDF.type, OWL.Class)
               if str(c).startswith(ontology.NAMESPACE)}
    assert classes - targeted == set()


def test_alignments_use_the_real_external_terms(onto: rdflib.Graph) -> None:
    undo = rdflib.Namespace("https://w3id.org/un/ontology/undo/")
    cito = rdflib.Namespace("http://purl.org/spar/cito/")
    fabio = rdflib.Namespace("http://purl.org/spar/fabio/")
    allot = rdflib.Namespace("https://w3id.org/akn/ontology/allot/")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    expected = [
        (RG.Resolution, RDFS.subClassOf, undo.Resolution),
        (RG.Decision, RDFS.subClassOf, undo.Decision),
        (RG.Work, RDFS.subClassOf, fabio.Work),
        (RG.Work, RDFS.subClassOf, allot.FRBRWork),
        (RG.LanguageVersion, RDFS.subClassOf, fabio.Expression),
        (RG.LanguageVersion, RDFS.subClassOf, undo.DocumentVersion),
        (RG.LanguageVersion, RDFS.subClassOf, eli.LegalExpression),
        (RG.Citation, RDFS.subClassOf, cito.Citation),
        (RG.Citation, RDFS.subClassOf, undo.Relation),
        (RG.cites, RDFS.subPropertyOf, cito.cites),
        (RG.citedWork, RDFS.subPropertyOf, undo.hasReceiver),
        (RG.hasLanguageVersion, RDFS.subPropertyOf, allot.hasRealization),
        (RG.DocumentGraph, RDFS.subClassOf, rdflib.URIRef("http://www.w3.org/ns/prov#Entity")),
        (RG.VerbMeaning, RDFS.subClassOf, SKOS.Concept),
    ]
    missing = [t for t in expected if t not in onto]
    assert not missing


def test_organs_are_labelled_in_the_six_languages(shared: rdflib.Graph) -> None:
    for code in ("GA", "SC", "ECOSOC", "HRC", "CHR"):
        organ = rdflib.URIRef(vocab.organ_iri(code))
        assert (organ, RDF.type, RG.Organ) in shared, code
        assert {o.language for o in shared.objects(organ, SKOS.prefLabel)} == SIX, code
        assert str(shared.value(organ, RG.code)) == code


def test_instruments_have_keys_dates_and_labels(shared: rdflib.Graph) -> None:
    instruments = set(shared.subjects(RDF.type, RG.Instrument))
    assert len(instruments) >= 30
    for inst in instruments:
        key = str(shared.value(inst, RG.key))
        assert str(inst) == vocab.instrument_iri(key)
        assert {"en", "fr", "es"} <= {o.language for o in shared.objects(inst, SKOS.prefLabel)}
        assert shared.value(inst, RG.adoptionDate).datatype == rdflib.XSD.date
    for key in ("charter", "udhr", "iccpr", "icescr"):
        inst = rdflib.URIRef(vocab.instrument_iri(key))
        assert {o.language for o in shared.objects(inst, SKOS.prefLabel)} == SIX, key
    udhr = rdflib.URIRef(vocab.instrument_iri("udhr"))
    assert str(shared.value(udhr, RG.adoptionDate)) == "1948-12-10"


def test_verb_meanings_are_labelled_in_the_six_languages(shared: rdflib.Graph) -> None:
    verbs = set(shared.subjects(RDF.type, RG.VerbMeaning))
    assert len(verbs) >= 40
    for verb in verbs:
        assert {o.language for o in shared.objects(verb, SKOS.prefLabel)} == SIX, verb
        assert str(verb) == vocab.verb_iri(str(shared.value(verb, SKOS.notation)))
    recalling = rdflib.URIRef(vocab.verb_iri("recalling"))
    assert rdflib.Literal("Rappelant", lang="fr") in set(shared.objects(recalling, SKOS.prefLabel))


def _lexicon_values(section: str) -> set[str]:
    values: set[str] = set()
    for path in sorted(LEXICONS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8")).get(section, {})
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str):
                values.add(item)
    return values


def test_every_verb_meaning_and_instrument_of_the_lexicons_has_a_concept(
        shared: rdflib.Graph) -> None:
    """The extractor's lexicons name verb meanings and instrument keys; each must be an IRI
    the graph describes (else the citation would point at a node without labels)."""
    if not list(LEXICONS.glob("*.json")):
        pytest.skip("no lexicons in graph/lexicons")
    verbs = {str(v) for v in shared.subjects(RDF.type, RG.VerbMeaning)}
    meanings = {v for v in _lexicon_values("verbs") if re.fullmatch(r"[a-z]+(-[a-z]+)*", v)}
    meanings |= {v for v in _lexicon_values("request_meanings")
                 if re.fullmatch(r"[a-z]+(-[a-z]+)*", v)}
    assert meanings, "lexicons name no verb meanings"
    assert sorted(m for m in meanings if vocab.verb_iri(m) not in verbs) == []
    instruments = {str(v) for v in shared.subjects(RDF.type, RG.Instrument)}
    keys = _lexicon_values("instruments")
    assert keys
    assert sorted(k for k in keys if vocab.instrument_iri(k) not in instruments) == []


# -- OWL RL -----------------------------------------------------------------------------------

def _closure(graph: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    errors = [str(e) for m in graph.subjects(RDF.type, ERRNS.ErrorMessage)
              for e in graph.objects(m, ERRNS.error)]
    return graph, errors


@pytest.fixture(scope="module")
def closed() -> tuple[rdflib.Graph, list[str]]:
    """OWL RL closure of the ontology, the shared vocabularies and the 56/15 example, with
    the example's direct rg:cites triples removed (the property chain must restore them)."""
    graph = rdflib.Graph()
    for path in ontology.all_paths():
        graph.parse(path)
    example = rdflib.Graph().parse(DATA / "A_HRC_RES_56_15.ttl")
    for triple in list(example.triples((None, RG.cites, None))):
        example.remove(triple)
    graph += example
    return _closure(graph)


def test_owl_rl_closure_is_consistent(closed: tuple[rdflib.Graph, list[str]]) -> None:
    graph, errors = closed
    assert errors == []
    assert list(graph.subjects(RDF.type, OWL.Nothing)) == []
    # no two distinct named things of ours were merged
    ours = [(s, o) for s, o in graph.subject_objects(OWL.sameAs)
            if s != o and str(s).startswith(vocab.BASE) and str(o).startswith(vocab.BASE)]
    assert ours == []
    clashes = [(s, o) for s, o in graph.subject_objects(OWL.differentFrom)
               if (s, OWL.sameAs, o) in graph]
    assert clashes == []


def test_owl_rl_derives_the_alignments(closed: tuple[rdflib.Graph, list[str]]) -> None:
    graph, _ = closed
    work = rdflib.URIRef(vocab.work_iri("A/HRC/RES/56/15"))
    undo = rdflib.Namespace("https://w3id.org/un/ontology/undo/")
    cito = rdflib.Namespace("http://purl.org/spar/cito/")
    assert (work, RDF.type, undo.Resolution) in graph
    cited = rdflib.URIRef(vocab.work_iri("A/RES/48/141"))
    assert (work, RG.cites, cited) in graph  # from the property chain
    assert (work, cito.cites, cited) in graph
    assert len(set(graph.objects(work, RG.cites))) == 11


def test_owl_rl_reports_an_inconsistency_when_there_is_one() -> None:
    """The consistency check can fail: a work both resolution and decision (disjoint)."""
    graph = rdflib.Graph().parse(ontology.path())
    bad = rdflib.URIRef(vocab.work_iri("A/RES/1/1"))
    graph.add((bad, RDF.type, RG.Resolution))
    graph.add((bad, RDF.type, RG.Decision))
    _, errors = _closure(graph)
    assert errors and any("disjoint" in e.lower() for e in errors)


# -- issue 10: every term and concept labelled in the six languages ---------------------------

#: Where the project mints its own IRIs (ontology terms, verb/organ/instrument concepts...).
OWN_IRIS = "https://w3id.org/resograph/"


def missing_labels(graph: rdflib.Graph) -> list[str]:
    """``term: languages`` for every resograph IRI the graph types (class, property, concept,
    individual, scheme) whose labels (``rdfs:label`` and ``skos:prefLabel``, each property it
    uses) lack one of the six languages, or that has no label at all."""
    problems = []
    for term in sorted({s for s in graph.subjects(RDF.type, None)
                        if isinstance(s, rdflib.URIRef) and str(s).startswith(OWN_IRIS)}):
        used = [p for p in (RDFS.label, SKOS.prefLabel) if (term, p, None) in graph]
        if not used:
            problems.append(f"{term}: no label")
        for prop in used:
            langs = {o.language for o in graph.objects(term, prop)
                     if isinstance(o, rdflib.Literal) and str(o).strip()}
            if SIX - langs:
                problems.append(f"{term} {prop}: missing {sorted(SIX - langs)}")
    return problems


@pytest.fixture(scope="module")
def whole() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in ontology.all_paths():
        graph.parse(path)
    return graph


def test_every_term_and_concept_is_labelled_in_the_six_languages(whole: rdflib.Graph) -> None:
    """Classes, properties, closed sets (adoption methods, paragraph kinds, vote values,
    discovery methods), verb meanings and their scheme, organs and instruments: each label
    exists in en, fr, es, ru, ar and zh (the pages fall back to English only for data)."""
    typed = {s for s in whole.subjects(RDF.type, None) if str(s).startswith(OWN_IRIS)}
    assert len(typed) > 200  # ontology terms + verbs + organs + instruments
    assert not missing_labels(whole)
    closed_sets = [RG.withoutVote, RG.unanimous, RG.recordedVote, RG.unknownMethod, RG.yes,
                   RG.no, RG.abstain, RG.nonVoting, RG.preambular, RG.operative,
                   RG.otherParagraph, RG.textExtraction, RG.aknLink, RG.synthetic]
    for term in closed_sets:
        assert {o.language for o in whole.objects(term, RDFS.label)} == SIX, term
    assert rdflib.Literal("sin votación", lang="es") in set(
        whole.objects(RG.withoutVote, RDFS.label))
    assert rdflib.Literal("未经表决", lang="zh") in set(whole.objects(RG.withoutVote,
                                                                    SKOS.prefLabel))


def test_every_verb_meaning_the_extractor_emits_has_six_labels(whole: rdflib.Graph) -> None:
    """The meanings named in the lexicons (what the extractor can put on a paragraph or a
    citation) are concepts with a label in each language."""
    meanings = {v for section in ("verbs", "request_meanings") for v in _lexicon_values(section)
                if re.fullmatch(r"[a-z]+(-[a-z]+)*", v)}
    if not meanings:
        pytest.skip("no verb meanings found in the lexicons")
    for meaning in sorted(meanings):
        iri = rdflib.URIRef(vocab.verb_iri(meaning))
        langs = {o.language for o in whole.objects(iri, SKOS.prefLabel)}
        assert langs == SIX, (meaning, sorted(langs))


def test_missing_labels_reports_a_missing_language() -> None:
    """The checker itself can fail: a term with five languages and one with none."""
    graph = rdflib.Graph()
    five = rdflib.URIRef(ontology.NAMESPACE + "halfLabelled")
    bare = rdflib.URIRef(ontology.NAMESPACE + "bare")
    graph.add((five, RDF.type, OWL.Class))
    graph.add((bare, RDF.type, OWL.ObjectProperty))
    for lang in sorted(SIX - {"ar"}):
        graph.add((five, RDFS.label, rdflib.Literal(f"term {lang}", lang=lang)))
    found = missing_labels(graph)
    assert any("halfLabelled" in p and "'ar'" in p for p in found), found
    assert any("bare" in p and "no label" in p for p in found), found
    graph.add((five, RDFS.label, rdflib.Literal("مصطلح", lang="ar")))
    assert [p for p in missing_labels(graph) if "halfLabelled" in p] == []
