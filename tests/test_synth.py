"""The synthetic UN-scale corpus: deterministic, in the extract JSON format, realistic shape."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from resograph.cli import main
from resograph.graph import symbols, synth
from resograph.graph.model import ParsedResolution


@pytest.fixture(scope="module")
def corpus_2000(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("synth") / "synth.jsonl"
    assert main(["synth", "--resolutions", "2000", "--seed", "7", str(out)]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_count_and_round_trip(corpus_2000: list[dict]) -> None:
    assert len(corpus_2000) == 2000
    for doc in corpus_2000[:200]:
        assert ParsedResolution.from_json(doc).to_json() == doc
        for key in ("file", "symbol", "organ", "language", "adopted", "session", "paragraphs",
                    "citations", "requests"):
            assert key in doc


def test_deterministic(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    synth.write_corpus(a, resolutions=300, seed=3)
    synth.write_corpus(b, resolutions=300, seed=3)
    synth.write_corpus(c, resolutions=300, seed=4)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_symbols_match_their_organ_and_are_unique(corpus_2000: list[dict]) -> None:
    seen = set()
    for doc in corpus_2000:
        info = symbols.parse(doc["symbol"])
        assert info.organ == doc["organ"], doc["symbol"]
        assert info.kind == "resolution"
        assert doc["symbol"] not in seen
        seen.add(doc["symbol"])
    organs = Counter(d["organ"] for d in corpus_2000)
    # real proportions: the General Assembly dominates, every organ is present
    assert organs.most_common(1)[0][0] == "GA"
    assert set(organs) == {"GA", "SC", "ECOSOC", "CHR", "HRC"}


def test_citations_point_back_in_time_never_to_self(corpus_2000: list[dict]) -> None:
    adopted = {d["symbol"]: d["adopted"] for d in corpus_2000}
    keys_by_doc = {d["symbol"]: {p["key"] for p in d["paragraphs"]} for d in corpus_2000}
    for doc in corpus_2000:
        for c in doc["citations"]:
            assert c["target"] != doc["symbol"]
            assert c["paragraph"] in keys_by_doc[doc["symbol"]]
            if c["target"] in adopted:
                assert adopted[c["target"]] <= doc["adopted"]


def test_in_degree_is_heavy_tailed(corpus_2000: list[dict]) -> None:
    indegree = Counter(c["target"] for d in corpus_2000 for c in d["citations"])
    values = sorted(indegree.values(), reverse=True)
    median = values[len(values) // 2]
    assert values[0] >= 30 * median  # a few classics are cited by very many
    assert indegree["charter"] == values[0]


def test_rejects_zero(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="--resolutions"):
        synth.write_corpus(tmp_path / "x.jsonl", resolutions=0, seed=1)
    assert not (tmp_path / "x.jsonl").exists()


def test_classics_never_cited_before_they_exist(corpus_2000: list[dict]) -> None:
    for doc in corpus_2000:
        for c in doc["citations"]:
            assert synth.CLASSIC_DATE.get(c["target"], "") < doc["adopted"], \
                (doc["symbol"], c["target"])


def test_classic_instruments_dated_as_in_the_ontology() -> None:
    """The shapes reject a citation of an instrument adopted later (CitesLaterShape):
    the generator must date the instruments as ontology/instruments.ttl does."""
    import pyoxigraph as ox

    from resograph import ontology

    g = ox.Store()
    for path in ontology.all_paths():
        g.load(path=str(path), format=ox.RdfFormat.TURTLE)
    dates = {r["k"].value: r["d"].value for r in g.query(
        "SELECT ?k ?d WHERE { ?i <https://w3id.org/resograph/ontology#key> ?k ; "
        "<https://w3id.org/resograph/ontology#adoptionDate> ?d }")}
    instruments = {t for c in synth.CLASSICS.values() for t, kind, _ in c
                   if kind == "instrument"}
    assert instruments and all(synth.CLASSIC_DATE[k] == dates[k] for k in instruments)


def test_own_organ_share_and_eras_follow_the_profile(corpus_2000: list[dict]) -> None:
    organ_of = {d["symbol"]: d["organ"] for d in corpus_2000}
    own = total = 0
    for doc in corpus_2000:
        if doc["organ"] != "GA":
            continue
        for c in doc["citations"]:
            if c["target"] in organ_of:
                total += 1
                own += organ_of[c["target"]] == "GA"
    assert total > 1000
    assert 0.8 <= own / total <= 0.98  # measured on GA 79: 0.89
    # early Security Council texts are short (CR-UNSC medians 3/3), later ones longer
    def paragraphs(doc: dict) -> int:
        return len(doc["paragraphs"])
    early = sorted(paragraphs(d) for d in corpus_2000
                   if d["organ"] == "SC" and int(d["adopted"][:4]) <= synth.SC_EARLY_UNTIL)
    late = sorted(paragraphs(d) for d in corpus_2000
                  if d["organ"] == "SC" and int(d["adopted"][:4]) > synth.SC_EARLY_UNTIL)
    assert early and late
    assert early[len(early) // 2] < late[len(late) // 2]


def test_verbs_are_known_concepts_and_citing_verbs_lead_with_recalling(
        corpus_2000: list[dict]) -> None:
    from resograph.graph import rdf

    concepts = {q.subject.value.rsplit("/", 1)[-1] for q in rdf.shared_quads()
                if "/verb/" in q.subject.value}
    verbs = Counter()
    for doc in corpus_2000:
        for p in doc["paragraphs"]:
            assert p["verb_meaning"] in concepts, p["verb_meaning"]
        verbs.update(c["verb_meaning"] for c in doc["citations"])
    assert verbs.most_common(1)[0][0] == "recalling"


def test_requests_fall_due_at_the_next_session(corpus_2000: list[dict]) -> None:
    due = [(d, r) for d in corpus_2000 for r in d["requests"] if r["due_session"]]
    assert len(due) > 100
    for d, r in due:
        assert r["due_organ"] == d["organ"] in ("GA", "HRC")
        assert r["due_session"] == int(d["session"]) + 1
