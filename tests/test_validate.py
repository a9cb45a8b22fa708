"""SHACL validation: the compiled SPARQL validator must report exactly what pyshacl reports.

The key test is equivalence: for every fixture (the shapes' own fixtures in
tests/data/shapes/, the hand-written 56/15 example, and the feature fixtures of
tests/data/validate/ with their small test shapes), both engines give the same set of
(focus node, severity, shape, constraint component, SPARQL constraint). Fixtures are picked
up by globbing, so a new fixture is checked without touching this file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from resograph.graph import validate as v

DATA = Path(__file__).parent / "data"
FEATURES = DATA / "validate"
TEST_SHAPES = [FEATURES / "shapes.ttl"]
TEST_ONTOLOGY = [FEATURES / "ontology.ttl"]
SHAPE_FIXTURES = DATA / "shapes"
EXAMPLE = DATA / "A_HRC_RES_56_15.ttl"
EX = "http://example.org/ns#"


def _expectations(path: Path) -> list[str]:
    return re.findall(r"^#\s*expect:\s*(.+?)\s*$", path.read_text(encoding="utf-8"), re.M)


def _feature_fixtures() -> list[Path]:
    return sorted(p for p in FEATURES.glob("*.ttl") if p.name not in ("shapes.ttl",
                                                                     "ontology.ttl"))


def _shape_fixtures() -> list[Path]:
    return sorted(SHAPE_FIXTURES.glob("*.ttl")) if SHAPE_FIXTURES.is_dir() else []


def _real_shapes_present() -> bool:
    from resograph import shapes

    return bool(shapes.all_paths())


@pytest.fixture(scope="module")
def test_validator() -> v.Validator:
    return v.Validator(TEST_SHAPES, ontology_paths=TEST_ONTOLOGY)


def _both(path: Path, validator: v.Validator, shapes=None, ontology=None
          ) -> tuple[v.Report, v.Report]:
    graph, error = v.parse_rdf_file(path)
    assert graph is not None, error
    ref = v.pyshacl_validate(graph, shapes_paths=shapes, ontology_paths=ontology)
    fast = validator.validate_quads(v.graph_to_quads(graph))
    return ref, fast


def _assert_same(ref: v.Report, fast: v.Report, name: str) -> None:
    only_ref = sorted(ref.keys() - fast.keys(), key=str)
    only_fast = sorted(fast.keys() - ref.keys(), key=str)
    assert not only_ref and not only_fast, (
        f"{name}: engines disagree\n  only pyshacl: {only_ref}\n  only compiled: {only_fast}")


# ------------------------------------------------------------------ equivalence, feature shapes


@pytest.mark.parametrize("fixture", _feature_fixtures(), ids=lambda p: p.name)
def test_engines_agree_on_feature_fixtures(fixture: Path, test_validator: v.Validator) -> None:
    ref, fast = _both(fixture, test_validator, TEST_SHAPES, TEST_ONTOLOGY)
    _assert_same(ref, fast, fixture.name)
    expected = _expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    for report in (ref, fast):
        if expected == ["conforms"]:
            assert report.conforms and not report.results, report.text()
        else:
            assert not report.conforms
            messages = [r.message for r in report.results]
            for e in expected:
                assert any(e in m for m in messages), f"{e!r} not in {messages}"


def test_feature_fixtures_exercise_every_component(test_validator: v.Validator) -> None:
    """The feature fixtures trigger each constraint kind the compiler supports (so the
    equivalence above means something for each)."""
    seen = set()
    for fixture in _feature_fixtures():
        _ref, fast = _both(fixture, test_validator, TEST_SHAPES, TEST_ONTOLOGY)
        seen |= {r.component.rsplit("#", 1)[-1] for r in fast.results}
    wanted = {"MinCount", "MaxCount", "Datatype", "Class", "NodeKind", "Pattern", "In",
              "HasValue", "LanguageIn", "UniqueLang", "MinInclusive", "MaxExclusive",
              "MinLength", "Node", "And", "Or", "Not", "Xone", "QualifiedMinCount", "Closed",
              "SPARQL", "Equals", "Disjoint", "LessThan", "LessThanOrEquals"}
    assert {w + "ConstraintComponent" for w in wanted} <= seen, sorted(seen)


def test_compiled_results_carry_values_paths_and_messages(test_validator: v.Validator) -> None:
    _ref, fast = _both(FEATURES / "bad-core.ttl", test_validator, TEST_SHAPES, TEST_ONTOLOGY)
    bad_date = [r for r in fast.results if r.component.endswith("DatatypeConstraintComponent")
                and r.focus == EX + "r1" and r.path == "ex:adopted"]
    assert [r.value for r in bad_date] == ['"2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date>']
    warn = [r for r in fast.warnings if r.path == "^ex:partOf"]
    assert {r.focus for r in warn} == {EX + "r1", EX + "r2"}
    assert all(r.message == "a resolution should have paragraphs" for r in warn)
    # sequence path, blank-node focus of a targetClass shape
    assert any(r.path == "ex:organ/ex:code" for r in fast.results)
    assert any(r.focus.startswith("_:") for r in fast.results)


# ------------------------------------------------------------------ equivalence, real shapes

_real = _shape_fixtures() + ([EXAMPLE] if EXAMPLE.exists() else [])


@pytest.fixture(scope="module")
def prepared_sparql() -> object:
    """pyshacl re-parses each SHACL-SPARQL query on every call (rdflib's pyparsing parser:
    ~2/3 of a 4 s call with the real shapes). Hand rdflib the query already prepared instead,
    rdflib's own documented path for a repeated query (``prepareQuery``): the same Query
    object, evaluated the same way, so the reference results are unchanged."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.sparql import Query

    original = processor.SPARQLProcessor.query
    cache: dict[tuple, Query] = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(n)) for k, n in
                                                  (initNs or {}).items())))
            if key not in cache:
                cache[key] = processor.prepareQuery(strOrQuery, initNs=initNs, base=base)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    query.original = original  # type: ignore[attr-defined]
    processor.SPARQLProcessor.query = query
    yield cache
    processor.SPARQLProcessor.query = original


def test_prepared_queries_give_the_same_reference_results(prepared_sparql: dict) -> None:
    """The speed-up above is only a cache: pyshacl's report is the same with it."""
    if not _real_shapes_present():
        pytest.skip("shapes/*.ttl not written yet")
    fixture = SHAPE_FIXTURES / "OrdinalUniqueShape-bad.ttl"
    graph, _ = v.parse_rdf_file(fixture)
    first = v.pyshacl_validate(graph)
    assert prepared_sparql  # queries went through the cache...
    from rdflib.plugins.sparql import processor

    cached = processor.SPARQLProcessor.query
    processor.SPARQLProcessor.query = cached.original  # ...and now they do not
    try:
        again = v.pyshacl_validate(graph)
    finally:
        processor.SPARQLProcessor.query = cached
    assert first.results and first.keys() == again.keys()
    assert sorted(r.message for r in first.results) == sorted(r.message for r in again.results)


@pytest.mark.parametrize("fixture", _real or [None],
                         ids=lambda p: p.name if p else "no-fixtures-yet")
def test_engines_agree_on_resograph_shapes(fixture: Path | None, prepared_sparql: dict) -> None:
    if fixture is None or not _real_shapes_present():
        pytest.skip("no resograph shapes fixtures yet (tests/data/shapes/, shapes/*.ttl)")
    ref, fast = _both(fixture, v.default_validator())
    _assert_same(ref, fast, fixture.name)
    expected = [e for e in _expectations(fixture) if e != "conforms"]
    if fixture.name.endswith("-ok.ttl") or fixture == EXAMPLE:
        assert ref.conforms, ref.text()
    if fixture.name.endswith("-bad.ttl"):
        assert expected, f"{fixture.name} has no '# expect:' line"
        for report in (ref, fast):
            assert report.results, f"{fixture.name}: nothing reported"
            messages = [r.message for r in report.results]
            for e in expected:
                assert any(e in m for m in messages), f"{e!r} not in {messages}"
    # the whole-graph SPARQL path (validate_store's) agrees too
    graph, _ = v.parse_rdf_file(fixture)
    sparql = _sparql_only(v.default_validator(), v.graph_to_quads(graph))
    _assert_same(ref, sparql, fixture.name + " (SPARQL checks)")


def _sparql_only(validator: v.Validator, quads: list) -> v.Report:
    """The compiled SPARQL checks alone (what validate_store runs), over one store."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                 for q in list(validator._ontology_default) + quads)

    def rows_of(check: v.Check) -> list:
        sols = store.query(check.query)
        names = [x.value for x in sols.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in sols]
    return validator._run(validator.checks, rows_of)


def test_resograph_shapes_compile() -> None:
    """Every constraint of the shipped shapes compiles (an unsupported one raises)."""
    if not _real_shapes_present():
        pytest.skip("shapes/*.ttl not written yet")
    validator = v.Validator()
    assert validator.checks
    assert {c.severity for c in validator.checks} <= set(v.SEVERITIES)


# ------------------------------------------------------------------ files and formats


@pytest.mark.parametrize("ext,fmt", [(".nt", "nt"), (".nq", "nquads"), (".trig", "trig"),
                                     (".jsonld", "json-ld"), (".rdf", "xml"), (".xml", "xml")])
def test_every_format_gives_the_same_report(tmp_path: Path, ext: str, fmt: str) -> None:
    src = FEATURES / "bad-logic.ttl"
    if fmt in ("nquads", "trig"):
        ds = rdflib.Dataset()
        ds.graph(rdflib.URIRef("urn:g")).parse(src)
        data = ds.serialize(format=fmt)
    else:
        data = rdflib.Graph().parse(src).serialize(format=fmt)
    out = tmp_path / f"doc{ext}"
    out.write_text(data, encoding="utf-8")
    for engine in ("pyshacl", "fast"):
        base = v.validate_files([src], engine=engine, shapes_paths=TEST_SHAPES,
                                ontology_paths=TEST_ONTOLOGY)
        other = v.validate_files([out], engine=engine, shapes_paths=TEST_SHAPES,
                                 ontology_paths=TEST_ONTOLOGY)
        assert not other.errors
        assert other.keys() == base.keys()
        assert {r.source for r in other.results} == {str(out)}


def test_parse_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/ns#> .\n\nex:a ex:b ex:c .\nex:a ex:b .\n",
                   encoding="utf-8")
    nt = tmp_path / "broken.nt"
    nt.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n",
                  encoding="utf-8")
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    report = v.validate_files([bad, nt, odd, tmp_path / "missing.ttl"],
                              shapes_paths=TEST_SHAPES, ontology_paths=TEST_ONTOLOGY)
    assert not report.conforms
    assert len(report.errors) == 4
    assert report.errors[0].startswith(f"{bad}:4:"), report.errors[0]
    assert report.errors[1].startswith(f"{nt}:2:"), report.errors[1]
    assert "unknown RDF format" in report.errors[2]
    assert "cannot read" in report.errors[3]
    assert "Traceback" not in report.text()


def test_report_text_is_grouped_with_counts(test_validator: v.Validator) -> None:
    report = v.validate_files([FEATURES / "bad-logic.ttl", FEATURES / "ok.ttl"],
                              engine="fast", shapes_paths=TEST_SHAPES,
                              ontology_paths=TEST_ONTOLOGY)
    text = report.text()
    assert f"{FEATURES / 'bad-logic.ttl'}: 8 violations, 2 warnings, 2 infos" in text
    assert f"  <{EX}r1>\n" in text
    assert "    Violation: a resolution cannot cite itself" in text
    assert "    Info ex:verb: " in text
    assert text.rstrip().endswith("2 documents, 8 violations, 2 warnings, 2 infos, 0 errors: "
                                  "does not conform")
    assert len(report.violations) == 8 and len(report.warnings) == 2 and len(report.infos) == 2


# ------------------------------------------------------------------ compiled validator API


def test_batch_results_name_their_document_graph(test_validator: v.Validator) -> None:
    quads = []
    for name in ("ok", "bad-logic"):
        g, _ = v.parse_rdf_file(FEATURES / f"{name}.ttl")
        # same IRIs in both files would merge; rename the second document's nodes
        for q in v.graph_to_quads(g, f"urn:graph:{name}"):
            if name == "ok":
                q = ox.Quad(_rename(q.subject), q.predicate, _rename(q.object), q.graph_name)
            quads.append(q)
    report = test_validator.validate_quads(quads)
    assert report.checked == 2
    assert {r.source for r in report.results} == {"urn:graph:bad-logic"}
    assert report.for_source("urn:graph:bad-logic").keys() == report.keys()


def _rename(t):
    if isinstance(t, ox.NamedNode) and t.value.startswith(EX) and t.value[len(EX)] in "rcpv":
        return ox.NamedNode(t.value + "-ok")
    return t


def test_context_quads_are_used_but_results_point_at_documents(
        test_validator: v.Validator) -> None:
    """A document citing a resolution known only from the store: the cited one's adoption
    date comes from context, and the violation is the document's."""
    doc = rdflib.Graph().parse(data=f"""
        @prefix ex: <{EX}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        ex:new a ex:Resolution ; ex:symbol "A/RES/9" ; ex:organ ex:GA ;
          ex:adopted "2000-01-01"^^xsd:date ; ex:cites ex:old ; ex:hasParagraph ex:np .
        ex:np ex:partOf ex:new ; ex:ordinal 1 ; ex:verb "Decides" ; ex:kind "operative" ;
          ex:text "." .
        ex:GA ex:code "GA" .""", format="turtle")
    ctx = ox.Quad(ox.NamedNode(EX + "old"), ox.NamedNode(EX + "adopted"),
                  ox.Literal("2010-01-01", datatype=ox.NamedNode(str(rdflib.XSD.date))),
                  ox.NamedNode("urn:graph:context"))
    alone = test_validator.validate_quads(v.graph_to_quads(doc, "urn:graph:doc"))
    assert alone.conforms, alone.text()
    with_ctx = test_validator.validate_quads(v.graph_to_quads(doc, "urn:graph:doc"), [ctx])
    assert [(r.focus, r.source, r.value) for r in with_ctx.violations] == [
        (EX + "new", "urn:graph:doc", EX + "old")]


def test_validate_store_matches_validate_quads(test_validator: v.Validator) -> None:
    from resograph.graph.store import OxigraphStore

    g, _ = v.parse_rdf_file(FEATURES / "bad-logic.ttl")
    onto, _ = v.parse_rdf_file(TEST_ONTOLOGY[0])
    store = OxigraphStore(None)
    store.replace_graphs({"urn:graph:doc": v.graph_to_quads(g),
                          v.GRAPH_ONTOLOGY: v.graph_to_quads(onto)})
    from_store = test_validator.validate_store(store)
    direct = test_validator.validate_quads(v.graph_to_quads(g, "urn:graph:doc"))
    assert from_store.keys() == direct.keys()
    assert {r.source for r in from_store.results} == {"urn:graph:doc"}


def test_to_quads_stores_a_queryable_shacl_report(test_validator: v.Validator) -> None:
    g, _ = v.parse_rdf_file(FEATURES / "bad-logic.ttl")
    report = test_validator.validate_quads(v.graph_to_quads(g))
    quads = report.to_quads("urn:graph:report")
    assert quads == report.to_quads("urn:graph:report")  # deterministic: idempotent ingest
    store = ox.Store()
    store.extend(quads)
    rows = list(store.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?sev (COUNT(?r) AS ?n) WHERE { GRAPH <urn:graph:report> {
          ?rep a sh:ValidationReport ; sh:conforms false ; sh:result ?r .
          ?r sh:resultSeverity ?sev ; sh:focusNode ?f ; sh:resultMessage ?m ;
             sh:sourceShape ?s ; sh:sourceConstraintComponent ?c } } GROUP BY ?sev"""))
    counts = {r["sev"].value.rsplit("#")[-1]: int(r["n"].value) for r in rows}
    assert counts == {"Violation": 8, "Warning": 2, "Info": 2}
    inverse = list(store.query("""PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?p WHERE { ?r sh:resultPath/sh:inversePath ?p }""", use_default_graph_as_union=True))
    assert not inverse  # bad-logic has no inverse-path result...
    core, _ = v.parse_rdf_file(FEATURES / "bad-core.ttl")
    store.extend(test_validator.validate_quads(v.graph_to_quads(core)).to_quads("urn:graph:r2"))
    inverse = list(store.query("""PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT DISTINCT ?p WHERE { ?r sh:resultPath/sh:inversePath ?p }""",
                               use_default_graph_as_union=True))
    assert [r["p"].value for r in inverse] == [EX + "partOf"]  # ...bad-core has


# ------------------------------------------------------------------ unsupported features


def _shapes_file(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "s.ttl"
    p.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <" + EX + "> .\n"
                 + body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body,needle", [
    ("ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:property [ sh:path ex:p ; "
     "sh:qualifiedValueShape [ sh:class ex:B ] ; sh:qualifiedMinCount 1 ; "
     "sh:qualifiedValueShapesDisjoint true ] .", "qualifiedValueShapesDisjoint"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:rule [ a sh:TripleRule ] .", "sh:rule"),
    ("ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this {}\" ] .",
     "sh:target"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:node ex:T .\n"
     "ex:T a sh:NodeShape ; sh:sparql [ sh:select \"SELECT $this WHERE { $this ex:p 1 }\" ] .",
     "sh:sparql"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:sparql [ sh:select "
     "\"SELECT $this WHERE { $this ?p ?o } LIMIT 1\" ] .", "LIMIT"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:A ; sh:sparql [ sh:ask \"ASK {}\" ] .",
     "sh:select"),
])
def test_unsupported_features_fail_at_compile_time(tmp_path: Path, body: str,
                                                   needle: str) -> None:
    with pytest.raises(v.ShapesError, match=re.escape(needle)):
        v.Validator([_shapes_file(tmp_path, body)], ontology_paths=TEST_ONTOLOGY)


def test_sparql_constraint_with_aggregate_is_per_focus(tmp_path: Path) -> None:
    """GROUP BY in a SHACL-SPARQL query is evaluated per focus node, as pre-binding does."""
    shapes = _shapes_file(tmp_path, """
        ex:S a sh:NodeShape ; sh:targetClass ex:A ;
          sh:sparql [ sh:message "{?n} values" ; sh:select \"\"\"
            SELECT $this (COUNT(?o) AS ?n) WHERE { $this <http://example.org/ns#p> ?o }
            HAVING (COUNT(?o) > 1)
          \"\"\" ] .""")
    data = rdflib.Graph().parse(data=f"""@prefix ex: <{EX}> .
        ex:a1 a ex:A ; ex:p 1, 2 . ex:a2 a ex:A ; ex:p 1 . ex:a3 a ex:A ; ex:p 3, 4, 5 .""",
                                format="turtle")
    validator = v.Validator([shapes], ontology_paths=TEST_ONTOLOGY)
    fast = validator.validate_quads(v.graph_to_quads(data))
    ref = v.pyshacl_validate(data, shapes_paths=[shapes], ontology_paths=TEST_ONTOLOGY)
    _assert_same(ref, fast, "aggregate")
    assert sorted((r.focus, r.message) for r in fast.results) == [
        (EX + "a1", "2 values"), (EX + "a3", "3 values")]


# ------------------------------------------------------------------ batch path specifics


def test_synthetic_documents_agree_with_pyshacl() -> None:
    """The build path's own documents (synth -> rdf.to_quads, with the shared facts), one
    of them broken on purpose, give the same results in both engines. Regression: quads
    converted to rdflib kept ``"x"^^xsd:string`` apart from the shapes' and ontology's
    ``"x"``, so pyshacl saw sh:in and sh:maxCount violations Oxigraph (rightly) does not."""
    if not _real_shapes_present():
        pytest.skip("shapes/*.ttl not written yet")
    import itertools

    from resograph.graph import rdf, synth

    doc = next(itertools.islice(synth.generate(3, 7), 2, 3))
    quads = rdf.to_quads(doc, extractor_version="test", ingested_at="2026-01-01T00:00:00Z")
    graph_iri = next(q.graph_name for q in quads if isinstance(q.graph_name, ox.NamedNode))
    bad = ox.Quad(graph_iri, ox.NamedNode("https://w3id.org/resograph/ontology#sourceFormat"),
                  ox.Literal("xml"), graph_iri)
    shared = rdf.shared_quads()
    g = rdflib.Graph()
    for q in [*quads, bad, *shared]:
        g.add((v._from_ox(q.subject), v._from_ox(q.predicate), v._from_ox(q.object)))
    ref = v.pyshacl_validate(g)
    fast = v.default_validator().validate_quads([*quads, bad], shared)
    _assert_same(ref, fast, "synthetic document")
    assert {r.component.rsplit("#")[-1] for r in fast.violations} >= {
        "InConstraintComponent", "MaxCountConstraintComponent"}, fast.text()
    assert all(r.source == graph_iri.value for r in fast.violations)


def test_from_ox_gives_simple_literals_for_xsd_string() -> None:
    lit = ox.Literal("text")  # Oxigraph: datatype xsd:string
    assert v._from_ox(lit) == rdflib.Literal("text")
    assert v._from_ox(ox.Literal("1", datatype=ox.NamedNode(str(rdflib.XSD.integer)))) == \
        rdflib.Literal("1", datatype=rdflib.XSD.integer)


def test_core_shapes_run_natively_and_sparql_constraints_on_a_pruned_store() -> None:
    """Batches run Core constraints as Python closures; only SHACL-SPARQL constraints (and
    shapes using components left to SPARQL) remain queries, over the triples of the
    predicates they mention."""
    if not _real_shapes_present():
        pytest.skip("shapes/*.ttl not written yet")
    val = v.default_validator()
    sparql = [c for c in val.batch_checks if c.native is None]
    assert sparql and all(c.sparql for c in sparql)
    assert len(val.batch_checks) == len(val.checks)
    assert val._sparql_predicates is not None
    assert ox.NamedNode("https://w3id.org/resograph/ontology#ordinal") in val._sparql_predicates
    footnote = ox.NamedNode("https://w3id.org/resograph/ontology#footnote")
    assert footnote not in val._sparql_predicates


def test_variable_predicates_keep_every_triple(test_validator: v.Validator) -> None:
    """sh:closed compiles to ``?this ?path ?value``: the SPARQL store must then get all
    triples (bad-core's closed-shape violation is only found that way)."""
    assert test_validator._sparql_predicates is None
    assert v._predicates_used(["SELECT ?this WHERE { ?this <urn:p> ?o ; ?q ?r }"]) is None
    assert v._predicates_used(["PREFIX ex: <urn:x:> SELECT ?this WHERE { ?this ex:p ?o }"]) \
        == {ox.NamedNode("urn:x:p"), ox.NamedNode(v._RDF_TYPE), ox.NamedNode(v._SUBCLASS)}


def test_whole_store_validation_by_dump_matches_sparql(test_validator: v.Validator) -> None:
    """What remote stores get (read the quads, validate locally) equals the embedded
    store's SPARQL validation."""
    from resograph.graph.store import OxigraphStore

    g, _ = v.parse_rdf_file(FEATURES / "bad-logic.ttl")
    onto, _ = v.parse_rdf_file(TEST_ONTOLOGY[0])
    store = OxigraphStore(None)
    store.replace_graphs({"https://w3id.org/resograph/graph/doc/x": v.graph_to_quads(g),
                          v.GRAPH_ONTOLOGY: v.graph_to_quads(onto)})
    dumped = test_validator._validate_dump(store)
    direct = test_validator.validate_store(store)
    assert dumped.keys() == direct.keys() and dumped.violations
    assert {r.source for r in dumped.results} == {"https://w3id.org/resograph/graph/doc/x"}
