"""Example queries shown on the query page (/sparql in a browser)."""

EXAMPLES = [
    {"title": "Resolutions citing GA resolution 48/141",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT DISTINCT ?symbol ?date WHERE {
  ?w rg:cites <https://w3id.org/resograph/doc/A/RES/48/141> ;
     rg:symbol ?symbol .
  OPTIONAL { ?w rg:adoptionDate ?date }
} ORDER BY DESC(?date) LIMIT 50"""},
    {"title": "Most cited works",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?symbol (COUNT(DISTINCT ?citing) AS ?citations) WHERE {
  ?citing rg:cites ?w . ?w rg:symbol ?symbol .
} GROUP BY ?symbol ORDER BY DESC(?citations) LIMIT 20"""},
    {"title": "Citations with their verb (what the citing paragraph does)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?citing ?cited ?verb ?meaning WHERE {
  ?c a rg:Citation ; rg:citingWork/rg:symbol ?citing ; rg:citedWork/rg:symbol ?cited .
  OPTIONAL { ?c rg:verb ?verb }
  OPTIONAL { ?c rg:verbMeaning/skos:prefLabel ?meaning FILTER(LANG(?meaning) = "en") }
} LIMIT 50"""},
    {"title": "How each member state voted on S/RES/687 (1991)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?code ?state ?vote WHERE {
  ?w rg:symbol "S/RES/687 (1991)" ; rg:adoption/rg:vote ?v .
  ?v rg:voter ?s ; rg:voteValue ?value .
  ?s rg:iso3166Alpha3 ?code . OPTIONAL { ?s rdfs:label ?state }
  BIND(STRAFTER(STR(?value), "#") AS ?vote)
} ORDER BY ?vote ?code"""},
    {"title": "Requests due at a session (Human Rights Council, 59th)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?symbol ?addressee ?action WHERE {
  ?r rg:dueSession <https://w3id.org/resograph/session/HRC/59> ;
     rg:requestingWork/rg:symbol ?symbol ; rg:addressee ?addressee ; rg:action ?action .
}"""},
    {"title": "Resolutions per organ",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
SELECT ?organ (COUNT(DISTINCT ?w) AS ?resolutions) WHERE {
  ?w rg:organ ?organ ; rg:hasLanguageVersion ?e .
} GROUP BY ?organ ORDER BY DESC(?resolutions)"""},
    {"title": "Describe one resolution (CONSTRUCT)",
     "query": """PREFIX rg: <https://w3id.org/resograph/ontology#>
CONSTRUCT { ?w ?p ?o } WHERE {
  ?w rg:symbol "A/HRC/RES/56/15" ; ?p ?o .
}"""},
]
