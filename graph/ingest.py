"""Files to a validated store: ``resograph ingest PATH...``.

Pipeline per batch of documents: read and parse (worker processes), map to RDF
(:func:`resograph.graph.rdf.to_quads`), validate the batch against the shapes *together with what
it needs from the store* (the stored facts about the works it cites and about its own work),
then write the whole batch in **one transaction** (:meth:`Store.replace_graphs`). Hence:

* **all or nothing per document**: a crash, Ctrl-C or SIGKILL leaves each document's graph either
  as it was or fully written; the next run picks up where the last one stopped.
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

import csv
import hashlib
import itertools
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from resograph import __version__
from resograph.graph import vocab
from resograph.graph.model import ParsedResolution, ParseError
from resograph.graph.store import OxigraphStore, Store

#: Named graph of the derived "known only through citations" markers (see module docstring).
GRAPH_CITED_ONLY = vocab.BASE + "graph/cited-only"
#: Prefix of the per-document SHACL report graphs.
GRAPH_REPORT_PREFIX = vocab.BASE + "graph/report/"

#: File suffixes ``ingest`` reads from folders (single files of other kinds are refused).
SUFFIXES = (".txt", ".pdf", ".docx", ".xml", ".jsonl")
#: When two inputs give the same document (symbol + language), the richer source wins.
_FORMAT_RANK = {"akn": 5, "docx": 4, "pdf": 3, "text": 2, "jsonl": 1}

BATCH_SIZE = 16

_RG = "https://w3id.org/resograph/ontology#"
_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
_CITED_ONLY = ox.NamedNode(_RG + "citedOnly")
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

    def text(self) -> str:
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
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"failed: {f}: {r}" for f, r in self.failed]
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


@dataclass
class _Doc:
    """One document ready to validate and write."""

    file: str
    parsed: ParsedResolution
    graph: str
    quads: list[ox.Quad]


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


def _to_nquads(parsed: ParsedResolution, opts: Options) -> bytes:
    from resograph.graph import rdf

    quads = rdf.to_quads(parsed, extractor_version=opts.extractor_version,
                         ingested_at=opts.ingested_at)
    g = ox.NamedNode(vocab.graph_iri(parsed.symbol, parsed.language))
    # the marker "known only through citations" is kept in GRAPH_CITED_ONLY, not in the
    # citing graph (it would stay true in the union after the cited text is ingested)
    quads = [q for q in quads if q.predicate != _CITED_ONLY] + link_quads(parsed, g)
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


def _prepare(parsed: ParsedResolution, sha: str, source: str, fmt: str,
             opts: Options) -> tuple[dict[str, Any], bytes]:
    if not parsed.source_sha256:
        parsed.source_sha256 = sha
    if parsed.file is None or opts.root is not None:
        parsed.file = source
    if fmt == "jsonl" and parsed.source_format in (None, ""):
        parsed.source_format = "jsonl"
    if opts.strip_text:
        _strip(parsed)
    return parsed.to_json(), _to_nquads(parsed, opts)


def _work_file(task: tuple[str, str, Options]) -> tuple[str, list[tuple[dict[str, Any], bytes]],
                                                       str | None]:
    """Worker: read one file -> [(parsed JSON, N-Quads)] or an error message."""
    path_s, sha, opts = task
    path = Path(path_s)
    source = os.path.relpath(path, opts.root) if opts.root else path_s
    try:
        parsed = _read_file(path, opts.lang)
        return path_s, [_prepare(parsed, sha, source, "file", opts)], None
    except ParseError as exc:
        return path_s, [], str(exc)
    except Exception as exc:  # a bad file must not stop the run
        return path_s, [], f"{type(exc).__name__}: {exc}"


def _work_lines(task: tuple[str, list[tuple[int, str, str]], Options]
                ) -> tuple[str, list[tuple[dict[str, Any], bytes]], str | None]:
    """Worker: JSON Lines records (line number, sha, text) -> [(parsed JSON, N-Quads)]."""
    path_s, lines, opts = task
    source = os.path.relpath(path_s, opts.root) if opts.root else path_s
    out = []
    errors = []
    for lineno, sha, text in lines:
        try:
            parsed = ParsedResolution.from_json(json.loads(text))
            parsed.source_format = parsed.source_format or "jsonl"
            out.append(_prepare(parsed, sha, f"{source}:{lineno}", "jsonl", opts))
        except (ValueError, TypeError, KeyError) as exc:
            errors.append(f"line {lineno}: {exc}")
    return path_s, out, "; ".join(errors) or None


# --------------------------------------------------------------------------- the run


def iter_files(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files named, and the readable files under folders named (sorted, recursive)."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(f for f in p.rglob("*")
                              if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            yield p


def _stored_state(store: Store) -> tuple[set[str], dict[str, str]]:
    """Source hashes already in the store (with this extractor version) and the graph each
    document's hash lives in."""
    rows = store.select(
        _PREFIX + "SELECT ?g ?sha ?v WHERE { GRAPH ?g { ?x rg:sha256 ?sha . "
        "OPTIONAL { ?x rg:extractorVersion ?v } } }")
    shas: set[str] = set()
    by_graph: dict[str, str] = {}
    for r in rows:
        g = r["g"].value
        if not g.startswith(vocab.GRAPH_DOC_PREFIX):
            continue
        sha = r["sha"].value
        by_graph[g] = sha
        if "v" not in r or r["v"].value == __version__:
            shas.add(sha)
    return shas, by_graph


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
                 workers: int | None, opts: Options, batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.allow_invalid = allow_invalid
        self.opts = opts
        self.batch_size = batch_size
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.show_progress = progress if progress is not None else sys.stderr.isatty()
        self.summary = Summary()
        self.validator: Any = None
        self.context_shared: list[ox.Quad] | None = None
        self.done_graphs: dict[str, str] = {}  # graphs written in this run -> file
        self.done_rank: dict[str, int] = {}
        self.bar: Any = None
        self._with_text: set[str] | None = None  # see _works_with_text

    # -- setup ---------------------------------------------------------------------------
    def _validator(self) -> Any:
        if self.validator is None:
            from resograph.graph.validate import default_validator

            self.validator = default_validator()
        return self.validator

    def _shared(self) -> list[ox.Quad]:
        if self.context_shared is None:
            from resograph.graph import rdf

            self.context_shared = list(rdf.shared_quads())
        return self.context_shared

    # -- tasks ---------------------------------------------------------------------------
    def tasks(self, files: Sequence[Path], known: set[str]
              ) -> Iterator[tuple[Callable[..., Any], Any]]:
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
                        if len(chunk) >= 256:
                            yield _work_lines, (str(path), chunk, self.opts)
                            chunk = []
                if chunk:
                    yield _work_lines, (str(path), chunk, self.opts)
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
            yield _work_file, (str(path), sha, self.opts)

    def results(self, tasks: Iterator[tuple[Callable[..., Any], Any]]
                ) -> Iterator[tuple[str, list[tuple[dict[str, Any], bytes]], str | None]]:
        first = list(itertools.islice(tasks, 8))
        if self.workers <= 1 or len(first) < 8:
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
                if len(pending) >= self.workers * 8:
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
        known, self.stored_by_graph = _stored_state(self.store)
        self.docs_graphs = {g for g in self.store.named_graphs()
                            if g.startswith(vocab.GRAPH_DOC_PREFIX)}
        self._with_text = None
        self.ensure_shared()
        self.reconcile_cited_only()
        if self.show_progress:
            from tqdm import tqdm

            self.bar = tqdm(total=len(files), unit="file", file=sys.stderr, leave=False)
        batch: list[_Doc] = []
        try:
            for file, items, error in self.results(self.tasks(files, known)):
                if error:
                    self.summary.failed.append((file, error))
                t0 = time.perf_counter()
                for data, nq in items:
                    parsed = ParsedResolution.from_json(data)
                    graph = vocab.graph_iri(parsed.symbol, parsed.language)
                    quads = list(ox.parse(nq, format=ox.RdfFormat.N_QUADS))
                    batch.append(_Doc(parsed.file or file, parsed, graph, quads))
                self._tick("receive", time.perf_counter() - t0)
                if self.bar is not None and not file.endswith(".jsonl"):
                    self.bar.update(1)
                while len(batch) >= self.batch_size:
                    self.flush(batch[:self.batch_size])
                    batch = batch[self.batch_size:]
            if batch:
                self.flush(batch)
        finally:
            if self.bar is not None:
                self.bar.close()
        self.summary.cited_only = len(self.store.select(
            _PREFIX + "SELECT ?w WHERE { GRAPH ?g { ?w rg:citedOnly true } }",
            {"g": ox.NamedNode(GRAPH_CITED_ONLY)}))
        self.summary.seconds = time.perf_counter() - start
        return self.summary

    # -- duplicates ----------------------------------------------------------------------
    def _dedupe(self, batch: list[_Doc]) -> list[_Doc]:
        """One document per graph: within a run the richer source wins (AKN over PDF text)."""
        chosen: dict[str, _Doc] = {}
        for doc in batch:
            prev = chosen.get(doc.graph)
            if prev is None and doc.graph in self.done_graphs:
                prev_file = self.done_graphs[doc.graph]
                prev_rank = self.done_rank.get(doc.graph, 0)
                if _FORMAT_RANK.get(doc.parsed.source_format, 0) <= prev_rank:
                    self.summary.notes.append(
                        f"{doc.file}: same document as {prev_file} ({doc.parsed.symbol}, "
                        f"{doc.parsed.language}), kept {prev_file}")
                    continue
            if prev is not None:
                keep, drop = ((doc, prev) if _FORMAT_RANK.get(doc.parsed.source_format, 0)
                              > _FORMAT_RANK.get(prev.parsed.source_format, 0) else (prev, doc))
                self.summary.notes.append(
                    f"{drop.file}: same document as {keep.file} ({doc.parsed.symbol}, "
                    f"{doc.parsed.language}), kept {keep.file}")
                chosen[doc.graph] = keep
            else:
                chosen[doc.graph] = doc
        return list(chosen.values())

    # -- validation ----------------------------------------------------------------------
    def _context(self, docs: list[_Doc]) -> list[ox.Quad]:
        """Stored facts about the works the batch cites and about its own works (other
        language versions), excluding the graphs the batch replaces."""
        works = set()
        for d in docs:
            works |= _cited_works(d.parsed)
            works.add(vocab.work_iri(d.parsed.symbol))
        replacing = {d.graph for d in docs} | {report_graph_iri(d.parsed.symbol,
                                                                d.parsed.language)
                                               for d in docs}
        # the validator brings the ontology itself; the shared facts (organs, instruments,
        # verb concepts) are context
        out: list[ox.Quad] = [q for q in self._shared()
                              if q.graph_name.value != vocab.GRAPH_ONTOLOGY]
        own = {vocab.work_iri(d.parsed.symbol) for d in docs}
        with_text = self._works_with_text()
        marker_graph = ox.NamedNode(GRAPH_CITED_ONLY)
        for w in sorted(works - own - with_text):
            out.append(ox.Quad(ox.NamedNode(w), _CITED_ONLY, _TRUE, marker_graph))
        # each stored triple about those works, with the stored types of the nodes it points
        # at (sh:class checks on values, e.g. rg:hasLanguageVersion -> rg:LanguageVersion).
        # Scale: one row per distinct triple (GROUP BY, one sample graph), not one per graph
        # holding it - a much-cited work has a stub in every citing graph - and the types in a
        # second query bound by VALUES: an OPTIONAL { GRAPH ?tg { ?o a ?t } } joined to the
        # first pattern made pyoxigraph scan every type triple of the store for each row
        # (bench/bench_scale.py: 94 % of a 300-document build).
        skip = replacing | {GRAPH_CITED_ONLY}
        not_in = ", ".join(str(ox.NamedNode(g)) for g in sorted(skip))
        values = " ".join(str(ox.NamedNode(w)) for w in sorted(works))
        rows = self.store.select(
            "SELECT ?w ?p ?o (SAMPLE(?g0) AS ?g) WHERE { VALUES ?w { " + values + " } "
            "GRAPH ?g0 { ?w ?p ?o } FILTER(?g0 NOT IN (" + not_in + ")) } GROUP BY ?w ?p ?o")
        objects: set[str] = set()
        for r in rows:
            out.append(ox.Quad(r["w"], r["p"], r["o"], r["g"]))
            if isinstance(r["o"], ox.NamedNode):
                objects.add(r["o"].value)
        if objects:
            values = " ".join(str(ox.NamedNode(o)) for o in sorted(objects))
            for r in self.store.select(
                    "SELECT ?o ?t (SAMPLE(?g0) AS ?g) WHERE { VALUES ?o { " + values + " } "
                    "GRAPH ?g0 { ?o a ?t } FILTER(?g0 NOT IN (" + not_in + ")) } "
                    "GROUP BY ?o ?t"):
                out.append(ox.Quad(r["o"], _RDF_TYPE, r["t"], r["g"]))
        return out

    def _validate(self, docs: list[_Doc], context: list[ox.Quad]) -> list[list[Any]]:
        """Results per document, the whole batch validated in one call.

        A result is pinned on the document it is about: the language version whose IRIs the
        focus node lives under; for a work-level focus, the work's own document(s) in the
        batch (the one the validator names as ``Result.source`` when it is one of them), not
        the documents that merely cite that work; otherwise the document graph holding the
        focus node, or failing that every document stating something about it. Results about
        nodes no document of the batch describes come from the context alone (stored data)
        and are left to whole-store validation.
        """
        report = self._validator().validate_quads([q for d in docs for q in d.quads], context)
        if report.errors:
            raise IngestError("validation failed: " + "; ".join(report.errors))
        index = {d.graph: i for i, d in enumerate(docs)}
        by_expr = {vocab.expression_iri(d.parsed.symbol, d.parsed.language): i
                   for i, d in enumerate(docs)}
        by_work: dict[str, list[int]] = {}
        for i, d in enumerate(docs):
            by_work.setdefault(vocab.work_iri(d.parsed.symbol), []).append(i)
        holders: dict[str, set[int]] = {}  # node -> documents stating something about it
        for i, d in enumerate(docs):
            for q in d.quads:
                s = q.subject
                holders.setdefault(s.value if isinstance(s, ox.NamedNode) else str(s),
                                   set()).add(i)
        per: list[list[Any]] = [[] for _ in docs]

        def under(focus: str, base: str) -> bool:
            return focus == base or focus.startswith(base + "/")

        for r in report.results:
            focus = r.focus
            if focus not in holders:
                continue  # about stored data only (context): whole-store validation's job
            owners = [i for e, i in by_expr.items() if under(focus, e)]
            if not owners:
                for w, idx in by_work.items():
                    if under(focus, w):
                        named = [i for i in idx if docs[i].graph == r.source]
                        owners = named or idx
                        break
            if not owners and r.source in index:
                owners = [index[r.source]]
            if not owners:
                owners = sorted(holders[focus])
            for i in owners:
                per[i].append(r)
        return per

    def _report_quads(self, doc: _Doc, results: list[Any]) -> list[ox.Quad]:
        """The document's SHACL report (``validate.Report.to_quads``) in its report graph."""
        from resograph.graph.validate import Report

        rg = report_graph_iri(doc.parsed.symbol, doc.parsed.language)
        out = Report(list(results), [], 1).to_quads(rg)
        out.append(ox.Quad(ox.NamedNode(rg + "#report"),
                           ox.NamedNode("http://purl.org/dc/terms/references"),
                           ox.NamedNode(doc.graph), ox.NamedNode(rg)))
        return out

    # -- writing -------------------------------------------------------------------------
    def flush(self, batch: list[_Doc]) -> None:
        docs = self._dedupe(batch)
        # skip documents identical to what is stored (e.g. same text under another file)
        docs = [d for d in docs
                if self.stored_by_graph.get(d.graph) != d.parsed.source_sha256
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
        writes: dict[str, list[ox.Quad]] = {}
        written: list[_Doc] = []
        for doc, results in zip(docs, per_doc, strict=True):
            violations = [r for r in results if r.severity == "Violation"]
            warnings = [r for r in results if r.severity == "Warning"]
            rg = report_graph_iri(doc.parsed.symbol, doc.parsed.language)
            if violations:
                self.summary.violations += len(violations)
                first = violations[0]
                reason = (f"{len(violations)} SHACL violation(s); focus "
                          f"{first.focus}" + (f" {first.path}" if first.path else "")
                          + f": {first.message}")
                if not self.allow_invalid:
                    self.summary.failed.append((doc.file, reason))
                    continue
                self.summary.notes.append(f"{doc.file}: written although invalid ({reason})")
            self.summary.warnings += len(warnings)
            writes[doc.graph] = doc.quads
            writes[rg] = self._report_quads(doc, results) if results else []
            written.append(doc)
        if not written:
            return
        t3 = time.perf_counter()
        self.store.replace_graphs(writes)
        self._tick("write", time.perf_counter() - t3)
        for doc in written:
            self.summary.documents += 1
            self.summary.graphs.append(doc.graph)
            self.summary.citations += len(doc.parsed.citations)
            self.summary.triples += len(writes[doc.graph]) + len(
                writes[report_graph_iri(doc.parsed.symbol, doc.parsed.language)])
            self.docs_graphs.add(doc.graph)
            if self._with_text is not None and (w := _work_of_graph(doc.graph)):
                self._with_text.add(w)
            self.stored_by_graph[doc.graph] = doc.parsed.source_sha256 or ""
            self.done_graphs[doc.graph] = doc.file
            self.done_rank[doc.graph] = _FORMAT_RANK.get(doc.parsed.source_format, 0)
        t4 = time.perf_counter()
        self.update_cited_only(written)
        self._tick("cited-only", time.perf_counter() - t4)

    def ensure_shared(self) -> None:
        ensure_shared(self.store)

    def _tick(self, stage: str, seconds: float) -> None:
        self.summary.timings[stage] = self.summary.timings.get(stage, 0.0) + seconds

    # -- cited-only markers ---------------------------------------------------------------
    def _works_with_text(self) -> set[str]:
        """Works whose own text is stored (do not mutate the returned set).

        Kept up to date as graphs are written (:meth:`flush`), not recomputed from
        ``docs_graphs`` per batch: that was O(store) per batch, quadratic over a build."""
        if self._with_text is None:
            self._with_text = {w for g in self.docs_graphs if (w := _work_of_graph(g))}
        return self._with_text

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
        self.store.update(" ;\n".join(parts))

    def update_cited_only(self, written: list[_Doc]) -> None:
        with_text = self._works_with_text()
        cited: set[str] = set()
        for d in written:
            cited |= _cited_works(d.parsed)
        marked = self._marked()
        add = {w for w in cited if w not in with_text and w not in marked}
        remove = {vocab.work_iri(d.parsed.symbol) for d in written} & marked
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
                 options: Options | None = None, batch_size: int = BATCH_SIZE) -> Summary:
    """Ingest files and folders (.txt .pdf .docx AKN .xml .jsonl) into ``store``.

    ``progress``: None shows a bar only when stderr is a terminal; False never.
    ``workers``: parsing processes (default: up to 2); 1 parses in this process.
    ``options``: reading options (language, fixed provenance time, facts-only) - see
    :class:`Options`. Documents are written in batches of ``batch_size``, one transaction each.
    """
    ingester = _Ingester(store, allow_invalid=allow_invalid, progress=progress, workers=workers,
                         opts=options or Options(), batch_size=batch_size)
    return ingester.run(paths)


def open_store(path: Path | None) -> OxigraphStore:
    """Embedded store at ``path`` (in memory for None): a convenience for scripts and tests."""
    return OxigraphStore(path)
