"""Issue 10: labels in the six UN languages beyond the ontology files.

Member states are named in en, fr, es, ru, ar and zh once, in the shared graph (one IRI per
state, names derived at build time from the UN table and pycountry's ISO 3166 catalogues);
the citation-network and vote pictures and the SPARQL example titles are written in the
reader's language, English where a message is missing.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from service_data import SC_A

from resograph.graph import rdf, states, vocab
from resograph.graph.model import Adoption, MemberVote, ParsedResolution
from resograph.service import examples, i18n, svg

SIX = ("en", "fr", "es", "ru", "ar", "zh")
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RG = vocab.RG if isinstance(vocab.RG, str) else str(vocab.RG)
MESSAGES = Path(i18n.__file__).resolve().parent / "messages"
HTML = {"Accept": "text/html"}


# -- member states --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_states() -> dict[str, dict[str, list[str]]]:
    """state IRI -> predicate -> values (language-tagged values as ``text@lang``)."""
    out: dict[str, dict[str, list[str]]] = {}
    prefix = vocab.state_iri("")
    for q in rdf.shared_quads():
        s = q.subject.value
        if not s.startswith(prefix):
            continue
        assert q.graph_name.value == vocab.GRAPH_SHARED, q
        o = q.object
        value = f"{o.value}@{o.language}" if isinstance(o, ox.Literal) and o.language \
            else o.value
        out.setdefault(s, {}).setdefault(q.predicate.value, []).append(value)
    return out


def test_every_state_is_named_in_the_six_languages(
        shared_states: dict[str, dict[str, list[str]]]) -> None:
    table = states.all_states()
    assert len(table) == 195
    assert set(shared_states) == {vocab.state_iri(s.code) for s in table}  # one IRI each
    for s in table:
        props = shared_states[vocab.state_iri(s.code)]
        assert props[RG + "iso3166Alpha3"] == [s.code]
        assert RG + "MemberState" in props["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
        langs = [v.rsplit("@", 1)[1] for v in props[RDFS_LABEL]]
        assert sorted(langs) == sorted(SIX), s.code  # each language exactly once
        assert f"{s.name_en}@en" in props[RDFS_LABEL]
    fra = shared_states[vocab.state_iri("FRA")][RDFS_LABEL]
    assert {"France@en", "France@fr", "Francia@es", "Франция@ru", "فرنسا@ar", "法国@zh"} \
        == set(fra)


def test_state_names_read_as_the_uns() -> None:
    """ISO's inverted forms are replaced (the table's ``names`` column or ISO's official
    name), and a catalogue's untranslated English name is not passed off as Arabic."""
    assert states.labels("KOR")["fr"] == "République de Corée"
    assert states.labels("PRK")["fr"].startswith("République")
    assert states.labels("USA")["ru"] == "Соединенные Штаты Америки"
    assert states.labels("TUR")["ar"] == "تركيا"
    assert states.labels("GBR")["zh"] == "大不列颠及北爱尔兰联合王国"
    for s in states.all_states():
        for lang, name in states.labels(s.code).items():
            assert not re.search(r"[,\u060c] ", name) or lang == "en", (s.code, lang, name)
            if lang in ("ru", "ar", "zh"):
                assert not name.isascii(), (s.code, lang, name)
    with pytest.raises(KeyError):
        states.labels("XYZ")


def test_a_malformed_names_column_names_the_file_and_state() -> None:
    with pytest.raises(ValueError, match=r"states\.csv, KOR: names item 'de=Korea'"):
        states._overrides({"names": "fr=République de Corée|de=Korea"}, "KOR")
    assert states._overrides({"names": None}, "FRA") == {}


def _vote_doc(*votes: MemberVote) -> list[ox.Quad]:
    parsed = ParsedResolution(symbol="S/RES/9001 (2023)", organ="SC", language="fr",
                              number="9001", year=2023, adopted="2023-01-02",
                              adoption=Adoption("vote", yes=len(votes), votes=list(votes)))
    return rdf.to_quads(parsed, extractor_version="0.1.0", ingested_at="2023-01-02T00:00:00Z")


def test_document_graphs_do_not_repeat_state_names() -> None:
    """A French document names no state: the shared graph does, in six languages (before,
    each document labelled ``France`` with its own language tag, wrongly ``@zh`` in Chinese).
    A voter outside today's table (the USSR) keeps the name its source gives."""
    quads = _vote_doc(MemberVote("FRA", "France", "yes"),
                      MemberVote("SUN", "Union des Républiques socialistes soviétiques", "yes"))
    labels = [(q.subject.value, q.object) for q in quads if q.predicate.value == RDFS_LABEL
              and q.subject.value.startswith(vocab.state_iri(""))]
    assert labels == [(vocab.state_iri("SUN"),
                       ox.Literal("Union des Républiques socialistes soviétiques",
                                  language="fr"))]
    codes = {q.subject.value: q.object.value for q in quads
             if q.predicate.value == RG + "iso3166Alpha3"}
    assert codes == {vocab.state_iri("SUN"): "SUN"}  # France's code is in the shared graph


# -- pictures ---------------------------------------------------------------------------------

ADOPTION = {"votesYes": 12, "votesNo": 1, "votesAbstain": 2, "votesNonVoting": 0}
CITES = [{"id": f"https://w3id.org/resograph/doc/S/RES/{n}", "symbol": f"S/RES/{n}"}
         for n in range(600, 625)]


def _words(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.parametrize("language", SIX)
def test_vote_picture_in_each_language(language: str) -> None:
    picture = str(svg.vote_bar(ADOPTION, language))
    for value in ("yes", "no", "abstain", "nonVoting"):
        assert i18n.text(f"vote.{value}", language) in _words(picture), value
    if language != "en":
        assert "In favour" not in picture and "Against" not in picture
    label = re.search(r'aria-label="([^"]+)"', picture)
    assert label and label.group(1).startswith(
        i18n.text("svg.vote_label", language).split("{")[0].rstrip())


@pytest.mark.parametrize("language", SIX)
def test_network_picture_in_each_language(language: str) -> None:
    picture = str(svg.network("https://w3id.org/resograph/doc/S/RES/687", "S/RES/687",
                              CITES, CITES[:3], lambda iri: iri, language=language))
    words = _words(picture)
    assert i18n.text("res.cites", language).format(n=len(CITES)) in words
    assert i18n.text("res.cited_by", language).format(n=3) in words
    assert i18n.text("svg.more", language).format(n=len(CITES) - 18) in words
    if language != "en":
        assert "Cited by" not in words and "more" not in words
    empty = str(svg.network("x", "X", [], [], lambda iri: iri, language=language))
    assert i18n.text("svg.no_citations", language) in empty


def test_pictures_default_to_english_and_escape() -> None:
    assert "In favour 12" in _words(str(svg.vote_bar(ADOPTION)))
    picture = str(svg.network("x", "<b>&", [], [], lambda iri: iri))
    assert "Cited by (0)" in picture and "No citations recorded." in picture
    assert "<b>&" not in picture and "&lt;b&gt;&amp;" in picture


# -- SPARQL examples --------------------------------------------------------------------------

def test_every_example_has_a_title_and_description_in_each_language() -> None:
    english = examples.examples("en")
    assert [e["title"] for e in english] == [e["title"] for e in examples.EXAMPLES]
    for language in SIX:
        messages = json.loads((MESSAGES / f"{language}.json").read_text(encoding="utf-8"))
        listed = examples.examples(language)
        assert [e["query"] for e in listed] == [e["query"] for e in examples.EXAMPLES]
        for ex in examples.EXAMPLES:
            for part in ("title", "description"):
                assert messages.get(f"example.{ex['id']}.{part}"), (language, ex["id"], part)
        if language != "en":
            same = [e["id"] for e, en in zip(listed, english, strict=True)
                    if e["title"] == en["title"] or e["description"] == en["description"]]
            assert not same, (language, same)
    assert len({e["id"] for e in english}) == len(english)


def test_examples_endpoint_follows_the_request_language(client: FlaskClient) -> None:
    ru = client.get("/sparql/examples.json?lang=ru").get_json()
    assert ru[0]["title"] == i18n.text("example.citing-48-141.title", "ru")
    assert ru[0]["query"] == examples.EXAMPLES[0]["query"]
    es = client.get("/sparql/examples.json", headers={"Accept-Language": "es"})
    assert es.get_json()[1]["title"] == "Obras más citadas"
    assert "Accept-Language" in es.headers.get("Vary", "")
    assert client.get("/sparql/examples.json").get_json()[1]["title"] == "Most cited works"


def test_resolution_page_pictures_follow_the_page_language(client: FlaskClient) -> None:
    path = "/doc/" + SC_A.replace(" ", "")
    page = client.get(path + "?lang=fr", headers=HTML).get_data(as_text=True)
    network = page[page.index('<svg class="network"'):]
    network = network[:network.index("</svg>")]
    assert "Citée par (" in network and "Cite (" in network and "Cited by" not in network
    bar = page[page.index('<svg class="votebar"'):]
    bar = bar[:bar.index("</svg>")]
    assert "Pour 12" in _words(bar) and "In favour" not in bar
    zh = client.get(path, headers={**HTML, "Accept-Language": "zh"}).get_data(as_text=True)
    assert "被引用（" in zh and "赞成 12" in _words(zh)


def test_arabic_pictures_run_right_to_left() -> None:
    """In an Arabic page the pictures inherit ``direction: rtl``: headings and the legend start
    at the right edge of their place (else they run off the picture), symbols stay LTR."""
    ar = str(svg.network("x", "S/RES/687", CITES[:2], CITES[2:4], lambda iri: iri,
                         language="ar"))
    assert 'direction="rtl"' in ar.split(">", 1)[0]
    heads = re.findall(r'<text x="([\d.]+)" y="16" class="nethead">', ar)
    assert heads == ["280", "920"]  # the right edges of the two 260-wide columns
    assert '>S/RES/600</text>' in ar and 'direction="ltr">S/RES/600' in ar
    en = str(svg.network("x", "S/RES/687", CITES[:2], CITES[2:4], lambda iri: iri))
    assert re.findall(r'<text x="([\d.]+)" y="16" class="nethead">', en) == ["20", "660"]
    bar = str(svg.vote_bar(ADOPTION, "ar"))
    swatch = re.search(r'<rect x="(\d+)" y="54" width="12"', bar)
    assert swatch and swatch.group(1) == "588"  # first legend swatch at the right edge
