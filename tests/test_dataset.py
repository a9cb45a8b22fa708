"""The shipped default dataset: reproducible, facts only, current; the default store from it."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from resograph.graph import dataset, ingest, vocab

RG = "https://w3id.org/resograph/ontology#"


@pytest.fixture(scope="module")
def mini_corpus(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few files of each dataset part, linked (not copied) into a corpus-shaped folder."""
    root = tmp_path_factory.mktemp("corpus")
    picks = [corpus / "hrc-fr" / "A_HRC_RES_56_15.fr.txt",
             *sorted((corpus / "unsc-en").glob("*.txt"))[:3],
             *sorted((corpus / "unsc-akn" / "2023").glob("*/S_RES_2672_*.xml")),
             *sorted((corpus / "unga-akn" / "79" / "english").glob("*.xml"))[:1]]
    for src in picks:
        dst = root / src.relative_to(corpus)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.symlink_to(src)
    return root


@pytest.fixture(scope="module")
def mini_dataset(mini_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus built once by `build_dataset` (2 worker processes)."""
    out = tmp_path_factory.mktemp("built") / "a.nq.gz"
    info = dataset.build_dataset(mini_corpus, out, workers=2, progress=False)
    assert " 0 documents" not in info, info
    return out


def quads_of(blob: bytes) -> list[ox.Quad]:
    return list(ox.parse(gzip.decompress(blob), format=ox.RdfFormat.N_QUADS))


def test_build_is_reproducible_and_facts_only(mini_corpus: Path, mini_dataset: Path,
                                              tmp_path: Path) -> None:
    a, b = mini_dataset, tmp_path / "b.nq.gz"
    dataset.build_dataset(mini_corpus, b, workers=1, progress=False)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes()[4:8] == b"\0\0\0\0"  # no gzip timestamp
    text = gzip.decompress(a.read_bytes()).decode()
    assert text.splitlines() == sorted(text.splitlines())
    quads = quads_of(a.read_bytes())
    graphs = {q.graph_name.value for q in quads}
    assert vocab.graph_iri("A/HRC/RES/56/15", "fr") in graphs
    assert vocab.graph_iri("S/RES/2672 (2023)", "zh") in graphs
    assert vocab.GRAPH_ONTOLOGY not in graphs  # shipped as Turtle, written on load
    # facts only: paragraph text is gone, structure, verbs and citations stay
    texts = [q for q in quads if q.predicate.value in (RG + "text", RG + "footnote")
             and q.object.value.strip()]
    assert texts == []
    assert any(q.predicate.value == RG + "leadingVerb" for q in quads)
    assert any(q.predicate.value == RG + "citedWork" for q in quads)
    times = {q.object.value for q in quads
             if q.predicate.value == "http://www.w3.org/ns/prov#generatedAtTime"}
    assert times == {dataset.DATASET_TIME}
    files = {q.object.value for q in quads if q.predicate.value == RG + "sourceFile"}
    assert "A_HRC_RES_56_15.fr.txt" in files and not any(f.startswith("/") for f in files)


@pytest.mark.slow
@pytest.mark.timeout(1800)  # a whole-corpus build: about 5 minutes on 2 cores
def test_shipped_dataset_is_current(corpus: Path) -> None:
    """`resograph dataset` run now gives the shipped file byte for byte."""
    shipped = dataset.DEFAULT_DATASET_PATH
    assert shipped.is_file(), "graph/data/default-dataset.nq.gz missing: run `resograph dataset`"
    data, summary = dataset.dataset_nquads(corpus, progress=False)
    assert dataset.gzip_bytes(data) == shipped.read_bytes(), (
        "the shipped default dataset is stale: run `resograph dataset` and commit "
        f"graph/data/default-dataset.nq.gz ({summary.documents} documents)")


def test_shipped_dataset_covers_the_corpus_parts() -> None:
    shipped = dataset.DEFAULT_DATASET_PATH
    assert shipped.is_file(), "graph/data/default-dataset.nq.gz missing: run `resograph dataset`"
    assert shipped.stat().st_size < 20_000_000
    graphs = {q.graph_name.value for q in quads_of(shipped.read_bytes())
              if isinstance(q.graph_name, ox.NamedNode)}
    docs = [g for g in graphs if g.startswith(vocab.GRAPH_DOC_PREFIX)]
    langs = {g.rsplit("/", 1)[1] for g in docs}
    assert langs == {"en", "fr", "es", "ru", "ar", "zh"}
    assert vocab.graph_iri("A/HRC/RES/56/15", "fr") in graphs
    assert any("/graph/doc/A/RES/79/" in g for g in docs)
    assert any("/graph/doc/S/RES/2" in g and "(2023)" in g for g in docs)
    assert any("/graph/doc/S/RES/" in g and "(19" in g for g in docs)  # unsc-en
    assert ingest.GRAPH_CITED_ONLY in graphs


def test_default_store_initialised_and_refreshed(mini_dataset: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("RESOGRAPH_HOME", str(home))
    ds = tmp_path / "ds.nq.gz"
    ds.write_bytes(mini_dataset.read_bytes())
    n = len(quads_of(ds.read_bytes()))

    store = dataset.default_store(dataset=ds)
    graphs = store.named_graphs()
    assert vocab.GRAPH_ONTOLOGY in graphs and vocab.GRAPH_SHARED in graphs
    assert vocab.graph_iri("A/HRC/RES/56/15", "fr") in graphs
    own = len(store) - sum(len(store.graph_quads(g)) for g in (vocab.GRAPH_ONTOLOGY,
                                                               vocab.GRAPH_SHARED))
    assert own == n
    # a user's write survives reopening while the shipped file is unchanged
    store.update("INSERT DATA { GRAPH <http://example.org/mine> { <http://e/a> <http://e/p> 1 } }")
    store.close()
    store = dataset.default_store(dataset=ds)
    assert "http://example.org/mine" in store.named_graphs()
    store.close()
    ro = dataset.default_store(read_only=True, dataset=ds)
    assert ro.read_only and "http://example.org/mine" in ro.named_graphs()
    ro.close()

    # a new shipped file: the store is rebuilt from it
    blob = gzip.decompress(ds.read_bytes())
    first = blob.split(b"\n", 1)[0]
    ds.write_bytes(dataset.gzip_bytes(blob.replace(first + b"\n", b"")))
    store = dataset.default_store(dataset=ds)
    assert "http://example.org/mine" not in store.named_graphs()
    assert not any(str(q) + " ." == first.decode() for q in store.oxigraph)
    store.close()
    assert sorted(os.listdir(home)) == [".lock", "dataset.sha256", "store"]


def test_default_corpus_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESOGRAPH_CORPUS", str(tmp_path))
    assert dataset.default_corpus_dir() == tmp_path
    monkeypatch.setenv("RESOGRAPH_CORPUS", str(tmp_path / "absent"))
    assert dataset.default_corpus_dir() is None
