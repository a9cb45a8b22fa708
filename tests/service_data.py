"""A small, hand-made dataset for the service tests (not collected by pytest).

Four resolutions written as :class:`ParsedResolution` objects and turned into RDF by the real
mapping (:func:`resograph.graph.rdf.to_quads`), loaded into an in-memory
:class:`OxigraphStore`: HRC 56/15 in French and English (citing GA 48/141, HRC 5/1, its own
54/28 and the UDHR, with a request due at session 59 and a subject), GA 48/141, and two
Security Council resolutions citing each other, one with a recorded vote (by the 1991 Council:
the USSR, ISO 3166-3 ``SUN``, is no state of today's table, so its name is English only -
the case where the pages and the API fall back to English). The paragraph texts
are our own short wording, not the UN's.
"""

from __future__ import annotations

from resograph.graph import rdf
from resograph.graph.model import (
    Adoption,
    Citation,
    MemberVote,
    Paragraph,
    ParsedResolution,
    Request,
    Subject,
)
from resograph.graph.store import OxigraphStore

HRC = "A/HRC/RES/56/15"
GA = "A/RES/48/141"
SC_A = "S/RES/687 (1991)"
SC_B = "S/RES/686 (1991)"
SUBJECT_IRI = "http://metadata.un.org/thesaurus/1004700"

SC_MEMBERS_1991 = [
    ("AUT", "Austria", "yes"), ("BEL", "Belgium", "yes"), ("CHN", "China", "yes"),
    ("CIV", "Côte d'Ivoire", "yes"), ("CUB", "Cuba", "no"), ("ECU", "Ecuador", "abstain"),
    ("FRA", "France", "yes"), ("IND", "India", "yes"), ("ROU", "Romania", "yes"),
    ("SUN", "Union of Soviet Socialist Republics", "yes"), ("GBR", "United Kingdom", "yes"),
    ("USA", "United States", "yes"), ("YEM", "Yemen", "abstain"), ("COD", "Zaire", "yes"),
    ("ZWE", "Zimbabwe", "yes"),
]


def hrc(lang: str) -> ParsedResolution:
    fr = lang == "fr"
    paras = [
        Paragraph(1, "preambular", "Rappelant" if fr else "Recalling",
                  ("Rappelant la résolution 48/141 de l'Assemblée générale (texte d'essai)."
                   if fr else "Recalling General Assembly resolution 48/141 (test wording)."),
                  "recalling"),
        Paragraph(2, "preambular", "Rappelant" if fr else "Recalling",
                  ("Rappelant ses résolutions 5/1 et 54/28 (texte d'essai)." if fr else
                   "Recalling its resolutions 5/1 and 54/28 (test wording)."), "recalling"),
        Paragraph(1, "operative", "Prie" if fr else "Requests",
                  ("Prie le Haut-Commissaire de lui faire rapport à sa cinquante-neuvième "
                   "session (texte d'essai) ;" if fr else
                   "Requests the High Commissioner to report at its fifty-ninth session "
                   "(test wording);"), "requesting"),
    ]
    return ParsedResolution(
        symbol=HRC, organ="HRC", language=lang, session="56", number="15", year=2024,
        adopted="2024-07-11",
        title=("Conseillers pour les droits de l'homme (titre d'essai)" if fr
               else "Human rights advisers (test title)"),
        paragraphs=paras,
        citations=[
            Citation(GA, "resolution", "Rappelant" if fr else "Recalling", "pre1",
                     "1993-12-20", verb_meaning="recalling"),
            Citation("A/HRC/RES/5/1", "resolution", "Rappelant" if fr else "Recalling", "pre2",
                     "2007-06-18", verb_meaning="recalling"),
            Citation("A/HRC/RES/54/28", "resolution", "Rappelant" if fr else "Recalling",
                     "pre2", verb_meaning="recalling"),
            Citation("udhr", "instrument", "Rappelant" if fr else "Recalling", "pre1",
                     verb_meaning="recalling"),
        ],
        requests=[Request("Haut-Commissaire" if fr else "High Commissioner",
                          "faire rapport" if fr else "report", "op1",
                          "Prie" if fr else "Requests", "requesting", None, 59, "HRC")],
        subjects=[Subject(SUBJECT_IRI, "DROITS DE L'HOMME" if fr else "HUMAN RIGHTS")],
        adoption=Adoption("without-vote"), source_format="text")


def ga() -> ParsedResolution:
    return ParsedResolution(
        symbol=GA, organ="GA", language="en", session="48", number="141", year=1993,
        adopted="1993-12-20",
        title="High Commissioner for human rights (test title)",
        paragraphs=[Paragraph(1, "preambular", "Reaffirming", "Reaffirming the Charter "
                              "(test wording).", "reaffirming"),
                    Paragraph(1, "operative", "Decides", "Decides to create a post "
                              "(test wording).", "deciding")],
        citations=[Citation("charter", "instrument", "Reaffirming", "pre1",
                            verb_meaning="reaffirming")],
        adoption=Adoption("without-vote"))


def sc_a() -> ParsedResolution:
    votes = [MemberVote(c, n, v) for c, n, v in SC_MEMBERS_1991]
    return ParsedResolution(
        symbol=SC_A, organ="SC", language="en", number="687", year=1991,
        adopted="1991-04-03", title="Iraq-Kuwait (test title)", meeting="2981st meeting",
        paragraphs=[Paragraph(1, "preambular", "Recalling", "Recalling its resolution 686 "
                              "(1991) (test wording),", "recalling"),
                    Paragraph(1, "operative", "Affirms", "Affirms the resolutions above "
                              "(test wording);", "affirming")],
        citations=[Citation(SC_B, "resolution", "Recalling", "pre1", "1991-03-02",
                            verb_meaning="recalling"),
                   Citation("S/RES/660 (1990)", "resolution", "Affirms", "op1",
                            verb_meaning="affirming")],
        adoption=Adoption("vote", yes=12, no=1, abstain=2, votes=votes))


def sc_b() -> ParsedResolution:
    return ParsedResolution(
        symbol=SC_B, organ="SC", language="en", number="686", year=1991,
        adopted="1991-03-02", title="Iraq-Kuwait, earlier (test title)",
        paragraphs=[Paragraph(1, "operative", "Notes", "Notes resolution 687 (1991) "
                              "(test wording);", "noting")],
        citations=[Citation(SC_A, "resolution", "Notes", "op1", verb_meaning="noting")],
        adoption=Adoption("vote", yes=11, no=1, abstain=3))


def documents() -> list[ParsedResolution]:
    return [hrc("fr"), hrc("en"), ga(), sc_a(), sc_b()]


def build_graphs() -> dict[str, list]:
    """The shared graphs and the five documents' graphs: named graph -> its quads."""
    graphs: dict[str, list] = {}
    for q in rdf.shared_quads():
        graphs.setdefault(q.graph_name.value, []).append(q)
    for doc in documents():
        for q in rdf.to_quads(doc, extractor_version="test",
                              ingested_at="2026-01-01T00:00:00+00:00"):
            graphs.setdefault(q.graph_name.value, []).append(q)
    return graphs


def build_store() -> OxigraphStore:
    """An in-memory store with the shared graphs and the five documents."""
    store = OxigraphStore(None)
    store.replace_graphs(build_graphs())
    return store


class LiveServer:
    """A real HTTP server (werkzeug, threaded) on 127.0.0.1 and a free port, in a thread."""

    def __init__(self, store: OxigraphStore, **config: object):
        import threading

        from werkzeug.serving import make_server

        from resograph.service import create_app
        from resograph.service.config import Config

        self.store = store
        self.app = create_app(store, Config.from_env(environ={}, **config))
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
