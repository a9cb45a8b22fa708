"""Apache Jena's SPARQL client (ARQ's ``rsparql``, Debian's ``libapache-jena-java``) against
/sparql: SELECT in JSON, XML and TSV, ASK, and CONSTRUCT, compared with the store's answers.

Jena parses the query itself, sends it by HTTP GET with its own Accept headers, and parses
the answer with its own readers: what a Java application using Jena does.

Debian's build of Jena 4.5 moved the XML Schema classes Jena carries (a copy of Xerces) to
another package than their message files, so Jena fails while starting ("internal error" in
``XSSimpleTypeDecl.applyFacets1``); the fixture puts a copy of those message files where the
moved classes look for them (the files come from the same jar; nothing else is changed).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import require
from service_data import LiveServer

JENA_CORE = Path("/usr/share/java/jena-core.jar")
MOVED = "org/apache/jena/ext/xerces/"
PREFIX = "PREFIX rg: <https://w3id.org/resograph/ontology#>\n"


def _java_packages(root: str) -> list[str]:
    """``root`` and the Java library packages it depends on, transitively."""
    seen: list[str] = []
    todo = [root]
    while todo:
        pkg = todo.pop()
        if pkg in seen:
            continue
        seen.append(pkg)
        out = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", pkg], capture_output=True,
                             text=True).stdout
        for dep in out.split(","):
            name = dep.split("|")[0].split("(")[0].strip()
            if name.endswith("-java"):
                todo.append(name)
    return seen


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    java = shutil.which("java")
    require(java is not None, "java not found (apt-get install default-jre-headless)")
    require(JENA_CORE.exists(), f"{JENA_CORE} not found (apt-get install libapache-jena-java)")
    jars: list[str] = []
    for pkg in _java_packages("libapache-jena-java"):
        listing = subprocess.run(["dpkg", "-L", pkg], capture_output=True, text=True).stdout
        jars += [p for p in listing.split() if p.startswith("/usr/share/java/")
                 and p.endswith(".jar")]
    # one logging set-up only: slf4j's API without a binding (Jena then logs nothing)
    jars = sorted({j for j in jars if "log4j" not in j and not any(
        b in Path(j).name for b in ("slf4j-simple", "slf4j-jdk", "slf4j-nop", "jcl-over",
                                    "jul-to", "slf4j-ext", "slf4j-migrator"))})
    fix = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(JENA_CORE) as jar:
        names = jar.namelist()
        if "xerces/impl/dv/SchemaDVFactory.class" in names:  # Debian's moved classes
            for name in names:
                if name.startswith(MOVED) and not name.endswith("/"):
                    target = fix / "xerces" / name[len(MOVED):]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(jar.read(name))
    return ":".join([str(fix), *jars])


def rsparql(classpath: str, server: LiveServer, tmp_path: Path, query: str,
            results: str) -> str:
    """What Jena's ``rsparql`` prints for ``query`` sent to /sparql."""
    file = tmp_path / "query.rq"
    file.write_text(query, encoding="utf-8")
    proc = subprocess.run(["java", "-cp", classpath, "arq.rsparql", "--service",
                           server.url + "/sparql", "--file", str(file), f"--results={results}"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


SELECT = PREFIX + ("SELECT DISTINCT ?w ?symbol WHERE { ?w rg:symbol ?symbol ; "
                   "rg:hasLanguageVersion ?e } ORDER BY ?symbol LIMIT 10")


def test_select_json_and_tsv(classpath, server, tmp_path) -> None:
    expected = [(r["w"].value, r["symbol"].value) for r in server.store.select(SELECT)]
    assert len(expected) >= 3
    doc = json.loads(rsparql(classpath, server, tmp_path, SELECT, "JSON"))
    assert doc["head"]["vars"] == ["w", "symbol"]
    assert [(b["w"]["value"], b["symbol"]["value"]) for b in doc["results"]["bindings"]] \
        == expected
    tsv = rsparql(classpath, server, tmp_path, SELECT, "TSV").splitlines()
    assert tsv[0] == "?w\t?symbol"
    assert tsv[1:] == [f'<{w}>\t"{s}"' for w, s in expected]


def test_select_xml(classpath, server, tmp_path) -> None:
    xml = rsparql(classpath, server, tmp_path, SELECT, "XML")
    for _, symbol in [(r["w"].value, r["symbol"].value) for r in server.store.select(SELECT)]:
        assert f"<literal>{symbol}</literal>" in xml


def test_ask_and_construct(classpath, server, tmp_path) -> None:
    assert "Ask => Yes" in rsparql(classpath, server, tmp_path,
                                   PREFIX + "ASK { ?w rg:symbol ?s }", "text")
    assert "Ask => No" in rsparql(classpath, server, tmp_path,
                                  PREFIX + 'ASK { ?w rg:symbol "no such symbol" }', "text")
    construct = PREFIX + ("CONSTRUCT { ?w rg:symbol ?s } WHERE { { SELECT DISTINCT ?w ?s "
                          "WHERE { ?w rg:symbol ?s ; rg:hasLanguageVersion ?e } ORDER BY ?s "
                          "LIMIT 5 } }")
    expected = sorted(f"{t} ." for t in server.store.construct(construct))
    assert len(expected) >= 3
    assert sorted(rsparql(classpath, server, tmp_path, construct, "NT").splitlines()) \
        == expected
