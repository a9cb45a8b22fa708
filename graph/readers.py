"""Read resolution files (.txt, .pdf, .docx) to plain text.

UN documents come as PDFs with a text layer, Word files and plain text in whatever encoding the
converter chose. Each reader returns the text and raises :class:`~.model.ParseError` (naming
the file) for anything it cannot read: unreadable, empty, encrypted or corrupt input. No other
exception escapes, so callers can process many files and report the bad ones.
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from pathlib import Path

from resograph.graph.model import ParseError

FORMATS = {".txt": "text", ".text": "text", ".pdf": "pdf", ".docx": "docx"}


def source_format(path: str | Path) -> str:
    """``text``, ``pdf`` or ``docx`` for a readable suffix; ParseError otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ParseError(f"unsupported file type {suffix or '(none)'!r} "
                         f"(expected .txt, .pdf, .docx or .xml)", source=str(path))
    return FORMATS[suffix]


def decode_text(data: bytes, *, source: str | None = None) -> str:
    """Bytes of a text file to str: UTF-8 (with or without BOM), UTF-16 by BOM, else cp1252.

    cp1252 is the fallback because UN texts that are not UTF-8 were saved by Windows tools;
    bytes cp1252 leaves undefined are read as Latin-1 so that decoding never fails.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        if text.count("\x00") > len(text) // 10:
            raise ParseError("binary data, not text", source=source)
        text = text.replace("\x00", "")
    return text


def _check(text: str, source: str) -> str:
    if not text or not text.strip():
        raise ParseError("no text in file (empty, or a scanned image without text layer)",
                         source=source)
    return text


def read_txt(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    return _check(decode_text(data, source=str(path)), str(path))


def read_pdf(path: Path, pages: int | None = None) -> str:
    """Text layer of a PDF, pages separated by form feeds (as PDF libraries give it).

    ``pages``: only the first ones (ingest reads a document's identity from its first page
    before paying for the rest: pypdf takes ~0.1 s a page, the extractor milliseconds)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ParseError(f"pypdf is not installed: {exc}", source=str(path)) from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except Exception:
                    ok = 0
                if not ok:
                    raise ParseError("encrypted PDF (password needed)", source=str(path))
            chosen = reader.pages if pages is None else reader.pages[:pages]
            texts = [page.extract_text() or "" for page in chosen]
    except ParseError:
        raise
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    except (PyPdfError, Exception) as exc:
        raise ParseError(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})",
                         source=str(path)) from None
    return _check("\n\f".join(texts), str(path))


def read_docx(path: Path) -> str:
    """Paragraph text of a Word file (body, then tables), one paragraph per line pair."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ParseError(f"python-docx is not installed: {exc}", source=str(path)) from None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"cannot read: {exc.strerror or exc}", source=str(path)) from None
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseError("not a .docx file (no zip container)", source=str(path))
    try:
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" ".join(cell.text for cell in row.cells))
    except Exception as exc:
        raise ParseError(f"corrupt or unreadable .docx ({type(exc).__name__}: {exc})",
                         source=str(path)) from None
    return _check("\n\n".join(parts), str(path))


def read_text(path: str | Path) -> str:
    """Plain text of a .txt, .pdf or .docx file; ParseError for anything unreadable."""
    p = Path(path)
    fmt = source_format(p)
    if not p.is_file():
        raise ParseError("no such file", source=str(p))
    if fmt == "pdf":
        return read_pdf(p)
    if fmt == "docx":
        return read_docx(p)
    return read_txt(p)
