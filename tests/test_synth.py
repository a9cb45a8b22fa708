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
