"""Hardening (issue 6): hard query time limit, row cap, no outbound requests, write tokens,
body limits. Real worker processes, a real HTTP server on loopback, real sockets."""

from __future__ import annotations

import http.server
import logging
import os
import socket
import threading
import time

import pytest
import requests
from service_data import LiveServer, build_store

from resograph.service.config import Config
from resograph.service.runner import (
    Forbidden,
    ProcessRunner,
    QueryRunner,
    check_outbound,
    count_rows,
    make_runner,
)

TOKEN = "s3cret-T0ken-for-tests-only"
JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server():
    srv = LiveServer(build_store(), query_timeout=3, max_rows=200, write_token=TOKEN)
    yield srv
    srv.app.extensions["resograph.runner"].close()
    srv.close()


def sparql(srv: LiveServer, query: str, accept: str = JSON, **kw) -> requests.Response:
    return requests.get(srv.url + "/sparql", params={"query": query},
                        headers={"Accept": accept}, timeout=60, **kw)


def wait_full(runner: ProcessRunner) -> None:
    deadline = time.monotonic() + 60
    while len(runner.worker_pids) < runner.size and time.monotonic() < deadline:
        time.sleep(0.1)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# --------------------------------------------------------------------------- time limit


def test_default_runner_is_the_process_pool(server):
    assert isinstance(server.app.extensions["resograph.runner"], ProcessRunner)
    assert Config().query_timeout == 10


def test_runaway_is_killed_while_others_are_served(server):
    runner = server.app.extensions["resograph.runner"]
    assert sparql(server, "ASK { ?s ?p ?o }").json()["boolean"] is True  # pool up
    wait_full(runner)
    before = set(runner.worker_pids)
    assert len(before) == runner.size
    outcome: dict[str, object] = {}

    def runaway() -> None:
        r = sparql(server, RUNAWAY)
        outcome["status"], outcome["text"], outcome["at"] = r.status_code, r.text, time.monotonic()

    t = threading.Thread(target=runaway)
    t.start()
    time.sleep(0.3)
    answered: list[float] = []
    for _ in range(5):
        r1 = requests.get(server.url + "/api/resolutions/A/HRC/RES/56/15", timeout=30)
        r2 = sparql(server, "SELECT ?w WHERE { ?w ?p ?o } LIMIT 1")
        assert r1.status_code == 200 and r2.status_code == 200
        answered.append(time.monotonic())
    t.join(60)
    assert outcome["status"] == 503
    assert "exceeded the 3 s time limit" in str(outcome["text"])
    # the simple requests were all answered while the runaway was still running
    assert max(answered) < outcome["at"]  # type: ignore[operator]
    killed = [pid for pid in before if _gone(pid)]
    assert len(killed) == 1, "the runaway's worker process was killed"
    # the pool is whole again and still answers
    assert sparql(server, "ASK { ?s ?p ?o }").status_code == 200
    wait_full(runner)
    assert len(runner.worker_pids) == runner.size


# --------------------------------------------------------------------------- row cap


@pytest.mark.parametrize("accept", [JSON, "application/sparql-results+xml", "text/csv",
                                    "text/tab-separated-values"])
def test_row_cap_every_format(server, accept):
    r = sparql(server, "SELECT * WHERE { ?s ?p ?o }", accept)
    assert r.status_code == 413
    assert "more than the limit of 200" in r.text
    ok = sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 200", accept)
    assert ok.status_code == 200


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples"])
def test_triple_cap_for_construct(server, accept):
    r = sparql(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept)
    assert r.status_code == 413 and "triples" in r.text
    ok = sparql(server, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5", accept)
    assert ok.status_code == 200


def test_count_rows_exact_beyond_the_cheap_bound():
    store = build_store().oxigraph
    import pyoxigraph as ox

    q = "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 300"
    for fmt, mt in [(ox.QueryResultsFormat.JSON, JSON),
                    (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
                    (ox.QueryResultsFormat.CSV, "text/csv"),
                    (ox.QueryResultsFormat.TSV, "text/tab-separated-values")]:
        body = store.query(q, use_default_graph_as_union=True).serialize(format=fmt)
        assert count_rows(body, mt, 10) == 300, mt


# --------------------------------------------------------------------------- writes


def test_writes_are_visible_to_later_queries(server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    q = "SELECT ?o WHERE { <http://example.org/w1> ?p ?o }"
    assert sparql(server, q).json()["results"]["bindings"] == []
    r = requests.post(server.url + "/update", headers=auth, timeout=30, data={
        "update": 'INSERT DATA { GRAPH <http://example.org/g1> { <http://example.org/w1> '
                  '<http://example.org/p> "one" } }'})
    assert r.status_code == 204
    assert [b["o"]["value"] for b in sparql(server, q).json()["results"]["bindings"]] == ["one"]
    r = requests.put(server.url + "/store", params={"graph": "http://example.org/g1"},
                     headers={**auth, "Content-Type": "text/turtle"}, timeout=30,
                     data='<http://example.org/w1> <http://example.org/p> "two" .')
    assert r.status_code == 204
    assert [b["o"]["value"] for b in sparql(server, q).json()["results"]["bindings"]] == ["two"]
    r = requests.delete(server.url + "/store", params={"graph": "http://example.org/g1"},
                        headers=auth, timeout=30)
    assert r.status_code == 204
    assert sparql(server, q).json()["results"]["bindings"] == []


def test_tokens(server, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    body = {"update": "INSERT DATA { GRAPH <http://example.org/t> { <http://example.org/a> "
                      "<http://example.org/b> <http://example.org/c> } }"}
    assert requests.post(server.url + "/update", data=body, timeout=30).status_code == 401
    wrong = requests.post(server.url + "/update", data=body, timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}x"})
    assert wrong.status_code == 403
    assert requests.post(server.url + "/update", data=body, timeout=30,
                         headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204
    assert requests.get(server.url + "/store", params={"graph": "http://example.org/t"},
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).ok
    assert requests.delete(server.url + "/store", params={"graph": "http://example.org/t"},
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30).ok
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "/update" in logged or "/store" in logged or caplog.records  # something was logged
    assert TOKEN not in logged and TOKEN[:12] not in logged


def test_writes_closed_without_configured_token():
    srv = LiveServer(build_store())
    try:
        r = requests.post(srv.url + "/update", data={"update": "CLEAR ALL"}, timeout=30,
                          headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403
        assert requests.post(srv.url + "/update", data={"update": "CLEAR ALL"},
                             timeout=30).status_code == 401
    finally:
        srv.close()


# --------------------------------------------------------------------------- body limits


def test_body_limits_every_endpoint():
    srv = LiveServer(build_store(), max_body=2000, write_token=TOKEN)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = "x" * 5000
    try:
        cases = [
            ("post", "/sparql", {"data": {"query": "ASK {} #" + big}}),
            ("post", "/sparql", {"data": "ASK {} #" + big,
                                 "headers": {"Content-Type": "application/sparql-query"}}),
            ("post", "/update", {"data": {"update": "CLEAR SILENT GRAPH <urn:x> #" + big},
                                 "headers": auth}),
            ("post", "/update", {"data": "CLEAR SILENT GRAPH <urn:x> #" + big,
                                 "headers": {**auth, "Content-Type":
                                             "application/sparql-update"}}),
            ("put", "/store?graph=urn:x:g", {"data": "# " + big, "headers": {
                **auth, "Content-Type": "text/turtle"}}),
            ("post", "/store?graph=urn:x:g", {"data": "# " + big, "headers": {
                **auth, "Content-Type": "text/turtle"}}),
            # chunked: no Content-Length, the limit must hold while reading
            ("put", "/store?graph=urn:x:g", {"data": iter([b"# ", big.encode()]), "headers": {
                **auth, "Content-Type": "text/turtle"}}),
        ]
        for method, path, kw in cases:
            r = getattr(requests, method)(srv.url + path, timeout=30, **kw)
            assert r.status_code == 413, (method, path, r.status_code, r.text[:200])
        assert "urn:x:g" not in srv.store.named_graphs()
        small = iter([b"<http://example.org/a> ",
                      b"<http://example.org/b> <http://example.org/c> ."])
        r = requests.put(srv.url + "/store?graph=urn:x:g", data=small, timeout=30,
                         headers={**auth, "Content-Type": "text/turtle"})
        assert r.status_code == 201 and len(srv.store.graph_quads("urn:x:g")) == 1
    finally:
        srv.close()


# --------------------------------------------------------------------------- outbound


class Listener:
    """A TCP socket on 127.0.0.1 that records every connection it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(1)
            try:
                self.hits.append(conn.recv(200))
            except OSError:
                self.hits.append(b"")
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(5)
        self.sock.close()


def outbound_variants(port: int) -> list[str]:
    t = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{t}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{t}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # hidden?\rSERVICE <{t}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE#c\n<{t}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <http://127.0.0.1:{port}/> "
        "SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{t}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?x ?y "a\\"" SERVICE <{t}> {{ ?s ?p ?o }} }}',
    ]


def test_service_and_load_refused_and_no_connection(server):
    lis = Listener()
    try:
        for q in outbound_variants(lis.port):
            r = sparql(server, q)
            assert r.status_code in (400, 403), (q, r.status_code, r.text)
            assert r.status_code == 403 or "SERVICE" not in q.upper()
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for u in [f"LOAD <http://127.0.0.1:{lis.port}/data.ttl>",
                  f"load silent <http://127.0.0.1:{lis.port}/d> INTO GRAPH <urn:g>",
                  f"# x\rLOAD <http://127.0.0.1:{lis.port}/d>"]:
            r = requests.post(server.url + "/update", data={"update": u}, headers=auth,
                              timeout=30)
            assert r.status_code == 403, (u, r.text)
        time.sleep(0.5)
        assert lis.hits == []
    finally:
        lis.close()


def test_check_outbound_is_conservative():
    ok = ("example.org",)
    check_outbound("SELECT ?service ?load WHERE { ?service <http://x/p> ?load }", ok)
    check_outbound('SELECT * WHERE { ?s ?p "SERVICE <http://evil/>" }', ok)
    check_outbound("SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }", ok)
    for q in ["SELECT * WHERE { SERVICE <http://evil.example/> {} }",
              "SELECT * WHERE { SERVICE <http://example.org@evil.example/> {} }",
              "SELECT * WHERE { SERVICE <file:///etc/passwd> {} }",
              "SELECT * WHERE { SERVICE <http://example.org.evil.example/> {} }"]:
        with pytest.raises(Forbidden):
            check_outbound(q, ok)


class _FakeEndpoint(http.server.BaseHTTPRequestHandler):
    hits = 0

    def _answer(self) -> None:
        type(self).hits += 1
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        body = (b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal",'
                b'"value":"from-remote"}}]}}')
        self.send_response(200)
        self.send_header("Content-Type", JSON)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


def test_service_allowed_host_works():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakeEndpoint)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    srv = LiveServer(build_store(), allow_service_hosts=("127.0.0.1",))
    try:
        q = (f"SELECT ?x WHERE {{ SERVICE <http://127.0.0.1:{httpd.server_port}/sparql> "
             "{ ?s ?p ?x } }")
        r = sparql(srv, q)
        assert r.status_code == 200, r.text
        assert [b["x"]["value"] for b in r.json()["results"]["bindings"]] == ["from-remote"]
        assert _FakeEndpoint.hits >= 1
    finally:
        srv.app.extensions["resograph.runner"].close()
        srv.close()
        httpd.shutdown()


# --------------------------------------------------------------------------- runners


def test_make_runner_choices():
    store = build_store()
    assert isinstance(make_runner(store, Config(query_workers=-1)), QueryRunner)
    assert not isinstance(make_runner(store, Config(query_workers=-1)), ProcessRunner)
    r = make_runner(store, Config())
    assert isinstance(r, ProcessRunner)
    r.close()


def test_on_disk_store_workers_open_read_only(tmp_path):
    from resograph.graph.store import OxigraphStore

    mem = build_store()
    disk = OxigraphStore(tmp_path / "s")
    disk.oxigraph.bulk_load(mem.oxigraph.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS),
                            format=__import__("pyoxigraph").RdfFormat.N_QUADS)
    runner = ProcessRunner(disk, Config(query_timeout=3, max_rows=10**6), workers=1)
    try:
        n = runner.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON)
        assert b'"value":"%d"' % len(mem) in n.body
        disk.update("INSERT DATA { GRAPH <urn:g:new> { <urn:a> <urn:b> <urn:c> } }")
        runner.invalidate()
        r = runner.run("ASK { GRAPH <urn:g:new> { <urn:a> ?p ?o } }", JSON)
        assert b"true" in r.body
        with pytest.raises(Exception, match="exceeded the 3 s time limit"):
            runner.run(RUNAWAY, JSON)
    finally:
        runner.close()
        disk.close()


def test_config_knobs_from_environment():
    cfg = Config.from_env(environ={"RESOGRAPH_QUERY_TIMEOUT": "2.5",
                                   "RESOGRAPH_QUERY_WORKERS": "-1",
                                   "RESOGRAPH_QUEUE_TIMEOUT": "5",
                                   "RESOGRAPH_MAX_RESULT_BYTES": "1000",
                                   "RESOGRAPH_ALLOW_SERVICE_HOSTS": "a.example, b.example"})
    assert (cfg.query_timeout, cfg.query_workers, cfg.queue_timeout, cfg.max_result_bytes) == \
        (2.5, -1, 5.0, 1000)
    assert cfg.allow_service_hosts == ("a.example", "b.example")
    from resograph.service.config import ConfigError

    with pytest.raises(ConfigError, match="RESOGRAPH_QUERY_WORKERS"):
        Config.from_env(environ={"RESOGRAPH_QUERY_WORKERS": "many"})
    with pytest.raises(ConfigError, match="queue_timeout"):
        Config.from_env(environ={"RESOGRAPH_QUEUE_TIMEOUT": "-1"})


def test_result_size_cap_in_worker():
    """A result over max_result_bytes is refused (the worker's memory stays bounded)."""
    runner = ProcessRunner(build_store(), Config(max_result_bytes=5000, max_rows=10**6),
                           workers=1)
    try:
        with pytest.raises(Exception, match="bytes of serialised results"):
            runner.run("SELECT * WHERE { ?s ?p ?o }", JSON)
        assert runner.run("SELECT * WHERE { ?s ?p ?o } LIMIT 3", JSON).body
    finally:
        runner.close()
