"""The OpenAPI 3 description of /api/ (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from resograph.graph.model import ORGANS

_JSONLD = {"application/ld+json": {"schema": {"$ref": "#/components/schemas/Resource"}},
           "application/json": {"schema": {"$ref": "#/components/schemas/Resource"}},
           "text/turtle": {"schema": {"type": "string"}},
           "application/n-triples": {"schema": {"type": "string"}},
           "application/rdf+xml": {"schema": {"type": "string"}}}
_ERR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def _p(name: str, where: str, desc: str, schema: dict[str, Any] | None = None,
       required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "description": desc, "required": required,
            "schema": schema or {"type": "string"}}


_LANG = _p("lang", "query", "Language of labels (en, fr, es, ru, ar, zh); English fallback. "
           "Accept-Language is used when absent.", {"type": "string", "maxLength": 20})
_PAGE = [_p("page", "query", "Page number (1-based)",
            {"type": "integer", "minimum": 1, "maximum": 1000000}),
         _p("per_page", "query", "Items per page", {"type": "integer", "minimum": 1,
                                                    "maximum": 500})]
_SYMBOL = _p("symbol", "path", "UN symbol as printed, slashes included (A/HRC/RES/56/15, "
             "S/RES/687 (1991), S/RES/687(1991))", required=True)


def _op(summary: str, params: list[dict[str, Any]], *, not_found: bool = False
        ) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "JSON-LD (compact, with the published @context) or RDF",
                "content": _JSONLD},
        "304": {"description": "Not modified (If-None-Match)"},
        "400": {"description": "A parameter is invalid; the body names it", "content": _ERR},
        "406": {"description": "No acceptable representation", "content": _ERR},
    }
    if not_found:
        responses["404"] = {"description": "Unknown symbol or code", "content": _ERR}
    return {"get": {"summary": summary, "parameters": [*params, _LANG], "responses": responses}}


def document() -> dict[str, Any]:
    """The OpenAPI 3.0 document."""
    organ = {"type": "string", "enum": list(ORGANS)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "resograph API", "version": "0.1.0",
                 "description": "United Nations resolutions and their citations as JSON-LD "
                                "(one @context at /api/context.jsonld). Data derived from AKN4UN "
                                "files: source United Nations."},
        "paths": {
            "/api/resolutions": _op("Resolutions, filtered and paginated (Hydra)", [
                _p("organ", "query", "Organ code", organ),
                _p("session", "query", "Session number (79, ES-10, XV)",
                   {"type": "string", "maxLength": 12}),
                _p("year", "query", "Year of adoption",
                   {"type": "integer", "minimum": 1945, "maximum": 2100}),
                _p("cites", "query", "Only resolutions citing this symbol"),
                _p("cited_by", "query", "Only works cited by this symbol"),
                _p("q", "query", "Words in titles or symbols", {"type": "string",
                                                                "maxLength": 200}),
                _p("subject", "query", "Subject concept IRI or label"),
                _p("language", "query", "Only resolutions with a version in this language",
                   {"type": "string", "pattern": "^[a-z]{2,3}$"}),
                *_PAGE]),
            "/api/resolutions/{symbol}": _op(
                "One resolution: identity, adoption, paragraphs per language, citations, "
                "requests", [_SYMBOL], not_found=True),
            "/api/resolutions/{symbol}/cited-by": _op(
                "Works citing it, with their citations of it, paginated (Hydra): newest "
                "first, the order of /api/resolutions?cites=; totalItems counts them all",
                [_SYMBOL, *_PAGE], not_found=True),
            "/api/resolutions/{symbol}/network": _op(
                "Citation neighbourhood: nodes (members) and edges (cites). totalItems is the "
                "number of nodes in the answer, truncated says whether some were left out, "
                "totalNodes the number of nodes found: the size of the whole neighbourhood "
                "when truncated is false, a lower bound when it is true (the walk stops "
                "reading once the nodes kept are decided)",
                [_SYMBOL, _p("depth", "query", "Hops", {"type": "integer", "minimum": 1,
                                                        "maximum": 3}),
                 _p("limit", "query", "Largest number of nodes in the answer (a hub reaches "
                    "thousands at depth 2). When the neighbourhood is larger, nearer hops "
                    "come first (the whole of a hop before any of the next); within a hop, "
                    "the works linked to the most works of the previous hop, then by IRI. "
                    "Beyond the first hop, a work contributes a share (at most limit + 1) of "
                    "the works citing it, in the store's order, and the ranking counts the "
                    "links read",
                    {"type": "integer", "minimum": 1, "maximum": 5000, "default": 500})],
                not_found=True),
            "/api/resolutions/{symbol}/votes": _op(
                "Adoption: method, counts, each member state's vote", [_SYMBOL],
                not_found=True),
            "/api/requests": _op("Requests due at a session of an organ", [
                _p("due_session", "query", "Session number", {"type": "string",
                                                              "pattern": "^(ES-|S-)?[0-9]{1,4}$"},
                   required=True),
                _p("organ", "query", "Organ code", organ, required=True)]),
            "/api/organs": _op("Organs", []),
            "/api/stats": _op("Dataset statistics (VoID)", []),
            "/api/member-states": _op("Member states", []),
            "/api/member-states/{code}": _op("One member state and how it voted", [
                _p("code", "path", "ISO 3166-1 alpha-3", {"type": "string",
                                                          "pattern": "^[A-Za-z]{3}$"},
                   required=True),
                _p("session", "query", "Only votes at this session",
                   {"type": "string", "pattern": "^(ES-|S-)?[0-9]{1,4}$"}),
                _p("subject", "query", "Only resolutions with this subject (IRI or label)")],
                not_found=True),
        },
        "components": {"schemas": {
            "Resource": {"type": "object", "properties": {
                "@context": {"type": "string"}, "id": {"type": "string"},
                "type": {}}, "required": ["@context"]},
            "Error": {"type": "object", "required": ["error"], "properties": {
                "error": {"type": "object", "required": ["status", "message"], "properties": {
                    "status": {"type": "integer"}, "message": {"type": "string"},
                    "parameter": {"type": "string"}}}}},
        }},
    }
