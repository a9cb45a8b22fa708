"""The default dataset shipped with resograph, and the embedded store made from it.

``graph/data/default-dataset.nq.gz`` is built from ../shared/corpus by one command::

    resograph dataset            # or: resograph dataset --corpus DIR -o FILE

It holds facts only: every document of ``hrc-fr/``, ``unsc-en/``, ``unga-akn/`` and
``unsc-akn/`` (all six languages) run through the normal ingest pipeline (parse, RDF, SHACL
validation, links, cited-only markers) with paragraph and footnote text removed (structure,
verbs, citations, requests, titles, votes, subjects and provenance stay). The output is
reproducible byte for byte: a fixed provenance time, source files named relative to the
corpus, sorted N-Quads, gzip without a timestamp; ``tests/test_dataset.py`` rebuilds it and
compares. The ontology and shared graphs are not in the file: they ship as Turtle in the
package and are written into every store by :func:`resograph.graph.ingest.ensure_shared`.

With no store configured, :func:`default_store` opens an embedded store in the user's data
folder, initialised from the shipped file on first use and again whenever that file changes.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from resograph import __version__
from resograph.graph import ingest, vocab
from resograph.graph.store import OxigraphStore, StoreError

DEFAULT_DATASET_PATH = Path(__file__).resolve().parent / "data" / "default-dataset.nq.gz"
#: Corpus folders the default dataset is built from.
DATASET_PARTS = ("hrc-fr", "unsc-en", "unga-akn", "unsc-akn")
#: Provenance time of every document graph of the default dataset (reproducible output).
DATASET_TIME = "2026-01-01T00:00:00Z"
#: Extractor version recorded in the dataset: differs from a plain ingest, so ingesting the
#: corpus texts into the default store replaces the facts-only graphs with full ones.
DATASET_EXTRACTOR_VERSION = f"{__version__}+facts-only"

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dir() -> Path | None:
    """``$RESOGRAPH_CORPUS``, else ``../shared/corpus`` beside the project; None if absent."""
    env = os.environ.get("RESOGRAPH_CORPUS")
    candidate = Path(env) if env else _PROJECT_ROOT.parent / "shared" / "corpus"
    return candidate if candidate.is_dir() else None


def dataset_nquads(corpus: Path, *, workers: int | None = None,
                   progress: bool | None = None) -> tuple[bytes, ingest.Summary]:
    """Sorted N-Quads of the default dataset built from ``corpus`` (and the ingest summary)."""
    parts = [corpus / p for p in DATASET_PARTS if (corpus / p).is_dir()]
    if not parts:
        raise FileNotFoundError(f"{corpus}: none of {', '.join(DATASET_PARTS)} found")
    store = OxigraphStore(None)
    opts = ingest.Options(ingested_at=DATASET_TIME, strip_text=True, root=str(corpus),
                          extractor_version=DATASET_EXTRACTOR_VERSION)
    summary = ingest.ingest_paths(parts, store, options=opts, workers=workers,
                                  progress=progress)
    # the store's own N-Quads writer, then line operations: no Python object per quad
    skip = tuple(f" {ox.NamedNode(g)} .".encode() for g in (vocab.GRAPH_ONTOLOGY,
                                                             vocab.GRAPH_SHARED))
    lines = {line for line in store.oxigraph.dump(format=ox.RdfFormat.N_QUADS).split(b"\n")
             if line and not line.endswith(skip)}
    for line in lines:
        if b"_:" in line and any(isinstance(t, ox.BlankNode) for q in ox.parse(
                line, format=ox.RdfFormat.N_QUADS) for t in (q.subject, q.object)):
            raise StoreError("the dataset would hold blank nodes: its output would not be "
                             "reproducible")
    # byte order is code point order in UTF-8: the same order as sorting the decoded lines
    return b"\n".join(sorted(lines)) + b"\n", summary


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and no timestamp: the same input gives the same bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buf.getvalue()


def build_dataset(corpus: Path, out: Path, *, workers: int | None = None,
                  progress: bool | None = None) -> str:
    """Build the default dataset from ``corpus`` into ``out``; returns a one-paragraph summary."""
    data, summary = dataset_nquads(corpus, workers=workers, progress=progress)
    blob = gzip_bytes(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(blob)
    tmp.replace(out)
    n_quads = data.count(b"\n")
    return (f"wrote {out}: {n_quads} quads, {len(blob) / 1e6:.1f} MB gzipped, "
            f"{summary.documents} documents, {summary.citations} citations, "
            f"{summary.cited_only} cited-only works, {summary.warnings} warnings, "
            f"{len(summary.failed)} failed, {summary.seconds:.1f} s")


# --------------------------------------------------------------------------- default store


def default_home() -> Path:
    """``$RESOGRAPH_HOME``, else ``$XDG_DATA_HOME/resograph/default`` (~/.local/share/...)."""
    env = os.environ.get("RESOGRAPH_HOME")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "resograph" / "default"


def _dataset_stamp(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_file():
        h.update(path.read_bytes())
    h.update(__version__.encode())
    return h.hexdigest()


def init_store_from_dataset(folder: Path, dataset: Path = DEFAULT_DATASET_PATH) -> None:
    """(Re)create an embedded store at ``folder`` holding ``dataset`` and the shared graphs.

    Built beside the target and renamed into place, so a crash never leaves a half store.
    """
    tmp = folder.with_name(folder.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    store = OxigraphStore(tmp)
    if dataset.is_file():
        with gzip.open(dataset, "rb") as fh:
            store.oxigraph.bulk_load(fh, format=ox.RdfFormat.N_QUADS)
    ingest.ensure_shared(store)
    store.close()
    del store
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def default_store(read_only: bool = False, *, dataset: Path = DEFAULT_DATASET_PATH
                  ) -> OxigraphStore:
    """The embedded store used when none is configured (see the module docstring)."""
    home = default_home()
    home.mkdir(parents=True, exist_ok=True)
    folder = home / "store"
    stamp_file = home / "dataset.sha256"
    want = _dataset_stamp(dataset)
    with open(home / ".lock", "w") as lock:  # one initialiser at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            have = stamp_file.read_text().strip() if stamp_file.is_file() else None
            if have != want or not folder.is_dir():
                init_store_from_dataset(folder, dataset)
                stamp_file.write_text(want + "\n")
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(lock, fcntl.LOCK_UN)
    return OxigraphStore(folder, read_only=read_only)
