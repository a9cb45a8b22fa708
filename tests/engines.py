"""Start real SPARQL engines for the tests: Oxigraph server and OpenLink Virtuoso.

Each engine runs as a child process on the loopback interface, on free ports, over a database
in a temporary folder, and is stopped (by its own process id) at teardown. Nothing here touches
a system-wide engine or its configuration.

Why real engines and not mocks: the remote store's value lies in what engines actually accept
(VALUES syntax, result formats, Graph Store Protocol quirks, transaction behaviour); only the
real thing can tell. When an engine binary is missing, :func:`conftest.require` skips the tests
on a fresh clone and fails them in CI (``RESOGRAPH_REQUIRE_ALL=1``).

Binaries:

* Oxigraph server: ``oxigraph`` from the PyPI package of the same name, installed in the venv
  beside the running Python (``.venv/bin/oxigraph``), else on ``PATH``.
* Virtuoso: ``virtuoso-t`` and ``isql-vt`` from Debian's ``virtuoso-opensource`` package
  (``.ci/engines.sh`` installs it), else ``$RESOGRAPH_VIRTUOSO`` / ``$RESOGRAPH_ISQL``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from conftest import require

#: How long an engine may take to start (Virtuoso creates its database on first start).
START_TIMEOUT = 90.0


@dataclass
class Engine:
    """A running engine: how to reach it, and how to stop it."""

    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    workdir: Path
    log: Path
    extra: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the engine we started (its process group, by id), politely then firmly."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def free_port() -> int:
    """A TCP port that is free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` CLI of the venv running the tests (or on PATH)."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("oxigraph")


def virtuoso_binaries() -> tuple[str | None, str | None]:
    """``virtuoso-t`` and ``isql-vt`` (Debian names), or the ones the environment names."""
    server = os.environ.get("RESOGRAPH_VIRTUOSO") or shutil.which("virtuoso-t")
    isql = os.environ.get("RESOGRAPH_ISQL") or shutil.which("isql-vt") or shutil.which("isql")
    return server, isql


def _wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, what: str,
               ok: tuple[int, ...] = (200,)) -> None:
    """Poll ``url`` until it answers with one of ``ok`` statuses (or the process dies)."""
    deadline = time.monotonic() + START_TIMEOUT
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise RuntimeError(f"{what} exited with status {proc.returncode}:\n{tail}")
        try:
            r = requests.get(url, timeout=2)
            if r.status_code in ok:
                return
            last = f"HTTP {r.status_code}"
        except requests.RequestException as exc:
            last = str(exc)
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {START_TIMEOUT:.0f} s at {url}: {last}")


def start_oxigraph(workdir: Path) -> Engine:
    """``oxigraph serve`` over a fresh on-disk database, default graph = union of named graphs."""
    binary = oxigraph_binary()
    require(binary is not None, "Oxigraph server not found: `pip install oxigraph` in the venv")
    assert binary is not None
    port = free_port()
    db = workdir / "oxigraph-db"
    log = workdir / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(db), "--bind", f"127.0.0.1:{port}",
             "--union-default-graph"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    engine = Engine("oxigraph", base, proc, workdir, log)
    try:
        _wait_http(f"{base}/query?query=ASK%7B%7D", proc, log, "oxigraph serve")
    except Exception:
        engine.stop()
        raise
    return engine


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., {d}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxQueryMem              = 1G
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
NumberOfBuffers          = 170000
MaxDirtyBuffers          = 130000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {d}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
DeferInferenceRulesInit    = 0
"""

#: SQL run through isql once the server is up: let the anonymous ``SPARQL`` account (used by
#: ``/sparql`` and ``/sparql-graph-crud``) update the store — on loopback, for tests only; in
#: production use the authenticated endpoints (docs/deploy.md).
VIRTUOSO_SETUP_SQL = """\
GRANT SPARQL_UPDATE TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";
GRANT EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT TO "SPARQL";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
DB.DBA.USER_CREATE ('resograph', 'resograph-test-pw');
GRANT SPARQL_UPDATE TO "resograph";
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('resograph', 7);
checkpoint;
"""


def isql(isql_bin: str, sql_port: int, sql: str, *, password: str = "dba") -> str:
    """Run SQL statements through Virtuoso's isql, failing on any error it reports."""
    res = subprocess.run([isql_bin, f"127.0.0.1:{sql_port}", "dba", password],
                         input=sql.encode(), capture_output=True, timeout=60, check=False)
    out = res.stdout.decode(errors="replace") + res.stderr.decode(errors="replace")
    if res.returncode != 0 or "*** Error" in out:
        raise RuntimeError(f"isql failed ({res.returncode}):\n{out}")
    return out


def start_virtuoso(workdir: Path) -> Engine:
    """``virtuoso-t`` in the foreground with a fresh database and an ini written here."""
    server, isql_bin = virtuoso_binaries()
    require(server is not None and isql_bin is not None and Path(server).exists()
            and Path(isql_bin).exists(),
            "Virtuoso not found: `apt-get install virtuoso-opensource` (see .ci/engines.sh)")
    assert server is not None and isql_bin is not None
    d = workdir / "virtuoso"
    (d / "vsp").mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = d / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=d, sql_port=sql_port, http_port=http_port))
    log = d / "stdout.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([server, "-f", "-c", str(ini)], cwd=d, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    base = f"http://127.0.0.1:{http_port}"
    engine = Engine("virtuoso", base, proc, workdir, d / "virtuoso.log",
                    {"sql_port": str(sql_port), "user": "resograph",
                     "password": "resograph-test-pw"})
    try:
        _wait_http(f"{base}/sparql?query=ASK%7B%7D", proc, log, "virtuoso-t")
        isql(isql_bin, sql_port, VIRTUOSO_SETUP_SQL)
    except Exception:
        engine.stop()
        raise
    return engine


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An Oxigraph server for the whole test session (tests use distinct graph IRIs)."""
    engine = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A Virtuoso server for the whole test session (tests use distinct graph IRIs)."""
    engine = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield engine
    engine.stop()
