"""``/api/member-states/{code}``: how one state voted, filtered by session and subject (issue 9).

The shared service dataset (``service_data``) has one recorded vote only, so a filter could
not be seen to work there. This module adds two General Assembly resolutions of different
sessions, each with its own subject and a recorded vote in which France votes differently,
and checks that the ``session`` and ``subject`` filters restrict the votes *and* the
resolutions voted on, while the state itself is always returned (the bug: the votes of every
session came back whatever the filter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from service_data import SC_A, documents

from resograph.graph import rdf
from resograph.graph.model import Adoption, MemberVote, Paragraph, ParsedResolution, Subject
from resograph.graph.store import OxigraphStore
from resograph.service import create_app
from resograph.service.config import Config

JLD = {"Accept": "application/ld+json"}
GA_78 = "A/RES/78/900"
GA_79 = "A/RES/79/901"
SUBJECT_78 = "http://metadata.un.org/thesaurus/1000001"
SUBJECT_79 = "http://metadata.un.org/thesaurus/1000002"


def _ga_vote(symbol: str, session: str, number: str, adopted: str, subject: str,
             label: str, france: str) -> ParsedResolution:
    votes = [MemberVote("FRA", "France", france),  # type: ignore[arg-type]
             MemberVote("DEU", "Germany", "yes")]
    return ParsedResolution(
        symbol=symbol, organ="GA", language="en", session=session, number=number,
        adopted=adopted, title=f"Test resolution {number} (test title)",
        paragraphs=[Paragraph(1, "operative", "Decides", "Decides (test wording);",
                              "deciding")],
        subjects=[Subject(subject, label, "UNBIS")],
        adoption=Adoption("vote", yes=1 + (france == "yes"), no=int(france == "no"),
                          abstain=int(france == "abstain"), votes=votes))


def _store() -> OxigraphStore:
    store = OxigraphStore(None)
    graphs: dict[str, list] = {}
    for q in rdf.shared_quads():
        graphs.setdefault(q.graph_name.value, []).append(q)
    docs = [*documents(),
            _ga_vote(GA_78, "78", "900", "2023-12-01", SUBJECT_78, "OCEANS", "no"),
            _ga_vote(GA_79, "79", "901", "2024-12-01", SUBJECT_79, "DISARMAMENT", "abstain")]
    for doc in docs:
        for q in rdf.to_quads(doc, extractor_version="test",
                              ingested_at="2026-01-01T00:00:00+00:00"):
            graphs.setdefault(q.graph_name.value, []).append(q)
    store.replace_graphs(graphs)
    return store


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    app = create_app(_store(), Config.from_env(environ={}))
    yield app.test_client()


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def votes_of(client: Any, query: str = "", code: str = "FRA") -> dict[str, str]:
    """symbol voted on -> vote value, as ``/api/member-states/{code}?query`` returns them."""
    r = client.get(f"/api/member-states/{code}?{query}", headers=JLD)
    assert r.status_code == 200, r.get_data(as_text=True)
    doc = r.get_json()
    assert doc["code"] == code  # the state is there whatever the filters
    out = {}
    for vote in _as_list(doc.get("votesCast")):
        on = vote["voteOn"]
        assert isinstance(on, dict) and "symbol" in on, f"resolution of {vote} not described"
        out[on["symbol"]] = vote["voteValue"]
    return out


def described_works(client: Any, query: str) -> set[str]:
    """Every symbol anywhere in the answer (a resolution must not leak through a filter)."""
    r = client.get(f"/api/member-states/FRA?{query}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    return {s for s in (SC_A, GA_78, GA_79) if f'"{s}"' in text}


def test_unfiltered_lists_every_vote(client: Any) -> None:
    assert votes_of(client) == {SC_A: "rg:yes", GA_78: "rg:no", GA_79: "rg:abstain"}


@pytest.mark.parametrize(("query", "expected"), [
    ("session=79", {GA_79: "rg:abstain"}),
    ("session=78", {GA_78: "rg:no"}),
    ("session=12", {}),
    (f"subject={SUBJECT_78}", {GA_78: "rg:no"}),
    ("subject=disarmament", {GA_79: "rg:abstain"}),
    (f"session=79&subject={SUBJECT_78}", {}),
    (f"session=78&subject={SUBJECT_78}", {GA_78: "rg:no"}),
])
def test_filters_restrict_the_votes(client: Any, query: str, expected: dict[str, str]) -> None:
    assert votes_of(client, query) == expected
    assert described_works(client, query) == set(expected)


def test_filters_apply_to_another_state(client: Any) -> None:
    assert votes_of(client, "session=78", "DEU") == {GA_78: "rg:yes"}
    assert votes_of(client, "", "DEU") == {GA_78: "rg:yes", GA_79: "rg:yes"}


def test_bad_parameters(client: Any) -> None:
    assert client.get("/api/member-states/FRA?session=x1").status_code == 400
    assert client.get("/api/member-states/XYZ?session=79").status_code == 404
