"""Example queries shown on the query page (/sparql in a browser).

Each example has a stable ``id``; its title and one-line description are messages of
:mod:`.i18n` (``example.<id>.title``, ``example.<id>.description`` in
``service/messages/*.json``), so the query page lists them in the reader's language. The SPARQL
text is the same in every language (the English ``title`` below is the fallback).
"""

from __future__ import annotations

from typing import Any

from . import i18n

EXAMPLES = [
    {"id": "citing-48-141", "title": "Resolutions citing GA resolution 48/141",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT DISTINCT ?symbol ?date WHERE {
  ?w rg:cites <https://w3id.org/resograph/doc/A/RES/48/141> ;
     rg:symbol ?symbol .
  OPTIONAL { ?w rg:adoptionDate ?date }
} ORDER BY DESC(?date) LIMIT 50"""},
    {"id": "most-cited", "title": "Most cited works",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?symbol (COUNT(DISTINCT ?citing) AS ?citations) WHERE {
  ?citing rg:cites ?w . ?w rg:symbol ?symbol .
} GROUP BY ?symbol ORDER BY DESC(?citations) LIMIT 20"""},
    {"id": "citation-verbs", "title": "Citations with their verb (what the citing paragraph does)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?citing ?cited ?verb ?meaning WHERE {
  ?c a rg:Citation ; rg:citingWork/rg:symbol ?citing ; rg:citedWork/rg:symbol ?cited .
  OPTIONAL { ?c rg:verb ?verb }
  OPTIONAL { ?c rg:verbMeaning/skos:prefLabel ?meaning FILTER(LANG(?meaning) = "en") }
} LIMIT 50"""},
    {"id": "votes-687", "title": "How each member state voted on S/RES/687 (1991)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?code ?state ?vote WHERE {
  ?w rg:symbol "S/RES/687 (1991)" ; rg:adoption/rg:vote ?v .
  ?v rg:voter ?s ; rg:voteValue ?value .
  ?s rg:iso3166Alpha3 ?code . OPTIONAL { ?s rdfs:label ?state }
  BIND(STRAFTER(STR(?value), "#") AS ?vote)
} ORDER BY ?vote ?code"""},
    {"id": "requests-due", "title": "Requests due at a session (Human Rights Council, 59th)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?symbol ?addressee ?action WHERE {
  ?r rg:dueSession <https://w3id.org/resograph/session/HRC/59> ;
     rg:requestingWork/rg:symbol ?symbol ; rg:addressee ?addressee ; rg:action ?action .
}"""},
    {"id": "per-organ", "title": "Resolutions per organ",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?organ (COUNT(DISTINCT ?w) AS ?resolutions) WHERE {
  ?w rg:organ ?organ ; rg:hasLanguageVersion ?e .
} GROUP BY ?organ ORDER BY DESC(?resolutions)"""},
    {"id": "describe", "title": "Describe one resolution (CONSTRUCT)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
CONSTRUCT { ?w ?p ?o } WHERE {
  ?w rg:symbol "A/HRC/RES/56/15" ; ?p ?o .
}"""},
]


def examples(language: str = i18n.DEFAULT) -> list[dict[str, Any]]:
    """The examples with ``title`` and ``description`` in ``language`` (English where a
    message is missing), ``id`` and the unchanged ``query``."""
    return [{"id": ex["id"],
             "title": i18n.text(f"example.{ex['id']}.title", language, ex["title"]),
             "description": i18n.text(f"example.{ex['id']}.description", language, ""),
             "query": ex["query"]} for ex in EXAMPLES]
