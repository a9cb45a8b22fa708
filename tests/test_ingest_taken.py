"""Ingest: a document whose graph is already taken by a source at least as rich is dropped
by the worker once the extractor has identified it (``ingest._Taken``), before the RDF, the
SHACL check and the serialisation, with the note the main process wrote when it dropped the
mapped document; a PDF is identified from its first page. The content decides identity,
not the file name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_ingest import akn_stored_then_text, doc, dump, write_jsonl

from resograph.graph import ingest, readers, vocab
from resograph.graph.store import OxigraphStore


def _mapped(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """(symbol, source format) of every document mapped to RDF from now on (one worker,
    this process)."""
    seen: list[tuple[str, str | None]] = []
    real = ingest._doc_quads

    def spy(parsed, opts):  # type: ignore[no-untyped-def]
        seen.append((parsed.symbol, parsed.source_format))
        return real(parsed, opts)

    monkeypatch.setattr(ingest, "_doc_quads", spy)
    return seen


def test_taken_documents_are_not_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A poorer version (text after AKN) and an equal one (a second AKN file) of documents
    written by earlier batches are not mapped; the notes, the counts and the store are those
    of the run that mapped them and dropped them afterwards."""
    akn = [doc("A/RES/79/1", "2024-10-01", yes=120), doc("A/RES/79/2", "2024-10-01")]
    filler = doc("A/RES/79/3", "2024-10-01")
    text = doc("A/RES/79/1", "2024-10-01", title="From the PDF")
    again = doc("A/RES/79/2", "2024-10-01", title="Another AKN file")
    for d in (*akn, filler, again):
        d.source_format = "akn"
    text.source_format = "text"
    # three files, three tasks: the first two are read before any batch is written (one
    # worker reads two tasks ahead), the third after both are written
    files = [write_jsonl(tmp_path / "a.jsonl", akn), write_jsonl(tmp_path / "b.jsonl", [filler]),
             write_jsonl(tmp_path / "c.jsonl", [text, again])]
    opts = ingest.Options(ingested_at="2026-01-01T00:00:00Z")
    plain = OxigraphStore(None)
    ingest.ingest_paths(files[:2], plain, progress=False, options=opts, workers=1)

    mapped = _mapped(monkeypatch)
    store = OxigraphStore(None)
    summary = ingest.ingest_paths(files, store, progress=False, options=opts, workers=1,
                                  batch_size=1)
    assert ("A/RES/79/1", "text") not in mapped and mapped.count(("A/RES/79/2", "akn")) == 1
    assert summary.documents == 3 and not summary.failed
    a, c = files[0], files[2]
    assert summary.notes == [
        f"{c}:1: same document as {a}:1 (A/RES/79/1, en), kept {a}:1",
        f"{c}:2: same document as {a}:2 (A/RES/79/2, en), kept {a}:2"]
    assert dump(store) == dump(plain)


def test_taken_by_the_stored_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against a richer version stored by an earlier run: not mapped, the same note."""
    store, _, text = akn_stored_then_text(tmp_path)
    before = dump(store)
    mapped = _mapped(monkeypatch)
    t = write_jsonl(tmp_path / "t.jsonl", [text])
    summary = ingest.ingest_paths([t], store, progress=False, workers=1)
    assert mapped == [] and summary.documents == 0
    g = vocab.graph_iri("A/RES/79/1", "en")
    assert summary.notes == [
        f"{t}:1: same document as the stored akn version (A/RES/79/1, en), kept the stored "
        f"one; delete its graph {g} first to replace it"]
    assert dump(store) == before


def test_pdf_identified_by_its_content_from_its_first_page(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With A/RES/79/102 stored from its AKN file, its PDF under another resolution's name is
    dropped after reading its first page only, and the PDF of A/RES/79/107 under the name
    of 79/102 is read whole and written as 79/107."""
    pdfs = corpus / "unga-pdf"
    akn = next((corpus / "unga-akn" / "79" / "english").glob("A_RES_79_102-*.xml"))
    store = OxigraphStore(None)
    ingest.ingest_paths([akn], store, progress=False, workers=1)
    src = tmp_path / "pdf"
    src.mkdir()
    shutil.copy(pdfs / "A_RES_79_102.pdf", src / "A_RES_79_107.pdf")
    shutil.copy(pdfs / "A_RES_79_107.pdf", src / "A_RES_79_102.pdf")
    reads: list[tuple[str, int | None]] = []
    real = readers.read_pdf

    def spy(path: Path, pages: int | None = None) -> str:
        reads.append((path.name, pages))
        return real(path, pages)

    monkeypatch.setattr(readers, "read_pdf", spy)
    mapped = _mapped(monkeypatch)
    summary = ingest.ingest_paths([src], store, progress=False, workers=1)
    assert reads == [("A_RES_79_102.pdf", 1), ("A_RES_79_102.pdf", None),
                     ("A_RES_79_107.pdf", 1)]
    assert mapped == [("A/RES/79/107", "pdf")]
    assert summary.documents == 1 and summary.graphs == [vocab.graph_iri("A/RES/79/107", "en")]
    assert len(summary.notes) == 1 and summary.notes[0].startswith(
        f"{src / 'A_RES_79_107.pdf'}: same document as the stored akn version "
        "(A/RES/79/102, en)")


def test_read_pdf_first_pages(corpus: Path) -> None:
    """``read_pdf(pages=n)`` is the text of the first n pages of the whole text."""
    pdf = corpus / "unga-pdf" / "A_RES_79_107.pdf"
    whole = readers.read_pdf(pdf).split("\n\f")
    assert len(whole) > 1
    assert readers.read_pdf(pdf, pages=1) == whole[0]
    assert readers.read_pdf(pdf, pages=2) == "\n\f".join(whole[:2])


def test_pdf_probe_never_skips_on_the_file_name(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A first page that names no symbol (the extractor would take the file's) does not
    make a file under a taken resolution's name skipped: the whole file is read."""
    head = "Resolution adopted by the General Assembly on 4 December 2024\n\n"
    body = "Some title\n\nThe General Assembly,\n\nRecalling its resolution 78/1,\n\n" \
           "1. Decides to continue.\n"
    first_pages = {"named.pdf": head + "79/102. " + body, "A_RES_79_102.pdf": head + body}
    monkeypatch.setattr(readers, "read_pdf", lambda path, pages=None: first_pages[path.name])
    need = {vocab.graph_iri("A/RES/79/102", "en"): 6}
    probe = ingest._probe_pdf(tmp_path / "named.pdf", None, need)
    assert probe is not None and probe.symbol == "A/RES/79/102"
    assert ingest._probe_pdf(tmp_path / "A_RES_79_102.pdf", None, need) is None
    assert ingest._probe_pdf(tmp_path / "named.pdf", None, {}) is None  # not taken
