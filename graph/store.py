"""The store interface, and the embedded pyoxigraph store that is the default.

The interface is deliberately narrow (load/replace/delete a document graph, query, update,
export) so that :class:`resograph.graph.remote_store.RemoteStore`, which speaks only SPARQL
1.1 Query/Update and the Graph Store HTTP Protocol to an existing engine, is a second
implementation and not a rewrite.

Default graph semantics, everywhere (embedded store, Oxigraph server run with
``--union-default-graph``, Virtuoso's default behaviour): the default graph of a query is the
**union of all named graphs**, unless the request names graphs with ``default-graph-uri`` /
``named-graph-uri`` (SPARQL Protocol) or ``FROM`` / ``FROM NAMED``.

Terms crossing this interface are pyoxigraph terms (``NamedNode``, ``Literal``,
``BlankNode``, ``Quad``), whatever the backend.
"""

from __future__ import annotations

import contextlib
import errno
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from resograph.graph import formats
from resograph.graph.vocab import PREFIXES

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Row = dict[str, Term]


class StoreError(Exception):
    """A store operation failed (I/O, engine unreachable, lock held by another process)."""


class QueryError(StoreError):
    """The query or update is not valid SPARQL; ``str(exc)`` is the parser's message."""


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped."""


class ReadOnlyError(StoreError):
    """A write was attempted on a store opened read-only."""


#: Media types of SPARQL results and RDF serialisations the stores can produce natively.
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


class Store(ABC):
    """What resograph needs from a quad store."""

    read_only: bool = False

    # -- reading -----------------------------------------------------------------------------
    @abstractmethod
    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT; ``bindings`` are substituted as values of variables, never as text."""

    def select_iter(self, query: str, bindings: Mapping[str, Term] | None = None
                    ) -> Iterator[Row]:
        """:meth:`select`, one row at a time, for results too large to hold as a list (the
        service's citation index reads every ``rg:cites`` link). This default holds them."""
        return iter(self.select(query, bindings))

    @abstractmethod
    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        """Run an ASK."""

    @abstractmethod
    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        """Run a CONSTRUCT or DESCRIBE."""

    @abstractmethod
    def run_query(self, query: str, media_type: str, *,
                  default_graph_uris: Iterable[str] = (),
                  named_graph_uris: Iterable[str] = ()) -> tuple[bytes, str, str]:
        """Run any query for the SPARQL Protocol, serialised as ``media_type``.

        Returns ``(body, media_type, query_form)`` where ``query_form`` is ``SELECT``,
        ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``. ``media_type`` is a SPARQL results type for
        SELECT/ASK and an RDF type for graph results; the caller negotiates it beforehand.
        Raises :class:`QueryError` with the parser's message on a syntax error.
        """

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of all named graphs."""

    @abstractmethod
    def graph_quads(self, graph: str) -> list[ox.Quad]:
        """All quads of one named graph (empty when it does not exist)."""

    # -- writing (each call is atomic: all or nothing) ----------------------------------------
    @abstractmethod
    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad | ox.Triple]]) -> None:
        """Replace each named graph's content with the given triples/quads, atomically."""

    @abstractmethod
    def delete_graph(self, graph: str) -> None:
        """Drop one named graph (no error when it does not exist)."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""

    @abstractmethod
    def load(self, data: bytes | IO[bytes], media_type: str, *, graph: str | None = None,
             replace: bool = False) -> None:
        """Parse RDF (any format of :mod:`resograph.graph.formats`) into ``graph`` (or the
        quads' own graphs), atomically; a parse error raises :class:`QueryError` naming the
        line and nothing is written."""

    @abstractmethod
    def export(self, out: IO[bytes], fmt: str, *, graph: str | None = None) -> None:
        """Write the store (or one graph) as ``nquads``, ``trig``, ``turtle``, ``ntriples``
        or ``jsonld``."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        self.replace_graphs({graph: quads})

    def write_nquads(self, data: bytes, graphs: Sequence[str], *, bulk: bool = False,
                     marks: bytes = b"") -> None:
        """Replace the named graphs ``graphs`` by the quads of ``data`` and ``marks`` (N-Quads
        whose quads all lie in those graphs), atomically: the write path of ingest, which
        hands over a whole batch as the bytes its workers serialised.

        ``bulk`` allows a faster loader that is not atomic (the embedded store's bulk loader,
        used only for graphs not yet in the store); ``marks`` are then written afterwards, in
        a transaction of their own, so that their presence marks a complete graph (ingest's
        ``rg:sha256`` triples). This default parses and calls :meth:`replace_graphs`.
        """
        content: dict[str, list[ox.Quad]] = {g: [] for g in graphs}
        try:
            for part in (data, marks):
                for q in ox.parse(part, format=ox.RdfFormat.N_QUADS):
                    content.setdefault(q.graph_name.value, []).append(q)
        except SyntaxError as exc:
            raise StoreError(f"could not read the graphs to write: {exc}") from exc
        self.replace_graphs(content)

    def bulk_stream(self) -> BulkStream | None:
        """A bulk load fed while it runs (:class:`BulkStream`), for the graphs of a first
        build; None where the store has none (remote engines: ingest then hands
        :meth:`write_nquads` buffers of N-Quads)."""
        return None

    def optimize(self) -> None:  # noqa: B027 - optional hook
        """Compact the storage for reads, after a bulk build. Engines that manage their own
        storage (remote ones) have nothing to do here."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources (file locks, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- embedded store

_LOCKED_HINT = ("another process holds the store's lock (a running `resograph serve` or "
                "`ingest`?); open it read-only or stop that process")


def _query_form(query: str) -> str:
    """``SELECT``/``ASK``/``CONSTRUCT``/``DESCRIBE``: the first query keyword after the prologue."""
    text = _strip_comments_and_literals(query)
    m = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE)
    return m.group(1).upper() if m else "SELECT"


def _strip_comments_and_literals(query: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length), so that keywords
    and braces can be found by position without being fooled by their content."""
    out = list(query)
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            j = query.find("\n", i)
            j = n if j < 0 else j
        elif c == "<" and re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]):
            j = i + re.match(r"<[^\s<>\"{}|^`\\]*>", query[i:]).end()  # type: ignore[union-attr]
        elif c in "\"'":
            quote = query[i:i + 3] if query[i:i + 3] in ('"""', "'''") else c
            j = i + len(quote)
            while j < n and not query.startswith(quote, j):
                j += 2 if query[j] == "\\" else 1
            j = min(n, j + len(quote))
        else:
            i += 1
            continue
        for k in range(i, j):
            if out[k] != "\n":
                out[k] = " "
        i = j
    return "".join(out)


def _inject_values(query: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables by an inline ``VALUES`` block opening the query's outermost group.

    Used only when pyoxigraph's own ``substitutions`` refuse (a SELECT whose projection does not
    list the bound variable). The values are written by pyoxigraph's own N-Triples/SPARQL
    serialisation of the terms (``str(term)``), never from user text, so they cannot change
    the query's structure.
    """
    text = _strip_comments_and_literals(query)
    pos = text.find("{")
    if pos < 0:
        raise QueryError("cannot bind variables: the query has no group pattern")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(str(v) for v in bindings.values())
    return f"{query[:pos + 1]} VALUES ({names}) {{ ({values}) }} {query[pos + 1:]}"


def _as_quad(q: ox.Quad | ox.Triple, graph: ox.NamedNode) -> ox.Quad:
    if not isinstance(q, (ox.Quad, ox.Triple)):
        raise StoreError(f"not a triple or quad for graph {graph.value}: {q!r}")
    return ox.Quad(q.subject, q.predicate, q.object, graph)


class BulkStream:
    """One bulk load of the embedded store, fed with N-Quads while it runs.

    Why: each bulk load leaves files that RocksDB then merges with everything loaded before,
    so a build made of many loads writes every quad several times over and leaves a larger
    store; one load of a whole run writes each quad about once. Holding a run in memory to
    load it at once is impossible at UN scale (~25 GB of N-Quads), and spooling it to a file
    would load nothing until the run ends. Here Oxigraph reads a named pipe (a FIFO: no disk,
    and its parser runs without the GIL) while :meth:`write` hands it batches as they come;
    a writer thread keeps up to :data:`QUEUE` batches in flight so that the caller goes on
    checking the next batches while the loader is busy.

    Nothing is atomic: the quads of a stream are only known to be in the store once
    :meth:`close` has returned without error (callers write their completion marks after).
    POSIX only (:func:`supported`).
    """

    #: batches queued for the pipe before :meth:`write` waits (each ~60 MB in a build)
    QUEUE = 4

    def __init__(self, store: ox.Store) -> None:
        self._dir = tempfile.mkdtemp(prefix="resograph-load-")
        self._fifo = os.path.join(self._dir, "quads.nq")
        os.mkfifo(self._fifo, 0o600)
        self._error: BaseException | None = None
        self._closed = False
        self.bytes = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=self.QUEUE)
        self._loader = threading.Thread(target=self._load, args=(store,),
                                        name="resograph-bulk-load", daemon=True)
        self._loader.start()
        try:
            self._fd = self._open_writer()
        finally:
            # both ends are open (or the loader failed): the name is no longer needed, and a
            # killed run leaves no pipe behind
            shutil.rmtree(self._dir, ignore_errors=True)
        self._writer = threading.Thread(target=self._feed, name="resograph-bulk-feed",
                                        daemon=True)
        self._writer.start()

    @staticmethod
    def supported() -> bool:
        return hasattr(os, "mkfifo")

    def _load(self, store: ox.Store) -> None:
        try:
            store.bulk_load(path=self._fifo, format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # reported by write()/close(), in the caller's thread
            self._error = exc

    def _open_writer(self, timeout: float = 60.0) -> int:
        """The pipe's write end, once the loader has opened its read end (a plain blocking
        open would wait forever if the loader failed before opening it)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                fd = os.open(self._fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise StoreError(f"cannot feed the bulk loader: {exc}") from exc
                if not self._loader.is_alive():
                    raise StoreError(f"the bulk loader stopped before reading: {self._error}"
                                     ) from self._error
                if time.monotonic() > deadline:
                    raise StoreError(f"the bulk loader did not start reading within "
                                     f"{timeout:.0f} s") from exc
                time.sleep(0.001)
                continue
            os.set_blocking(fd, True)
            return fd

    def _feed(self) -> None:
        """Writer thread: queued batches into the pipe; after a failed write (the loader
        stopped), the rest is dropped so that :meth:`write` never waits forever."""
        failed = False
        while (data := self._queue.get()) is not None:
            if failed:
                continue
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(self._fd, view):]
            except OSError:  # EPIPE: the loader is gone; its own error says why
                failed = True
        os.close(self._fd)

    def _check(self) -> None:
        if self._error is not None:
            raise StoreError(f"the bulk load failed: {self._error}") from self._error

    def write(self, data: bytes) -> None:
        """Queue whole N-Quads lines for the load (waits while :data:`QUEUE` batches are in
        flight)."""
        self._check()
        if self._closed:
            raise StoreError("the bulk load is closed: open another stream")
        if data:
            self._queue.put(data)
            self.bytes += len(data)

    def close(self) -> None:
        """End the input and wait until Oxigraph has loaded it all; raises
        :class:`StoreError` if the load failed. Calling it again only says that again."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
        self._writer.join()
        self._loader.join()
        self._check()


class OxigraphStore(Store):
    """The embedded store: pyoxigraph over RocksDB (``path``), or in memory (``path=None``).

    Queries see the union of all named graphs as their default graph (module docstring).
    Only one process may open a folder for writing; any number may open it read-only, but a
    read-only view does not see writes made after it was opened (reopen to refresh).
    """

    def __init__(self, path: Path | str | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                if read_only:
                    raise StoreError("an in-memory store cannot be opened read-only")
                self._store = ox.Store()
            elif read_only:
                if not self.path.is_dir():
                    raise StoreError(f"{self.path}: no store there to open read-only")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            hint = _LOCKED_HINT if "lock" in str(exc).lower() else str(exc)
            raise StoreError(f"{self.path}: cannot open the store: {hint}") from exc

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying :class:`pyoxigraph.Store` (for benchmarks and bulk tools)."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def __repr__(self) -> str:
        where = self.path or "memory"
        return f"OxigraphStore({where}{', read-only' if self.read_only else ''})"

    # -- reading -----------------------------------------------------------------------------
    def _query(self, query: str, bindings: Mapping[str, Term] | None = None, **kw: Any) -> Any:
        kw.setdefault("use_default_graph_as_union", True)
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self._store.query(query, substitutions=subs or None, **kw)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except RuntimeError as exc:
            if subs and "projection" in str(exc):
                try:
                    return self._store.query(_inject_values(query, bindings or {}), **kw)
                except SyntaxError as exc2:
                    raise QueryError(str(exc2)) from exc2
            raise StoreError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        return list(self.select_iter(query, bindings))

    def select_iter(self, query: str, bindings: Mapping[str, Term] | None = None
                    ) -> Iterator[Row]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select() needs a SELECT query")
        return self._rows(result)

    @staticmethod
    def _rows(result: ox.QuerySolutions) -> Iterator[Row]:
        # by position: a lookup by name costs pyoxigraph a search of the variables, ~2.5 us
        # a row of three (measured on 200,000 rows: 1.8-2.1 s against 2.4-2.5 s)
        names = list(enumerate(v.value for v in result.variables))
        try:
            for sol in result:
                row: Row = {}
                for i, name in names:
                    value = sol[i]
                    if value is not None:
                        row[name] = value
                yield row
        except OSError as exc:  # the engine reads its files as the rows are pulled
            raise StoreError(str(exc)) from exc

    def ask(self, query: str, bindings: Mapping[str, Term] | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("construct() needs a CONSTRUCT or DESCRIBE query")
        return list(result)

    def run_query(self, query: str, media_type: str, *,
                  default_graph_uris: Iterable[str] = (),
                  named_graph_uris: Iterable[str] = ()) -> tuple[bytes, str, str]:
        defaults = [ox.NamedNode(u) for u in default_graph_uris]
        named = [ox.NamedNode(u) for u in named_graph_uris]
        kw: dict[str, Any] = {}
        if defaults:
            kw["default_graph"] = defaults
            kw["use_default_graph_as_union"] = False
        if named:
            kw["named_graphs"] = named
        result = self._query(query, None, **kw)
        form = _query_form(query)
        try:
            if isinstance(result, ox.QueryTriples):
                fmt = formats.rdf_format(media_type)
                return result.serialize(format=fmt.ox_format), fmt.media_type, form
            rfmt = formats.results_format(media_type)
            return result.serialize(format=rfmt.ox_format), rfmt.media_type, form
        except formats.FormatError as exc:
            raise QueryError(f"cannot write {form} results as {media_type}: {exc}") from exc

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode))

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def has_graph(self, graph: str) -> bool:
        """Whether the named graph exists (and holds at least one quad)."""
        g = ox.NamedNode(graph)
        return any(True for _ in self._store.quads_for_pattern(None, None, None, g))

    # -- writing -----------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: the store is open read-only")

    def replace_graphs(self, graphs: Mapping[str, Iterable[ox.Quad | ox.Triple]]) -> None:
        """All graphs in one transaction.

        New graphs go in with ``Store.extend`` (one transaction, the fast path of a build);
        when any of them already exists the whole batch is one SPARQL Update ``DROP SILENT
        GRAPH ...; INSERT DATA {...}``, which pyoxigraph also applies in one transaction.
        The update text is written from the terms' own serialisation, not from user text.
        """
        self._check_writable()
        quads: list[ox.Quad] = []
        for name, content in graphs.items():
            g = ox.NamedNode(name)
            quads.extend(_as_quad(q, g) for q in content)
        existing = [name for name in graphs if self.has_graph(name)]
        try:
            if not existing:
                if quads:
                    self._store.extend(quads)
                return
            parts = [f"DROP SILENT GRAPH <{ox.NamedNode(name).value}>" for name in existing]
            if quads:
                body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} "
                                 f"{q.object} }}" for q in quads)
                parts.append(f"INSERT DATA {{\n{body}\n}}")
            self._store.update(" ;\n".join(parts))
        except SyntaxError as exc:  # a term pyoxigraph wrote that its parser refused
            raise StoreError(f"could not write the graphs: {exc}") from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def write_nquads(self, data: bytes, graphs: Sequence[str], *, bulk: bool = False,
                     marks: bytes = b"") -> None:
        """Graphs new to the store are loaded from the bytes by Oxigraph itself (no Python
        object per quad): ``Store.load``, one transaction, or with ``bulk`` the bulk loader
        (~2.5x faster here, not atomic) followed by one transaction for the ``marks``.
        Replacing existing graphs goes through :meth:`replace_graphs` (DROP + INSERT DATA)."""
        self._check_writable()
        if any(self.has_graph(g) for g in graphs):
            super().write_nquads(data, graphs, marks=marks)
            return
        fmt = ox.RdfFormat.N_QUADS
        try:
            if not bulk:
                self._store.load(data + marks if marks else data, format=fmt)
                return
            self._store.bulk_load(data, format=fmt)
            if marks:
                self._store.load(marks, format=fmt)
        except SyntaxError as exc:
            raise StoreError(f"could not write the graphs: {exc}") from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    def bulk_stream(self) -> BulkStream | None:
        self._check_writable()
        return BulkStream(self._store) if BulkStream.supported() else None

    def delete_graph(self, graph: str) -> None:
        self._check_writable()
        g = ox.NamedNode(graph)
        if self._store.contains_named_graph(g):
            self._store.remove_graph(g)

    def update(self, sparql: str) -> None:
        self._check_writable()
        try:
            self._store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(str(exc)) from exc

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads in one transaction (no graph is cleared)."""
        self._check_writable()
        self._store.extend(list(quads))

    def load(self, data: bytes | IO[bytes], media_type: str, *, graph: str | None = None,
             replace: bool = False) -> None:
        self._check_writable()
        fmt = formats.rdf_format(media_type)
        try:
            parsed = list(ox.parse(data, format=fmt.ox_format))
        except SyntaxError as exc:
            raise QueryError(f"{fmt.name}: {exc}") from exc
        except ValueError as exc:
            raise QueryError(f"{fmt.name}: {exc}") from exc
        if graph is not None:
            self.replace_graphs({graph: parsed}) if replace else \
                self._store.extend([_as_quad(q, ox.NamedNode(graph)) for q in parsed])
            return
        if replace:
            by_graph: dict[str, list[ox.Quad]] = {}
            default: list[ox.Quad] = []
            for q in parsed:
                if isinstance(q.graph_name, ox.NamedNode):
                    by_graph.setdefault(q.graph_name.value, []).append(q)
                else:
                    default.append(q)
            if default:
                raise QueryError("replace=True needs the data's named graphs or a graph=")
            self.replace_graphs(by_graph)
            return
        self._store.extend(parsed)

    def export(self, out: IO[bytes], fmt: str, *, graph: str | None = None) -> None:
        """Dataset formats (N-Quads, TriG, JSON-LD) keep graph names; triple formats write
        one graph, or without ``graph`` the union of all graphs (the default graph as
        queries see it)."""
        info = formats.rdf_format(fmt)
        prefixes = dict(PREFIXES) if info.name in ("turtle", "trig", "n3", "rdfxml") else None
        try:
            if graph is not None:
                g = ox.NamedNode(graph)
                if info.datasets:
                    out.write(ox.serialize(self.graph_quads(graph), format=info.ox_format,
                                           prefixes=prefixes))
                else:
                    self._store.dump(out, info.ox_format, from_graph=g, prefixes=prefixes)
            elif info.datasets:
                self._store.dump(out, info.ox_format, prefixes=prefixes)
            else:
                triples = self._query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
                out.write(triples.serialize(format=info.ox_format))
        except BrokenPipeError:
            raise  # the reader went away (`| head`): the caller's business, not a store error
        except OSError as exc:
            raise StoreError(f"export failed: {exc}") from exc

    def optimize(self) -> None:
        """RocksDB's full compaction (:meth:`pyoxigraph.Store.optimize`): each bulk load adds
        files that overlap the earlier ones, and a read looks into every one of them. At
        100,000 resolutions (20 GB) it took 288 s and made the reads of the API 3-4x faster
        (bench/SCALE.md, seventh pass)."""
        self._check_writable()
        try:
            self._store.optimize()
        except OSError as exc:
            raise StoreError(f"{self.path or 'memory'}: could not optimize the store: {exc}"
                             ) from exc

    def close(self) -> None:
        if not self.read_only and self.path is not None:
            with contextlib.suppress(OSError):
                self._store.flush()
        self._store = None  # type: ignore[assignment]
