"""Running user-written SPARQL: the one place /sparql and /update hand a query to the store.

Two runners share one interface (``create_app(..., runner=...)``):

* :class:`QueryRunner` runs queries in the server process. pyoxigraph cannot be interrupted from
  another thread, so its time limit is only as good as the engine's own (used for a
  :class:`~resograph.graph.remote_store.RemoteStore`, where the remote engine enforces it, and
  when ``query_workers=0``).
* :class:`ProcessRunner` runs each query in one of a pool of **worker processes** that open the
  store themselves (read-only for an on-disk store, a private copy for an in-memory one). The
  parent waits at most ``query_timeout`` seconds; past that it kills the worker with SIGKILL,
  answers :class:`QueryTimeout` and starts a replacement in the background, so a runaway query
  really stops and other clients keep being served by the other workers. After a write (through
  :meth:`update` or :meth:`invalidate`) the pool moves to a new *generation*: workers opened
  before the write are retired and fresh ones see the new data.

Both runners refuse ``SERVICE`` and ``LOAD`` towards hosts that are not on the operator's
allowlist (pyoxigraph would really connect), and cap the number of result rows of SELECT (every
results format) and of triples of CONSTRUCT/DESCRIBE (:class:`TooManyRows`).
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import io
import itertools
import logging
import multiprocessing as mp
import os
import queue
import re
import signal
import sys
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from resograph.graph.store import QueryError, QueryTimeout, Store, StoreError

from .config import Config

__all__ = ["Forbidden", "ProcessRunner", "QueryError", "QueryResult", "QueryRunner",
           "QueryTimeout", "TooManyRows", "make_runner", "query_form"]

log = logging.getLogger(__name__)


class Forbidden(StoreError):
    """The query asks for something the operator does not allow (e.g. SERVICE to any host)."""


class TooManyRows(StoreError):
    """The result has more rows (SELECT) or triples (CONSTRUCT) than the configured cap."""


@dataclass
class QueryResult:
    body: bytes
    media_type: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE


# --------------------------------------------------------------------------- query text checks

# Strings, IRIs and comments. SPARQL comments end at the first \r or \n: a comment regex that
# only stops at \n would hide "# x\rSERVICE <...>" from the check while the parser runs it.
_COMMENT_OR_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\r\n]*')
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.I)
_FORM = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _blank_comments_and_strings(text: str) -> str:
    """Comments and string literals replaced by spaces; IRIs kept (they matter for SERVICE)."""
    def repl(m: re.Match[str]) -> str:
        tok = m.group(0)
        return tok if tok.startswith("<") else " " * len(tok)
    return _COMMENT_OR_STRING.sub(repl, text)


def _unescape_iri(iri: str) -> str:
    """``\\u0041``-style escapes decoded, as the SPARQL parser decodes them inside IRIs."""
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)
    return _UCHAR.sub(repl, iri)


def query_form(query: str) -> str | None:
    """``SELECT``/``ASK``/``CONSTRUCT``/``DESCRIBE`` or ``None`` when it cannot be told.

    A cheap look past the prologue, used only to negotiate the response format before running;
    the engine's parser remains the judge of validity.
    """
    text = _blank_comments_and_strings(query)
    pos = 0
    while True:
        m = _PROLOGUE.match(text, pos)
        if not m:
            break
        pos = m.end()
    m = _FORM.match(text, pos)
    return m.group(1).upper() if m else None


# a keyword, not a variable (?service), a prefixed name (ex:load) or part of a longer word
_OUTBOUND = re.compile(r"(?<![\w?$:\-.])(SERVICE|LOAD)(?![\w:\-])\s*(?:SILENT\b\s*)?(<[^>]*>|\S*)",
                       re.I)


def check_outbound(text: str, allowed_hosts: Iterable[str]) -> None:
    """Refuse SERVICE/LOAD unless its target is an absolute http(s) IRI of an allowed host.

    Conservative on purpose: a variable or prefixed-name target, a relative IRI, or a keyword
    the check cannot pair with a target is refused even when the engine might have accepted it.
    """
    allowed = {h.lower().rstrip(".") for h in allowed_hosts}
    for m in _OUTBOUND.finditer(_blank_comments_and_strings(text)):
        target = m.group(2)
        host = None
        if target.startswith("<") and target.endswith(">"):
            parts = urlsplit(_unescape_iri(target[1:-1]).strip())
            if parts.scheme.lower() in ("http", "https"):
                host = (parts.hostname or "").rstrip(".")
        if not host or host.lower() not in allowed:
            raise Forbidden(f"{m.group(1).upper()} {target or '(no target)'}: outbound "
                            "requests are only allowed to hosts on the operator's allowlist "
                            "(RESOGRAPH_ALLOW_SERVICE_HOSTS)")


# --------------------------------------------------------------------------- row cap

_JSON, _XML, _CSV, _TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                           "text/csv", "text/tab-separated-values")


def count_rows(body: bytes, media_type: str, cap: int) -> int:
    """Rows of a serialised SELECT result, exactly when it may exceed ``cap`` (else a bound).

    Every format spends at least 2 bytes per row, so a body shorter than ``2 * cap`` cannot
    hold more than ``cap`` rows and is not parsed: the common small result costs nothing.
    """
    if len(body) <= 2 * cap:
        return len(body) // 2
    mt = media_type.split(";")[0].strip()
    if mt == _XML:
        return body.count(b"<result>") + body.count(b"<result/>")
    if mt == _TSV:  # newlines inside values are escaped in TSV
        return max(0, body.count(b"\n") - 1)
    if mt == _CSV:
        reader = csv.reader(io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline=""))
        return max(0, sum(1 for _ in reader) - 1)
    import pyoxigraph as ox

    return sum(1 for _ in ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))


def _too_many(n: int | str, cap: int, what: str) -> TooManyRows:
    return TooManyRows(f"the result has {n} {what}, more than the limit of {cap}; add a LIMIT "
                       "or make the query more selective")


class _CappedWriter(io.RawIOBase):
    """A bytes sink that refuses to grow past ``limit`` (bounds a worker's memory)."""

    def __init__(self, limit: int):
        self.buf = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.buf += b
        if len(self.buf) > self.limit:
            raise OSError("result too large")
        return len(b)


def execute(ox_store: Any, query: str, media_type: str, default_graph_uris: list[str],
            named_graph_uris: list[str], max_rows: int, max_bytes: int) -> tuple[bytes, str, str]:
    """Run one protocol query on a :class:`pyoxigraph.Store` under the row and size caps.

    The same code runs in the worker processes and, for the in-process runner, in the server.
    """
    import pyoxigraph as ox

    from resograph.graph import formats
    from resograph.graph.store import _query_form

    kw: dict[str, Any] = {"use_default_graph_as_union": True}
    if default_graph_uris:
        kw["default_graph"] = [ox.NamedNode(u) for u in default_graph_uris]
        kw["use_default_graph_as_union"] = False
    if named_graph_uris:
        kw["named_graphs"] = [ox.NamedNode(u) for u in named_graph_uris]
    try:
        result = ox_store.query(query, **kw)
    except SyntaxError as exc:
        raise QueryError(str(exc)) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise StoreError(str(exc)) from exc
    form = _query_form(query)
    try:
        if isinstance(result, ox.QueryTriples):
            fmt = formats.rdf_format(media_type)
            triples = list(itertools.islice(result, max_rows + 1))
            if len(triples) > max_rows:
                raise _too_many(f"more than {max_rows}", max_rows, "triples")
            return ox.serialize(triples, format=fmt.ox_format), fmt.media_type, form
        rfmt = formats.results_format(media_type)
        if isinstance(result, ox.QueryBoolean):
            return result.serialize(format=rfmt.ox_format), rfmt.media_type, form
        sink = _CappedWriter(max_bytes)
        try:
            result.serialize(sink, format=rfmt.ox_format)
        except OSError as exc:
            raise _too_many(f"more than {max_bytes} bytes of", max_rows,
                            "serialised results") from exc
        body = bytes(sink.buf)
        n = count_rows(body, rfmt.media_type, max_rows)
        if n > max_rows:
            raise _too_many(n, max_rows, "rows")
        return body, rfmt.media_type, form
    except formats.FormatError as exc:
        raise QueryError(f"cannot write {form} results as {media_type}: {exc}") from exc
    except (OSError, RuntimeError) as exc:  # evaluation errors surface while iterating
        raise StoreError(str(exc)) from exc


# --------------------------------------------------------------------------- in-process runner


class QueryRunner:
    """Runs queries and updates in the server process under the configured limits.

    The time limit is not enforced here (pyoxigraph cannot be interrupted): use
    :class:`ProcessRunner` for an embedded store, or the remote engine's own timeout.
    """

    def __init__(self, store: Store, config: Config):
        self.store = store
        self.config = config

    # -- policy hooks ------------------------------------------------------------------------
    def check_outbound(self, text: str) -> None:
        """Refuse SERVICE/LOAD to hosts not allowlisted (pyoxigraph would really connect)."""
        check_outbound(text, self.config.allow_service_hosts)

    # -- operations --------------------------------------------------------------------------
    def run(self, query: str, media_type: str, *, default_graph_uris: Iterable[str] = (),
            named_graph_uris: Iterable[str] = ()) -> QueryResult:
        """Run one protocol query; raises QueryError, QueryTimeout, Forbidden, TooManyRows."""
        self.check_outbound(query)
        ox_store = getattr(self.store, "oxigraph", None)
        if ox_store is not None:
            body, mt, form = execute(ox_store, query, media_type, list(default_graph_uris),
                                     list(named_graph_uris), self.config.max_rows,
                                     self.config.max_result_bytes)
            return QueryResult(body, mt, form)
        body, mt, form = self.store.run_query(query, media_type,
                                              default_graph_uris=list(default_graph_uris),
                                              named_graph_uris=list(named_graph_uris))
        if form == "SELECT":
            n = count_rows(body, mt, self.config.max_rows)
            if n > self.config.max_rows:
                raise _too_many(n, self.config.max_rows, "rows")
        return QueryResult(body, mt, form)

    def update(self, update: str) -> None:
        """Run a SPARQL Update (the caller has checked the token)."""
        self.check_outbound(update)
        try:
            self.store.update(update)
        finally:
            self.invalidate()

    def invalidate(self) -> None:
        """The store changed (a write went around the runner): later queries must see it."""

    def close(self) -> None:
        """Release workers (none in the in-process runner)."""


# --------------------------------------------------------------------------- worker processes


def _no_network() -> bool:
    """Best effort: move this process into an empty network namespace (Linux user namespaces).

    Defence in depth under the SERVICE/LOAD check: a worker that cannot reach any network
    cannot be talked into an outbound request. Silently skipped where not permitted.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clone_newuser, clone_newnet = 0x10000000, 0x40000000
        return libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def _worker_main(conn: Any, source: tuple[str, Any], isolate: bool) -> None:
    """Worker loop: open the store, then answer ``(query, ...)`` messages until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import pyoxigraph as ox

        if isolate:
            _no_network()
        kind, value = source
        if kind == "path":
            store = ox.Store.read_only(value)
        else:
            store = ox.Store()
            if value:
                store.bulk_load(value, format=ox.RdfFormat.N_QUADS)
        conn.send(("ready", os.getpid()))
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        try:
            conn.send(("ok", execute(store, *msg)))
        except TooManyRows as exc:
            conn.send(("rows", str(exc)))
        except QueryError as exc:
            conn.send(("query", str(exc)))
        except Exception as exc:
            conn.send(("store", f"{type(exc).__name__}: {exc}"))


class _Worker:
    __slots__ = ("conn", "gen", "proc")

    def __init__(self, proc: Any, conn: Any, gen: int):
        self.proc, self.conn, self.gen = proc, conn, gen

    def kill(self) -> None:
        try:
            if self.proc.is_alive():
                os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.join(5)
        except (OSError, ValueError, AssertionError):
            pass
        with contextlib.suppress(OSError):
            self.conn.close()


_LIVE: weakref.WeakSet[ProcessRunner] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for r in list(_LIVE):
        r.close()


class ProcessRunner(QueryRunner):
    """Queries in killable worker processes: a hard time limit (module docstring).

    ``workers`` processes are started lazily, on the first query, so an app that never runs
    user SPARQL (and the tests building many apps) pays nothing.
    """

    def __init__(self, store: Store, config: Config, *, workers: int | None = None):
        super().__init__(store, config)
        self.size = max(1, workers or config.query_workers or os.cpu_count() or 2)
        self._path = getattr(store, "path", None)
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._gen = 0
        self._live = 0  # workers alive or starting, of any generation
        self._starting = 0  # of which still starting
        self._started = False
        self._closed = False
        self._fallback: str | None = None
        self._source: tuple[int, tuple[str, Any]] | None = None
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        self._ctx = mp.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload(["resograph.service.runner"])
        _LIVE.add(self)

    # -- pool management ---------------------------------------------------------------------
    def _source_for(self, gen: int) -> tuple[str, Any]:
        if self._path is not None:
            return ("path", str(self._path))
        with self._lock:
            if self._source is None or self._source[0] != gen:
                import pyoxigraph as ox

                data = self.store.oxigraph.dump(format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
                self._source = (gen, ("nquads", data))
            return self._source[1]

    def _spawn(self) -> None:
        """Start one worker of the current generation and make it idle once it is ready."""
        gen = self._gen
        try:
            self._start_one(gen)
        finally:
            with self._lock:
                self._starting -= 1

    def _start_one(self, gen: int) -> None:
        try:
            parent, child = self._ctx.Pipe()
            proc = self._ctx.Process(target=_worker_main, name="resograph-query",
                                     args=(child, self._source_for(gen),
                                           not self.config.allow_service_hosts),
                                     daemon=True)
            proc.start()
            child.close()
            worker = _Worker(proc, parent, gen)
            if not parent.poll(120):
                raise StoreError("no answer in 120 s")
            status, detail = parent.recv()
            if status != "ready":
                raise StoreError(detail)
        except Exception as exc:
            log.error("query worker could not start (%s); running queries in-process "
                      "without a hard time limit", exc)
            self._fallback = str(exc)
            with self._lock:
                self._live -= 1
            return
        if self._closed or gen != self._gen:
            worker.kill()
            with self._lock:
                self._live -= 1
            if not self._closed:
                self._spawn_async()
            return
        self._idle.put(worker)

    def start(self) -> None:
        """Start the workers now instead of on the first query (servers call it at boot)."""
        self._ensure_started()

    def _spawn_async(self) -> None:
        with self._lock:
            if self._closed or self._live >= self.size:
                return
            self._live += 1
            self._starting += 1
        threading.Thread(target=self._spawn, name="resograph-spawn", daemon=True).start()

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._live -= 1
        self._spawn_async()

    def _ensure_started(self) -> None:
        if not self._started:
            self._started = True
            for _ in range(self.size):
                self._spawn_async()

    def _checkout(self, deadline: float) -> _Worker:
        self._ensure_started()
        while True:
            remaining = deadline - time.monotonic()
            if self._fallback is not None and self._idle.empty():
                raise _Fallback
            try:
                worker = self._idle.get(timeout=max(0.0, min(remaining, 0.5)))
            except queue.Empty:
                if self._starting and self._starting >= self._live:
                    # every worker is still starting (first query, or right after a write):
                    # their start-up does not count against the query's time limit
                    deadline = max(deadline, time.monotonic() + 0.5)
                    continue
                if time.monotonic() >= deadline:
                    raise QueryTimeout(
                        f"all {self.size} query workers stayed busy for "
                        f"{self.config.queue_timeout:g} s; try again") from None
                continue
            if worker.gen != self._gen or not worker.proc.is_alive():
                self._retire(worker)
                continue
            return worker

    # -- operations --------------------------------------------------------------------------
    def run(self, query: str, media_type: str, *, default_graph_uris: Iterable[str] = (),
            named_graph_uris: Iterable[str] = ()) -> QueryResult:
        self.check_outbound(query)
        limit = self.config.query_timeout
        msg = (query, media_type, list(default_graph_uris), list(named_graph_uris),
               self.config.max_rows, self.config.max_result_bytes)
        for attempt in (1, 2):
            try:
                worker = self._checkout(time.monotonic() + self.config.queue_timeout)
            except _Fallback:
                return super().run(query, media_type, default_graph_uris=msg[2],
                                   named_graph_uris=msg[3])
            deadline = time.monotonic() + limit  # the limit counts from the start of the work
            try:
                worker.conn.send(msg)
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    self._retire(worker)  # SIGKILL: the only way to stop pyoxigraph
                    raise QueryTimeout(f"the query exceeded the {limit:g} s time limit and "
                                       "was stopped; add a LIMIT or make it more selective")
                status, payload = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError) as exc:
                # the worker died (out of memory, killed, a store file vanished after a
                # compaction by the writer): a fresh worker of the same generation, once
                self._retire(worker)
                if attempt == 2:
                    raise StoreError(f"query worker failed: {exc or 'exited'}") from exc
                continue
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)
            if status == "ok":
                body, mt, form = payload
                return QueryResult(body, mt, form)
            if status == "rows":
                raise TooManyRows(payload)
            if status == "query":
                raise QueryError(payload)
            raise StoreError(payload)
        raise StoreError("unreachable")  # pragma: no cover

    def invalidate(self) -> None:
        """Start a new generation: idle workers are replaced by ones that see the write."""
        with self._lock:
            self._gen += 1
        stale: list[_Worker] = []
        while True:
            try:
                stale.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for w in stale:
            self._retire(w)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            with contextlib.suppress(OSError):
                w.conn.send(None)
            w.kill()

    @property
    def worker_pids(self) -> list[int]:
        """Pids of the idle workers (for tests and monitoring)."""
        with self._idle.mutex:
            return [w.proc.pid for w in self._idle.queue]


class _Fallback(Exception):
    """Internal: workers could not start, run in-process."""


def make_runner(store: Store, config: Config) -> QueryRunner:
    """The runner ``create_app`` uses by default.

    :class:`ProcessRunner` for the embedded store (hard time limit), unless
    ``query_workers`` is negative; the in-process runner for other stores (a remote engine
    applies its own limits).
    """
    if config.query_workers >= 0 and getattr(store, "oxigraph", None) is not None:
        return ProcessRunner(store, config)
    return QueryRunner(store, config)
