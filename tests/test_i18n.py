"""The interface in the six UN languages (issue 10, "Also"; issue 5's pages and API labels).

Pages and API answers through Flask's test client on the hand-made service dataset: the
language chosen by ``?lang=`` (wins) or ``Accept-Language`` (quality values), English for the
rest; ``<html lang dir>``, ``Content-Language`` and ``Vary``; links keeping ``?lang=``; labels
of organs, verb meanings, instruments and member states in the language asked, English where
the graph has none; the message files complete in every language.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from rdflib.compare import isomorphic
from service_data import HRC, SC_A

from resograph.service import i18n

MESSAGES = Path(i18n.__file__).resolve().parent / "messages"
TEMPLATES = Path(i18n.__file__).resolve().parent / "templates"
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JLD = {"Accept": "application/ld+json"}
TTL = {"Accept": "text/turtle"}
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SC_PATH = "/doc/" + SC_A.replace(" ", "")  # the canonical IRI's path: no redirect
PAGES = ["/", "/search?q=iraq", "/doc/" + HRC, SC_PATH, "/organ/GA",
         "/session/HRC/59", "/sparql", "/ontology", "/.well-known/void", "/verb/recalling",
         "/state/CUB", "/instrument/udhr", "/no/such/thing"]


def load(language: str) -> dict[str, str]:
    return json.loads((MESSAGES / f"{language}.json").read_text(encoding="utf-8"))


def labels(app: Flask, iri: str, predicate: str = RDFS_LABEL) -> dict[str, str]:
    """A resource's labels by language, read from the test store (the shared graphs)."""
    store = app.extensions["resograph.store"]
    rows = store.select(f"SELECT DISTINCT ?l WHERE {{ <{iri}> <{predicate}> ?l }}")
    return {r["l"].language: r["l"].value for r in rows if r["l"].language}


def label(app: Flask, iri: str, language: str, predicate: str = RDFS_LABEL) -> str:
    """A resource's label in one language (which the test store must have)."""
    found = labels(app, iri, predicate)
    assert language in found, f"the test store has no {language} label for {iri}"
    return found[language]


def expected(app: Flask, iri: str, language: str, predicate: str = RDFS_LABEL
             ) -> dict[str, str]:
    """What an API answer must carry: the label in ``language``, else the English one."""
    found = labels(app, iri, predicate)
    assert "en" in found, iri
    want = language if language in found else "en"
    return {want: found[want]}


def inline_context(client: FlaskClient, text: str) -> str:
    """The JSON-LD with the published context inlined (the test client has no network)."""
    doc = json.loads(text)
    doc["@context"] = client.get("/api/context.jsonld").get_json()["@context"]
    return json.dumps(doc)


def page_lang(text: str) -> tuple[str, str]:
    m = re.search(r'<html lang="([^"]*)" dir="([^"]*)">', text)
    assert m, "no <html lang dir> element"
    return m.group(1), m.group(2)


# --------------------------------------------------------------------------- message files


@pytest.mark.parametrize("language", [x for x in i18n.LANGUAGES if x != "en"])
def test_every_english_key_is_translated(language: str) -> None:
    en, other = load("en"), load(language)
    missing = sorted(set(en) - set(other))
    assert not missing, f"{language}.json lacks {missing}"
    assert not sorted(set(other) - set(en)), f"{language}.json has keys English lacks"
    assert all(v for v in other.values()), f"{language}.json has empty messages"
    fields = string.Formatter()
    for key, text in en.items():
        want = {f for _t, f, _s, _c in fields.parse(text) if f}
        got = {f for _t, f, _s, _c in fields.parse(other[key]) if f}
        assert want == got, f"{language}.json {key}: placeholders {got} != {want}"


def test_templates_use_only_known_keys() -> None:
    """A key written in a template (or built from a known set) exists in en.json."""
    en = load("en")
    used: set[str] = set()
    for tpl in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"""_\(\s*["']([a-z_]+\.[A-Za-z_ .]+)["']""", tpl.read_text()))
    assert len(used) > 80
    used |= {f"vote.{v}" for v in ("yes", "no", "abstain", "nonVoting")}
    used |= {f"ontology.{s}" for s in ("Classes", "Object properties", "Datatype properties",
                                       "Individuals")}
    used |= {f"type.{t}" for t in ("Resolution", "Decision")}
    assert not sorted(used - set(en))


def test_lookup_falls_back_to_english_then_key() -> None:
    assert i18n.text("nav.resolutions", "fr") == "Résolutions"
    assert i18n.text("nav.resolutions", "de") == "Resolutions"  # no German file: English
    assert i18n.text("no.such.key", "fr") == "no.such.key"
    assert i18n.text("no.such.key", "fr", default="x") == "x"
    # values are escaped, the message itself too
    assert str(i18n.gettext("home.all", language="en", n="<b>")) == "All &lt;b&gt; resolutions →"
    assert i18n.number(1234567, "fr") == "1\u202f234\u202f567"
    assert i18n.number(1234567, "en") == "1,234,567"


@pytest.mark.parametrize(("raw", "want"), [
    ("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("zh-Hans-CN", "zh"), ("ar", "ar"),
    ("de", "en"), ("pt-BR", "en"), (" es ", "es")])
def test_lang_parameter_values(raw: str, want: str) -> None:
    assert i18n.from_param(raw) == want


@pytest.mark.parametrize("raw", ["fr!", "12", "f", "français", "en_US", "x" * 40, "fr-"])
def test_malformed_lang_parameter_is_an_error(raw: str) -> None:
    with pytest.raises(i18n.LanguageError, match="lang"):
        i18n.from_param(raw)


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_in_every_language(client: FlaskClient, path: str, language: str) -> None:
    sep = "&" if "?" in path else "?"
    r = client.get(path + sep + "lang=" + language, headers=HTML)
    assert r.status_code == (404 if path.startswith("/no/") else 200)
    text = r.get_data(as_text=True)
    assert page_lang(text) == (language, "rtl" if language == "ar" else "ltr")
    assert r.headers["Content-Language"] == language
    assert {"Accept", "Accept-Language"} <= set(r.vary)
    nav = load(language)["nav.resolutions"]
    assert f">{nav}</a>" in text  # the navigation in that language
    if language != "en":
        en, here = load("en"), load(language)
        # no English chrome left: long English messages that differ in this language
        left = [en[k] for k in ("site.search_placeholder", "footer.source", "footer.derived",
                                "home.search_label") if en[k] != here[k] and en[k] in text]
        assert not left, f"{path} in {language} still says {left}"


def test_french_pages(client: FlaskClient, app: Flask) -> None:
    home = client.get("/?lang=fr", headers=HTML).get_data(as_text=True)
    assert "Les résolutions des Nations Unies et ce qu'elles citent" in home.replace("&#39;", "'")
    assert "Dernières adoptées" in home and "Par organe" in home
    hrc = client.get("/doc/" + HRC + "?lang=fr", headers=HTML).get_data(as_text=True)
    assert "Réseau de citations" in hrc and "Date citée" in hrc and "Citée par (0)" in hrc
    assert "<th>Texte cité</th>" in hrc
    # data labels: the organ, the verb meaning and the instrument in French
    assert label(app, "https://w3id.org/resograph/organ/HRC", "fr").replace("'", "&#39;") in hrc
    assert label(app, "https://w3id.org/resograph/verb/recalling", "fr", SKOS_PREF) in hrc
    assert "Résolution" in hrc  # the kind of work
    search = client.get("/search?q=iraq&lang=fr", headers=HTML).get_data(as_text=True)
    assert "Résultats : 2" in search and ">Organe " in search


def test_arabic_pages_are_right_to_left(client: FlaskClient, app: Flask) -> None:
    home = client.get("/", headers={**HTML, "Accept-Language": "ar"}).get_data(as_text=True)
    assert page_lang(home) == ("ar", "rtl")
    assert "قرار" in home  # "resolution" (in "القرارات", the navigation)
    sc = client.get(SC_PATH + "?lang=ar", headers=HTML).get_data(as_text=True)
    assert "المؤيدون" in sc and "المعارضون" in sc  # vote groups
    # member states named in Arabic where the graph has it, else in English
    cuba = expected(app, "https://w3id.org/resograph/state/CUB", "ar")
    assert f">{next(iter(cuba.values()))}</a>" in sc
    assert label(app, "https://w3id.org/resograph/organ/SC", "ar") in sc
    # the English paragraph texts stay left-to-right inside the right-to-left page
    assert '<td class="l-en" lang="en" dir="ltr">' in sc
    # links point on in the same language (explicit ?lang=), the arrows turn with the script
    home_explicit = client.get("/?lang=ar", headers=HTML).get_data(as_text=True)
    assert 'href="/search?lang=ar"' in home_explicit and "←</a>" in home_explicit


def test_chinese_pages(client: FlaskClient, app: Flask) -> None:
    hrc = client.get("/doc/" + HRC, headers={**HTML, "Accept-Language": "zh-CN,zh;q=0.9"})
    text = hrc.get_data(as_text=True)
    assert hrc.headers["Content-Language"] == "zh"
    assert "决议" in text and "引用网络" in text
    assert label(app, "https://w3id.org/resograph/organ/HRC", "zh") in text
    assert label(app, "https://w3id.org/resograph/instrument/udhr", "zh") in text
    assert label(app, "https://w3id.org/resograph/verb/recalling", "zh", SKOS_PREF) in text
    query = client.get("/sparql?lang=zh", headers=HTML).get_data(as_text=True)
    assert "SPARQL 查询" in query and 'data-msg-rows="{n} 行（{ms} 毫秒）"' in query
    missing = client.get("/doc/A/RES/1/2?lang=zh", headers=HTML)
    assert missing.status_code == 404 and "未找到" in missing.get_data(as_text=True)


def test_links_keep_an_explicit_lang(client: FlaskClient) -> None:
    text = client.get("/doc/" + HRC + "?lang=es", headers=HTML).get_data(as_text=True)
    hrefs = re.findall(r'href="(/[^"]*)"', text)
    pages = [h for h in hrefs if not h.startswith(("/static/", "/api/", "/healthz"))]
    assert len(pages) > 10
    assert all("lang=" in h for h in pages), [h for h in pages if "lang=" not in h]
    assert 'href="/doc/A/RES/48/141?lang=es"' in text  # a citation, in the table and picture
    assert '<input type="hidden" name="lang" value="es">' in text  # the search form too
    # chosen by the header only: links stay clean (the header goes with every request)
    plain = client.get("/doc/" + HRC, headers={**HTML, "Accept-Language": "es"})
    assert 'href="/doc/A/RES/48/141"' in plain.get_data(as_text=True)


def test_language_switcher(client: FlaskClient) -> None:
    text = client.get("/search?q=iraq&lang=ru", headers=HTML).get_data(as_text=True)
    switcher = text[text.index('<nav class="langswitch"'):]
    switcher = switcher[:switcher.index("</nav>")]
    for code in i18n.LANGUAGES:
        assert f'href="/search?q=iraq&amp;lang={code}"' in switcher
        assert f">{i18n.NATIVE_NAMES[code]}</a>" in switcher
    assert switcher.count('aria-current="true"') == 1
    assert 'hreflang="ru" aria-current="true"' in switcher


# --------------------------------------------------------------------------- negotiation


@pytest.mark.parametrize(("header", "want"), [
    ("fr", "fr"), ("fr-CA,fr;q=0.9,en;q=0.5", "fr"), ("de;q=1.0, es;q=0.8, fr;q=0.5", "es"),
    ("ru;q=0.2, zh;q=0.9", "zh"), ("en;q=0.1, ar", "ar"), ("ar;q=0, ru;q=0.3", "ru"),
    ("de", "en"), ("xx-YY, tlh", "en"), ("*", "en"), ("", "en"), (None, "en")])
def test_accept_language(client: FlaskClient, header: str | None, want: str) -> None:
    headers = dict(HTML) if header is None else {**HTML, "Accept-Language": header}
    r = client.get("/", headers=headers)
    assert r.status_code == 200
    assert r.headers["Content-Language"] == want
    assert page_lang(r.get_data(as_text=True))[0] == want


def test_lang_parameter_wins_over_the_header(client: FlaskClient) -> None:
    r = client.get("/?lang=zh", headers={**HTML, "Accept-Language": "fr"})
    assert r.headers["Content-Language"] == "zh"
    api = client.get("/api/resolutions/" + HRC + "?lang=ru",
                     headers={**JLD, "Accept-Language": "fr"})
    assert api.headers["Content-Language"] == "ru"
    assert list(api.get_json()["organ"]["label"]) == ["ru"]


def test_unsupported_lang_gives_english(client: FlaskClient) -> None:
    r = client.get("/?lang=de", headers={**HTML, "Accept-Language": "fr"})
    assert r.status_code == 200 and r.headers["Content-Language"] == "en"
    region = client.get("/?lang=fr-CA", headers=HTML)
    assert region.headers["Content-Language"] == "fr"


def test_malformed_lang_is_400(client: FlaskClient) -> None:
    # a page: 400, written in the header's language, naming the parameter
    r = client.get("/?lang=fr!", headers={**HTML, "Accept-Language": "es"})
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert page_lang(text)[0] == "es" and "lang=fr!" in text and "Solicitud incorrecta" in text
    # the API: its JSON error naming the parameter
    api = client.get("/api/resolutions/" + HRC + "?lang=%3Cx%3E", headers=JLD)
    assert api.status_code == 400
    assert api.get_json()["error"]["parameter"] == "lang"
    # a dereferenced resource's RDF carries every label: ?lang= plays no part there
    rdf = client.get("/organ/GA?lang=12", headers=TTL)
    assert rdf.status_code == 200 and "Content-Language" not in rdf.headers
    tags = {o.language for o in rdflib.Graph().parse(data=rdf.get_data(as_text=True),
                                                     format="turtle").objects()
            if isinstance(o, rdflib.Literal)}
    assert set(i18n.LANGUAGES) <= tags


# --------------------------------------------------------------------------- API labels


def test_api_labels_in_each_language(client: FlaskClient, app: Flask) -> None:
    for language in i18n.LANGUAGES:
        r = client.get("/api/resolutions/" + HRC, headers={**JLD, "Accept-Language": language})
        doc = r.get_json()
        assert r.headers["Content-Language"] == language
        assert "Accept-Language" in r.vary
        assert doc["organ"]["label"] == {
            language: label(app, "https://w3id.org/resograph/organ/HRC", language)}
        verbs = {json.dumps(c["verbMeaning"]["prefLabel"], ensure_ascii=False)
                 for c in doc["citations"] if isinstance(c.get("verbMeaning"), dict)}
        want = label(app, "https://w3id.org/resograph/verb/recalling", language, SKOS_PREF)
        assert json.dumps({language: want}, ensure_ascii=False) in verbs
        udhr = next(c["citedWork"] for c in doc["citations"]
                    if isinstance(c["citedWork"], dict)
                    and c["citedWork"]["id"].endswith("/instrument/udhr"))
        assert list(udhr["label"]) == [language]
        for vote in client.get("/api/resolutions/" + quote(SC_A) + "/votes?lang=" + language,
                               headers=JLD).get_json()["vote"]:
            voter = vote["voter"]
            assert voter["label"] == expected(app, voter["id"], language), voter
    fra = client.get("/api/member-states/FRA?lang=zh", headers=JLD).get_json()
    assert fra["label"] == expected(app, "https://w3id.org/resograph/state/FRA", "zh")
    # the field names and shapes are the same in every language
    en = client.get("/api/resolutions/" + HRC, headers=JLD).get_json()
    ar = client.get("/api/resolutions/" + HRC + "?lang=ar", headers=JLD).get_json()
    assert list(en) == list(ar) and list(en["organ"]) == list(ar["organ"])


def test_english_where_a_label_is_missing(client: FlaskClient, app: Flask) -> None:
    store = app.extensions["resograph.store"]
    rows = store.select(f"""
        SELECT ?i ?en WHERE {{
          ?i <{RDFS_LABEL}> ?en FILTER(LANG(?en) = "en"
             && STRSTARTS(STR(?i), "https://w3id.org/resograph/state/"))
          FILTER NOT EXISTS {{ ?i <{RDFS_LABEL}> ?ar FILTER(LANG(?ar) = "ar") }} }}""")
    assert rows, "every member state has an Arabic name: pick another fallback case"
    path = rows[0]["i"].value.replace("https://w3id.org/resograph", "")
    page = client.get(path + "?lang=ar", headers=HTML).get_data(as_text=True)
    assert rows[0]["en"].value in page  # the state's name: English
    assert page_lang(page) == ("ar", "rtl")  # in an Arabic page
    # the API: organs all have Arabic names, the USSR of the 1991 vote only an English one
    doc = client.get("/api/organs?lang=ar", headers=JLD).get_json()
    for organ in doc["member"]:
        assert organ["label"] == expected(app, organ["id"], "ar")
    votes = client.get("/api/resolutions/" + quote(SC_A) + "/votes?lang=ar",
                       headers=JLD).get_json()
    by_code = {v["voter"]["code"]: v["voter"] for v in votes["vote"]}
    assert by_code["SUN"]["label"] == {"en": "Union of Soviet Socialist Republics"}
    assert by_code["CUB"]["label"] == expected(app, by_code["CUB"]["id"], "ar")
    assert "ar" in by_code["CUB"]["label"]


@pytest.mark.parametrize("path", [
    "/api/resolutions/" + HRC + "?lang=ar", "/api/resolutions/" + HRC + "?lang=zh",
    "/api/resolutions/" + quote(SC_A) + "/votes?lang=ru", "/api/organs?lang=es",
    "/api/resolutions?organ=HRC&lang=fr", "/api/resolutions/" + HRC + "/network?lang=zh",
    "/api/member-states/FRA?lang=ar", "/organ/HRC?lang=zh", "/verb/recalling?lang=ru"])
def test_jsonld_and_turtle_carry_the_same_labels(client: FlaskClient, path: str) -> None:
    jr = client.get(path, headers=JLD)
    tr = client.get(path, headers=TTL)
    assert jr.status_code == tr.status_code == 200
    base = "http://localhost" + path
    from_json = rdflib.Graph().parse(data=inline_context(client, jr.get_data(as_text=True)),
                                     format="json-ld", base=base)
    from_ttl = rdflib.Graph().parse(data=tr.get_data(as_text=True), format="turtle")
    assert len(from_ttl) > 0 and isomorphic(from_json, from_ttl)
    tags = {o.language for o in from_ttl.objects() if isinstance(o, rdflib.Literal)
            and o.language}
    assert tags, path


def test_labels_are_data_not_code(app: Flask) -> None:
    """The organ names on pages come from the graph: a label written there shows."""
    store = app.extensions["resograph.store"]
    organ = ox.NamedNode("https://w3id.org/resograph/organ/TC")
    rows = store.select(f"SELECT ?l WHERE {{ {organ} <{RDFS_LABEL}> ?l "
                        'FILTER(LANG(?l) = "ru") }')
    assert rows  # the shared graph names the Trusteeship Council in Russian
    with app.test_request_context("/?lang=ru"):
        from resograph.service import pages

        assert pages.organ_name("TC") == rows[0]["l"].value
        assert pages.organ_name("NOPE") == "NOPE"
