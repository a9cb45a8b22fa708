"""Service configuration: one dataclass, filled from arguments first, then the environment.

The CLI passes what the user typed (``None`` meaning "not given"); :meth:`Config.from_env`
fills the rest from ``RESOGRAPH_*`` variables and then from defaults, so ``resograph serve``
and ``gunicorn 'resograph.cli:wsgi()'`` are configured the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any

from resograph.graph.vocab import BASE


class ConfigError(ValueError):
    """A configuration value cannot be used; the message names the variable."""


def _flag(value: str) -> bool:
    word = value.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected one of 1, true, yes, on, 0, false, no, off")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


@dataclass
class Config:
    """What the operator can tune. Every field has a ``RESOGRAPH_<NAME>`` variable."""

    #: Base of the IRIs in the data the service dereferences (request path = IRI minus base).
    base: str = BASE
    #: Per-query time limit in seconds (a hard limit: the query's worker process is killed).
    query_timeout: float = 10.0
    #: Largest number of result rows a SPARQL SELECT (or triples a CONSTRUCT) may return
    #: before it is refused with a 413 and a message.
    max_rows: int = 100_000
    #: Largest serialised SPARQL result a query worker builds (bounds its memory).
    max_result_bytes: int = 512 * 1024 * 1024
    #: Seconds a /sparql query may wait for a free query worker before a 503 (the wait does
    #: not count against query_timeout: a burst queues instead of failing).
    queue_timeout: float = 30.0
    #: Worker processes running user SPARQL with a hard time limit: 0 = one per CPU,
    #: negative = run queries in the server process (no hard limit; remote stores always do).
    query_workers: int = 0
    #: Bearer token that opens /update and /store; ``None`` keeps them closed.
    write_token: str | None = None
    #: Hosts SERVICE / LOAD may reach (none by default: no outbound requests from user input).
    allow_service_hosts: tuple[str, ...] = ()
    #: Largest request body accepted, in bytes.
    max_body: int = 16 * 1024 * 1024
    #: Default and largest page size of API collections.
    page_size: int = 50
    max_page_size: int = 500
    #: Depth limit of /api/resolutions/{symbol}/network.
    max_depth: int = 3
    #: Hold the store's citation links in memory for /network (read in a thread after the
    #: first use and after every write; embedded store only, where writes are seen). Off: the
    #: walk reads them through SPARQL every time, as it does on remote engines.
    citation_index: bool = True
    #: Extra settings nobody planned for (kept so forks can add knobs without a new field).
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Config:
        """Build a config: ``overrides`` that are not ``None`` win, then ``RESOGRAPH_*``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            given = overrides.get(f.name)
            if given is not None:
                values[f.name] = given
                continue
            var = f"RESOGRAPH_{f.name.upper()}"
            raw = env.get(var)
            if raw is None or raw == "":
                continue
            try:
                if f.name in ("query_timeout", "queue_timeout"):
                    values[f.name] = float(raw)
                elif f.name in ("max_rows", "max_body", "page_size", "max_page_size",
                                "max_depth", "max_result_bytes", "query_workers"):
                    values[f.name] = int(raw)
                elif f.name == "citation_index":
                    values[f.name] = _flag(raw)
                elif f.name == "allow_service_hosts":
                    values[f.name] = _split(raw)
                else:
                    values[f.name] = raw
            except ValueError as exc:
                raise ConfigError(f"{var}={raw!r}: {exc}") from None
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise ConfigError(f"unknown configuration field(s): {', '.join(sorted(unknown))}")
        cfg = cls(**values)
        cfg.check()
        return cfg

    def check(self) -> None:
        """Refuse values the service cannot work with, naming the field."""
        if not self.base.startswith(("http://", "https://")) or not self.base.endswith("/"):
            raise ConfigError(f"base: {self.base!r} must be an http(s) IRI ending with '/'")
        if self.query_timeout <= 0:
            raise ConfigError(f"query_timeout: {self.query_timeout} must be positive")
        if self.queue_timeout < 0:
            raise ConfigError(f"queue_timeout: {self.queue_timeout} must not be negative")
        if (self.max_rows <= 0 or self.max_body <= 0 or self.page_size <= 0
                or self.max_result_bytes <= 0):
            raise ConfigError("max_rows, max_body, max_result_bytes and page_size must be "
                              "positive")
        if isinstance(self.allow_service_hosts, str):
            self.allow_service_hosts = _split(self.allow_service_hosts)
