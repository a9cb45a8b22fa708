"""Files to a validated store: ``resograph ingest PATH...``.

The pipeline splits each document's work between worker processes and the main process so
that nothing is done per quad in Python in the process that holds the store:

1. **workers**, a chunk of files at a time: read and parse, map to RDF
   (:func:`resograph.graph.rdf.to_quads`), validate the chunk against the shapes with the
   shared facts, keep each document's results about its own nodes, and serialise its graph
   as N-Quads bytes (:func:`_check_chunk`); a document whose graph a source at least as rich
   already took (an AKN file before the PDF of the same resolution) is only identified
   (:class:`_Taken`);
2. **main process**, a batch at a time: the *cross-document* check - the part of each graph
   other documents can bear on (its works and citations, :class:`_Cross`), validated with
   what the store knows about the works the batch cites and about its own works
   (:meth:`_Ingester._context`) - then the batch's bytes go to the store in **one
   transaction** (:meth:`Store.write_nquads`), parsed by Oxigraph itself.

The split gives the results of validating whole documents together with their context
(``tests/test_ingest.py`` checks it). Hence:

* **all or nothing per document**: a crash, Ctrl-C or SIGKILL leaves each document's graph either
  as it was or fully written; the next run picks up where the last one stopped. The exception
  is opt-in: ``bulk=True`` (``ingest --bulk``, for first builds) loads new graphs with the
  store's bulk loader, on a loader thread beside the checks of the next batches, and writes
  their ``rg:sha256`` completion marks afterwards in one transaction; a graph an interrupted
  bulk run left without its mark is removed at the start of the next run
  (:meth:`_Ingester.remove_incomplete`).
* **idempotent**: a document whose source SHA-256 (``rg:sha256``) and extractor version are
  already in the store is skipped before it is even parsed; a changed file replaces its named
  graph atomically (graph IRI = :func:`resograph.graph.vocab.graph_iri` of symbol and language).
* **validation reports**: documents with violations are not written (``allow_invalid=True``
  writes them and their report says ``sh:conforms false``). Warnings (and, with
  ``allow_invalid``, violations) are stored as a SHACL report in a sibling named graph
  ``BASE/graph/report/{symbol}/{lang}`` (:func:`report_graph_iri`): one ``sh:ValidationReport``
  node (the graph IRI itself) with ``sh:result`` nodes carrying ``sh:focusNode``,
  ``sh:resultPath``, ``sh:resultSeverity`` and ``sh:resultMessage``; it is replaced with the
  document, so ``SELECT ?f ?m { ?r sh:resultSeverity sh:Warning ; sh:focusNode ?f ;
  sh:resultMessage ?m }`` lists the current warnings of the whole store.
* **cited-only works**: the citing document's graph says only what its citation says about the
  cited work. Whether a cited work is known *only* through citations is a derived fact kept in
  one graph of its own, :data:`GRAPH_CITED_ONLY` (``<work> rg:citedOnly true`` and its
  ``https://undocs.org/`` link), updated after each batch and reconciled at the start of every
  run. When the work's own text is ingested, its marker is removed and the same IRI gains the
  full description from its document graph. ``rg:citedOnly`` is functional in the ontology, so
  it is never asserted ``false`` anywhere: a full work simply has no marker.
* **links out**: each ingested resolution's graph links the work to ``https://undocs.org/`` +
  symbol and, for Security Council resolutions, to its UN Digital Library record
  (``graph/data/unsc-digital-library-records.csv``), both with ``rdfs:seeAlso``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from resograph import __version__
from resograph.graph import vocab
from resograph.graph.model import ParsedResolution, ParseError
from resograph.graph.store import BulkStream, OxigraphStore, Store

#: Named graph of the derived "known only through citations" markers (see module docstring).
GRAPH_CITED_ONLY = vocab.GRAPH_CITED_ONLY
#: Prefix of the per-document SHACL report graphs.
GRAPH_REPORT_PREFIX = vocab.BASE + "graph/report/"

#: File suffixes ``ingest`` reads from folders (single files of other kinds are refused).
SUFFIXES = (".txt", ".pdf", ".docx", ".xml", ".jsonl")
#: When two inputs give the same document (symbol + language), the richer source wins.
_FORMAT_RANK = {"akn": 5, "docx": 4, "pdf": 3, "text": 2, "jsonl": 1}
#: The same order by file suffix, to read richer files first (.xml is AKN4UN).
_SUFFIX_RANK = {suffix: _FORMAT_RANK[fmt] for suffix, fmt in (
    (".xml", "akn"), (".docx", "docx"), (".pdf", "pdf"), (".txt", "text"), (".jsonl", "jsonl"))}

#: Documents per write transaction (and per cross-document validation call).
BATCH_SIZE = 64
#: Files per worker task, JSON Lines records per worker task: each task's documents are
#: validated in one call (a call has a fixed cost, see :func:`_check_chunk`).
FILES_PER_TASK = 16
LINES_PER_TASK = 128
#: ``bulk`` on a store without a streaming bulk loader (:meth:`Store.bulk_stream`): bytes of
#: N-Quads loaded at a time (~6 million quads). Each load adds files that the store merges
#: with the earlier ones: at 10,000 synthetic resolutions (10 M quads), 1 GB loads wrote 5.3 GB
#: against 12.9 GB for 256 MB loads, took 11 % less time and left a 13 % smaller store, for
#: 1.5 GB more peak memory (bench/bench_bulk_buffer.py).
BULK_BUFFER = 1024 * 2**20
#: ``bulk`` on the embedded store: bytes of N-Quads per bulk load, fed to the loader while the
#: run goes on (:class:`resograph.graph.store.BulkStream`: memory does not grow with it). One
#: load per 8 GB (~35 million quads; the whole corpus and 10,000 synthetic resolutions are
#: one load, 100,000 about four): fewer loads write less and leave a smaller store, and an
#: interrupted run keeps the loads it finished (their completion marks are written after
#: each load).
BULK_SEGMENT = 8 * 2**30

_RG = "https://w3id.org/resograph/ontology#"
_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
_CITED_ONLY = ox.NamedNode(_RG + "citedOnly")
_SYMBOL = ox.NamedNode(_RG + "symbol")
_CITED_WORK = ox.NamedNode(_RG + "citedWork")
_SHA256_NODE = ox.NamedNode(_RG + "sha256")
_TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_BOOL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_PREFIX = f"PREFIX rg: <{_RG}>\n"


def report_graph_iri(symbol: str, language: str) -> str:
    """Named graph holding the SHACL report (warnings) of one document graph."""
    return f"{GRAPH_REPORT_PREFIX}{vocab.symbol_path(symbol)}/{language}"


def undocs_url(symbol: str) -> str:
    """The UN's official document address of a symbol."""
    return "https://undocs.org/" + vocab.symbol_path(symbol)


@lru_cache(maxsize=1)
def digital_library_records() -> dict[int, str]:
    """Security Council resolution number -> UN Digital Library record URL (shipped table)."""
    path = Path(__file__).parent / "data" / "unsc-digital-library-records.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return {int(row["res_no"]): row["url_record"] for row in csv.DictReader(fh)}


def link_quads(parsed: ParsedResolution, graph: ox.NamedNode) -> list[ox.Quad]:
    """``rdfs:seeAlso`` links from the work to undocs.org and the UN Digital Library."""
    work = ox.NamedNode(vocab.work_iri(parsed.symbol))
    out = [ox.Quad(work, _SEE_ALSO, ox.NamedNode(undocs_url(parsed.symbol)), graph)]
    if parsed.organ == "SC" and parsed.number and str(parsed.number).isdigit():
        url = digital_library_records().get(int(parsed.number))
        if url:
            out.append(ox.Quad(work, _SEE_ALSO, ox.NamedNode(url), graph))
    return out


# --------------------------------------------------------------------------- summary


class IngestError(Exception):
    """Ingest cannot go on (the shapes or the store failed, not one document)."""


@dataclass
class Summary:
    """What one ingest run did; :meth:`text` is what ``resograph ingest`` prints."""

    documents: int = 0  # documents written (new or replaced)
    unchanged: int = 0  # skipped: same source SHA-256 already in the store
    triples: int = 0  # quads written (documents, reports, links)
    citations: int = 0  # citations in the documents written
    cited_only: int = 0  # cited-only works in the store after the run
    warnings: int = 0
    violations: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    graphs: list[str] = field(default_factory=list)  # document graphs written
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (main process)

    def text(self, limit: int | None = None) -> str:
        """The summary, with every note and failure, or at most ``limit`` of each (a
        benchmark prints hundreds of "same document as" notes otherwise)."""
        rate = self.documents / self.seconds if self.seconds else 0.0
        lines = [
            f"documents: {self.documents} written, {self.unchanged} unchanged, "
            f"{len(self.failed)} failed",
            f"triples: {self.triples}",
            f"citations: {self.citations}",
            f"cited-only nodes: {self.cited_only}",
            f"warnings: {self.warnings}",
            f"violations: {self.violations}",
            f"time: {self.seconds:.1f} s ({rate:.1f} documents/s)",
        ]
        notes, failed = self.notes[:limit], self.failed[:limit]
        lines += [f"note: {n}" for n in notes]
        if len(notes) < len(self.notes):
            lines.append(f"note: ... and {len(self.notes) - len(notes)} more notes")
        lines += [f"failed: {f}: {r}" for f, r in failed]
        if len(failed) < len(self.failed):
            lines.append(f"failed: ... and {len(self.failed) - len(failed)} more failures")
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- reading (workers)


@dataclass(frozen=True)
class Options:
    """How workers read and map documents (picklable, so it crosses process boundaries)."""

    lang: str | None = None
    extractor_version: str = __version__
    ingested_at: str | None = None  # ISO time; None = now (a fixed value for reproducible builds)
    strip_text: bool = False  # facts only: drop paragraph and footnote text (default dataset)
    root: str | None = None  # record source files relative to this folder


@dataclass(frozen=True)
class _Meta:
    """What the main process needs to know of a parsed document (not its paragraphs)."""

    symbol: str
    language: str
    file: str
    source_format: str | None
    source_sha256: str | None
    citations: int
    cited: frozenset[str]  # IRIs of the resolutions and decisions it cites


@dataclass
class _Doc:
    """One document, mapped and checked on its own by a worker, ready for the cross-document
    check and the write.

    ``nquads`` is the document graph as N-Quads but its completion mark (the ``rg:sha256``
    triple), which is ``marks``: the main process hands those bytes to the store as they
    are, never re-parsing them into Python objects (that, not the store, was most of a
    build's cost), and the bulk loader writes the marks last without scanning the batch for
    them. ``extract`` is the part of the graph that facts from other documents can bear on
    (:class:`_Cross`), also as N-Quads (parsed by Oxigraph in the main process: ~3x cheaper
    than unpickling quad objects), ``holders`` the focus keys of its subjects; ``local`` the
    SHACL results about everything else, computed in the worker (see :func:`_check_chunk`)."""

    meta: _Meta
    graph: str
    nquads: bytes
    marks: bytes
    count: int
    cross: _Cross
    extract: bytes
    holders: frozenset[str]
    local: list[Any]
    facts: tuple[bytes, bytes]  # about its own work, for later batches (_facts_blobs)


@dataclass(frozen=True)
class _Taken:
    """A document a worker read but did not map: its graph was already taken by a source at
    least as rich (written earlier in the run, or stored from a richer format; see
    :meth:`_Ingester.need`), so :meth:`_Ingester._dedupe` will drop it. The worker stops
    once the extractor has told it the document's identity (symbol, language: the content
    decides, not the file name) and skips the RDF, the SHACL check and the N-Quads; the main
    process still sees it in its place in the batch and writes the same note as for a
    mapped duplicate. ``meta`` names the file, identity and format (no citations)."""

    meta: _Meta
    graph: str


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_file(path: Path, lang: str | None) -> ParsedResolution:
    """Parse one source file (AKN recognised by its namespace, not its name)."""
    if path.suffix.lower() == ".xml":
        from resograph.graph import akn

        with path.open("rb") as fh:
            head = fh.read(4096)
        if not akn.is_akn(head):
            raise ParseError("XML but not Akoma Ntoso (AKN4UN) XML", source=str(path))
        return akn.parse_akn(path)
    from resograph.graph import extract

    return extract.extract_file(path, lang=lang)


def _strip(parsed: ParsedResolution) -> None:
    """Facts only: remove the sentences, keep structure, verbs, citations and requests."""
    for p in parsed.paragraphs:
        p.text = ""
        p.footnotes = []


def _doc_quads(parsed: ParsedResolution, opts: Options) -> list[ox.Quad]:
    from resograph.graph import rdf

    quads = rdf.to_quads(parsed, extractor_version=opts.extractor_version,
                         ingested_at=opts.ingested_at)
    g = ox.NamedNode(vocab.graph_iri(parsed.symbol, parsed.language))
    # the marker "known only through citations" is kept in GRAPH_CITED_ONLY, not in the
    # citing graph (it would stay true in the union after the cited text is ingested)
    return [q for q in quads if q.predicate != _CITED_ONLY] + link_quads(parsed, g)


def _identify(parsed: ParsedResolution, sha: str, source: str, fmt: str,
              opts: Options) -> tuple[str, str | None]:
    """Fill in the file, format and hash the store records; -> (graph IRI, source format),
    which decide whether the document is :class:`_Taken`."""
    if not parsed.source_sha256:
        parsed.source_sha256 = sha
    if parsed.file is None or opts.root is not None:
        parsed.file = source
    if fmt == "jsonl" and parsed.source_format in (None, ""):
        parsed.source_format = "jsonl"
    return vocab.graph_iri(parsed.symbol, parsed.language), parsed.source_format


def _taken(parsed: ParsedResolution, graph: str, source: str) -> _Taken:
    return _Taken(_Meta(parsed.symbol, parsed.language, parsed.file or source,
                        parsed.source_format, parsed.source_sha256, 0, frozenset()), graph)


def _is_taken(graph: str, source_format: str | None, need: dict[str, int]) -> bool:
    """Whether :meth:`_Ingester._dedupe` is sure to drop a document of ``source_format``
    for ``graph`` (``need``: :meth:`_Ingester.need`)."""
    return _FORMAT_RANK.get(source_format or "", 0) < need.get(graph, 0)


def _prepare(parsed: ParsedResolution, sha: str, source: str, fmt: str,
             opts: Options) -> tuple[_Meta, list[ox.Quad]]:
    _identify(parsed, sha, source, fmt, opts)
    if opts.strip_text:
        _strip(parsed)
    meta = _Meta(parsed.symbol, parsed.language, parsed.file or source, parsed.source_format,
                 parsed.source_sha256, len(parsed.citations), frozenset(_cited_works(parsed)))
    return meta, _doc_quads(parsed, opts)


def _probe_pdf(path: Path, lang: str | None, need: dict[str, int]) -> ParsedResolution | None:
    """The extractor's reading of a PDF's first page when it shows that the document is
    taken (:func:`_is_taken`); None otherwise, and the whole file is read as usual.

    pypdf reading the pages after the first is ~85% of the cost of a PDF (0.1 s a page, the
    extractor takes milliseconds), and the extractor finds a resolution's symbol and
    language at the head of its text: the own-symbol line, title line and organ line of the
    first page (the 40 PDFs of the corpus: the identity of the whole text, every one). The
    content must decide: when the first page names no symbol, the extractor falls back on
    the file name (as for the whole file, same ``source`` as :func:`extract.extract_file`),
    which is no reason to skip a file; hence the second reading without the name."""
    from resograph.graph import extract, readers

    try:
        text = readers.read_pdf(path, pages=1)
        parsed = extract.extract_text(text, lang=lang, source=str(path))
        if not _is_taken(vocab.graph_iri(parsed.symbol, parsed.language), "pdf", need):
            return None
        unnamed = extract.extract_text(text, lang=lang)
    except Exception:  # whatever it is, the full read meets it again and reports it
        return None
    if (unnamed.symbol, unnamed.language) != (parsed.symbol, parsed.language):
        return None
    parsed.file = str(path)
    parsed.source_format = "pdf"
    return parsed


#: The validator workers use: set by the parent before it forks them (ingest_paths'
#: ``validator``), the shipped shapes otherwise.
_VALIDATOR: Any = None


def _worker_validator() -> Any:
    if _VALIDATOR is not None:
        return _VALIDATOR
    from resograph.graph.validate import default_validator

    return default_validator()


@lru_cache(maxsize=1)
def _shared_context() -> tuple[ox.Quad, ...]:
    """The shared facts (organs, instruments, verb concepts) a document is checked with; the
    validator brings the ontology itself."""
    from resograph.graph import rdf

    # member states (six names each) are left out: no shape on a document's nodes reads them,
    # and they would be half of what every validator call indexes
    states = vocab.state_iri("")
    return tuple(q for q in rdf.shared_quads() if q.graph_name.value != vocab.GRAPH_ONTOLOGY
                 and not (isinstance(q.subject, ox.NamedNode)
                          and q.subject.value.startswith(states)))


#: Shapes on citation nodes that read the cited work's own description, which lives in
#: another document's graph: checked by the main process with the store's context.
_CROSS_CITATION_SHAPES = frozenset({"https://w3id.org/resograph/shapes#DateAsCitedShape"})
_CROSS_CITATION_PREDICATES = frozenset({_RDF_TYPE, _CITED_WORK,
                                        ox.NamedNode(_RG + "dateAsCited")})
_ONE_HOP_PREDICATES = frozenset({_RDF_TYPE, ox.NamedNode(_RG + "sessionNumber"),
                                 ox.NamedNode(_RG + "sessionOf")})


@dataclass(frozen=True)
class _Cross:
    """The part of a document graph whose SHACL results can depend on other documents.

    ``works``: whatever has an ``rg:symbol`` - the document's own work and the stubs of the
    works it cites, whose full descriptions live in other graphs; ``citations``: citation
    nodes, for the shapes that compare them with the cited work
    (:data:`_CROSS_CITATION_SHAPES`). Every other node (language version, paragraphs,
    requests, adoption, votes...) is described by its own document graph alone: the context
    the store adds (:meth:`_Ingester._context`) is made of triples *about works* and the
    types of what they point at, and no other shape reaches a work. ``tests/test_ingest.py``
    checks that this split gives the results of validating everything together.
    """

    works: frozenset[str]
    citations: frozenset[str]

    def covers(self, result: Any) -> bool:
        """Whether ``result`` is the cross-document check's to report."""
        return self.covers_focus(result.shape, result.focus)

    def covers_focus(self, shape: str | None, focus: str) -> bool:
        return focus in self.works or (focus in self.citations
                                       and shape in _CROSS_CITATION_SHAPES)

    def extract(self, quads: Sequence[ox.Quad], keys: dict[Any, str]) -> list[ox.Quad]:
        """The triples the cross-document check needs: those about the works, the types of
        what they point at (for ``sh:class``) and the sessions' number and organ (the
        shapes on works look one hop away for nothing else), and the citations' type, cited
        work and date as cited. ``keys``: :func:`_subject_keys` of ``quads``."""
        works = {t for t, k in keys.items() if k in self.works}
        citations = {t for t, k in keys.items() if k in self.citations}
        near = {q.object for q in quads if q.subject in works}
        return [q for q in quads
                if (s := q.subject) in works
                or (s in near and q.predicate in _ONE_HOP_PREDICATES)
                or (s in citations and q.predicate in _CROSS_CITATION_PREDICATES)]


def _subject_keys(quads: Iterable[ox.Quad]) -> dict[Any, str]:
    """Each subject of ``quads`` -> its :func:`_focus_key`, computed once per node, not per
    quad (a document has ~1,500 quads about ~300 nodes; ``.value`` builds a new string at
    every access)."""
    return {s: _focus_key(s) for s in {q.subject for q in quads}}


#: What the cross-document check reads of a *cited* work's stored description: what a
#: citation's stub can contradict (symbol, organ, session, number, year, kind) and what the
#: shapes compare with the citing document (adoption date; language versions and title, which
#: decide whether the work counts as ingested). The rest of a stored work (what it cites, its
#: subjects, sponsors, meeting...) is checked when that work is written and by whole-store
#: validation, not again for every document citing it: a much-cited work would bring it into
#: thousands of batches.
_CITED_FACTS = frozenset(ox.NamedNode(i) for i in (
    _RDF_TYPE.value, _RG + "symbol", _RG + "organ", _RG + "session", _RG + "number",
    _RG + "year", _RG + "adoptionDate", _RG + "citedOnly", _RG + "hasLanguageVersion",
    "http://purl.org/dc/terms/title"))


def _facts_blobs(work: ox.NamedNode, quads: Sequence[ox.Quad]) -> tuple[bytes, bytes]:
    """What a graph says about ``work``, with the types of what that points at: everything
    (context of the other language versions of the work), and the :data:`_CITED_FACTS` part
    (context of documents citing it)."""
    mine = [q for q in quads if q.subject == work]
    cited = [q for q in mine if q.predicate in _CITED_FACTS]
    objects = {q.object for q in mine}
    types = [q for q in quads if q.predicate == _RDF_TYPE and q.subject in objects]
    cited_objects = {q.object for q in cited}
    nq = ox.RdfFormat.N_QUADS
    return (ox.serialize(mine + types, format=nq),
            ox.serialize(cited + [q for q in types if q.subject in cited_objects], format=nq))


def _own_facts(meta: _Meta, extract: Sequence[ox.Quad]) -> tuple[bytes, bytes]:
    """A document graph's facts about its own work (:func:`_facts_blobs`): the context later
    documents citing the work, or other language versions of it, are checked with
    (:meth:`_Ingester._context`)."""
    return _facts_blobs(ox.NamedNode(vocab.work_iri(meta.symbol)), extract)


def _check_chunk(items: list[tuple[_Meta, list[ox.Quad]]]) -> list[_Doc]:
    """Worker side of validation: the chunk's documents are validated together with the
    shared facts, and each keeps the results about its own nodes except the cross-document
    ones (:class:`_Cross`), which the main process checks per batch with what the store
    knows (:meth:`_Ingester._validate`). One validator call per chunk, not per document: a
    call has a fixed cost (the ontology, the checks' set-up) of ~15 ms."""
    if not items:
        return []
    graphs = [vocab.graph_iri(m.symbol, m.language) for m, _ in items]
    if len(set(graphs)) < len(graphs):
        # two versions of one document (its AKN file and its PDF text): checked apart, the
        # main process keeps the richer (_Ingester._dedupe)
        layers: list[list[int]] = []
        for i, g in enumerate(graphs):
            for layer in layers:
                if all(graphs[j] != g for j in layer):
                    layer.append(i)
                    break
            else:
                layers.append([i])
        done = {i: d for layer in layers
                for i, d in zip(layer, _check_chunk([items[j] for j in layer]), strict=True)}
        return [done[i] for i in range(len(items))]
    report = _worker_validator().validate_quads([q for _, qs in items for q in qs],
                                                _shared_context())
    if report.errors:
        raise IngestError("validation failed: " + "; ".join(report.errors))
    keys = [(m.symbol, m.language, g) for (m, _), g in zip(items, graphs, strict=True)]
    subject_keys = [_subject_keys(qs) for _, qs in items]  # one pass per document, used twice
    per = _assign(report.results, keys, [set(k.values()) for k in subject_keys])
    out = []
    nq = ox.RdfFormat.N_QUADS
    for (meta, quads), g, results, subjects in zip(items, graphs, per, subject_keys,
                                                   strict=True):
        # one pass (each .predicate, .subject builds a new object): the completion mark
        # apart (see _Doc), and the nodes that make up the document's _Cross
        body: list[ox.Quad] = []
        marks: list[ox.Quad] = []
        works: set[str] = set()
        citations: set[str] = set()
        for q in quads:
            p = q.predicate
            if p == _SHA256_NODE:
                marks.append(q)
                continue
            body.append(q)
            if p == _SYMBOL:
                works.add(subjects[q.subject])
            elif p == _CITED_WORK:
                citations.add(subjects[q.subject])
        cross = _Cross(frozenset(works), frozenset(citations))
        local = [r for r in results if not cross.covers(r)]
        extract = cross.extract(quads, subjects)
        out.append(_Doc(meta, g, ox.serialize(body, format=nq), ox.serialize(marks, format=nq),
                        len(quads), cross, ox.serialize(extract, format=nq),
                        frozenset(subjects[s] for s in {q.subject for q in extract}), local,
                        _own_facts(meta, extract)))
    return out


def _in_order(entries: list[_Taken | tuple[_Meta, list[ox.Quad]]]) -> list[_Doc | _Taken]:
    """The mapped entries checked (:func:`_check_chunk`), each result in its entry's place:
    the main process batches and deduplicates documents in file order."""
    checked = iter(_check_chunk([e for e in entries if not isinstance(e, _Taken)]))
    return [e if isinstance(e, _Taken) else next(checked) for e in entries]


def _work_files(task: tuple[list[tuple[str, str]], Options, dict[str, int]]
                ) -> tuple[list[tuple[str, str]], list[_Doc | _Taken], int]:
    """Worker: read a chunk of files -> (failures as (file, reason), documents, files).
    ``need``: see :meth:`_Ingester.need`; while some graph is taken, a PDF's first page is
    read first (:func:`_probe_pdf`)."""
    files, opts, need = task
    failed: list[tuple[str, str]] = []
    entries: list[_Taken | tuple[_Meta, list[ox.Quad]]] = []
    for path_s, sha in files:
        source = os.path.relpath(path_s, opts.root) if opts.root else path_s
        path = Path(path_s)
        try:
            probe = (_probe_pdf(path, opts.lang, need)
                     if need and path.suffix.lower() == ".pdf" else None)
            if probe is not None:
                g, _ = _identify(probe, sha, source, "file", opts)
                entries.append(_taken(probe, g, source))
                continue
            parsed = _read_file(path, opts.lang)
            g, fmt = _identify(parsed, sha, source, "file", opts)
            if _is_taken(g, fmt, need):
                entries.append(_taken(parsed, g, source))
                continue
            entries.append(_prepare(parsed, sha, source, "file", opts))
        except ParseError as exc:
            failed.append((path_s, str(exc)))
        except Exception as exc:  # a bad file must not stop the run
            failed.append((path_s, f"{type(exc).__name__}: {exc}"))
    return failed, _in_order(entries), len(files)


def _work_lines(task: tuple[str, list[tuple[int, str, str]], Options, dict[str, int]]
                ) -> tuple[list[tuple[str, str]], list[_Doc | _Taken], int]:
    """Worker: JSON Lines records (line number, sha, text) -> (failures, documents, 0)."""
    path_s, lines, opts, need = task
    source = os.path.relpath(path_s, opts.root) if opts.root else path_s
    entries: list[_Taken | tuple[_Meta, list[ox.Quad]]] = []
    errors = []
    for lineno, sha, text in lines:
        try:
            parsed = ParsedResolution.from_json(json.loads(text))
            parsed.source_format = parsed.source_format or "jsonl"
            where = f"{source}:{lineno}"
            g, fmt = _identify(parsed, sha, where, "jsonl", opts)
            if _is_taken(g, fmt, need):
                entries.append(_taken(parsed, g, where))
                continue
            entries.append(_prepare(parsed, sha, where, "jsonl", opts))
        except (ValueError, TypeError, KeyError) as exc:
            errors.append(f"line {lineno}: {exc}")
    failed = [(path_s, "; ".join(errors))] if errors else []
    return failed, _in_order(entries), 0


def _focus_key(term: Any) -> str:
    """A node as validation results name it (``Result.focus``)."""
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _assign(results: Iterable[Any], docs: Sequence[tuple[str, str, str]],
            holders: Sequence[set[str]], sources: dict[str, int] | None = None
            ) -> list[list[Any]]:
    """Results per document (``docs``: symbol, language, graph; ``holders``: the nodes each
    states something about).

    A result is pinned on the document it is about: the language version whose IRIs the
    focus node lives under; for a work-level focus, the work's own document(s) (the one the
    validator names as ``Result.source`` when it is one of them), not the documents that
    merely cite that work; otherwise the document graph holding the focus node, or failing
    that every document stating something about it. Results about nodes no document
    describes come from the context alone (stored data) and are left to whole-store
    validation.
    """
    index = {g: i for i, (_, _, g) in enumerate(docs)}
    by_expr = {vocab.expression_iri(s, lang): i for i, (s, lang, _) in enumerate(docs)}
    by_work: dict[str, list[int]] = {}
    for i, (s, _, _) in enumerate(docs):
        by_work.setdefault(vocab.work_iri(s), []).append(i)
    holder_of: dict[str, set[int]] = {}
    for i, nodes in enumerate(holders):
        for n in nodes:
            holder_of.setdefault(n, set()).add(i)
    per: list[list[Any]] = [[] for _ in docs]

    def under(focus: str, base: str) -> bool:
        return focus == base or focus.startswith(base + "/")

    for r in results:
        focus = r.focus
        if focus not in holder_of:
            continue  # about stored data only (context): whole-store validation's job
        owners = [i for e, i in by_expr.items() if under(focus, e)]
        if not owners:
            for w, idx in by_work.items():
                if under(focus, w):
                    named = [i for i in idx if docs[i][2] == r.source]
                    owners = named or idx
                    break
        if not owners and r.source in index:
            owners = [index[r.source]]
        if not owners:
            owners = sorted(holder_of[focus])
        for i in owners:
            per[i].append(r)
    return per


# --------------------------------------------------------------------------- the run


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files named, and the readable files under folders named (sorted, recursive)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*")
                              if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            yield p


def _stored_state(store: Store) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """Source hashes already in the store (with this extractor version), the graph each
    document's hash lives in, and the source format each document graph was read from."""
    rows = store.select(
        _PREFIX + "SELECT ?g ?sha ?v ?f WHERE { GRAPH ?g { ?x rg:sha256 ?sha . "
        "OPTIONAL { ?x rg:extractorVersion ?v } OPTIONAL { ?x rg:sourceFormat ?f } } }")
    shas: set[str] = set()
    by_graph: dict[str, str] = {}
    formats: dict[str, str] = {}
    for r in rows:
        g = r["g"].value
        if not g.startswith(vocab.GRAPH_DOC_PREFIX):
            continue
        sha = r["sha"].value
        by_graph[g] = sha
        if "f" in r:
            formats[g] = r["f"].value
        if "v" not in r or r["v"].value == __version__:
            shas.add(sha)
    return shas, by_graph, formats


def _work_of_graph(graph: str) -> str | None:
    """``BASE/graph/doc/A/RES/79/1/en`` -> ``BASE/doc/A/RES/79/1``."""
    if not graph.startswith(vocab.GRAPH_DOC_PREFIX):
        return None
    return vocab.BASE + "doc/" + graph[len(vocab.GRAPH_DOC_PREFIX):].rsplit("/", 1)[0]


def _cited_works(parsed: ParsedResolution) -> set[str]:
    return {vocab.work_iri(c.target) for c in parsed.citations
            if c.type in ("resolution", "decision")}


def _shape_of(quads: Iterable[ox.Quad]) -> list[str]:
    """A graph's quads with blank node labels blanked, sorted: equal for re-parsed copies of
    the same file (blank node labels differ between parses)."""
    def t(term: Any) -> str:
        return "_:b" if isinstance(term, ox.BlankNode) else str(term)
    return sorted(f"{t(q.subject)} {q.predicate} {t(q.object)}" for q in quads)


class _Ingester:
    def __init__(self, store: Store, *, allow_invalid: bool, progress: bool | None,
                 workers: int | None, opts: Options, batch_size: int = BATCH_SIZE,
                 bulk: bool = False, validator: Any = None, optimize: bool = True) -> None:
        self.store = store
        self.optimize = optimize
        self.allow_invalid = allow_invalid
        self.opts = opts
        self.batch_size = batch_size
        self.bulk = bulk
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.show_progress = progress if progress is not None else sys.stderr.isatty()
        self.summary = Summary()
        self.validator: Any = validator
        self.done_graphs: dict[str, str] = {}  # graphs written in this run -> file
        self.done_rank: dict[str, int] = {}
        # graph -> the least format rank a document for it needs not to be dropped (need)
        self._need: dict[str, int] = {}
        self.bar: Any = None
        self._work_graphs: dict[str, set[str]] | None = None  # see _works_with_text
        # work -> graph -> N-Quads of what that graph says about the work (see _context),
        # and the works whose every stored graph is in there
        self._facts: dict[str, dict[str, tuple[bytes, bytes]]] = {}
        self._facts_loaded: set[str] = set()
        self._pending: list[bytes] = []  # bulk mode: N-Quads not yet loaded (see write)
        self._pending_marks: list[bytes] = []  # ... and their completion marks
        self._pending_graphs: set[str] = set()
        self._pending_size = 0
        # bulk mode on the embedded store: the load the pending graphs stream into (their
        # marks wait in _pending_marks); None between loads and on stores without a stream
        self._stream: BulkStream | None = None
        # bulk mode: store writes run on one loader thread, in order, beside the checks of
        # the next batches (the bulk loader releases the GIL); see _background
        self._loader: ThreadPoolExecutor | None = None
        self._queued: list[Future[Any]] = []
        self._queued_graphs: set[str] = set()
        self._marks: set[str] = set()  # works marked cited-only in the store (see _apply_marks)

    # -- setup ---------------------------------------------------------------------------
    def _validator(self) -> Any:
        if self.validator is None:
            from resograph.graph.validate import default_validator

            self.validator = default_validator()
        return self.validator

    # -- tasks ---------------------------------------------------------------------------
    def need(self, floor: int) -> dict[str, int]:
        """Graph -> the least format rank (:data:`_FORMAT_RANK`) a document for it must have
        not to be dropped by :meth:`_dedupe`: one above the rank of what this run wrote
        there, else the rank of the stored format; only the entries above ``floor`` (the
        rank of the poorest file of a task). Sent with each task, so that workers do not map
        and check documents that will be dropped (:class:`_Taken`). Ranks only grow during
        a run, so a document taken when its task was sent is still dropped when its batch
        is flushed, by the same rule and with the same note."""
        return {g: n for g, n in self._need.items() if n > floor}

    def tasks(self, files: Sequence[Path], known: set[str]
              ) -> Iterator[tuple[Callable[..., Any], Any]]:
        chunk_files: list[tuple[str, str]] = []
        for path in files:
            if path.suffix.lower() == ".jsonl":
                chunk: list[tuple[int, str, str]] = []
                try:
                    fh = path.open(encoding="utf-8")
                except OSError as exc:
                    self.summary.failed.append((str(path), str(exc)))
                    continue
                with fh:
                    for lineno, line in enumerate(fh, 1):
                        if not line.strip():
                            continue
                        sha = hashlib.sha256(line.rstrip("\n").encode()).hexdigest()
                        if sha in known:
                            self.summary.unchanged += 1
                            continue
                        chunk.append((lineno, sha, line))
                        if len(chunk) >= LINES_PER_TASK:
                            yield _work_lines, (str(path), chunk, self.opts, self.need(0))
                            chunk = []
                if chunk:
                    yield _work_lines, (str(path), chunk, self.opts, self.need(0))
                continue
            try:
                sha = sha256_file(path)
            except OSError as exc:
                self.summary.failed.append((str(path), exc.strerror or str(exc)))
                continue
            if path.suffix.lower() not in SUFFIXES:
                self.summary.failed.append((str(path), "not a resolution file (expected "
                                            + ", ".join(SUFFIXES) + ")"))
                continue
            if sha in known:
                self.summary.unchanged += 1
                if self.bar is not None:
                    self.bar.update(1)
                continue
            chunk_files.append((str(path), sha))
            if len(chunk_files) >= FILES_PER_TASK:
                yield _work_files, (chunk_files, self.opts, self._files_need(chunk_files))
                chunk_files = []
        if chunk_files:
            yield _work_files, (chunk_files, self.opts, self._files_need(chunk_files))

    def _files_need(self, files: list[tuple[str, str]]) -> dict[str, int]:
        """:meth:`need` for a chunk of files (a file's suffix tells its format's rank)."""
        return self.need(min(_SUFFIX_RANK.get(Path(f).suffix.lower(), 0) for f, _ in files))

    def results(self, tasks: Iterator[tuple[Callable[..., Any], Any]]
                ) -> Iterator[tuple[list[tuple[str, str]], list[_Doc | _Taken], int]]:
        global _VALIDATOR
        _VALIDATOR = self._validator()  # compiled once, inherited by the forked workers
        first = list(itertools.islice(tasks, 2))
        if self.workers <= 1 or len(first) < 2:
            for fn, arg in itertools.chain(first, tasks):
                yield fn(arg)
            return
        tasks = itertools.chain(first, tasks)
        # fork: workers need no re-import of the caller's __main__ and start at once; they
        # never touch the store the parent holds open
        ctx = get_context("fork" if sys.platform.startswith("linux") else "spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            pending: list[Any] = []
            for fn, arg in tasks:
                pending.append(pool.submit(fn, arg))
                if len(pending) >= self.workers * 3:
                    yield pending.pop(0).result()
            for fut in pending:
                yield fut.result()

    # -- run -----------------------------------------------------------------------------
    def run(self, paths: Iterable[Path | str]) -> Summary:
        start = time.perf_counter()
        files = list(iter_files(paths))
        for p in files:
            if not p.exists():
                self.summary.failed.append((str(p), "no such file or folder"))
        files = [p for p in files if p.exists()]
        # richer sources first (AKN XML before PDF before text): a poorer version of a
        # document read later is dropped (_dedupe) instead of being written and replaced
        files.sort(key=lambda p: -_SUFFIX_RANK.get(p.suffix.lower(), 0))
        self.remove_incomplete()
        known, self.stored_by_graph, self.stored_format = _stored_state(self.store)
        self._need = {g: _FORMAT_RANK.get(f, 0) for g, f in self.stored_format.items()}
        self.docs_graphs = {g for g in self.store.named_graphs()
                            if g.startswith(vocab.GRAPH_DOC_PREFIX)}
        self._work_graphs = None
        ensure_shared(self.store)
        self.reconcile_cited_only()
        if self.show_progress:
            from tqdm import tqdm

            self.bar = tqdm(total=len(files), unit="file", file=sys.stderr, leave=False)
        batch: list[_Doc | _Taken] = []
        try:
            for failed, docs, n_files in self.results(self.tasks(files, known)):
                self.summary.failed.extend(failed)
                batch.extend(docs)
                if self.bar is not None and n_files:
                    self.bar.update(n_files)
                while len(batch) >= self.batch_size:
                    self.flush(batch[:self.batch_size])
                    batch = batch[self.batch_size:]
            if batch:
                self.flush(batch)
            t0 = time.perf_counter()
            self.flush_pending()
            self._drain()
            self._tick("write", time.perf_counter() - t0)
            if self.bulk and self.optimize and self.summary.documents:
                # bulk loads leave the store in many overlapping files, which every read
                # then searches: measured at 100,000 resolutions, one compaction (288 s)
                # made the API's reads 3-4x faster (bench/SCALE.md, seventh pass)
                t0 = time.perf_counter()
                self.store.optimize()
                self._tick("optimize", time.perf_counter() - t0)
        except BaseException:
            # Ctrl-C or a failure: the batches already streamed are whole, so they are
            # loaded and marked (a failed load marks nothing); its error must not hide this one
            if self._stream is not None:
                with contextlib.suppress(Exception):
                    self._end_stream()
            raise
        finally:
            if self.bar is not None:
                self.bar.close()
            if self._loader is not None:
                # even on Ctrl-C: a load in progress ends with its marks (or the next run
                # removes its graphs, remove_incomplete); never leave the thread behind
                self._loader.shutdown(wait=True)
                self._loader = None
        self.summary.cited_only = len(self.store.select(
            _PREFIX + "SELECT ?w WHERE { GRAPH ?g { ?w rg:citedOnly true } }",
            {"g": ox.NamedNode(GRAPH_CITED_ONLY)}))
        self.summary.seconds = time.perf_counter() - start
        return self.summary

    def remove_incomplete(self) -> None:
        """Drop document graphs an interrupted ``bulk`` run left without their completion
        mark (the source hash, written last, in a transaction of its own)."""
        if self.store.read_only:
            return
        rows = self.store.select(
            _PREFIX + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            "FILTER(STRSTARTS(STR(?g), \"" + vocab.GRAPH_DOC_PREFIX + "\")) "
            "FILTER NOT EXISTS { GRAPH ?g { ?x rg:sha256 ?sha } } }")
        for r in rows:
            g = r["g"].value
            self.store.delete_graph(g)
            self.summary.notes.append(f"removed {g}: left incomplete by an interrupted run")

    # -- duplicates ----------------------------------------------------------------------
    def _dedupe(self, batch: list[_Doc | _Taken]) -> list[_Doc]:
        """One document per graph: the richer source wins (AKN over PDF text), within a run
        and against what the store holds. Every :class:`_Taken` is dropped here (see
        :meth:`need`), with the note a mapped duplicate gets."""
        chosen: dict[str, _Doc | _Taken] = {}
        for doc in batch:
            prev = chosen.get(doc.graph)
            stored = self.stored_format.get(doc.graph)
            if prev is None and doc.graph not in self.done_graphs and stored and \
                    _FORMAT_RANK.get(stored, 0) > _FORMAT_RANK.get(doc.meta.source_format or "", 0):
                # the same across runs: the PDF text of a resolution ingested after its AKN
                # file must not replace what the AKN gave (votes, subjects, editors' links)
                self.summary.notes.append(
                    f"{doc.meta.file}: same document as the stored {stored} version "
                    f"({doc.meta.symbol}, {doc.meta.language}), kept the stored one; delete "
                    f"its graph {doc.graph} first to replace it")
                continue
            if prev is None and doc.graph in self.done_graphs:
                prev_file = self.done_graphs[doc.graph]
                prev_rank = self.done_rank.get(doc.graph, 0)
                if _FORMAT_RANK.get(doc.meta.source_format or "", 0) <= prev_rank:
                    self.summary.notes.append(
                        f"{doc.meta.file}: same document as {prev_file} ({doc.meta.symbol}, "
                        f"{doc.meta.language}), kept {prev_file}")
                    continue
            if prev is not None:
                keep, drop = ((doc, prev) if _FORMAT_RANK.get(doc.meta.source_format or "", 0)
                              > _FORMAT_RANK.get(prev.meta.source_format or "", 0)
                              else (prev, doc))
                self.summary.notes.append(
                    f"{drop.meta.file}: same document as {keep.meta.file} ({doc.meta.symbol}, "
                    f"{doc.meta.language}), kept {keep.meta.file}")
                chosen[doc.graph] = keep
            else:
                chosen[doc.graph] = doc
        kept = [d for d in chosen.values() if isinstance(d, _Doc)]
        if len(kept) < len(chosen):
            raise IngestError("internal error: a document skipped as taken was kept")
        return kept

    # -- validation ----------------------------------------------------------------------
    def _context(self, docs: list[_Doc], *, full: bool = False) -> list[ox.Quad]:
        """Stored facts about the works the batch cites (:data:`_CITED_FACTS`, or all with
        ``full``) and about its own works (other language versions), excluding the graphs
        the batch replaces."""
        works = set()
        for d in docs:
            works |= d.meta.cited
            works.add(vocab.work_iri(d.meta.symbol))
        replacing = {d.graph for d in docs} | {report_graph_iri(d.meta.symbol, d.meta.language)
                                               for d in docs}
        out: list[ox.Quad] = list(_shared_context())
        own = {vocab.work_iri(d.meta.symbol) for d in docs}
        with_text = self._works_with_text()
        marker_graph = ox.NamedNode(GRAPH_CITED_ONLY)
        for w in sorted(works - own - with_text.keys()):
            out.append(ox.Quad(ox.NamedNode(w), _CITED_ONLY, _TRUE, marker_graph))
        # What the store knows about those works is in their own document graphs (the other
        # language versions): the stub a citing document states is derived from the symbol
        # alone (rdf._stub), the same in every citing graph and in the batch's own documents,
        # so citing graphs are never read (a much-cited work has a stub in thousands of them:
        # scanning them for each batch made a build quadratic). Those facts are kept in
        # memory as N-Quads per work and graph (:meth:`_own_facts`), filled as documents are
        # written and, for works stored before this run, read once from the store.
        self._load_facts(works & with_text.keys())
        blob = b"".join(data[0 if w in own or full else 1]
                        for w in sorted(works & self._facts.keys())
                        for g, data in sorted(self._facts[w].items()) if g not in replacing)
        if blob:
            out.extend(ox.parse(blob, format=ox.RdfFormat.N_QUADS))
        return out

    def _load_facts(self, works: set[str]) -> None:
        """Read the own-graph facts of stored works not yet in memory (one query for all)."""
        missing = sorted(works - self._facts_loaded)
        if not missing:
            return
        with_text = self._works_with_text()
        pairs = [(w, g) for w in missing for g in sorted(with_text.get(w, ()))]
        found: dict[tuple[str, str], list[ox.Quad]] = {}
        if pairs:
            values = " ".join(f"({ox.NamedNode(w)} {ox.NamedNode(g)})" for w, g in pairs)
            rows = self.store.select(
                "SELECT ?w ?p ?o ?g WHERE { VALUES (?w ?g) { " + values + " } "
                "GRAPH ?g { ?w ?p ?o } }")
            objects: dict[tuple[str, str], str] = {}
            for r in rows:
                key = (r["w"].value, r["g"].value)
                found.setdefault(key, []).append(ox.Quad(r["w"], r["p"], r["o"], r["g"]))
                if isinstance(r["o"], ox.NamedNode):
                    objects[(r["o"].value, r["g"].value)] = r["w"].value
            if objects:
                # the types of what they point at, for sh:class (stated in the same graph)
                values = " ".join(f"({ox.NamedNode(o)} {ox.NamedNode(g)})"
                                  for o, g in sorted(objects))
                for r in self.store.select(
                        "SELECT ?o ?t ?g WHERE { VALUES (?o ?g) { " + values + " } "
                        "GRAPH ?g { ?o a ?t } }"):
                    w = objects[(r["o"].value, r["g"].value)]
                    found[(w, r["g"].value)].append(ox.Quad(r["o"], _RDF_TYPE, r["t"], r["g"]))
        for (w, g), quads in found.items():
            self._facts.setdefault(w, {})[g] = _facts_blobs(ox.NamedNode(w), quads)
        self._facts_loaded.update(missing)

    def _validate(self, docs: list[_Doc], context: list[ox.Quad]) -> list[list[Any]]:
        """Results per document: what its worker found about its own nodes (``_Doc.local``)
        and the cross-document results of the whole batch, validated in one call over the
        documents' extracts (:class:`_Cross`) and the store's context: the cross-document
        results only, pinned by :func:`_assign`."""
        works = frozenset().union(*(d.cross.works for d in docs))
        citations = frozenset().union(*(d.cross.citations for d in docs))
        cross = _Cross(works, citations)
        report = self._validator().validate_quads(
            ox.parse(b"".join(d.extract for d in docs), format=ox.RdfFormat.N_QUADS), context,
            keep=lambda shape, focus: cross.covers_focus(shape, _focus_key(focus)))
        if report.errors:
            raise IngestError("validation failed: " + "; ".join(report.errors))
        keys = [(d.meta.symbol, d.meta.language, d.graph) for d in docs]
        per = _assign(report.results, keys, [d.holders for d in docs])
        return [d.local + results for d, results in zip(docs, per, strict=True)]

    def _report_quads(self, doc: _Doc, results: list[Any]) -> list[ox.Quad]:
        """The document's SHACL report (``validate.Report.to_quads``) in its report graph."""
        from resograph.graph.validate import Report

        rg = report_graph_iri(doc.meta.symbol, doc.meta.language)
        out = Report(list(results), [], 1).to_quads(rg)
        out.append(ox.Quad(ox.NamedNode(rg + "#report"),
                           ox.NamedNode("http://purl.org/dc/terms/references"),
                           ox.NamedNode(doc.graph), ox.NamedNode(rg)))
        return out

    # -- writing -------------------------------------------------------------------------
    def flush(self, batch: list[_Doc | _Taken]) -> None:
        docs = self._dedupe(batch)
        # skip documents identical to what is stored (e.g. same text under another file)
        docs = [d for d in docs
                if self.stored_by_graph.get(d.graph) != d.meta.source_sha256
                or d.graph not in self.docs_graphs]
        if not docs:
            return
        t0 = time.perf_counter()
        context = self._context(docs)
        t1 = time.perf_counter()
        per_doc = self._validate(docs, context)
        t2 = time.perf_counter()
        self._tick("context", t1 - t0)
        self._tick("validate", t2 - t1)
        parts: list[bytes] = []
        marks: list[bytes] = []
        graphs: list[str] = []
        written: list[tuple[_Doc, int]] = []
        for doc, results in zip(docs, per_doc, strict=True):
            violations = [r for r in results if r.severity == "Violation"]
            warnings = [r for r in results if r.severity == "Warning"]
            rg = report_graph_iri(doc.meta.symbol, doc.meta.language)
            if violations:
                self.summary.violations += len(violations)
                first = violations[0]
                reason = (f"{len(violations)} SHACL violation(s); focus "
                          f"{first.focus}" + (f" {first.path}" if first.path else "")
                          + f": {first.message}")
                if not self.allow_invalid:
                    self.summary.failed.append((doc.meta.file, reason))
                    continue
                self.summary.notes.append(
                    f"{doc.meta.file}: written although invalid ({reason})")
            self.summary.warnings += len(warnings)
            report = self._report_quads(doc, results) if results else []
            parts.append(doc.nquads)
            marks.append(doc.marks)
            if report:
                parts.append(ox.serialize(report, format=ox.RdfFormat.N_QUADS))
            graphs += [doc.graph, rg]
            written.append((doc, len(report)))
        if not written:
            return
        t3 = time.perf_counter()
        self.write(b"".join(parts), b"".join(marks), graphs)
        self._tick("write", time.perf_counter() - t3)
        for doc, n_report in written:
            self.summary.documents += 1
            self.summary.graphs.append(doc.graph)
            self.summary.citations += doc.meta.citations
            self.summary.triples += doc.count + n_report
            self.docs_graphs.add(doc.graph)
            w = vocab.work_iri(doc.meta.symbol)
            with_text = self._works_with_text()
            if w not in with_text:
                self._facts_loaded.add(w)  # a new work: its facts are all in memory
            with_text.setdefault(w, set()).add(doc.graph)
            self._facts.setdefault(w, {})[doc.graph] = doc.facts
            self.stored_by_graph[doc.graph] = doc.meta.source_sha256 or ""
            self.done_graphs[doc.graph] = doc.meta.file
            self.done_rank[doc.graph] = _FORMAT_RANK.get(doc.meta.source_format or "", 0)
            self._need[doc.graph] = self.done_rank[doc.graph] + 1
        t4 = time.perf_counter()
        self.update_cited_only([d for d, _ in written])
        self._tick("cited-only", time.perf_counter() - t4)

    def write(self, nquads: bytes, marks: bytes, graphs: list[str]) -> None:
        """Replace ``graphs`` by the batch's N-Quads, in one transaction.

        With ``bulk``, graphs new to the store go through its bulk loader: streamed into one
        load per :data:`BULK_SEGMENT` bytes (:meth:`Store.bulk_stream`), or where the store
        has no stream, :data:`BULK_BUFFER` bytes at a time (one bulk load per batch costs
        ~8x one large load: each creates files the store must then merge); after each load,
        their completion marks (the ``rg:sha256`` triples, :meth:`remove_incomplete`) in one
        transaction. A graph the run already wrote is replaced only after the loads before
        it have ended. Later batches' checks do not read the store for those graphs
        (:meth:`_context`)."""
        if not self.bulk:
            self.store.write_nquads(nquads, graphs, marks=marks)
            return
        if self._pending_graphs.intersection(graphs) or self._queued_graphs.intersection(
                graphs) or any(self.store.has_graph(g) for g in graphs):
            self.flush_pending()  # a replacement: what it replaces must be in the store
            self._drain()
            self.store.write_nquads(nquads, graphs, bulk=True, marks=marks)
            return
        if self._stream is None:
            self._stream = self.store.bulk_stream()  # None again on a store without one
        if self._stream is not None:
            self._stream.write(nquads)
        else:
            self._pending.append(nquads)
        self._pending_marks.append(marks)
        self._pending_graphs.update(graphs)
        self._pending_size += len(nquads)
        if self._pending_size >= (BULK_BUFFER if self._stream is None else BULK_SEGMENT):
            self.flush_pending()

    def flush_pending(self) -> None:
        """End the bulk load the pending graphs stream into, then write their marks; or, on
        a store without streaming, hand the buffered graphs to the loader thread
        (:meth:`_background`), after the previous buffer is loaded: at most one buffer
        loads while the next one fills."""
        if self._stream is not None:
            self._end_stream()
            return
        if self._pending:
            self._drain()
            graphs = sorted(self._pending_graphs)
            self._background(self.store.write_nquads, b"".join(self._pending), graphs,
                             bulk=True, marks=b"".join(self._pending_marks))
            self._queued_graphs = set(graphs)
        self._pending, self._pending_marks = [], []
        self._pending_graphs, self._pending_size = set(), 0

    def _end_stream(self) -> None:
        """Wait until the bulk load has taken every pending graph, then write their
        completion marks (one transaction); a failed load raises and marks nothing, so the
        next run removes those graphs (:meth:`remove_incomplete`)."""
        stream, self._stream = self._stream, None
        marks = b"".join(self._pending_marks)
        self._pending_marks, self._pending_graphs, self._pending_size = [], set(), 0
        if stream is not None:
            stream.close()
        if marks:
            self.store.load(marks, "application/n-quads")

    def _background(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Bulk mode: run a store write on the loader thread, after every write queued
        before it (one thread, so the store sees them in order). A bulk load of
        :data:`BULK_BUFFER` takes tens of seconds; done in the main thread it kept the
        workers waiting for the main process to take their results. Other modes write at
        once (each batch is its own transaction)."""
        if not self.bulk:
            fn(*args, **kwargs)
            return
        if self._loader is None:
            self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="resograph-load")
        self._queued.append(self._loader.submit(fn, *args, **kwargs))

    def _drain(self) -> None:
        """Wait for the queued writes; a failed one raises here."""
        queued, self._queued = self._queued, []
        for fut in queued:
            fut.result()
        self._queued_graphs = set()

    def _tick(self, stage: str, seconds: float) -> None:
        self.summary.timings[stage] = self.summary.timings.get(stage, 0.0) + seconds

    # -- cited-only markers ---------------------------------------------------------------
    def _works_with_text(self) -> dict[str, set[str]]:
        """Works whose own text is stored -> their document graphs (do not mutate).

        Kept up to date as graphs are written (:meth:`flush`), not recomputed from
        ``docs_graphs`` per batch: that was O(store) per batch, quadratic over a build."""
        if self._work_graphs is None:
            self._work_graphs = {}
            for g in self.docs_graphs:
                if w := _work_of_graph(g):
                    self._work_graphs.setdefault(w, set()).add(g)
        return self._work_graphs

    def _marked(self) -> set[str]:
        return {r["w"].value for r in self.store.select(
            _PREFIX + "SELECT ?w WHERE { GRAPH ?g { ?w rg:citedOnly ?t } }",
            {"g": ox.NamedNode(GRAPH_CITED_ONLY)})}

    def _apply_marks(self, add: set[str], remove: set[str]) -> None:
        if not add and not remove:
            return
        g = f"<{GRAPH_CITED_ONLY}>"
        parts = []
        if remove:
            values = " ".join(str(ox.NamedNode(w)) for w in sorted(remove))
            parts.append(f"DELETE {{ GRAPH {g} {{ ?w ?p ?o }} }} WHERE {{ VALUES ?w {{ {values} }} "
                         f"GRAPH {g} {{ ?w ?p ?o }} }}")
        if add:
            lines = []
            for w in sorted(add):
                link = ox.NamedNode("https://undocs.org/" + w[len(vocab.BASE + "doc/"):])
                lines.append(f"{ox.NamedNode(w)} {_CITED_ONLY} {_TRUE} ; {_SEE_ALSO} {link} .")
            body = "\n".join(lines)
            parts.append(f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")
        self._marks = (self._marks - remove) | add
        self._background(self.store.update, " ;\n".join(parts))

    def update_cited_only(self, written: list[_Doc]) -> None:
        with_text = self._works_with_text()
        cited: set[str] = set()
        for d in written:
            cited |= d.meta.cited
        add = {w for w in cited if w not in with_text and w not in self._marks}
        remove = {vocab.work_iri(d.meta.symbol) for d in written} & self._marks
        self._apply_marks(add, remove)

    def reconcile_cited_only(self) -> None:
        """Bring the markers in line with the store (after an interrupted run)."""
        if self.store.read_only:
            return
        rows = self.store.select(
            _PREFIX + "SELECT DISTINCT ?w WHERE { ?c rg:citedWork ?w }")
        cited = {r["w"].value for r in rows
                 if isinstance(r["w"], ox.NamedNode)
                 and r["w"].value.startswith(vocab.BASE + "doc/")}
        with_text = self._works_with_text()
        marked = self._marked()
        want = {w for w in cited if w not in with_text}
        self._marks = marked
        self._apply_marks(want - marked, marked - want)


def ensure_shared(store: Store) -> None:
    """Write the ontology and shared-facts graphs (:func:`rdf.shared_quads`) when missing or
    out of date, so that every store ingest touches has them."""
    if store.read_only:
        return
    from resograph.graph import rdf

    by_graph: dict[str, list[ox.Quad]] = {}
    for q in rdf.shared_quads():
        by_graph.setdefault(q.graph_name.value, []).append(q)
    stale = {g: qs for g, qs in by_graph.items()
             if _shape_of(store.graph_quads(g)) != _shape_of(qs)}
    if stale:
        store.replace_graphs(stale)


def ingest_paths(paths: Iterable[Path | str], store: Store, *, allow_invalid: bool = False,
                 progress: bool | None = None, workers: int | None = None,
                 options: Options | None = None, batch_size: int = BATCH_SIZE,
                 bulk: bool = False, validator: Any = None, optimize: bool = True) -> Summary:
    """Ingest files and folders (.txt .pdf .docx AKN .xml .jsonl) into ``store``.

    ``progress``: None shows a bar only when stderr is a terminal; False never.
    ``workers``: processes that read, map and check documents (default: up to 2); 1 does it
    all in this process. ``options``: reading options (language, fixed provenance time,
    facts-only) - see :class:`Options`. Documents are written in batches of ``batch_size``,
    one transaction each. ``bulk``: load graphs new to the store with the bulk loader, for
    first builds (an interrupted bulk run can leave incomplete graphs, which the next run
    removes before anything else). ``validator``: a :class:`resograph.graph.validate.Validator`
    for other shapes (default: the shipped ones). ``optimize``: after a bulk run that wrote
    documents, compact the store (:meth:`Store.optimize`) so that reads do not search the
    many files the bulk loads left.
    """
    ingester = _Ingester(store, allow_invalid=allow_invalid, progress=progress, workers=workers,
                         opts=options or Options(), batch_size=batch_size, bulk=bulk,
                         validator=validator, optimize=optimize)
    return ingester.run(paths)


def open_store(path: Path | None) -> OxigraphStore:
    """Embedded store at ``path`` (in memory for None): a convenience for scripts and tests."""
    return OxigraphStore(path)
