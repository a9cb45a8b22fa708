"""HTML pages and linked-data dereferencing.

Every IRI minted under the configured base is served at the same path on this service
(``/doc/A/HRC/RES/56/15``, ``/organ/GA``, ``/session/GA/79``, ``/state/FRA`` ...): browsers
get a page, machines the resource's description in the RDF format they ask for (JSON-LD with
the API's context, Turtle, N-Triples, RDF/XML), with ``Vary: Accept``, an ETag and CORS.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, render_template, request

from resograph.graph import symbols, vocab
from resograph.graph.model import ORGANS

from . import api, formats, i18n, jsonld, queries, svg

bp = Blueprint("pages", __name__)

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LANG_NAMES = {code: i18n.NATIVE_NAMES[code] for code in api.LANGUAGES}
#: Works citing a resolution that its page lists (the newest; the search page has the rest).
CITED_BY_SHOWN = 100
#: English names, used only when the store holds no label for an organ (no shared graphs).
ORGAN_NAMES = {"GA": "General Assembly", "SC": "Security Council",
               "ECOSOC": "Economic and Social Council", "HRC": "Human Rights Council",
               "CHR": "Commission on Human Rights"}


# --------------------------------------------------------------------------- helpers


def local(iri: str) -> str:
    """The path on this service of an IRI under the base; other IRIs unchanged."""
    base = current_app.config["RESOGRAPH"].base
    if iri.startswith(base):
        return "/" + iri[len(base):]
    if iri.startswith(vocab.BASE):
        return "/" + iri[len(vocab.BASE):]
    return iri


def link(iri: str) -> str:
    """:func:`local`, keeping an explicit ``?lang=`` (the links pages and pictures show)."""
    return i18n.url(local(iri))


def organ_labels() -> dict[str, dict[str, str]]:
    """Organ code -> language -> label, from the graph (the organs' shared graph); cached."""
    hit = api.cache_get(("organ-labels",))
    if hit is not None:
        return hit
    out: dict[str, dict[str, str]] = {}
    for r in api.store().select(queries.PREFIXES + """
            SELECT DISTINCT ?code ?label WHERE {
              ?o a rg:Organ ; rg:code ?code ; rdfs:label ?label }"""):
        lab = r["label"]
        tag = lab.language if isinstance(lab, ox.Literal) and lab.language else ""
        out.setdefault(r["code"].value, {}).setdefault(tag.split("-")[0], lab.value)
    api.cache_put(("organ-labels",), out)
    return out


def organ_name(code: str, language: str | None = None) -> str:
    """An organ's name in the language asked, else English, else the code."""
    labels = organ_labels().get(code, {})
    return lmap(labels, language or i18n.display()) if labels else ORGAN_NAMES.get(code, code)


def lmap(value: Any, language: str) -> str:
    """Pick a string from a JSON-LD language map (asked language, English, any)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return lmap(value[0], language) if value else ""
    if isinstance(value, dict):
        for key in (language, "en", *value.keys()):
            if key in value:
                v = value[key]
                return v[0] if isinstance(v, list) else str(v)
    return str(value)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    def args_with(args: Any, page: int) -> str:
        from urllib.parse import urlencode

        items = [(k, v) for k, v in args.items(multi=True) if k != "page" and v]
        return urlencode([*items, ("page", str(page))])

    # ui_lang, _() and the other language helpers come from i18n.install (whole app)
    return {"local": link, "lmap": lmap, "as_list": as_list, "LANG_NAMES": LANG_NAMES,
            "args_with": args_with, "organ_label": organ_name}


@bp.errorhandler(api.ApiError)
def _page_error(exc: api.ApiError) -> Response:
    """A client error on a page (a malformed ``?lang=``): a page in the header's language."""
    if exc.parameter == i18n.PARAM:
        message = i18n.gettext("error.lang", value=request.args.get(i18n.PARAM, ""),
                               codes=", ".join(i18n.LANGUAGES))
    else:
        message = str(exc)
    if wants_html():
        resp = html("error.html", message=message)
    else:
        resp = Response(str(exc) + "\n", mimetype="text/plain")
    resp.status_code = exc.status
    return resp


def _etagged(resp: Response) -> Response:
    resp.vary.update(("Accept", "Accept-Language"))
    resp.set_etag(hashlib.sha1(resp.get_data() + resp.content_type.encode()).hexdigest())
    resp.headers.setdefault("Access-Control-Allow-Origin", "*")
    return resp.make_conditional(request)


def html(template: str, **kw: Any) -> Response:
    return _etagged(Response(render_template(template, **kw), mimetype="text/html"))


def wants_html() -> bool:
    return (request.args.get("format") in ("html", None)
            and formats.prefers_html(request.accept_mimetypes))


def rdf_response(triples: list[ox.Triple], root: str) -> Response:
    """The description in the negotiated RDF format (JSON-LD shares the API's context)."""
    try:
        return api.represent(triples, root)
    except api.ApiError as exc:
        return Response(str(exc) + "\n", status=exc.status, mimetype="text/plain")


def describe(iri: str) -> list[ox.Triple]:
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # a path that is no valid IRI ("{", "}", spaces): nothing there, 404
        return []
    # a SELECT DISTINCT rather than a CONSTRUCT: a work cited by thousands of documents has
    # its stub triples in each of them, and the engine folds those copies before Python
    out: list[ox.Triple] = []
    for r in api.store().select(queries.DESCRIBE_ROWS, {"x": node}):
        out.append(ox.Triple(node, r["p"], r["o"]))
        if "bp" in r and isinstance(r["o"], ox.BlankNode):
            out.append(ox.Triple(r["o"], r["bp"], r["bo"]))
    return api.drop_stale_stubs(api.dedupe(out))


def request_iri() -> str:
    """The IRI a request path stands for: base + the path as sent (percent-encoding kept)."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    path = raw.split("?", 1)[0] if raw else quote(request.path, safe="/()-.,:@!$&'*+;=~_")
    return current_app.config["RESOGRAPH"].base + path.lstrip("/")


def not_found(what: str) -> Response:
    if wants_html():
        resp = html("notfound.html", what=what)
        resp.status_code = 404
        return resp
    return Response(f"not found: {what}\n", status=404, mimetype="text/plain")


# --------------------------------------------------------------------------- plain pages


@bp.route("/")
def home() -> Response:
    numbers = api.stats_numbers()
    triples, members, total = api.resolutions_query({}, api.lang(), 1, 12)
    doc = jsonld.compact(triples + api.collection_triples("urn:x:recent", members, total, 1,
                                                          12), "urn:x:recent", context_url="")
    organs = _organ_counts()
    return html("home.html", numbers=numbers, recent=as_list(doc.get("member")), total=total,
                organs=organs)


def _organ_counts() -> list[tuple[str, str, int]]:
    """Documents per organ with the organ's name in the page's language."""
    return [(code, organ_name(code), n) for code, n in api.stats_counts()["organs"]]


@bp.route("/search")
def search() -> Response:
    try:
        params = api.resolution_params()
        page, per_page = api.page_params()
    except api.ApiError as exc:
        resp = html("search.html", error=str(exc), results=[], total=0, args=request.args,
                    page=1, last=1, organs=ORGANS)
        resp.status_code = 400
        return resp
    triples, members, total = api.resolutions_query(params, api.lang(), page, per_page)
    doc = jsonld.compact(triples + api.collection_triples("urn:x:s", members, total, page,
                                                          per_page), "urn:x:s", context_url="")
    last = max(1, -(-total // per_page))
    return html("search.html", results=as_list(doc.get("member")), total=total,
                args=request.args, page=page, last=last, error=None, organs=ORGANS)


@bp.route("/healthz")
def healthz() -> Response:
    try:
        api.store().ask("ASK { ?s ?p ?o }")
    except Exception as exc:  # the point of a health check: report, never raise
        return Response(json.dumps({"status": "error", "error": str(exc)}), status=503,
                        mimetype="application/json")
    return Response(json.dumps({"status": "ok"}), mimetype="application/json")


@bp.route("/.well-known/void")
def void() -> Response:
    iri = request.base_url
    triples = list(api.stats_triples(iri))
    if wants_html():
        return html("void.html", numbers=api.stats_numbers())
    return rdf_response(triples, iri)


@bp.route("/sparql/examples.json")
def examples() -> Response:
    from .examples import examples as translated

    return Response(json.dumps(translated(i18n.display()), ensure_ascii=False),
                    mimetype="application/json")


# --------------------------------------------------------------------------- linked data


@bp.route("/ontology")
def ontology() -> Response:
    from resograph import ontology as onto

    graph = vocab.GRAPH_ONTOLOGY
    triples = [q.triple for q in api.store().graph_quads(graph)]
    if not triples:  # a store without the shared graphs: serve the shipped file
        triples = list(ox.parse(path=str(onto.path()), format=ox.RdfFormat.TURTLE))
    if wants_html():
        return html("ontology.html", **_ontology_doc(triples, api.lang()))
    return rdf_response(triples, onto.ONTOLOGY_IRI)


def _ontology_doc(triples: list[ox.Triple], language: str) -> dict[str, Any]:
    """Classes and properties with labels and comments, in the language asked."""
    by_subject: dict[str, dict[str, list[ox.Term]]] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(
                t.object)

    def pick(values: list[Any]) -> str:
        lits = [v for v in values if isinstance(v, ox.Literal)]
        for want in (language, "en", None):
            for v in lits:
                if want is None or v.language == want:
                    return v.value
        return ""

    owl = "http://www.w3.org/2002/07/owl#"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    sections: dict[str, list[dict[str, Any]]] = {"Classes": [], "Object properties": [],
                                                 "Datatype properties": [], "Individuals": []}
    kinds = {owl + "Class": "Classes", owl + "ObjectProperty": "Object properties",
             owl + "DatatypeProperty": "Datatype properties",
             owl + "NamedIndividual": "Individuals"}
    for iri, props in sorted(by_subject.items()):
        if not iri.startswith(str(vocab.RG)):
            continue
        types = [v.value for v in props.get(RDF_TYPE, []) if isinstance(v, ox.NamedNode)]
        section = next((kinds[t] for t in types if t in kinds), None)
        if section is None:
            continue
        sections[section].append({
            "iri": iri, "name": iri[len(str(vocab.RG)):],
            "label": pick(props.get(rdfs + "label", [])),
            "comment": pick(props.get(rdfs + "comment", [])),
            "domain": [v.value for v in props.get(rdfs + "domain", [])
                       if isinstance(v, ox.NamedNode)],
            "range": [v.value for v in props.get(rdfs + "range", [])
                      if isinstance(v, ox.NamedNode)],
            "parents": [v.value for v in props.get(rdfs + "subClassOf", [])
                        + props.get(rdfs + "subPropertyOf", []) if isinstance(v, ox.NamedNode)],
        })
    from resograph import ontology as onto

    meta = by_subject.get(onto.ONTOLOGY_IRI, {})
    return {"sections": sections,
            "title": pick(meta.get("http://purl.org/dc/terms/title", [])),
            "comment": pick(meta.get(rdfs + "comment", [])),
            "version": pick(meta.get(owl + "versionInfo", []))}


@bp.route("/doc/<path:rest>")
def document(rest: str) -> Response:
    iri = request_iri()
    triples = describe(iri)
    if not triples:
        # a symbol as printed (spaces, lower case): redirect to the canonical IRI
        canon = symbols.normalise(unquote(rest))
        target = api.rebase(vocab.work_iri(canon))
        if target != iri and api.store().ask(queries.WORK_EXISTS, {"w": ox.NamedNode(target)}):
            return redirect(local(target) + _qs(), code=301)
        return not_found(iri)
    types = {t.object.value for t in triples if t.predicate.value == RDF_TYPE}
    is_work = any(t.predicate.value == str(vocab.RG) + "symbol" for t in triples)
    if wants_html():
        if is_work:
            return resolution_page(ox.NamedNode(iri))
        return resource_page(iri, triples, types)
    return rdf_response(triples, iri)


def _qs() -> str:
    return ("?" + request.query_string.decode()) if request.query_string else ""


def _resolution_list(params: dict[str, Any], language: str, per_page: int
                     ) -> tuple[list[Any], int]:
    """The first ``per_page`` resolutions matching ``params`` (the /api/resolutions filters)
    as plain JSON objects, and how many match: what an organ or session page lists."""
    triples, members, total = api.resolutions_query(params, language, 1, per_page)
    doc = jsonld.compact(triples + api.collection_triples("urn:x:list", members, total, 1,
                                                          per_page),
                         "urn:x:list", context_url="")
    return as_list(doc.get("member")), total


@bp.route("/organ/<code>")
def organ(code: str) -> Response:
    iri = request_iri()
    triples = describe(iri)
    if not triples:
        return not_found(iri)
    if not wants_html():
        return rdf_response(triples, iri)
    language = api.lang()
    rows = api.store().select(queries.ORGAN_SESSIONS, {"organ": ox.NamedNode(iri)})
    sessions = [(r["s"].value, unquote(r["s"].value.rsplit("/", 1)[-1]), int(r["n"].value))
                for r in rows]
    params = {"organ": code} if code in ORGANS else {}
    recent, total = _resolution_list(params, language, 20) if params else ([], 0)
    desc = jsonld.compact(triples, iri, context_url="")
    return html("organ.html", iri=iri, code=code, organ=desc, sessions=sessions,
                recent=recent, total=total, name=lmap(desc.get("label"), language)
                or organ_name(code, language))


@bp.route("/session/<organ_code>/<session>")
def session(organ_code: str, session: str) -> Response:
    iri = request_iri()
    triples = describe(iri)
    if not triples:
        return not_found(iri)
    if not wants_html():
        return rdf_response(triples, iri)
    language = api.lang()
    params: dict[str, Any] = {"organ": organ_code if organ_code in ORGANS else None,
                              "session": session}
    resolutions, total = _resolution_list(params, language, 500)
    due = api.construct(queries.REQUESTS, {"due": ox.NamedNode(iri), "lang": api.lit(language)})
    reqs = sorted({t.subject.value for t in due if t.predicate.value.endswith("#dueSession")})
    ddoc = jsonld.compact(due + api.collection_triples("urn:x:r", reqs, len(reqs), 1,
                                                       max(1, len(reqs))),
                          "urn:x:r", context_url="")
    return html("session.html", iri=iri, organ_code=organ_code, session=session,
                resolutions=resolutions, total=total,
                requests=as_list(ddoc.get("member")),
                organ_name=organ_name(organ_code, language))


@bp.route("/<path:rest>")
def resource(rest: str) -> Response:
    """Any other IRI under the base (instruments, verbs, states, graphs, agents ...)."""
    iri = request_iri()
    triples = describe(iri)
    if not triples:
        return not_found(iri)
    if wants_html():
        types = {t.object.value for t in triples if t.predicate.value == RDF_TYPE}
        return resource_page(iri, triples, types)
    return rdf_response(triples, iri)


def resource_page(iri: str, triples: list[ox.Triple], types: set[str]) -> Response:
    """A generic page: every property and value, with labels and local links."""
    language = api.lang()
    ranked: dict[str, tuple[int, str]] = {}
    for r in api.store().select(queries.LINK_LABELS, {"x": ox.NamedNode(iri)}):
        lab = r["label"]
        tag = lab.language if isinstance(lab, ox.Literal) else None
        rank = 0 if tag == language else 1 if tag in ("en", None) else 2
        if r["o"].value not in ranked or rank < ranked[r["o"].value][0]:
            ranked[r["o"].value] = (rank, lab.value)
    labels = {k: v for k, (_r, v) in ranked.items()}
    rows: list[tuple[str, list[dict[str, str]]]] = []
    grouped: dict[str, list[dict[str, str]]] = {}
    for t in triples:
        if t.subject.value != iri and not isinstance(t.subject, ox.BlankNode):
            continue
        o = t.object
        if isinstance(o, ox.NamedNode):
            cell = {"href": local(o.value), "text": labels.get(o.value, _short(o.value))}
        elif isinstance(o, ox.Literal):
            cell = {"text": o.value, "lang": o.language or ""}
        else:
            cell = {"text": "[…]"}
        grouped.setdefault(_short(t.predicate.value), []).append(cell)
    rows = sorted(grouped.items())
    title = next((c["text"] for k, cs in rows for c in cs
                  if k in ("rdfs:label", "skos:prefLabel", "rg:symbol") and "href" not in c
                  and (c.get("lang") in (language, "", "en"))), _short(iri))
    inbound = api.store().select(queries.PREFIXES + """
        SELECT DISTINCT ?s ?sym ?x WHERE { { SELECT DISTINCT ?s ?x WHERE { ?s ?p ?x } LIMIT 200 }
          ?s rg:symbol ?sym } ORDER BY ?sym
        """, {"x": ox.NamedNode(iri)})
    return html("resource.html", iri=iri, title=title, rows=rows,
                types=[_short(t) for t in sorted(types)],
                inbound=[(r["s"].value, r["sym"].value) for r in inbound])


_SHORT = {str(vocab.RG): "rg:", "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
          "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
          "http://www.w3.org/2004/02/skos/core#": "skos:", "http://purl.org/dc/terms/": "dcterms:",
          "http://www.w3.org/ns/prov#": "prov:", "http://www.w3.org/2002/07/owl#": "owl:",
          "http://www.w3.org/2001/XMLSchema#": "xsd:"}


def _short(iri: str) -> str:
    for ns, prefix in _SHORT.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns):]
    return iri


# --------------------------------------------------------------------------- resolution page


def resolution_page(node: ox.NamedNode) -> Response:
    language = api.lang()
    doc = jsonld.compact(api.resolution_triples(node, language), node.value, context_url="")
    # paragraphs aligned by key across language versions
    versions = sorted(as_list(doc.get("hasLanguageVersion")),
                      key=lambda e: list(LANG_NAMES).index(e.get("languageCode"))
                      if e.get("languageCode") in LANG_NAMES else 9)
    langs = [e.get("languageCode", "?") for e in versions]
    rows: dict[str, dict[str, Any]] = {}
    order: list[tuple[int, int, str]] = []
    for e in versions:
        code = e.get("languageCode", "?")
        for p in as_list(e.get("paragraphs")):
            key = p.get("key", p.get("id", ""))
            if key not in rows:
                kind = p.get("paragraphKind", "")
                rank = 0 if kind == "rg:preambular" else 1 if kind == "rg:operative" else 2
                order.append((rank, p.get("ordinal", 0) if isinstance(p.get("ordinal"), int)
                              else 0, key))
                rows[key] = {"kind": kind.replace("rg:", ""), "ordinal": p.get("ordinal"),
                             "texts": {}}
            rows[key]["texts"][code] = lmap(p.get("text"), code)
    paragraphs = [(k, rows[k]) for _r, _o, k in sorted(order)]
    # citations out, one entry per cited work (all languages merged)
    out: dict[str, dict[str, Any]] = {}
    vm_labels = {vm["id"]: lmap(vm.get("prefLabel"), language)
                 for c in as_list(doc.get("citations")) + as_list(doc.get("requests"))
                 if isinstance(vm := c.get("verbMeaning"), dict) and "id" in vm}
    for c in as_list(doc.get("citations")):
        target = c.get("citedWork")
        tid = target.get("id") if isinstance(target, dict) else target
        if not tid:
            continue
        entry = out.setdefault(tid, {"id": tid, "symbol": "", "title": "", "verbs": set(),
                                     "paragraphs": set(), "date": "", "stub": False})
        if isinstance(target, dict):
            entry["symbol"] = target.get("symbol") or lmap(target.get("label"), language)
            entry["title"] = lmap(target.get("title"), language)
            entry["stub"] = bool(target.get("citedOnly"))
        vm = c.get("verbMeaning")
        vm_id = vm.get("id") if isinstance(vm, dict) else vm
        if vm_id and vm_labels.get(vm_id):
            entry["verbs"].add(vm_labels[vm_id])
        elif c.get("verb"):
            entry["verbs"].add(lmap(c.get("verb"), language))
        if c.get("citingParagraph"):
            entry["paragraphs"].add(str(c["citingParagraph"]).rsplit("/", 1)[-1])
        entry["date"] = entry["date"] or c.get("dateAsCited", "")
    for tid, entry in out.items():
        if not entry["symbol"]:
            entry["symbol"] = tid.rsplit("/", 1)[-1]
    cites = sorted(out.values(), key=lambda e: e["symbol"])
    # cited by: the newest works citing this one (a classic is cited by thousands at UN
    # scale); the rest through the search page's `cites` filter
    cb, citing, cited_by_total = api.cited_by_page(node, language, 1, CITED_BY_SHOWN)
    cited_by: dict[str, dict[str, str]] = {w: {"id": w} for w in citing}
    for t in cb:
        if t.predicate.value.endswith("#symbol"):
            cited_by.setdefault(t.subject.value, {"id": t.subject.value})["symbol"] = \
                t.object.value
        elif t.predicate.value.endswith("/title"):
            cited_by.setdefault(t.subject.value, {"id": t.subject.value})["title"] = \
                t.object.value
    cited_by_list = list(cited_by.values())
    # works this one cites that cite it back (drawn with arrows both ways), whether or not
    # they are among the newest shown
    cited_ids = [c["id"] for c in cites]
    mutual = {a for a, b in api.cites_links([node.value, *cited_ids]) if b == node.value}
    cited_by_list += [{"id": w, "symbol": "", "title": ""} for w in cited_ids
                      if w in mutual and w not in cited_by]
    # vote
    vdoc = None
    vt = api.votes_triples(node, language)
    if vt:
        ad = next(t.object.value for t in vt if t.predicate.value.endswith("#adoption"))
        vdoc = jsonld.compact(vt, ad, context_url="")
    vote_svg = svg.vote_bar(vdoc, i18n.display()) if vdoc else ""
    groups = svg.vote_groups(vdoc, language) if vdoc else {}
    net_svg = svg.network(node.value, doc.get("symbol", ""), cites, cited_by_list, link,
                          language=i18n.display(), cited_by_total=cited_by_total)
    return html("resolution.html", doc=doc, langs=langs, paragraphs=paragraphs, cites=cites,
                cited_by=cited_by_list[:len(citing)], cited_by_total=cited_by_total,
                cites_symbol=doc.get("symbol", ""), vote=vdoc, vote_svg=vote_svg,
                vote_groups=groups,
                net_svg=net_svg, title=lmap(doc.get("title"), language),
                language=language, organ_names=ORGAN_NAMES,
                requests=as_list(doc.get("requests")),
                subjects=as_list(doc.get("subject")))

