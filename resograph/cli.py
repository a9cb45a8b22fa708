"""The ``resograph`` command: the one place that wires the graph (``resograph.graph``) to the
service (``resograph.service``).

Each subcommand parses its arguments, opens what it needs (a store, a set of files) and calls
one function of the graph or service packages. Errors a user can fix are printed on stderr as
one line each, naming the file or parameter, with a non-zero exit status and no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from resograph import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1  # validation violations, unreadable inputs
EXIT_USAGE = 2


class CLIError(Exception):
    """An error worth one line on stderr, not a traceback."""


# --------------------------------------------------------------------------- store options


def _add_store_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("store (embedded by default; a SPARQL 1.1 engine with --store-url)")
    g.add_argument("--store", metavar="DIR", type=Path,
                   help="embedded Oxigraph store folder (default: $RESOGRAPH_STORE, else the "
                        "built-in default dataset in the user's data folder)")
    g.add_argument("--store-url", metavar="URL",
                   help="query endpoint of an existing SPARQL 1.1 engine ($RESOGRAPH_STORE_URL)")
    g.add_argument("--update-url", metavar="URL", help="SPARQL Update endpoint, if not derived")
    g.add_argument("--gsp-url", metavar="URL", help="Graph Store Protocol endpoint, if not derived")
    g.add_argument("--engine", choices=("oxigraph", "virtuoso", "fuseki", "generic"),
                   help="derive the endpoints from --store-url as this engine lays them out")


def open_store(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    """Open the store the arguments (or the environment) name; the default dataset otherwise."""
    from resograph.graph import store as store_mod

    url = getattr(args, "store_url", None) or os.environ.get("RESOGRAPH_STORE_URL")
    if url:
        from resograph.graph.remote_store import RemoteStore

        return RemoteStore.from_options(
            url,
            update_url=getattr(args, "update_url", None) or os.environ.get("RESOGRAPH_UPDATE_URL"),
            gsp_url=getattr(args, "gsp_url", None) or os.environ.get("RESOGRAPH_GSP_URL"),
            engine=getattr(args, "engine", None) or os.environ.get("RESOGRAPH_ENGINE"),
            read_only=read_only,
        )
    path = getattr(args, "store", None) or os.environ.get("RESOGRAPH_STORE")
    if path:
        return store_mod.OxigraphStore(Path(path), read_only=read_only)
    from resograph.graph import dataset

    return dataset.default_store(read_only=read_only)


# --------------------------------------------------------------------------- subcommands


def cmd_validate(args: argparse.Namespace) -> int:
    from resograph.graph import validate

    if args.files and (args.store or args.store_url):
        raise CLIError("give either FILE... or a store (--store/--store-url), not both")
    if args.files:
        report = validate.validate_files(args.files)
    else:
        if not (args.store or args.store_url or os.environ.get("RESOGRAPH_STORE")
                or os.environ.get("RESOGRAPH_STORE_URL")):
            raise CLIError("nothing to validate: give FILE... or --store DIR / --store-url URL")
        report = validate.validate_store(open_store(args, read_only=True))
    print(report.text(), end="")
    return EXIT_FINDINGS if not report.conforms else EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from resograph.graph import extract, rdf
    from resograph.graph.model import ParseError

    status = EXIT_OK
    for path in args.files:
        try:
            parsed = extract.extract_file(path, lang=args.lang)
        except ParseError as exc:
            print(f"resograph extract: {exc}", file=sys.stderr)
            status = EXIT_FINDINGS
            continue
        if args.format == "json":
            print(json.dumps(parsed.to_json(), ensure_ascii=False,
                             indent=None if len(args.files) > 1 else 2))
        else:
            sys.stdout.write(rdf.serialize(parsed, args.format))
        sys.stdout.flush()
    return status


def cmd_ingest(args: argparse.Namespace) -> int:
    from resograph.graph import ingest

    store = open_store(args)
    summary = ingest.ingest_paths(args.paths, store, allow_invalid=args.allow_invalid,
                                  progress=None if not args.quiet else False, bulk=args.bulk,
                                  workers=args.workers, optimize=not args.no_optimize)
    print(summary.text(), file=sys.stderr)
    return EXIT_FINDINGS if summary.failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    store = open_store(args, read_only=True)
    out = sys.stdout.buffer if args.output in (None, "-") else open(args.output, "wb")  # noqa: SIM115
    try:
        if args.format == "akn":
            from resograph.graph import akn_export

            if not args.symbol and not args.graph:
                raise CLIError("--format akn needs --symbol SYMBOL or --graph IRI")
            try:
                out.write(akn_export.export_akn(store, symbol=args.symbol, graph=args.graph,
                                                language=args.lang))
            except akn_export.ExportError as exc:
                raise CLIError(str(exc)) from exc
        else:
            store.export(out, args.format, graph=args.graph)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from resograph.service import api, create_app
    from resograph.service.config import Config

    store = open_store(args, read_only=not os.environ.get("RESOGRAPH_WRITE_TOKEN"))
    config = Config.from_env(base=args.base, query_timeout=args.query_timeout)
    app = create_app(store, config)
    runner = app.extensions.get("resograph.runner")
    if hasattr(runner, "start"):
        runner.start()  # query worker processes up before the first request
    api.warm_up(app)
    print(f"resograph {__version__}: serving on http://{args.host}:{args.port}/ "
          f"(SPARQL at /sparql, API at /api/, Ctrl-C to stop)", file=sys.stderr)
    app.run(host=args.host, port=args.port, threaded=True)
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    from resograph.graph import synth

    if args.resolutions < 1:
        raise CLIError("--resolutions must be at least 1")
    n = synth.write_corpus(args.out, resolutions=args.resolutions, seed=args.seed)
    print(f"wrote {n} resolutions to {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_dataset(args: argparse.Namespace) -> int:
    from resograph.graph import dataset

    corpus = args.corpus or dataset.default_corpus_dir()
    if corpus is None or not Path(corpus).is_dir():
        raise CLIError(f"corpus folder not found: {corpus} (give --corpus DIR)")
    out = args.output or dataset.DEFAULT_DATASET_PATH
    info = dataset.build_dataset(Path(corpus), Path(out))
    print(info, file=sys.stderr)
    return EXIT_OK


def wsgi() -> Any:
    """WSGI application for production servers: ``gunicorn 'resograph.cli:wsgi()'``.

    Configured from the environment only (``RESOGRAPH_STORE``, ``RESOGRAPH_STORE_URL``,
    ``RESOGRAPH_BASE``, ``RESOGRAPH_WRITE_TOKEN``, ...), see the README.
    """
    from resograph.service import api, create_app
    from resograph.service.config import Config

    ns = argparse.Namespace(store=None, store_url=None, update_url=None, gsp_url=None,
                            engine=None)
    store = open_store(ns, read_only=not os.environ.get("RESOGRAPH_WRITE_TOKEN"))
    app = create_app(store, Config.from_env())
    api.warm_up(app)
    return app


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="resograph",
        description="Linked data for UN resolutions: extract citations, build and validate an "
                    "RDF graph, publish it over SPARQL 1.1, JSON-LD and HTML.")
    parser.add_argument("--version", action="version", version=f"resograph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="SHACL-validate RDF files or a whole store",
                       description="Validate RDF files (Turtle, N-Triples, TriG, N-Quads, "
                                   "JSON-LD, RDF/XML) or a store against resograph's shapes. "
                                   "Exits 1 on violations.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    _add_store_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("extract", help="read resolution texts and print what they say",
                       description="Extract identity, paragraphs, citations and requests from "
                                   "resolution texts (.txt, .pdf, .docx, AKN4UN .xml).")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--lang", choices=("fr", "en", "es", "ru", "ar", "zh"),
                   help="language of the texts (detected when omitted)")
    p.add_argument("--format", choices=("json", "turtle", "jsonld"), default="json",
                   help="json: one object per file (JSON Lines for several); or RDF")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="extract, validate and load files or folders into a store",
                       description="Ingest texts, PDFs, docx, AKN4UN XML and JSON Lines "
                                   "(.jsonl from `resograph extract`/`synth`). One named graph "
                                   "per document; idempotent; atomic per document.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--allow-invalid", action="store_true",
                   help="write documents with SHACL violations too, marked as invalid")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--bulk", action="store_true",
                   help="first builds: stream new graphs into the embedded store's bulk loader, "
                        "one load per 8 GB of N-Quads (~2.5x faster writes, not atomic: graphs "
                        "are marked complete after each load, and the next run removes those "
                        "an interrupted run left unmarked; do not serve the store meanwhile)")
    p.add_argument("--no-optimize", action="store_true",
                   help="with --bulk: do not compact the store at the end (the compaction "
                        "makes reads 3-4x faster at 100,000 resolutions and takes ~5 minutes "
                        "there; without it, every read searches all the files the loads left)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes reading and checking documents (default: up to 2)")
    _add_store_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("export", help="dump the store (or one graph, or one resolution as AKN)")
    p.add_argument("--format", choices=("nquads", "trig", "turtle", "ntriples", "jsonld", "akn"),
                   default="nquads")
    p.add_argument("--graph", metavar="IRI", help="only this named graph")
    p.add_argument("--symbol", metavar="SYMBOL", help="with --format akn: the resolution")
    p.add_argument("--lang", default="en", help="with --format akn: the language version")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_store_options(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("serve", help="serve SPARQL 1.1, the JSON-LD API and HTML pages")
    p.add_argument("--host", default=os.environ.get("RESOGRAPH_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("RESOGRAPH_PORT", "8000")))
    p.add_argument("--base", metavar="IRI",
                   help="base IRI of the data the service dereferences (default: canonical)")
    p.add_argument("--query-timeout", type=float, metavar="SECONDS",
                   help="per-query time limit (default 10)")
    _add_store_options(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("synth", help="generate a UN-scale synthetic corpus (JSON Lines)")
    p.add_argument("out", type=Path, metavar="OUT")
    p.add_argument("--resolutions", type=int, default=10_000, metavar="N")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("dataset", help="rebuild the shipped default dataset from the corpus")
    p.add_argument("--corpus", type=Path, metavar="DIR",
                   help="the corpus folder (default: ../shared/corpus beside the project)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE")
    p.set_defaults(func=cmd_dataset)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"resograph {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"resograph {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        print(f"resograph {args.command}: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
