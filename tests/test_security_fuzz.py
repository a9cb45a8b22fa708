"""Fuzzing (issue 6): schemathesis on the OpenAPI document, hypothesis on Graph Store uploads.

In-process on the WSGI app, bounded example counts (well under a minute together).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from service_data import build_store

from resograph.service import create_app
from resograph.service.config import Config

TOKEN = "fuzz-token"
APP = create_app(build_store(), Config.from_env(environ={}, query_workers=-1,
                                                 write_token=TOKEN))
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_openapi(case):
    """No 5xx, status codes and bodies as the OpenAPI document says.

    ``positive_data_acceptance`` is left out: the document does not spell out every
    parameter pattern the API checks (e.g. ``session``), and a 400 naming the parameter is
    the documented answer for those.
    """
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance,
                                   content_type_conformance, response_schema_conformance])


TURTLE_BITS = ["<http://example.org/a>", "<http://example.org/b>", '"x"', '"x"@en', "_:b",
               "a", ".", ";", ",", "[", "]", "(", ")", "{", "}", "@prefix", "ex:", "<", ">",
               '"""', "\\", "\n", "\x00", "\u202e", "^^", "<http://example.org/c>", "1.5e3"]


@given(body=st.one_of(
    st.binary(max_size=300),
    st.lists(st.sampled_from(TURTLE_BITS), max_size=20).map(" ".join).map(str.encode)),
    ctype=st.sampled_from(["text/turtle", "application/n-triples", "application/n-quads",
                           "application/trig", "application/ld+json", "application/rdf+xml"]),
    method=st.sampled_from(["PUT", "POST"]),
    target=st.sampled_from([{"graph": "http://example.org/fuzz"}, {"default": ""}]))
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_graph_store_uploads(body, ctype, method, target):
    store = APP.extensions["resograph.store"]
    before = sorted(str(q) for q in store.oxigraph)
    client = APP.test_client()
    r = client.open("/store", method=method, query_string=target, data=body,
                    headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": ctype})
    assert r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    if r.status_code >= 400:
        assert r.status_code in (400, 415), r.status_code
        assert sorted(str(q) for q in store.oxigraph) == before, "store changed on a 4xx"
    else:
        assert r.status_code in (201, 204)
        # put the store back for the next example
        if "graph" in target:
            client.delete("/store", query_string=target,
                          headers={"Authorization": f"Bearer {TOKEN}"})
        else:
            store.oxigraph.clear_graph(__import__("pyoxigraph").DefaultGraph())


@pytest.mark.parametrize("body", [b"<http://example.org/a> <http://example.org/b> .",
                                  b"\xff\xfe", b"@prefix : <x> . :a :b"])
def test_bad_upload_names_the_problem_and_changes_nothing(body):
    store = APP.extensions["resograph.store"]
    before = len(store)
    r = APP.test_client().put("/store", query_string={"default": ""}, data=body,
                              headers={"Authorization": f"Bearer {TOKEN}",
                                       "Content-Type": "text/turtle"})
    assert r.status_code == 400
    assert len(store) == before
