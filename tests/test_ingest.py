"""Ingest: idempotency, replacement, interruption, rejection, cited-only upgrade, links out."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from resograph.graph import ingest, vocab
from resograph.graph.model import Adoption, Citation, Paragraph, ParsedResolution, Request
from resograph.graph.store import OxigraphStore, ReadOnlyError

RG = "https://w3id.org/resograph/ontology#"
ROOT = Path(__file__).resolve().parent.parent


def doc(symbol: str, adopted: str, cites: list[str] = (), *, yes: int | None = None,
        language: str = "en", title: str = "A title") -> ParsedResolution:
    """A small hand-built General Assembly resolution citing ``cites``."""
    session, number = symbol.split("/")[2:4]
    paragraphs = [Paragraph(1, "preambular", "Recalling", text="Recalling its resolutions."),
                  Paragraph(1, "operative", "Requests", text="Requests the Secretary-General.")]
    citations = [Citation(t, "resolution", "Recalling", "pre1") for t in cites]
    adoption = Adoption(method="vote", yes=yes, no=0, abstain=0) if yes is not None \
        else Adoption(method="without-vote")
    return ParsedResolution(
        symbol=symbol, organ="GA", language=language, session=session, number=number,
        year=int(adopted[:4]), adopted=adopted, title=title, paragraphs=paragraphs,
        citations=citations, adoption=adoption, source_format="jsonl",
        requests=[Request("Secretary-General", "report", "op1", "Requests")])


def write_jsonl(path: Path, docs: list[ParsedResolution]) -> Path:
    path.write_text("".join(json.dumps(d.to_json()) + "\n" for d in docs), encoding="utf-8")
    return path


def dump(store: OxigraphStore) -> set[str]:
    """The store's quads, provenance times included (so 'identical' means identical)."""
    return {str(q) for q in store.oxigraph}


def akn_stored_then_text(tmp_path: Path
                         ) -> tuple[OxigraphStore, ParsedResolution, ParsedResolution]:
    """A store holding A/RES/79/1 from its AKN file (one run); (store, that AKN document,
    the same resolution as PDF text, not ingested)."""
    akn = doc("A/RES/79/1", "2024-10-01", yes=120)
    akn.source_format = "akn"
    text = doc("A/RES/79/1", "2024-10-01", title="From the PDF")
    text.source_format = "text"
    store = OxigraphStore(None)
    ingest.ingest_paths([write_jsonl(tmp_path / "a.jsonl", [akn])], store, progress=False)
    return store, akn, text


def graph(symbol: str, lang: str = "en") -> str:
    return vocab.graph_iri(symbol, lang)


def work(symbol: str) -> ox.NamedNode:
    return ox.NamedNode(vocab.work_iri(symbol))


def cited_only(store: OxigraphStore) -> set[str]:
    rows = store.select(f"SELECT ?w WHERE {{ ?w <{RG}citedOnly> true }}")
    return {r["w"].value for r in rows}


def test_idempotent(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "a.jsonl", [doc("A/RES/79/1", "2024-09-22", ["A/RES/78/3"]),
                                             doc("A/RES/79/2", "2024-10-01")])
    store = OxigraphStore(tmp_path / "store")
    first = ingest.ingest_paths([src], store, progress=False)
    assert (first.documents, first.unchanged, first.failed) == (2, 0, [])
    assert first.citations == 1 and first.cited_only == 1
    before = dump(store)
    second = ingest.ingest_paths([src], store, progress=False)
    assert (second.documents, second.unchanged) == (0, 2)
    assert dump(store) == before


def test_changed_document_replaces_its_graph(tmp_path: Path) -> None:
    src = tmp_path / "a.jsonl"
    write_jsonl(src, [doc("A/RES/79/1", "2024-09-22", title="Old title"),
                      doc("A/RES/79/2", "2024-10-01")])
    store = OxigraphStore(None)
    ingest.ingest_paths([src], store, progress=False)
    other = set(store.graph_quads(graph("A/RES/79/2")))
    write_jsonl(src, [doc("A/RES/79/1", "2024-09-22", title="New title"),
                      doc("A/RES/79/2", "2024-10-01")])
    summary = ingest.ingest_paths([src], store, progress=False)
    assert (summary.documents, summary.unchanged) == (1, 1)
    texts = {q.object.value for q in store.graph_quads(graph("A/RES/79/1"))
             if isinstance(q.object, ox.Literal)}
    assert "New title" in texts and "Old title" not in texts
    assert set(store.graph_quads(graph("A/RES/79/2"))) == other


def test_cited_only_upgraded_in_place(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    a = write_jsonl(tmp_path / "a.jsonl", [doc("A/RES/79/1", "2024-09-22", ["A/RES/78/3"])])
    ingest.ingest_paths([a], store, progress=False)
    w = work("A/RES/78/3")
    assert cited_only(store) == {w.value}
    # the citing graph says what the citation says: the symbol, never an adoption date
    said = {(q.predicate.value, str(q.object)) for q in store.graph_quads(graph("A/RES/79/1"))
            if q.subject == w}
    assert (RG + "symbol", '"A/RES/78/3"') in said
    assert not any(p == RG + "adoptionDate" for p, _ in said)
    assert store.ask("ASK { ?w <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?u }",
                     {"w": w, "u": ox.NamedNode("https://undocs.org/A/RES/78/3")})

    b = write_jsonl(tmp_path / "b.jsonl", [doc("A/RES/78/3", "2023-12-01")])
    summary = ingest.ingest_paths([b], store, progress=False)
    assert summary.cited_only == 0 and cited_only(store) == set()
    rows = store.select(f"SELECT ?d WHERE {{ ?w <{RG}adoptionDate> ?d }}", {"w": w})
    assert [r["d"].value for r in rows] == ["2023-12-01"]
    # the same IRI: the citation in 79/1 now reaches the full description
    assert store.ask(f"ASK {{ ?c <{RG}citedWork> ?w . ?w <{RG}adoptionDate> ?d }}", {"w": w})


def test_links_out_to_undocs_and_digital_library(tmp_path: Path) -> None:
    sc = ParsedResolution(symbol="S/RES/687 (1991)", organ="SC", language="en", number="687",
                          year=1991, adopted="1991-04-03", title="Iraq-Kuwait",
                          source_format="jsonl")
    store = OxigraphStore(None)
    ingest.ingest_paths([write_jsonl(tmp_path / "sc.jsonl", [sc])], store, progress=False)
    links = {r["u"].value for r in store.select(
        "SELECT ?u WHERE { ?w <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?u }",
        {"w": work("S/RES/687 (1991)")})}
    assert "https://undocs.org/S/RES/687(1991)" in links
    assert ingest.digital_library_records()[687] in links
    assert any(u.startswith("https://digitallibrary.un.org/record/") for u in links)


def test_documents_with_violations_are_not_written(tmp_path: Path) -> None:
    good = doc("A/RES/79/1", "2024-09-22")
    bad = doc("A/RES/79/3", "2024-09-22", yes=-4)  # a negative vote count
    src = write_jsonl(tmp_path / "a.jsonl", [good, bad])
    store = OxigraphStore(None)
    summary = ingest.ingest_paths([src], store, progress=False)
    assert summary.documents == 1 and summary.violations >= 1
    [(file, reason)] = summary.failed
    assert "a.jsonl" in file and "violation" in reason
    assert vocab.adoption_iri("A/RES/79/3") in reason or "79/3" in reason
    assert store.graph_quads(graph("A/RES/79/3")) == []
    assert store.graph_quads(graph("A/RES/79/1"))

    # --allow-invalid: written, and its report says it does not conform
    summary = ingest.ingest_paths([src], store, allow_invalid=True, progress=False)
    assert summary.documents == 1 and not summary.failed
    report = ingest.report_graph_iri("A/RES/79/3", "en")
    assert store.ask("ASK { GRAPH ?r { ?x <http://www.w3.org/ns/shacl#conforms> false } }",
                     {"r": ox.NamedNode(report)})


def test_warnings_are_kept_and_queryable(tmp_path: Path) -> None:
    store = OxigraphStore(None)
    cited = write_jsonl(tmp_path / "cited.jsonl", [doc("A/RES/78/9", "2023-12-01")])
    ingest.ingest_paths([cited], store, progress=False)
    # the date as cited differs from the adoption date only the store knows (context)
    citing = doc("A/RES/79/1", "2024-09-22", ["A/RES/78/9"])
    citing.citations[0].as_cited_date = "2023-12-05"
    summary = ingest.ingest_paths([write_jsonl(tmp_path / "citing.jsonl", [citing])], store,
                                  progress=False)
    assert summary.documents == 1 and summary.warnings >= 1 and not summary.failed
    rows = store.select("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?msg WHERE { GRAPH ?r { ?x sh:resultSeverity sh:Warning ;
                                               sh:focusNode ?focus ; sh:resultMessage ?msg } }""",
                        {"r": ox.NamedNode(ingest.report_graph_iri("A/RES/79/1", "en"))})
    assert rows and any("2023-12-05" in r["msg"].value for r in rows)
    assert all(r["focus"].value.startswith(vocab.expression_iri("A/RES/79/1", "en"))
               for r in rows)


CHILD = textwrap.dedent("""
    import sys, time
    from resograph.graph import ingest
    from resograph.graph.store import OxigraphStore
    store = OxigraphStore(sys.argv[1])
    real_replace, real_write = store.replace_graphs, store.write_nquads
    def noisy(real):
        def write(*args, **kw):
            time.sleep(0.03)  # stands for parsing time: the kill lands while a run is under way
            real(*args, **kw)
            print("committed", flush=True)
        return write
    store.replace_graphs = noisy(real_replace)
    store.write_nquads = noisy(real_write)
    ingest.ingest_paths([sys.argv[2]], store, workers=1, progress=False, batch_size=4)
    print("done", flush=True)
""")


def test_interrupted_ingest_leaves_whole_documents(tmp_path: Path) -> None:
    docs = [doc(f"A/RES/79/{i}", "2024-10-01", [f"A/RES/79/{i + 1}", "A/RES/60/251"])
            for i in range(1, 25)]
    src = write_jsonl(tmp_path / "many.jsonl", docs)
    expected = OxigraphStore(None)
    ingest.ingest_paths([src], expected, progress=False)
    want = {g: len(expected.graph_quads(g)) for g in expected.named_graphs()
            if g.startswith(vocab.GRAPH_DOC_PREFIX)}
    assert len(want) == 24

    path = tmp_path / "store"
    script = CHILD
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(path), str(src)],
                            stdout=subprocess.PIPE, text=True, env=env)
    commits = 0
    for line in proc.stdout:  # type: ignore[union-attr]
        if line.startswith("committed"):
            commits += 1
            if commits == 3:  # the shared graphs, then two batches
                time.sleep(random.uniform(0.0, 0.06))  # somewhere in a later batch
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    store = OxigraphStore(path)
    present = [g for g in store.named_graphs() if g.startswith(vocab.GRAPH_DOC_PREFIX)]
    assert 8 <= len(present) < 24
    for g in present:  # every document fully in (or absent)
        assert len(store.graph_quads(g)) == want[g], g
    summary = ingest.ingest_paths([src], store, progress=False)
    assert summary.unchanged == len(present)
    assert summary.documents == 24 - len(present)
    assert {g for g in store.named_graphs() if g.startswith(vocab.GRAPH_DOC_PREFIX)} == set(want)
    for g, count in want.items():
        assert len(store.graph_quads(g)) == count
    assert cited_only(store) == {vocab.work_iri("A/RES/79/25"), vocab.work_iri("A/RES/60/251")}


def test_bad_files_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "broken.jsonl").write_text('{"symbol": "A/RES/79/1"\n', encoding="utf-8")
    (tmp_path / "notakn.xml").write_bytes(b"<?xml version='1.0'?><html><p>x</p></html>")
    store = OxigraphStore(None)
    summary = ingest.ingest_paths([tmp_path, tmp_path / "missing.txt"], store, progress=False)
    failed = dict(summary.failed)
    assert set(failed) == {str(tmp_path / "broken.jsonl"), str(tmp_path / "notakn.xml"),
                           str(tmp_path / "missing.txt")}
    assert "line 1" in failed[str(tmp_path / "broken.jsonl")]
    assert "AKN" in failed[str(tmp_path / "notakn.xml")]
    assert summary.documents == 0
    assert "failed" in summary.text()


def test_akn_languages_meet_at_one_work(corpus: Path, tmp_path: Path) -> None:
    files = sorted((corpus / "unsc-akn" / "2023").glob("*/S_RES_2672_*.xml"))
    assert len(files) == 6
    store = OxigraphStore(None)
    summary = ingest.ingest_paths(files, store, progress=False, workers=2)
    assert summary.documents == 6, summary.text()
    docs = [g for g in store.named_graphs() if g.startswith(vocab.GRAPH_DOC_PREFIX)]
    assert len(docs) == 6 and {g.rsplit("/", 1)[1] for g in docs} == {
        "en", "fr", "es", "ru", "ar", "zh"}
    w = work("S/RES/2672 (2023)")
    links = {r["u"].value for r in store.select(
        "SELECT ?u WHERE { ?w <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?u }", {"w": w})}
    assert ingest.digital_library_records()[2672] in links
    again = ingest.ingest_paths(files, store, progress=False)
    assert again.unchanged == 6 and again.documents == 0


def _result_keys(results: list) -> set[tuple]:
    return {(r.focus, r.severity, r.shape, r.component, r.constraint, r.value, r.path)
            for r in results}


def test_split_validation_gives_the_joint_results(corpus: Path, tmp_path: Path) -> None:
    """Workers check each document without the store, the main process only the part other
    documents can bear on (``ingest._Cross``): for a batch with stored context (other
    language versions, cited works, deliberate cross-document faults), the results per
    document equal one joint validation of the whole documents with the same context, the
    design it replaced."""
    def files(part: str, pattern: str, a: int, b: int) -> list[Path]:
        return sorted((corpus / part).glob(pattern))[a:b]

    first = write_jsonl(tmp_path / "first.jsonl", [doc("A/RES/80/1", "2025-10-01"),
                                                   doc("A/RES/80/2", "2025-10-01")])
    faults = doc("A/RES/70/5", "2015-10-01", ["A/RES/80/1", "A/RES/70/5"])
    faults.citations[0].as_cited_date = "2025-10-02"  # warning against the stored work
    later = write_jsonl(tmp_path / "later.jsonl",
                        [faults, doc("A/RES/80/2", "2025-10-01", language="fr")])
    store = OxigraphStore(None)
    part1 = [first, *files("unsc-en", "*.txt", 0, 25),
             *files("unga-akn/79/english", "*.xml", 0, 12)]
    ingest.ingest_paths(part1, store, progress=False, workers=1)

    part2 = [later, *files("unsc-en", "*.txt", 25, 45),
             *files("unga-akn/79/french", "*.xml", 0, 12), *files("hrc-fr", "*", 0, 1)]
    ing = ingest._Ingester(store, allow_invalid=True, progress=False, workers=1,
                           opts=ingest.Options())
    ing.docs_graphs = {g for g in store.named_graphs() if g.startswith(vocab.GRAPH_DOC_PREFIX)}
    docs = [d for fn, arg in ing.tasks(part2, set()) for d in fn(arg)[1]]
    assert len(docs) >= 30
    context = ing._context(docs)
    split = ing._validate(docs, context)

    full = [list(ox.parse(d.nquads, format=ox.RdfFormat.N_QUADS)) for d in docs]
    report = ing._validator().validate_quads([q for qs in full for q in qs], context)
    joint = ingest._assign(report.results,
                           [(d.meta.symbol, d.meta.language, d.graph) for d in docs],
                           [{ingest._focus_key(q.subject) for q in qs} for qs in full])
    found = set()
    for d, s, j in zip(docs, split, joint, strict=True):
        assert _result_keys(s) == _result_keys(j), d.meta.file
        found |= {(r.shape or "").rsplit("#", 1)[-1] for r in s}
    # the faults were seen: cross-document (stored work) and within the document
    assert {"CitesLaterShape", "DateAsCitedShape", "SelfCitationShape"} <= found, found
    # what the batch reads of the works it cites (ingest._CITED_FACTS) decides as much as
    # their whole stored descriptions
    assert len(ing._context(docs, full=True)) > len(context)
    with_all = ing._validate(docs, ing._context(docs, full=True))
    for d, s, a in zip(docs, split, with_all, strict=True):
        assert _result_keys(s) == _result_keys(a), d.meta.file


#: the bulk paths: one stream for the run (the embedded store's default), a stream per batch,
#: the buffered loads of a store without streaming (remote engines), one buffer per batch
BULK_MODES = ["stream", "stream-per-batch", "buffer", "buffer-per-batch"]


def bulk_mode(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    if mode.startswith("buffer"):
        monkeypatch.setattr(OxigraphStore, "bulk_stream", lambda self: None)
    if mode.endswith("per-batch"):
        monkeypatch.setattr(ingest, "BULK_SEGMENT", 1)
        monkeypatch.setattr(ingest, "BULK_BUFFER", 1)


@pytest.mark.parametrize("mode", BULK_MODES)
def test_bulk_build_equals_transactional_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               mode: str) -> None:
    """A bulk build gives the same store as one transaction per batch, whether the graphs
    stream into one bulk load or go in buffers, also when every batch is a load of its own
    (loads and marker updates then queue behind each other while the next batches are
    checked)."""
    bulk_mode(monkeypatch, mode)
    docs = [doc(f"A/RES/79/{i}", "2024-10-01", [f"A/RES/79/{i + 1}", "A/RES/60/251"])
            for i in range(1, 40)]
    src = write_jsonl(tmp_path / "many.jsonl", docs)
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    plain = OxigraphStore(tmp_path / "plain")
    bulk = OxigraphStore(tmp_path / "bulk")
    ingest.ingest_paths([src], plain, progress=False, options=opts, batch_size=8)
    summary = ingest.ingest_paths([src], bulk, progress=False, options=opts, batch_size=8,
                                  bulk=True)
    assert summary.documents == 39 and not summary.failed
    assert dump(bulk) == dump(plain)


def test_bulk_run_that_writes_compacts_the_store_once(tmp_path: Path) -> None:
    """A bulk run that wrote documents ends by compacting the store (reads at UN scale search
    every file the bulk loads left otherwise); a run that wrote nothing, a transactional run
    and ``optimize=False`` do not."""
    calls: list[str] = []

    class Counting(OxigraphStore):
        def optimize(self) -> None:
            calls.append(str(self.path))
            super().optimize()

    docs = [doc(f"A/RES/79/{i}", "2024-10-01", ["A/RES/60/251"]) for i in range(1, 6)]
    src = write_jsonl(tmp_path / "five.jsonl", docs)
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    plain = Counting(tmp_path / "plain")
    ingest.ingest_paths([src], plain, progress=False, options=opts)
    assert calls == []
    bulk = Counting(tmp_path / "bulk")
    summary = ingest.ingest_paths([src], bulk, progress=False, options=opts, bulk=True)
    assert calls == [str(tmp_path / "bulk")] and summary.timings["optimize"] >= 0
    assert dump(bulk) == dump(plain)  # compacted, not changed
    again = ingest.ingest_paths([src], bulk, progress=False, options=opts, bulk=True)
    assert again.unchanged == 5 and len(calls) == 1 and "optimize" not in again.timings
    off = Counting(tmp_path / "off")
    ingest.ingest_paths([src], off, progress=False, options=opts, bulk=True, optimize=False)
    assert len(calls) == 1


def test_optimize_refuses_a_read_only_store(tmp_path: Path) -> None:
    OxigraphStore(tmp_path / "s").close()
    with pytest.raises(ReadOnlyError):
        OxigraphStore(tmp_path / "s", read_only=True).optimize()


def test_incomplete_graphs_are_removed_then_ingested_again(tmp_path: Path) -> None:
    """What an interrupted bulk run leaves (a document graph without its rg:sha256 mark)
    is dropped at the start of the next run and the document ingested again."""
    src = write_jsonl(tmp_path / "a.jsonl", [doc("A/RES/79/1", "2024-10-01", ["A/RES/79/2"]),
                                             doc("A/RES/79/3", "2024-10-01")])
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    store = OxigraphStore(tmp_path / "s")
    ingest.ingest_paths([src], store, progress=False, options=opts)
    want = dump(store)
    g = ox.NamedNode(graph("A/RES/79/1"))
    store.update(f"DELETE WHERE {{ GRAPH {g} {{ ?s <{RG}sha256> ?o }} }} ; "
                 f"DELETE WHERE {{ GRAPH {g} {{ ?s <{RG}number> ?o }} }}")
    stray = ox.NamedNode(graph("A/RES/79/9"))
    store.update(f"INSERT DATA {{ GRAPH {stray} {{ {work('A/RES/79/9')} <{RG}number> '9' }} }}")
    summary = ingest.ingest_paths([src], store, progress=False, options=opts)
    assert summary.documents == 1 and summary.unchanged == 1
    assert sum("left incomplete" in n for n in summary.notes) == 2
    assert dump(store) == want


def test_richer_stored_source_is_not_replaced_by_a_poorer_one(tmp_path: Path) -> None:
    """A resolution's PDF text ingested after its AKN file (another run) leaves the AKN
    version in place; another AKN version of it does replace it."""
    store, akn, text = akn_stored_then_text(tmp_path)
    before = dump(store)
    summary = ingest.ingest_paths([write_jsonl(tmp_path / "t.jsonl", [text])], store,
                                  progress=False)
    assert summary.documents == 0 and any("the stored akn version" in n for n in summary.notes)
    assert dump(store) == before
    akn.title = "Corrected"
    summary = ingest.ingest_paths([write_jsonl(tmp_path / "b.jsonl", [akn])], store,
                                  progress=False)
    assert summary.documents == 1
    assert store.select("SELECT ?t WHERE { ?w <http://purl.org/dc/terms/title> ?t }",
                        {"w": work("A/RES/79/1")})[0]["t"].value == "Corrected"


@pytest.mark.parametrize("mode", BULK_MODES)
def test_bulk_run_replacing_a_graph_it_wrote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             mode: str) -> None:
    """In a bulk run, a richer version of a document already streamed, buffered or being
    loaded (AKN after its PDF text, a later batch) replaces it: the loads before it end
    first, then the graph is replaced."""
    bulk_mode(monkeypatch, mode)
    text = doc("A/RES/79/1", "2024-10-01", title="From the PDF")
    text.source_format = "text"
    akn = doc("A/RES/79/1", "2024-10-01", yes=120, title="From the AKN")
    akn.source_format = "akn"
    others = [doc(f"A/RES/79/{i}", "2024-10-01") for i in range(2, 12)]
    src = write_jsonl(tmp_path / "a.jsonl", [text, *others, akn])
    store = OxigraphStore(tmp_path / "s")
    summary = ingest.ingest_paths([src], store, progress=False, batch_size=4, bulk=True)
    assert not summary.failed
    titles = store.select("SELECT ?t WHERE { ?w <http://purl.org/dc/terms/title> ?t }",
                          {"w": work("A/RES/79/1")})
    assert [r["t"].value for r in titles] == ["From the AKN"]
    assert len(store.graph_quads(graph("A/RES/79/12"))) == 0
    assert all(store.graph_quads(graph(f"A/RES/79/{i}")) for i in range(1, 12))


def test_bulk_stream_reports_a_failed_load(tmp_path: Path) -> None:
    """The streaming bulk load hands Oxigraph's own error to the caller (no hang when the
    loader stops reading); its pipe's name is gone as soon as both ends are open."""
    from resograph.graph.store import BulkStream, StoreError

    store = OxigraphStore(tmp_path / "s")
    stream = store.bulk_stream()
    assert isinstance(stream, BulkStream)
    assert not os.path.exists(os.path.dirname(stream._fifo))
    good = f"<{work('A/RES/79/1').value}> <{RG}number> \"1\" <{graph('A/RES/79/1')}> .\n"
    stream.write(good.encode() * 1000)
    stream.write(b"<http://example.org/s> this is not N-Quads .\n")
    # the error comes from a later write or from close, whichever finds the loader stopped;
    # more than a pipe holds after it: the feeder must not block
    with pytest.raises(StoreError, match=r"bulk load failed: .*line 1001"):
        for _ in range(20):
            stream.write(good.encode() * 10_000)
        stream.close()
    with pytest.raises(StoreError, match="bulk load failed"):
        stream.close()  # closing again ends the threads and says the same


def test_interrupted_streaming_run_keeps_its_whole_batches(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    """Ctrl-C during a bulk run: the batches already streamed are loaded and marked complete
    (nothing half-written), and the next run adds only the rest, ending where an
    uninterrupted build ends."""
    docs = [doc(f"A/RES/79/{i}", "2024-10-01", [f"A/RES/79/{i + 1}"]) for i in range(1, 21)]
    src = write_jsonl(tmp_path / "a.jsonl", docs)
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    plain = OxigraphStore(None)
    ingest.ingest_paths([src], plain, progress=False, options=opts, batch_size=4)
    flush = ingest._Ingester.flush
    calls = []

    def interrupted(self: ingest._Ingester, batch: list) -> None:
        calls.append(len(batch))
        if len(calls) == 3:
            raise KeyboardInterrupt
        flush(self, batch)

    monkeypatch.setattr(ingest._Ingester, "flush", interrupted)
    store = OxigraphStore(tmp_path / "s")
    with pytest.raises(KeyboardInterrupt):
        ingest.ingest_paths([src], store, progress=False, options=opts, batch_size=4,
                            bulk=True, workers=1)
    marked = {r["g"].value for r in store.select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{RG}sha256> ?h }} }}")}
    docs_in = {g for g in store.named_graphs() if g.startswith(vocab.GRAPH_DOC_PREFIX)}
    assert marked == docs_in == {graph(f"A/RES/79/{i}") for i in range(1, 9)}
    monkeypatch.setattr(ingest._Ingester, "flush", flush)
    summary = ingest.ingest_paths([src], store, progress=False, options=opts, batch_size=4,
                                  bulk=True)
    assert summary.documents == 12 and summary.unchanged == 8
    assert not any("left incomplete" in n for n in summary.notes)
    assert dump(store) == dump(plain)


def test_failed_streaming_load_marks_nothing(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """When the bulk load itself fails, the run stops with the loader's error and marks no
    graph of that load complete: the next run removes what it left and builds the rest."""
    from resograph.graph.store import BulkStream, StoreError

    docs = [doc(f"A/RES/79/{i}", "2024-10-01") for i in range(1, 13)]
    src = write_jsonl(tmp_path / "a.jsonl", docs)
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    plain = OxigraphStore(None)
    ingest.ingest_paths([src], plain, progress=False, options=opts, batch_size=4)
    write = BulkStream.write

    def corrupt(self: BulkStream, data: bytes) -> None:
        write(self, data + (b"garbage\n" if self.bytes else b""))

    monkeypatch.setattr(BulkStream, "write", corrupt)
    store = OxigraphStore(tmp_path / "s")
    with pytest.raises(StoreError, match="bulk load failed"):
        ingest.ingest_paths([src], store, progress=False, options=opts, batch_size=4,
                            bulk=True, workers=1)
    assert not store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{RG}sha256> ?h }} }}")
    monkeypatch.setattr(BulkStream, "write", write)
    summary = ingest.ingest_paths([src], store, progress=False, options=opts, batch_size=4,
                                  bulk=True)
    assert summary.documents == 12 and not summary.failed
    assert dump(store) == dump(plain)
