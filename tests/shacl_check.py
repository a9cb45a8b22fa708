"""A small pyshacl wrapper for the ontology/shapes tests (the product's validator is
resograph.graph.validate; these tests check the shapes themselves, with plain pyshacl).

rdflib re-parses a SPARQL constraint's text for every focus node, which makes pyshacl spend
~0.1 s per (constraint, node). :func:`validate` memoises the parsed and translated query
(rdflib's prepared-query path, made for re-use with different initial bindings), which keeps
the shapes tests fast without changing what is validated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import SH
from rdflib.plugins.sparql import processor as _processor

from resograph import shapes

_original_query = _processor.SPARQLProcessor.query


@lru_cache(maxsize=1024)
def _prepared(query: str, base: str | None, ns: tuple[tuple[str, str], ...]):
    return _processor.translateQuery(_processor.parseQuery(query), base, dict(ns))


def _cached_query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
    if isinstance(strOrQuery, str):
        ns = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
        strOrQuery = _prepared(strOrQuery, base, ns)
    return _original_query(self, strOrQuery, initBindings, initNs, base, DEBUG)


_processor.SPARQLProcessor.query = _cached_query


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in shapes.all_paths():
        graph.parse(path)
    return graph


@dataclass
class Result:
    shape: str
    severity: str
    focus: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.shape} {self.focus}: {self.message}"


def validate(data: rdflib.Graph | Path | str) -> list[Result]:
    """All validation results of ``data`` (a graph or a Turtle file) against the shapes."""
    if not isinstance(data, rdflib.Graph):
        data = rdflib.Graph().parse(data)
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), inference="none", advanced=True)
    out = []
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        # property shapes are blank nodes: report the node shape that holds them
        if isinstance(shape, rdflib.BNode):
            owner = shapes_graph().value(None, SH.property, shape)
            shape = owner if owner is not None else shape
        out.append(Result(
            shape=str(shape).rsplit("#", 1)[-1],
            severity=str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=str(report.value(r, SH.focusNode)),
            message=" ".join(str(m) for m in report.objects(r, SH.resultMessage)),
        ))
    return out


def violations(results: list[Result]) -> list[Result]:
    return [r for r in results if r.severity == "Violation"]
