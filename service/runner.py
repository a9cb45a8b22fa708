"""Running user-written SPARQL: the one place /sparql and /update hand a query to the store.

:class:`QueryRunner` is deliberately small and swappable (``create_app(..., runner=...)``): the
hardening issue replaces it by a runner that executes queries in worker processes it can kill
when the time limit passes, without touching the protocol code in :mod:`.sparql`. What the base
runner already does: detect the query form (to negotiate before running), refuse ``SERVICE`` and
``LOAD`` towards hosts not on the operator's allowlist, and apply the row cap to SELECT results
it can count cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from resograph.graph.store import QueryError, QueryTimeout, Store, StoreError

from .config import Config

__all__ = ["Forbidden", "QueryError", "QueryResult", "QueryRunner", "QueryTimeout",
           "TooManyRows", "query_form"]


class Forbidden(StoreError):
    """The query asks for something the operator does not allow (e.g. SERVICE to any host)."""


class TooManyRows(StoreError):
    """The result has more rows than the configured cap."""


@dataclass
class QueryResult:
    body: bytes
    media_type: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE


_COMMENT_OR_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_PROLOGUE = re.compile(r"\s*(?:BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.I)
_FORM = re.compile(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)


def _blank_comments_and_strings(text: str) -> str:
    """Comments and string literals replaced by spaces; IRIs kept (they matter for SERVICE)."""
    def repl(m: re.Match[str]) -> str:
        tok = m.group(0)
        return tok if tok.startswith("<") else " " * len(tok)
    return _COMMENT_OR_STRING.sub(repl, text)


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


_OUTBOUND = re.compile(r"\b(SERVICE|LOAD)\s+(?:SILENT\s+)?(<[^>]*>|\S+)", re.I)


class QueryRunner:
    """Runs queries and updates against a store under the configured limits."""

    def __init__(self, store: Store, config: Config):
        self.store = store
        self.config = config

    # -- policy hooks ------------------------------------------------------------------------
    def check_outbound(self, text: str) -> None:
        """Refuse SERVICE/LOAD to hosts not allowlisted (pyoxigraph would really connect)."""
        for m in _OUTBOUND.finditer(_blank_comments_and_strings(text)):
            target = m.group(2)
            host = urlsplit(target[1:-1]).hostname if target.startswith("<") else None
            if host is None or host.lower() not in {h.lower() for h in
                                                    self.config.allow_service_hosts}:
                raise Forbidden(f"{m.group(1).upper()} {target}: outbound requests are only "
                                "allowed to hosts on the operator's allowlist "
                                "(RESOGRAPH_ALLOW_SERVICE_HOSTS)")

    # -- operations --------------------------------------------------------------------------
    def run(self, query: str, media_type: str, *, default_graph_uris: Iterable[str] = (),
            named_graph_uris: Iterable[str] = ()) -> QueryResult:
        """Run one protocol query; raises QueryError, QueryTimeout, Forbidden, TooManyRows."""
        self.check_outbound(query)
        body, mt, form = self.store.run_query(query, media_type,
                                              default_graph_uris=list(default_graph_uris),
                                              named_graph_uris=list(named_graph_uris))
        if form == "SELECT" and mt in ("text/csv", "text/tab-separated-values"):
            # counting lines is cheap for the line-based formats; the hardening issue's
            # worker runner enforces the cap for every format while streaming
            rows = body.count(b"\n") - 1
            if rows > self.config.max_rows:
                raise TooManyRows(f"the result has {rows} rows, more than the limit of "
                                  f"{self.config.max_rows}; add a LIMIT")
        return QueryResult(body, mt, form)

    def update(self, update: str) -> None:
        """Run a SPARQL Update (the caller has checked the token)."""
        self.check_outbound(update)
        self.store.update(update)

    def close(self) -> None:
        """Release workers (none in the base runner)."""
