"""Every SPARQL query the API and the pages run, in one place.

User input never becomes query text: each query names its parameters as variables (``?w``,
``?organ``, ``?q0`` ...) and the caller passes values as pyoxigraph terms through the store's
``bindings`` (substituted as values by the engine). Variables bound from outside are also
projected by every sub-SELECT, which the engines require for substitution. Results are read from
the union of all graphs, where a cited-only stub may be repeated by several documents: SELECTs
are DISTINCT and CONSTRUCT results are de-duplicated by the caller.

Performance at UN scale (issue 7): the queries of the hot endpoints are anchored on IRIs the
caller holds and never join across resources (end of this module); the few batch queries that
write IRIs into the query text (VALUES lists) take them from the store's own results, never
from the request.
"""

from __future__ import annotations

from collections.abc import Iterable

PREFIXES = """\
PREFIX rg: <https://w3id.org/resograph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX void: <http://rdfs.org/ns/void#>
"""


#: The resolution as /api/resolutions/{symbol} shows it (bound: ?w). Reference definition:
#: the API computes the same triples by the anchored reads at the end of this module
#: (``tests/test_service_fast.py`` checks they agree); over the union of graphs this query
#: multiplies the copies of every cited work's stub and is slow at UN scale.
RESOLUTION = PREFIXES + """
CONSTRUCT {
  ?w ?wp ?wo .
  ?organ rdfs:label ?organLabel ; rg:code ?organCode .
  ?session rg:sessionNumber ?sn ; rg:sessionOf ?sorgan .
  ?e ?ep ?eo .
  ?para ?pp ?po .
  ?ad ?ap ?ao .
  ?am rdfs:label ?amLabel .
  ?c ?cp ?co .
  ?t ?tp ?to .
  ?vm skos:prefLabel ?vmLabel .
  ?r ?rp ?ro .
  ?subj skos:prefLabel ?subjLabel .
} WHERE {
  { ?w ?wp ?wo FILTER(?wp NOT IN (rg:cites)) }
  UNION { ?w rg:organ ?organ . ?organ rg:code ?organCode }
  UNION { ?w rg:organ ?organ . ?organ rdfs:label ?organLabel }
  UNION { ?w rg:session ?session . ?session rg:sessionNumber ?sn }
  UNION { ?w rg:session ?session . ?session rg:sessionOf ?sorgan }
  UNION { ?w rg:hasLanguageVersion ?e . ?e ?ep ?eo }
  UNION { ?w rg:hasLanguageVersion ?e . ?para rg:paragraphOf ?e ; ?pp ?po
          FILTER(?pp IN (rdf:type, rg:paragraphOf, rg:key, rg:ordinal, rg:paragraphKind,
                         rg:text, rg:leadingVerb, rg:verbMeaning, rg:footnote)) }
  UNION { ?w rg:adoption ?ad . ?ad ?ap ?ao FILTER(?ap != rg:vote) }
  UNION { ?w rg:adoption/rg:adoptionMethod ?am . ?am rdfs:label ?amLabel }
  UNION { ?c rg:citingWork ?w ; ?cp ?co
          FILTER(?cp IN (rdf:type, rg:citingWork, rg:citedWork, rg:citingParagraph, rg:verb,
                         rg:verbMeaning, rg:dateAsCited, rg:pinpoint, rg:inNote,
                         rg:discoveryMethod, rg:citingExpression)) }
  UNION { ?c rg:citingWork ?w ; rg:citedWork ?t . ?t ?tp ?to
          FILTER(?tp IN (rdf:type, rg:symbol, rg:citedOnly, dcterms:title, rdfs:label)) }
  UNION { ?c rg:citingWork ?w ; rg:verbMeaning ?vm . ?vm skos:prefLabel ?vmLabel }
  UNION { ?c rg:requestingWork ?w ; rg:verbMeaning ?vm . ?vm skos:prefLabel ?vmLabel }
  UNION { ?r rg:requestingWork ?w ; ?rp ?ro
          FILTER(?rp IN (rdf:type, rg:requestingWork, rg:requestIn, rg:addressee,
                         rg:addresseeAgent, rg:action, rg:object, rg:verb, rg:verbMeaning,
                         rg:dueSession, rg:dueDate)) }
  UNION { ?w dcterms:subject ?subj . ?subj skos:prefLabel ?subjLabel }
}"""

#: Which of these works have a language version (stubs later ingested are no longer stubs).
def has_version(works: list[str]) -> str:
    return PREFIXES + f"""SELECT DISTINCT ?t WHERE {{ VALUES ?t {{ {" ".join(works)} }}
  ?t rg:hasLanguageVersion ?e }}"""

#: Does a work exist (as a document or a cited-only stub)? (bound: ?w)
WORK_EXISTS = PREFIXES + "ASK { ?w rg:symbol ?s }"


def resolution_filters(*, organ: bool = False, session: bool = False, year: bool = False,
                       cites: bool = False, cited_by: bool = False, words: int = 0,
                       subject_iri: bool = False, subject_label: bool = False,
                       language: bool = False, documents_only: bool = True) -> str:
    """The WHERE body selecting ``?w`` for /api/resolutions; the flags say which variables
    the caller binds (?organ, ?session, ?year, ?cites, ?citedBy, ?q0.., ?subject,
    ?subjectLabel, ?language)."""
    # one row per work first (DISTINCT), then filters as EXISTS: joins over the union of
    # graphs would multiply the triples every citing document repeats about a work. The first
    # rows come from the most selective bound pattern (it projects its bound variable, which
    # a caller binds from outside): starting from every document and testing `cites` on each
    # took 8 s at 100,000 resolutions for 2,754 works citing A/RES/60/251, 0.2 s this way
    start = "cited_by" if cited_by else "cites" if cites else "subject" if subject_iri else ""
    if start == "cited_by":
        parts = ["{ SELECT DISTINCT ?w ?citedBy WHERE { ?citedBy rg:cites ?w } }"]
    elif start == "cites":
        parts = ["{ SELECT DISTINCT ?w ?cites WHERE { ?w rg:cites ?cites } }"]
    elif start == "subject":
        parts = ["{ SELECT DISTINCT ?w ?subject WHERE { ?w dcterms:subject ?subject } }"]
    elif documents_only:
        parts = ["{ SELECT DISTINCT ?w WHERE { ?w rg:hasLanguageVersion ?e0 } }"]
    else:
        parts = ["{ SELECT DISTINCT ?w WHERE { ?w rg:symbol ?s0 } }"]
    if documents_only and start in ("cites", "subject"):
        parts.append("FILTER EXISTS { ?w rg:hasLanguageVersion ?e0 }")
    parts.append("FILTER EXISTS { ?w a ?wtype FILTER(?wtype IN (rg:Resolution, rg:Decision)) }")
    if organ:
        parts.append("FILTER EXISTS { ?w rg:organ ?organ }")
    if session:
        parts.append("FILTER EXISTS { ?w rg:session ?sess . ?sess rg:sessionNumber ?session }")
    if year:
        parts.append("FILTER EXISTS { { ?w rg:year ?year } UNION "
                     "{ ?w rg:adoptionDate ?d0 FILTER(YEAR(?d0) = ?year) } }")
    if cites and start != "cites":
        parts.append("FILTER EXISTS { ?w rg:cites ?cites }")
    for i in range(words):
        parts.append(f"FILTER EXISTS {{ {{ ?w dcterms:title ?tq{i} "
                     f"FILTER(CONTAINS(LCASE(STR(?tq{i})), ?q{i})) }} UNION "
                     f"{{ ?w rg:symbol ?sq{i} FILTER(CONTAINS(LCASE(?sq{i}), ?q{i})) }} }}")
    if subject_iri and start != "subject":
        parts.append("FILTER EXISTS { ?w dcterms:subject ?subject }")
    if subject_label:
        parts.append("FILTER EXISTS { ?w dcterms:subject ?subj0 . ?subj0 skos:prefLabel ?sl0 "
                     "FILTER(LCASE(STR(?sl0)) = LCASE(?subjectLabel)) }")
    if language:
        parts.append("FILTER EXISTS { ?w rg:hasLanguageVersion ?le . "
                     "?le rg:languageCode ?language }")
    return "\n  ".join(parts)


def bound_vars(bindings: dict[str, object]) -> str:
    """Projection list of the caller's bound variables (see module docstring)."""
    return " ".join(f"?{k}" for k in sorted(bindings))


#: Works citing ?w, with the citation nodes (bound: ?w). Reference definition, like
#: :data:`RESOLUTION` (the API pages it: :func:`citations_from` and batched summaries). Every
#: pattern reads one subject's properties at a time: a stub's triples repeat in every graph
#: that cites it, and chained OPTIONALs over the union of graphs would multiply those repeats.
CITED_BY = PREFIXES + """
CONSTRUCT { ?c ?cp ?co . ?src ?sp ?so } WHERE {
  ?c rg:citedWork ?w .
  { ?c ?cp ?co FILTER(?cp IN (rdf:type, rg:citingWork, rg:citedWork, rg:verb,
                              rg:citingParagraph, rg:dateAsCited, rg:verbMeaning)) }
  UNION { ?c rg:citingWork ?src . ?src ?sp ?so
          FILTER(?sp IN (rdf:type, rg:symbol, rg:adoptionDate, dcterms:title)) }
}"""

#: The adoption of ?w with every member state's vote (bound: ?w). Reference definition, like
#: :data:`RESOLUTION` (every voting document repeats each state's code and label).
VOTES = PREFIXES + """
CONSTRUCT { ?w rg:adoption ?ad ; rg:symbol ?sym . ?ad ?ap ?ao . ?am rdfs:label ?amLabel .
            ?v ?vp ?vo . ?st ?stp ?sto } WHERE {
  ?w rg:adoption ?ad .
  { ?ad ?ap ?ao }
  UNION { ?w rg:symbol ?sym }
  UNION { ?ad rg:adoptionMethod ?am . ?am rdfs:label ?amLabel }
  UNION { ?ad rg:vote ?v . ?v ?vp ?vo
          FILTER(?vp IN (rdf:type, rg:voter, rg:voteValue, rg:voteOn)) }
  UNION { ?ad rg:vote ?v . ?v rg:voter ?st . ?st ?stp ?sto
          FILTER(?stp IN (rg:iso3166Alpha3, rdfs:label)) }
}"""

#: Member states (bound: nothing).
MEMBER_STATES = PREFIXES + """
CONSTRUCT { ?st ?p ?o } WHERE {
  { SELECT DISTINCT ?st WHERE { ?st a rg:MemberState } }
  ?st ?p ?o FILTER(?p IN (rdf:type, rg:iso3166Alpha3, rdfs:label))
}"""

#: One member state and its votes (bound: ?st; optional ?session, ?subject filters are added
#: by the caller as extra patterns on ?w, ``%(filters)s``). The filters restrict the votes
#: *and* the resolutions voted on: both branches that read a vote repeat them (issue 9: a
#: vote branch without them returned the votes of every session). The state itself is
#: returned whatever the filters.
MEMBER_STATE = PREFIXES + """
CONSTRUCT { ?st ?sp ?so . ?v ?vp ?vo . ?w ?wp ?wo } WHERE {
  { ?st ?sp ?so FILTER(?sp IN (rdf:type, rg:iso3166Alpha3, rdfs:label)) }
  UNION { ?v rg:voter ?st ; rg:voteOn ?w . %(filters)s
          ?v ?vp ?vo FILTER(?vp IN (rdf:type, rg:voter, rg:voteValue, rg:voteOn)) }
  UNION { ?v rg:voter ?st ; rg:voteOn ?w . %(filters)s
          ?w ?wp ?wo FILTER(?wp IN (rg:symbol, rg:adoptionDate, dcterms:title)) }
}"""

#: Requests due at a session (bound: ?due).
REQUESTS = PREFIXES + """
CONSTRUCT { ?r ?rp ?ro . ?w ?wp ?wo } WHERE {
  ?r rg:dueSession ?due .
  { ?r ?rp ?ro FILTER(?rp IN (rdf:type, rg:requestingWork, rg:addressee, rg:action, rg:object,
                              rg:verb, rg:dueSession, rg:requestIn, rg:addresseeAgent)) }
  UNION { ?r rg:requestingWork ?w . ?w ?wp ?wo
          FILTER(?wp IN (rg:symbol, rg:adoptionDate, dcterms:title)) }
}"""

#: Organs with their labels (bound: nothing).
ORGANS = PREFIXES + """
CONSTRUCT { ?o ?p ?v } WHERE {
  { SELECT DISTINCT ?o WHERE { ?o a rg:Organ } }
  ?o ?p ?v FILTER(?p IN (rdf:type, rg:code, rdfs:label))
}"""

#: Counts for /api/stats and VoID.
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_BY_CLASS = PREFIXES + """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { rg:Resolution rg:Decision rg:LanguageVersion rg:Paragraph rg:Citation
                  rg:Request rg:Vote rg:MemberState rg:Session rg:Organ rg:Instrument }
  ?x a ?class
} GROUP BY ?class"""
COUNT_DOCUMENTS = PREFIXES + """
SELECT (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w rg:hasLanguageVersion ?e }"""
COUNT_CITES = PREFIXES + """
SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b WHERE { ?a rg:cites ?b } }"""
DOCUMENTS_BY_ORGAN = PREFIXES + """
SELECT ?o (COUNT(DISTINCT ?w) AS ?n) WHERE { ?w rg:organ ?o ; rg:hasLanguageVersion ?e }
GROUP BY ?o ORDER BY DESC(?n) ?o"""

#: Labels of the resources a description links to, for the HTML page (bound: ?x).
LINK_LABELS = PREFIXES + """
SELECT DISTINCT ?o ?label ?x WHERE {
  ?x ?p ?o FILTER(isIRI(?o))
  ?o ?lp ?label FILTER(?lp IN (rdfs:label, skos:prefLabel, rg:symbol))
}"""

#: Sessions of an organ with the number of works of each (bound: ?organ).
ORGAN_SESSIONS = PREFIXES + """
SELECT ?s (COUNT(DISTINCT ?w) AS ?n) ?organ WHERE {
  { SELECT DISTINCT ?s ?organ WHERE { ?s rg:sessionOf ?organ } }
  OPTIONAL { ?w rg:session ?s }
} GROUP BY ?s ?organ ORDER BY DESC(?n)"""


# --------------------------------------------------------------------------- anchored reads
# The queries below serve the fast paths of :mod:`.api` (issue 7: UN scale). Each is anchored
# on IRIs the caller already holds, returns DISTINCT rows (so that copies of a triple in many
# document graphs are folded in the engine, not shipped to Python), and never joins across
# resources: a resolution's own description is read from its document graphs as whole graphs.

#: The document graphs describing a work, one per language (bound: ?w).
DOC_GRAPHS = PREFIXES + """
SELECT ?g ?w WHERE { GRAPH ?g { ?g rg:describes ?w } }"""

#: A work's own properties over the union of graphs, copies folded (bound: ?w). Only for a work
#: with no document graph of its own (cited-only): its properties are what the citing
#: documents say of it, so this read grows with the number of documents citing it.
WORK_PROPERTIES = PREFIXES + """
SELECT DISTINCT ?p ?o ?w WHERE { ?w ?p ?o FILTER(?p != rg:cites) }"""

#: What one graph says about a resource (bound: ?w, ?g): a work's cited-only marker.
GRAPH_PROPERTIES = """
SELECT ?p ?o ?w ?g WHERE { GRAPH ?g { ?w ?p ?o } }"""


def _in(predicates: Iterable[str]) -> str:
    return ", ".join(f"<{p}>" for p in sorted(predicates))


#: What /api/resolutions/{symbol} shows, read from the work's own document graphs (IRIs from
#: the store): the work (without ``rg:cites``: the citations say it), its session, language
#: versions and their paragraphs, adoption (without the votes), citations and requests. Only
#: these triples are decoded: a document graph also holds the UNDO/OA alignment, work-level
#: paragraphs, provenance and the stubs of the works it cites, about half of its quads, and
#: decoding a term costs more than finding it.
def own_description(graphs: list[str], paragraph: Iterable[str], citation: Iterable[str],
                    request: Iterable[str]) -> str:
    return PREFIXES + f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {" ".join(graphs)} }}
  GRAPH ?g {{ ?g rg:describes ?w .
    {{ ?w ?p ?o FILTER(?p != rg:cites) BIND(?w AS ?s) }}
    UNION {{ ?w rg:session ?s . ?s ?p ?o FILTER(?p IN (rg:sessionNumber, rg:sessionOf)) }}
    UNION {{ ?w rg:hasLanguageVersion ?s . ?s ?p ?o }}
    UNION {{ ?w rg:hasLanguageVersion ?e . ?s rg:paragraphOf ?e ; ?p ?o
             FILTER(?p IN ({_in(paragraph)})) }}
    UNION {{ ?w rg:adoption ?s . ?s ?p ?o FILTER(?p != rg:vote) }}
    UNION {{ ?s rg:citingWork ?w ; ?p ?o FILTER(?p IN ({_in(citation)})) }}
    UNION {{ ?s rg:requestingWork ?w ; ?p ?o FILTER(?p IN ({_in(request)})) }} }} }}"""


#: The work, its adoption and the votes, from the work's own document graphs (IRIs from the
#: store), for /votes.
def own_votes(graphs: list[str], vote: Iterable[str]) -> str:
    return PREFIXES + f"""SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?g {{ {" ".join(graphs)} }}
  GRAPH ?g {{ ?g rg:describes ?w .
    {{ ?w ?p ?o FILTER(?p != rg:cites) BIND(?w AS ?s) }}
    UNION {{ ?w rg:adoption ?s . ?s ?p ?o }}
    UNION {{ ?w rg:adoption ?a . ?a rg:vote ?s . ?s ?p ?o FILTER(?p IN ({_in(vote)})) }} }} }}"""


def _numbered(terms: list[str], var: str, num: str) -> str:
    """``VALUES (?var ?num)``: each term with its position. The engine returns the position, an
    integer stored inline, instead of the term, whose text it would have to look up (the
    caller holds the terms): most of a query's cost is decoding the terms it returns."""
    return f"VALUES (?{var} ?{num}) {{ {' '.join(f'({t} {i})' for i, t in enumerate(terms))} }}"


#: Chosen properties of a batch of resources, copies folded (IRIs written from the store,
#: never user text), as (subject number, predicate number, value): over the union of graphs,
#: or in one ``graph`` (the shared graph, where instruments, organs, verb concepts and member
#: states are described once). The subject's index range is read in a sub-SELECT (a loop over
#: the subjects), then joined to the predicates by hash; without the sub-SELECT the engine
#: plans a scan.
def summaries(subjects: list[str], predicates: list[str], graph: str | None = None) -> str:
    pattern = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return f"""SELECT DISTINCT ?i ?k ?o WHERE {{
  {{ SELECT ?i ?p ?o WHERE {{ {_numbered(subjects, "s", "i")} {pattern} }} }}
  {_numbered(predicates, "p", "k")} }}"""


#: The document graphs of a batch of works, as (position of the work, graph) (IRIs written
#: from the store): the first step of reading much-cited works' summaries in their own graphs
#: (:func:`graph_summaries`).
def doc_graphs_of(works: list[str]) -> str:
    return PREFIXES + f"""SELECT ?i ?g WHERE {{ {_numbered(works, "s", "i")}
  GRAPH ?g {{ ?g rg:describes ?s }} }}"""


#: :func:`summaries` of works read in their document graphs, given as (work, graph,
#: position) rows, one per graph of a work (IRIs from the store). For a much-cited work,
#: whose every citing document repeats a stub of it, the read over the union of graphs scans
#: all those copies (96 works cited 64 times or more at 100,000 resolutions: 173 ms over the
#: union, 19 ms this way with :func:`doc_graphs_of`; finding the graphs in the same query as
#: reading them was planned as a scan, 3.7 s).
def graph_summaries(rows: list[tuple[str, str, int]], predicates: list[str]) -> str:
    values = " ".join(f"({s} {g} {i})" for s, g, i in rows)
    return f"""SELECT DISTINCT ?i ?k ?o WHERE {{
  {{ SELECT ?i ?p ?o WHERE {{ VALUES (?s ?g ?i) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }}
  {_numbered(predicates, "p", "k")} }}"""


def citations_from(citing: list[str]) -> str:
    """The citations of ?w made by the works ``citing`` (IRIs written for SPARQL), with the
    properties :data:`CITED_BY` shows (bound: ?w). One page of /cited-by: the engine starts
    from the page's works (a dozen citation nodes each), never from the tens of thousands of
    citations a classic receives at UN scale."""
    return PREFIXES + f"""
SELECT DISTINCT ?c ?cp ?co WHERE {{
  VALUES ?src {{ {" ".join(citing)} }}
  ?c rg:citingWork ?src .
  ?c rg:citedWork ?w .
  ?c ?cp ?co FILTER(?cp IN (rdf:type, rg:citingWork, rg:citedWork, rg:verb,
                            rg:citingParagraph, rg:dateAsCited, rg:verbMeaning))
}}"""

#: Neighbours of a set of works in one direction of ``rg:cites`` (``out``: the works they
#: cite; else the works citing them), each with the number of works of the set it is linked
#: to (IRIs written from the store). One VALUES variable and one triple pattern, aggregated in
#: the engine: a hub's thousands of links come back as one row per neighbour, not per link.
def neighbours(frontier: list[str], *, out: bool) -> str:
    pattern = "?m rg:cites ?n" if out else "?n rg:cites ?m"
    return PREFIXES + f"""SELECT ?n (COUNT(DISTINCT ?m) AS ?k) WHERE {{
  VALUES ?m {{ {" ".join(frontier)} }} {pattern} }} GROUP BY ?n"""


#: At most ``cap`` works citing each of a few works, in the engine's order, as (position of
#: the cited work in the list, citing work) (IRIs written from the store). One LIMITed
#: sub-SELECT per work: a hub's thousands of citers are never all read. (Planning a UNION of
#: sub-SELECTs grows faster than linearly with their number: callers send a few works at a
#: time.)
def citers_capped(works: list[str], cap: int) -> str:
    parts = " UNION ".join(
        f"{{ {{ SELECT DISTINCT ?n WHERE {{ ?n rg:cites {w} }} LIMIT {int(cap)} }} "
        f"BIND({j} AS ?j) }}" for j, w in enumerate(works))
    return PREFIXES + f"SELECT ?j ?n WHERE {{ {parts} }}"


#: The ``rg:cites`` links from ``sources`` to ``targets`` (IRIs written from the store), as pairs
#: of positions in the two lists: integers stored inline, so the engine decodes no term at all
#: (decoding the cited IRIs of every link, to keep the few that point at a target, was most of
#: the cost). The out-links are read in a sub-SELECT (a loop over the sources), then joined to
#: the targets by hash.
def cites_among(sources: list[str], targets: list[str]) -> str:
    return PREFIXES + f"""SELECT DISTINCT ?i ?j WHERE {{
  {{ SELECT ?i ?b WHERE {{ {_numbered(sources, "a", "i")} ?a rg:cites ?b }} }}
  {_numbered(targets, "b", "j")} }}"""


def resolutions_count(where: str, bindings: dict[str, object]) -> str:
    """Number of works matching ``where`` (used where the ordered list is not cached)."""
    group = f"GROUP BY {bound_vars(bindings)}" if bindings else ""
    return PREFIXES + f"""
SELECT (COUNT(DISTINCT ?w) AS ?n) {bound_vars(bindings)} WHERE {{
  {where}
}} {group}"""


def resolutions_ordered(where: str, bindings: dict[str, object]) -> str:
    """All works matching ``where`` in page order (date desc, IRI): one query whose result
    the API caches per store generation, so that count and pages are slices of it."""
    # the date of each matching work only (an OPTIONAL sub-select grouped over every work
    # of the store was evaluated whole, whatever the filter kept)
    return PREFIXES + f"""
SELECT ?w (MAX(?d1) AS ?date) {bound_vars(bindings)} WHERE {{
  {where}
  OPTIONAL {{ ?w rg:adoptionDate ?d1 }}
}} GROUP BY ?w {bound_vars(bindings)} ORDER BY DESC(?date) ?w"""


#: Description of a resource (its triples and one level of blank nodes), copies folded
#: (bound: ?x).
DESCRIBE_ROWS = """
SELECT DISTINCT ?p ?o ?bp ?bo ?x WHERE {
  { ?x ?p ?o } UNION { ?x ?p ?o FILTER(isBlank(?o)) ?o ?bp ?bo }
}"""
