"""Content negotiation: which representation a request gets.

The formats themselves (names, media types, extensions) come from the project's one registry,
:mod:`resograph.graph.formats`; this module adds the aliases clients send and only
chooses among them with werkzeug's ``Accept`` parsing (``request.accept_mimetypes``) and the
``format`` / ``output`` parameters browsers and SPARQLWrapper send. Nothing here parses a header
by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from resograph.graph import formats as gformats


class NotAcceptable(Exception):
    """No representation the client accepts; ``offered`` lists what could be served."""

    def __init__(self, offered: Sequence[str]):
        self.offered = list(offered)
        super().__init__("none of the accepted media types can be produced; available: "
                         + ", ".join(self.offered))


@dataclass(frozen=True)
class Format:
    """One serialisation the service can write."""

    name: str
    media_type: str  # what the Content-Type says
    aliases: tuple[str, ...]  # other media types that select it (Accept, format=)
    names: tuple[str, ...]  # short names for ?format= (first is canonical)
    extension: str
    kind: str  # "rdf" (graphs), "results" (SELECT/ASK) or "html"
    ox_format: ox.RdfFormat | ox.QueryResultsFormat | None = None

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+xml", "+json", "json", "n-triples", "n-quads", "trig"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    def all_media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


#: Media types clients send that the shared registry does not list, mapped to its formats
#: (SPARQLWrapper asks ``application/turtle``; JavaScript clients ``text/javascript``).
_EXTRA_ALIASES = {
    "turtle": ("application/turtle",),
    "jsonld": ("application/x-json+ld",),
    "n3": ("application/n3",),
    "json": ("text/javascript", "application/javascript"),
    "xml": ("text/xml",),
    "rdfxml": ("text/xml",),
}
#: Extra ``?format=`` names (the ones SPARQLWrapper and Virtuoso-style clients send).
_EXTRA_NAMES = {
    "turtle": ("ttl",), "ntriples": ("nt", "n-triples"), "rdfxml": ("rdf+xml", "xml", "rdf"),
    "jsonld": ("json-ld", "json"), "n3": (), "json": (), "xml": (), "csv": (), "tsv": (),
}


def _registry() -> tuple[list[Format], list[Format]]:
    """The service's view of :mod:`resograph.graph.formats`: media types plus client aliases."""
    rdf = [Format(f.name, f.media_type, (*f.media_types[1:], *_EXTRA_ALIASES.get(f.name, ())),
                  (f.name, *_EXTRA_NAMES.get(f.name, ()), *f.extensions), f.extension, "rdf",
                  f.ox_format)
           for f in gformats.RDF_FORMATS.values()]
    results = [Format(f.name, f.media_type, (*f.media_types[1:], *_EXTRA_ALIASES.get(f.name, ())),
                      (f.name, *_EXTRA_NAMES.get(f.name, ()), *f.extensions), f.extensions[0],
                      "results", f.ox_format)
               for f in gformats.RESULTS_FORMATS.values()]
    return rdf, results


RDF_FORMATS, RESULT_FORMATS = _registry()
HTML = Format("html", "text/html", ("application/xhtml+xml",), ("html",), "html", "html")
#: Graph formats served for one resource or a CONSTRUCT (no datasets: triples only).
GRAPH_FORMATS = [next(f for f in RDF_FORMATS if f.name == n)
                 for n in ("turtle", "jsonld", "ntriples", "rdfxml", "n3")]
#: Upload formats the Graph Store Protocol accepts, by media type.
UPLOAD_FORMATS = {mt: f for f in RDF_FORMATS for mt in f.all_media_types()}


def by_name(name: str, candidates: Iterable[Format]) -> Format | None:
    """A format by short name or media type (``?format=ttl``, ``?format=text/turtle``)."""
    key = name.strip().lower()
    for f in candidates:
        if key in f.names or key in f.all_media_types():
            return f
    return None


def negotiate(accept: MIMEAccept, candidates: Sequence[Format], *,
              format_params: Sequence[str] = ()) -> Format:
    """Choose the representation: an explicit ``format`` wins, then ``Accept``.

    ``candidates`` are in the server's order of preference: with ``Accept: */*`` or no
    header at all the first one is served. Raises :class:`NotAcceptable`.
    """
    for param in format_params:
        if param:
            found = by_name(param, candidates)
            if found is not None:
                return found
    if not accept:  # no Accept header: the server's choice
        return candidates[0]
    offers: list[str] = []
    owner: dict[str, Format] = {}
    for f in candidates:
        for mt in f.all_media_types():
            if mt not in owner:
                owner[mt] = f
                offers.append(mt)
    best = accept.best_match(offers)
    if best is None:
        raise NotAcceptable([f.media_type for f in candidates])
    return owner[best]


def prefers_html(accept: MIMEAccept) -> bool:
    """Whether a browser asked: HTML named explicitly and preferred to every machine format."""
    if not any(value in ("text/html", "application/xhtml+xml") and q > 0
               for value, q in accept):
        return False
    offers = ["text/html", "application/xhtml+xml",
              *(mt for f in (*GRAPH_FORMATS, *RESULT_FORMATS) for mt in f.all_media_types())]
    return accept.best_match(offers) in ("text/html", "application/xhtml+xml")
