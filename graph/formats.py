"""The one registry of serialisation formats resograph reads and writes.

Everything that turns a format name, a media type or a file extension into a parser or
serialiser goes through here: :meth:`resograph.graph.store.Store.load` / ``export``, the
``resograph export --format`` option and the service's content negotiation. Keeping one
table means a format added here is accepted everywhere at once, with the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import pyoxigraph as ox


class FormatError(ValueError):
    """An unknown format name, media type or file extension (the message lists known ones)."""


@dataclass(frozen=True)
class RdfFormatInfo:
    """One RDF serialisation: its short name, media types (first = canonical), extensions."""

    name: str
    media_types: tuple[str, ...]
    extensions: tuple[str, ...]
    ox_format: ox.RdfFormat
    datasets: bool  # can carry named graphs (N-Quads, TriG, JSON-LD)

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def extension(self) -> str:
        return self.extensions[0]


@dataclass(frozen=True)
class ResultsFormatInfo:
    """One SPARQL query results serialisation (SELECT/ASK)."""

    name: str
    media_types: tuple[str, ...]
    extensions: tuple[str, ...]
    ox_format: ox.QueryResultsFormat

    @property
    def media_type(self) -> str:
        return self.media_types[0]


RDF_FORMATS: dict[str, RdfFormatInfo] = {f.name: f for f in (
    RdfFormatInfo("nquads", ("application/n-quads", "text/x-nquads"), ("nq",),
                  ox.RdfFormat.N_QUADS, True),
    RdfFormatInfo("trig", ("application/trig", "application/x-trig"), ("trig",),
                  ox.RdfFormat.TRIG, True),
    RdfFormatInfo("turtle", ("text/turtle", "application/x-turtle"), ("ttl",),
                  ox.RdfFormat.TURTLE, False),
    RdfFormatInfo("ntriples", ("application/n-triples", "text/plain"), ("nt",),
                  ox.RdfFormat.N_TRIPLES, False),
    RdfFormatInfo("rdfxml", ("application/rdf+xml", "application/xml"), ("rdf", "owl", "xml"),
                  ox.RdfFormat.RDF_XML, False),
    RdfFormatInfo("jsonld", ("application/ld+json", "application/json"), ("jsonld", "json"),
                  ox.RdfFormat.JSON_LD, True),
    RdfFormatInfo("n3", ("text/n3", "text/rdf+n3"), ("n3",), ox.RdfFormat.N3, False),
)}

RESULTS_FORMATS: dict[str, ResultsFormatInfo] = {f.name: f for f in (
    ResultsFormatInfo("json", ("application/sparql-results+json", "application/json"),
                      ("srj", "json"), ox.QueryResultsFormat.JSON),
    ResultsFormatInfo("xml", ("application/sparql-results+xml", "application/xml"),
                      ("srx", "xml"), ox.QueryResultsFormat.XML),
    ResultsFormatInfo("csv", ("text/csv",), ("csv",), ox.QueryResultsFormat.CSV),
    ResultsFormatInfo("tsv", ("text/tab-separated-values",), ("tsv",), ox.QueryResultsFormat.TSV),
)}


def _bare(media_type: str) -> str:
    """``text/turtle; charset=utf-8`` -> ``text/turtle``."""
    return media_type.split(";", 1)[0].strip().lower()


def rdf_format(key: str) -> RdfFormatInfo:
    """Look up an RDF format by short name (``turtle``), media type or extension (``.ttl``)."""
    k = key.strip().lower()
    if k in RDF_FORMATS:
        return RDF_FORMATS[k]
    bare = _bare(k)
    for f in RDF_FORMATS.values():
        if bare in f.media_types:
            return f
    ext = k.lstrip(".")
    for f in RDF_FORMATS.values():
        if ext in f.extensions:
            return f
    raise FormatError(f"unknown RDF format {key!r} (known: {', '.join(RDF_FORMATS)})")


def rdf_format_for_path(path: str | PurePath) -> RdfFormatInfo:
    """The RDF format a file name says by its extension (``data.nq.gz`` -> N-Quads)."""
    suffixes = [s.lstrip(".") for s in PurePath(path).suffixes if s not in (".gz",)]
    if not suffixes:
        raise FormatError(f"{path}: no file extension to tell the RDF format from")
    return rdf_format(suffixes[-1])


def results_format(key: str) -> ResultsFormatInfo:
    """Look up a SPARQL results format by short name or media type."""
    k = key.strip().lower()
    if k in RESULTS_FORMATS:
        return RESULTS_FORMATS[k]
    bare = _bare(k)
    for f in RESULTS_FORMATS.values():
        if bare in f.media_types:
            return f
    raise FormatError(f"unknown SPARQL results format {key!r} (known: "
                      f"{', '.join(m for f in RESULTS_FORMATS.values() for m in f.media_types)})")


def rdf_media_types() -> list[str]:
    """Every RDF media type accepted, canonical ones first (for content negotiation)."""
    return ([f.media_type for f in RDF_FORMATS.values()]
            + [m for f in RDF_FORMATS.values() for m in f.media_types[1:]])


def results_media_types() -> list[str]:
    """Every SPARQL results media type accepted, canonical ones first."""
    return ([f.media_type for f in RESULTS_FORMATS.values()]
            + [m for f in RESULTS_FORMATS.values() for m in f.media_types[1:]])
