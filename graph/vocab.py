"""Namespaces and the IRIs resograph mints.

All data IRIs live under one canonical base (:data:`BASE`), so that they are stable whatever
host serves them: the service maps a request path ``/doc/A/RES/48/141`` to ``BASE +
"doc/A/RES/48/141"`` and looks it up. Minting happens here and only here.

IRI scheme (``{work}`` is ``BASE + "doc/" + symbol`` with spaces removed):

=========================  ============================================================
work (resolution, ...)     ``{work}`` e.g. ``.../doc/A/HRC/RES/56/15``, ``.../doc/S/RES/687(1991)``
expression (language)      ``{work}/fr``
paragraph of the work      ``{work}/para/{key}`` (aligned across languages)
paragraph of a language    ``{work}/fr/para/{key}``
citation                   ``{work}/fr/citation/{n}``
request                    ``{work}/fr/request/{n}``
vote of a member state     ``{work}/vote/{ISO3}``
document graph             ``BASE + "graph/doc/" + symbol + "/fr"``
organ                      ``BASE + "organ/GA"``
session                    ``BASE + "session/GA/79"``
instrument                 ``BASE + "instrument/udhr"``
verb meaning (SKOS)        ``BASE + "verb/recalling"``
member state               ``BASE + "state/FRA"``
=========================  ============================================================
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

#: Canonical base of every IRI resograph mints for data.
BASE = "https://w3id.org/resograph/"

RG = Namespace("https://w3id.org/resograph/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
FABIO = Namespace("http://purl.org/spar/fabio/")
FRBR = Namespace("http://purl.org/vocab/frbr/core#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

#: Named graphs of shared facts (not owned by any one document).
GRAPH_ONTOLOGY = BASE + "graph/ontology"
GRAPH_SHARED = BASE + "graph/shared"  # organs, instruments, verb concepts, member states
GRAPH_DOC_PREFIX = BASE + "graph/doc/"
#: Works known only through citations (``rg:citedOnly``), kept by ingest (graph/ingest.py).
GRAPH_CITED_ONLY = BASE + "graph/cited-only"

PREFIXES: dict[str, str] = {
    "rg": str(RG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "cito": str(CITO),
    "fabio": str(FABIO),
    "frbr": str(FRBR),
    "eli": str(ELI),
}


@lru_cache(maxsize=1 << 16)
def symbol_path(symbol: str) -> str:
    """The path segment of a symbol in an IRI: spaces removed, IRI-unsafe characters escaped.

    Cached: a document's mapping asks for the IRIs of its own symbol and of the works it cites
    once per paragraph, citation and request (~150 times), and ``quote`` was 7 % of a build
    worker's time."""
    return quote(symbol.replace(" ", ""), safe="/()-.,")


@lru_cache(maxsize=1 << 12)
def _key_path(key: str) -> str:
    """A paragraph key as one path segment (keys repeat across documents: pp1, op3.a ...)."""
    return quote(key, safe="")


def work_iri(symbol: str) -> str:
    return f"{BASE}doc/{symbol_path(symbol)}"


def expression_iri(symbol: str, language: str) -> str:
    return f"{work_iri(symbol)}/{language}"


def work_paragraph_iri(symbol: str, key: str) -> str:
    return f"{work_iri(symbol)}/para/{_key_path(key)}"


def paragraph_iri(symbol: str, language: str, key: str) -> str:
    return f"{expression_iri(symbol, language)}/para/{_key_path(key)}"


def citation_iri(symbol: str, language: str, n: int) -> str:
    return f"{expression_iri(symbol, language)}/citation/{n}"


def request_iri(symbol: str, language: str, n: int) -> str:
    return f"{expression_iri(symbol, language)}/request/{n}"


def vote_iri(symbol: str, state_code: str) -> str:
    return f"{work_iri(symbol)}/vote/{state_code}"


def adoption_iri(symbol: str) -> str:
    return f"{work_iri(symbol)}/adoption"


def graph_iri(symbol: str, language: str) -> str:
    """Named graph holding one ingested document: one resolution in one language."""
    return f"{GRAPH_DOC_PREFIX}{symbol_path(symbol)}/{language}"


def organ_iri(code: str) -> str:
    return f"{BASE}organ/{code}"


def session_iri(organ: str, session: str) -> str:
    return f"{BASE}session/{organ}/{quote(session, safe='-')}"


def instrument_iri(key: str) -> str:
    return f"{BASE}instrument/{key}"


def verb_iri(meaning: str) -> str:
    return f"{BASE}verb/{meaning}"


def state_iri(code: str) -> str:
    return f"{BASE}state/{code}"


def activity_iri(symbol: str, language: str) -> str:
    """The PROV-O activity that produced one document graph."""
    return f"{graph_iri(symbol, language)}/ingest"


#: UN Document Ontology (UNDO) and Akoma Ntoso ALLOT namespaces, used for the UNDO layer.
UNDO = Namespace("https://w3id.org/un/ontology/undo/")
ALLOT = Namespace("https://w3id.org/akn/ontology/allot/")
OA = Namespace("http://www.w3.org/ns/oa#")
#: ISO 639-1 language IRIs (Library of Congress), the objects of ``dcterms:language``.
ISO639_1 = "http://id.loc.gov/vocabulary/iso639-1/"
PREFIXES.update({"undo": str(UNDO), "allot": str(ALLOT), "oa": str(OA)})


def annotation_iri(symbol: str, language: str, n: int) -> str:
    """The UNDO annotation (``undo:Annotation``) whose body is citation ``n``."""
    return f"{citation_iri(symbol, language, n)}/annotation"


def extractor_iri(version: str) -> str:
    """The PROV-O software agent: resograph in one version."""
    return f"{BASE}agent/resograph/{quote(version, safe='.-+')}"


def language_iri(language: str) -> str:
    """The ISO 639-1 IRI of a language code (``fr`` -> ``http://id.loc.gov/.../fr``)."""
    return f"{ISO639_1}{language.split('-')[0].lower()}"
