"""Readers: .txt in any common encoding, .docx and .pdf made by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from resograph.graph import extract, readers
from resograph.graph.model import ParseError

RESOLUTION = [
    "Resolution 9998 (1990)",
    "of 6 August 1990",
    "",
    "The Security Council,",
    "",
    "Recalling its resolution 660 (1990) of 2 August 1990,",
    "",
    "Réaffirmant la Charte — naïve “quotes”,",
    "",
    "1. Requests the Secretary-General to report to the Council;",
    "",
    "Adopted at the 2933rd meeting by 13 votes to none, with 2 abstentions (Cuba, Yemen).",
]


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        if text:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str], *, encrypt: str | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kwargs = {}
    if encrypt:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption(encrypt, canPrint=0)
    c = canvas.Canvas(str(path), pagesize=A4, **kwargs)
    y = 800
    for line in lines:
        c.drawString(50, y, line)
        y -= 16
    c.showPage()
    c.save()
    return path


# ----------------------------------------------------------------------------- text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_txt_encodings(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes("\n".join(RESOLUTION).encode(encoding))
    text = readers.read_text(f)
    assert "Réaffirmant la Charte — naïve “quotes”" in text
    assert "\ufeff" not in text


def test_latin1_bytes_undefined_in_cp1252_still_decode(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"Resolution 1 (1946)\nThe Security Council,\n\x81\x8d caf\xe9")
    assert readers.read_text(f).endswith("café")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\x00\x00\x00\x01\x00\x00"])
def test_empty_or_binary_txt_is_a_parse_error(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(content)
    with pytest.raises(ParseError) as err:
        readers.read_text(f)
    assert str(f) in str(err.value)


def test_missing_and_unsupported(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="no such file"):
        readers.read_text(tmp_path / "nope.pdf")
    with pytest.raises(ParseError, match="unsupported"):
        readers.read_text(tmp_path / "a.rtf")


# ----------------------------------------------------------------------------- docx


def test_docx_roundtrip_and_extract(tmp_path: Path) -> None:
    f = write_docx(tmp_path / "S_RES_9998_1990.docx", RESOLUTION)
    text = readers.read_text(f)
    assert "The Security Council," in text
    r = extract.extract_file(f)
    assert (r.symbol, r.source_format, r.adopted) == ("S/RES/9998 (1990)", "docx", "1990-08-06")
    assert [c.target for c in r.citations if c.type == "resolution"] == ["S/RES/660 (1990)"]
    assert r.citations[0].as_cited_date == "1990-08-02"
    assert (r.adoption.yes, r.adoption.no, r.adoption.abstain) == (13, 0, 2)
    assert r.requests and r.requests[0].addressee == "Secretary-General"


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really a zip", b"plain text",
                                     b"PK\x05\x06" + b"\x00" * 18])
def test_corrupt_docx(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "bad.docx"
    f.write_bytes(content)
    with pytest.raises(ParseError) as err:
        readers.read_text(f)
    assert "bad.docx" in str(err.value)


def test_docx_without_text(tmp_path: Path) -> None:
    f = write_docx(tmp_path / "empty.docx", [])
    with pytest.raises(ParseError, match="no text"):
        readers.read_text(f)


# ----------------------------------------------------------------------------- pdf


def test_pdf_text_layer_and_extract(tmp_path: Path) -> None:
    lines = [s.replace("—", "-").replace("“", '"').replace("”", '"') for s in RESOLUTION]
    f = write_pdf(tmp_path / "S_RES_9998_1990.pdf", lines)
    text = readers.read_text(f)
    assert "Recalling its resolution 660 (1990)" in text
    r = extract.extract_file(f)
    assert (r.symbol, r.source_format, r.organ) == ("S/RES/9998 (1990)", "pdf", "SC")
    assert "S/RES/660 (1990)" in {c.target for c in r.citations}
    assert r.source_sha256 and len(r.source_sha256) == 64


def test_encrypted_pdf(tmp_path: Path) -> None:
    f = write_pdf(tmp_path / "secret.pdf", RESOLUTION[:3], encrypt="s3cret")
    with pytest.raises(ParseError, match="encrypted"):
        readers.read_text(f)


@pytest.mark.parametrize("content", [b"", b"%PDF-1.4\n garbage", b"not a pdf at all",
                                     b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"])
def test_corrupt_pdf(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "bad.pdf"
    f.write_bytes(content)
    with pytest.raises(ParseError) as err:
        readers.read_text(f)
    assert "bad.pdf" in str(err.value)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    f = write_pdf(tmp_path / "blank.pdf", [])
    with pytest.raises(ParseError, match="no text"):
        readers.read_text(f)


def test_official_pdf(corpus: Path) -> None:
    """A real UN PDF: the same facts as its text layer in unga-en."""
    pdfs = sorted((corpus / "unga-pdf").glob("A_RES_79_*.pdf"))
    assert pdfs
    r = extract.extract_file(pdfs[0])
    assert r.source_format == "pdf" and r.organ == "GA"
    assert r.symbol == pdfs[0].stem.replace("_", "/")
    assert r.session == "79" and r.adopted and r.adopted.startswith(("2024", "2025"))
