"""Injection (issue 6): every API parameter that reaches a query is bound, not pasted.

Each parameter gets quotes, braces, ``}`` ``UNION``, comments, newlines and unicode tricks (RTL
override, zero-width, homoglyphs, NUL). None may cause a 5xx, and none may find anything: no
title contains these strings, so a non-empty answer means the text changed the query.
"""

from __future__ import annotations

import pytest
from service_data import build_store

from resograph.service import create_app
from resograph.service.config import Config

PAYLOADS = [
    '") } UNION { ?w ?p ?o } #',
    "') } UNION { ?w ?p ?o } #",
    '"""} UNION {?w ?p ?o}"""',
    "x> } UNION { ?w ?p ?o } #",
    "} } UNION { ?w <https://w3id.org/resograph/ontology#symbol> ?s } #",
    "rights\" . ?w ?p ?o . FILTER(true) #",
    "\\\" } UNION { ?w ?p ?o } #",
    "HRC\n} UNION { ?w ?p ?o }\n#",
    "HRC\r#\r} UNION { ?w ?p ?o }",
    "56\u202e} NOINU { ?w ?p ?o }",      # right-to-left override
    "HRC\u200b",                         # zero-width space
    "\u041dRC",                          # Cyrillic EN looking like H
    "HRC\x00} UNION { ?w ?p ?o }",       # NUL
    "%22%29%20%7D%20UNION",              # double-encoded
    "$w ?w ?p ?o",
    "?w",
    "*",
    ".*",
    "' OR '1'='1",
    "\U0001F600 ${jndi:x}",
    "a" * 190 + '") }',
]

#: (path template, parameter) -> every request below puts a payload into one parameter
LIST_PARAMS = ["q", "subject", "cites", "cited_by", "language", "organ", "session", "year",
               "page", "per_page"]


@pytest.fixture(scope="module")
def client():
    app = create_app(build_store(), Config.from_env(environ={}, query_workers=-1))
    return app.test_client()


def _members(body: dict) -> list:
    return body.get("member", [])


@pytest.mark.parametrize("param", LIST_PARAMS)
def test_resolution_filters(client, param):
    for p in PAYLOADS:
        r = client.get("/api/resolutions", query_string={param: p})
        assert r.status_code < 500, (param, p, r.status_code)
        if r.status_code == 200:
            body = r.get_json()
            assert _members(body) == [], (param, p)
            assert body.get("totalItems", 0) == 0, (param, p)
        else:
            assert r.status_code == 400, (param, p, r.status_code)
            assert param in r.get_data(as_text=True)


def test_q_still_finds_real_words(client):
    """The checks above can fail: a real word does find something."""
    r = client.get("/api/resolutions", query_string={"q": "rights"})
    assert r.status_code == 200 and _members(r.get_json())


@pytest.mark.parametrize("param", ["due_session", "organ"])
def test_requests_params(client, param):
    for p in PAYLOADS:
        qs = {"due_session": "59", "organ": "HRC", param: p}
        r = client.get("/api/requests", query_string=qs)
        assert r.status_code < 500, (param, p)
        if r.status_code == 200:
            assert _members(r.get_json()) == [], (param, p)
        else:
            assert r.status_code == 400


def test_symbol_in_path(client):
    for p in PAYLOADS:
        for suffix in ("", "/cited-by", "/network"):
            r = client.get("/api/resolutions/" + p.replace("%", "%25").replace("?", "%3F")
                           .replace("#", "%23") + suffix)
            assert r.status_code in (400, 404), (p, suffix, r.status_code)


def test_symbol_subparams(client):
    for p in PAYLOADS:
        for path, key in (("/api/resolutions/A/HRC/RES/56/15/network", "depth"),
                          ("/api/resolutions/A/HRC/RES/56/15/cited-by", "page"),
                          ("/api/resolutions/A/HRC/RES/56/15", "lang")):
            r = client.get(path, query_string={key: p})
            assert r.status_code == 400 or (r.status_code == 200 and key == "lang"), \
                (path, key, p, r.status_code)


def test_member_state_code_and_params(client):
    for p in PAYLOADS:
        r = client.get("/api/member-states/" + p.replace("%", "%25").replace("?", "%3F")
                       .replace("#", "%23"))
        assert r.status_code in (400, 404), (p, r.status_code)
        for key, harmless in (("session", "9999"), ("subject", "zzzz")):
            # (the session/subject filters of this endpoint do not restrict the votes listed,
            # see the report: compare with a harmless value that matches nothing)
            base = client.get("/api/member-states/FRA", query_string={key: harmless})
            r = client.get("/api/member-states/FRA", query_string={key: p})
            assert r.status_code < 500, (key, p)
            if r.status_code == 200:
                assert r.get_json() == base.get_json(), (key, p)


def test_pages_never_5xx(client):
    for p in PAYLOADS:
        for path, key in (("/", "q"), ("/search", "q"), ("/sparql", "query")):
            r = client.get(path, query_string={key: p}, headers={"Accept": "text/html"})
            assert r.status_code < 500, (path, p, r.status_code)
