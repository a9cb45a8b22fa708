"""HTTP: SPARQL 1.1 Protocol, the JSON-LD API and HTML pages, as a Flask application factory.

The service reads a store handed to it by :func:`create_app`; it imports
:mod:`resograph.graph` (vocabulary, store interface), never the reverse.

Production: ``RESOGRAPH_STORE=DIR gunicorn -w 2 'resograph.cli:wsgi()'`` (read-only: any number
of workers share the folder). With ``RESOGRAPH_WRITE_TOKEN`` set the store opens read-write, and
RocksDB admits one writer process: use ``gunicorn -w 1 -k gthread --threads 8 ...``.
Blueprints: :mod:`.sparql` (/sparql, /update, /store), :mod:`.api` (/api/...), :mod:`.pages`
(HTML and dereferencing of every IRI under the configured base).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, Response, request

from .config import Config

if TYPE_CHECKING:
    from resograph.graph.store import Store

    from .runner import QueryRunner

__all__ = ["Config", "create_app"]


def create_app(store: Store, config: Config | None = None, *,
               runner: QueryRunner | None = None) -> Flask:
    """The WSGI application serving ``store``.

    ``runner`` executes user-written SPARQL (default: :class:`.runner.QueryRunner`, in
    process); the hardening work passes one that runs queries in killable workers.
    """
    from . import api, i18n, pages, sparql
    from .runner import make_runner

    config = config or Config.from_env()
    config.check()
    app = Flask(__name__)
    app.config["RESOGRAPH"] = config
    app.config["MAX_CONTENT_LENGTH"] = config.max_body
    app.config["JSON_SORT_KEYS"] = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["resograph.store"] = store
    app.extensions["resograph.runner"] = runner or make_runner(store, config)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    i18n.install(app)  # interface language: template helpers, Content-Language, Vary

    @app.errorhandler(404)
    def _api_404(exc: Exception) -> Response:
        # a path no /api/ route matches (e.g. a symbol holding a newline) still answers in
        # the API's JSON error shape, as the OpenAPI document says
        if request.path.startswith("/api/"):
            import json

            body = {"error": {"status": 404, "message": f"no such API path {request.path!r}"}}
            return Response(json.dumps(body), status=404, mimetype="application/json")
        return exc  # type: ignore[return-value]

    @app.after_request
    def _cors(resp: Response) -> Response:
        # reads are public data: any origin may fetch them; writes stay same-origin
        if request.method in ("GET", "HEAD", "OPTIONS") or request.path == "/sparql":
            resp.headers.setdefault("Access-Control-Allow-Origin", "*")
            resp.headers.setdefault("Access-Control-Expose-Headers", "ETag, Link, Vary")
            if request.method == "OPTIONS":
                resp.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
                resp.headers["Access-Control-Allow-Headers"] = (
                    "Accept, Accept-Language, Content-Type")
        return resp

    return app
