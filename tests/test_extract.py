"""Extraction of identity, paragraphs, citations and requests (issue 3).

Corpus texts are read at run time through the ``corpus`` fixture; the short texts written
here are the project's own, built to pin one rule each.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resograph.graph import extract
from resograph.graph.extract import extract_file, extract_text
from resograph.graph.model import ParsedResolution, ParseError


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """See real exceptions, not the safety net's ParseError."""
    monkeypatch.setattr(extract, "SAFETY_NET", False)


def cites(parsed: ParsedResolution) -> dict[str, list]:
    out: dict[str, list] = {}
    for c in parsed.citations:
        out.setdefault(c.target, []).append(c)
    return out


# ----------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed(corpus: Path) -> ParsedResolution:
    return extract_file(corpus / "hrc-fr" / "A_HRC_RES_56_15.fr.txt")


def test_seed_identity(seed: ParsedResolution) -> None:
    assert seed.symbol == "A/HRC/RES/56/15"
    assert seed.organ == "HRC"
    assert seed.language == "fr"
    assert seed.session == "56"
    assert seed.number == "15"
    assert seed.adopted == "2024-07-11"
    assert seed.meeting == "35"
    assert seed.agenda_item == "10"
    assert seed.agenda_title == "Assistance technique et renforcement des capacités"
    assert seed.title is not None and seed.title.startswith("Fourniture d'informations")
    assert seed.title.endswith("pour les droits de l'homme")
    assert seed.adoption.method == "without-vote"
    assert seed.source_format == "text"
    assert seed.source_sha256 and len(seed.source_sha256) == 64


def test_seed_paragraphs(seed: ParsedResolution) -> None:
    pre = [p for p in seed.paragraphs if p.kind == "preambular"]
    op = [p for p in seed.paragraphs if p.kind == "operative"]
    assert len(pre) == 17 and len(op) == 1
    assert [p.number for p in pre] == list(range(1, 18))
    assert (pre[0].verb, pre[0].verb_meaning) == ("Guidé par", "guided-by")
    assert pre[1].verb_meaning == "guided-by"  # "Guidé également par"
    assert pre[5].verb_meaning == "recalling" and pre[5].key == "pre6"
    assert pre[13].verb_meaning == "taking-note"  # Prenant acte
    assert pre[16].verb_meaning == "expressing-concern"  # Notant avec préoccupation
    assert (op[0].verb, op[0].verb_meaning, op[0].key) == ("Prie", "requesting", "op1")
    # the paragraph split by a blank line in the source is one paragraph
    assert pre[16].text.endswith("dans les pays intéressés,")


def test_seed_citations(seed: ParsedResolution) -> None:
    c = cites(seed)
    expected = {
        "A/RES/48/141": ("pre6", "1994-01-07", "recalling"),
        "A/RES/60/251": ("pre6", "2006-03-15", "bearing-in-mind"),
        "A/HRC/RES/5/1": ("pre6", "2007-06-18", "recalling"),
        "A/HRC/RES/5/2": ("pre6", "2007-06-18", "recalling"),
        "A/HRC/RES/16/21": ("pre6", "2011-03-25", "recalling"),
        "A/RES/75/233": ("pre7", "2020-12-21", "recalling"),
        "A/HRC/RES/54/28": ("pre7", "2023-10-12", "recalling"),
    }
    for target, (para, date, meaning) in expected.items():
        assert target in c, target
        (cit,) = c[target]
        assert (cit.paragraph, cit.as_cited_date, cit.verb_meaning, cit.type) == (
            para, date, meaning, "resolution"), target
    assert [(x.paragraph, x.verb_meaning) for x in c["charter"]] == [("pre1", "guided-by")]
    assert [(x.paragraph, x.verb_meaning) for x in c["udhr"]] == [
        ("pre2", "guided-by"), ("pre3", "reaffirming")]
    for key in ("iccpr", "icescr"):
        assert [(x.paragraph, x.verb_meaning, x.type) for x in c[key]] == [
            ("pre2", "guided-by", "instrument")]
    resolutions = {t for t, v in c.items() if v[0].type == "resolution"}
    assert resolutions == set(expected)  # nothing else, never its own symbol
    assert "A/HRC/RES/56/15" not in c


def test_seed_request(seed: ParsedResolution) -> None:
    (req,) = seed.requests
    assert req.addressee == "High Commissioner for Human Rights"
    assert req.action == "prepare a report"
    assert req.object is not None and "programme de conseillers" in req.object
    assert (req.due_session, req.due_organ, req.paragraph) == (60, "HRC", "op1")
    assert req.verb_meaning == "requesting"


def test_seed_json_contract(seed: ParsedResolution) -> None:
    data = json.loads(json.dumps(seed.to_json(), ensure_ascii=False))
    for key in ("file", "symbol", "organ", "language", "adopted", "session", "paragraphs",
                "citations", "requests"):
        assert key in data
    assert ParsedResolution.from_json(data) == seed


# ----------------------------------------------------------------------------- Security Council


def test_sc_coordinated_list_with_dates_and_vote(corpus: Path) -> None:
    r = extract_file(corpus / "unsc-en" / "S_RES_0678_1990_EN_GOLD.txt")
    assert (r.symbol, r.organ, r.adopted, r.meeting) == ("S/RES/678 (1990)", "SC",
                                                         "1990-11-29", "2963")
    assert (r.adoption.method, r.adoption.yes, r.adoption.no, r.adoption.abstain) == (
        "vote", 12, 2, 1)
    c = cites(r)
    listed = [660, 661, 662, 664, 665, 666, 667, 669, 670, 674, 677]
    for n in listed:
        assert f"S/RES/{n} (1990)" in c
    assert c["S/RES/665 (1990)"][0].as_cited_date == "1990-08-25"  # "665\n(1990) of 25 August"
    assert c["S/RES/677 (1990)"][0].as_cited_date == "1990-11-28"
    assert c["S/RES/660 (1990)"][0].verb_meaning == "reaffirming"  # "Recalling and reaffirming"
    assert "S/RES/678 (1990)" not in c
    assert [p.key for p in r.paragraphs if p.kind == "operative"] == [f"op{i}" for i in
                                                                       range(1, 6)]


def test_sc_votes_unanimous_and_general_assembly_in_its_resolution(corpus: Path) -> None:
    r = extract_file(corpus / "unsc-en" / "S_RES_0688_1991_EN_GOLD.txt")
    assert (r.adoption.yes, r.adoption.no, r.adoption.abstain) == (10, 3, 2)
    r = extract_file(corpus / "unsc-en" / "S_RES_0242_1967_EN_GOLD.txt")
    assert r.adoption.method == "unanimous"
    r = extract_file(corpus / "unsc-en" / "S_RES_0082_1950_EN_GOLD.txt")
    c = cites(r)
    # "the General Assembly in its resolution 293 (IV)": GA, not SC
    assert c["A/RES/293(IV)"][0].as_cited_date == "1949-10-21"
    assert "A/RES/195(III)" in c
    assert (r.adoption.yes, r.adoption.no, r.adoption.abstain) == (9, 0, 1)


def test_sc_dates_without_year_take_the_symbol_year(corpus: Path) -> None:
    r = extract_file(corpus / "unsc-en" / "S_RES_0266_1969_EN_GOLD.txt")
    c = cites(r)
    assert c["S/RES/186 (1964)"][0].as_cited_date == "1964-03-04"
    assert c["S/RES/261 (1968)"][0].as_cited_date is not None


SC_TEXT = """Resolution 9999 (1991)
of 3 April 1991

The Security Council,

Recalling its resolutions 660 (1990) of 2 August 1990, 661
(1990) of 6 August 1990 and 686 (1991) of 2 March 1991,

Recalling also General Assembly resolutions 181 (II) A of 29 November 1947,
377 A (V) of 3 November 1950, 186 (S-2) and 1514 (XV),

Bearing in mind paragraph 8 of resolution 686 (1991) and Article 51 of the Charter,

1. Requests the Secretary-General to report to the Council within 30 days;

Adopted at the 2981st meeting by 12 votes to one (Cuba),
with 2 abstentions (Ecuador, Yemen).
"""


def test_sc_rules_on_own_text() -> None:
    r = extract_text(SC_TEXT, lang="en")
    assert r.symbol == "S/RES/9999 (1991)" and r.organ == "SC"
    c = cites(r)
    assert c["S/RES/661 (1990)"][0].as_cited_date == "1990-08-06"
    assert {"A/RES/181(II)", "A/RES/377(V)", "A/RES/186(S-2)", "A/RES/1514(XV)"} <= set(c)
    pin = [x for x in c["S/RES/686 (1991)"] if x.paragraph == "pre3"]
    assert pin and pin[0].pinpoint == "paragraph 8"
    assert c["charter"][0].paragraph == "pre3"
    assert (r.adoption.yes, r.adoption.no, r.adoption.abstain) == (12, 1, 2)
    (req,) = r.requests
    assert (req.addressee, req.action) == ("Secretary-General", "report")


# ----------------------------------------------------------------------------- General Assembly


def test_ga_pdf_text_layer(corpus: Path) -> None:
    r = extract_file(corpus / "unga-en" / "A_RES_79_150.txt")
    assert (r.symbol, r.organ, r.session, r.adopted, r.meeting) == (
        "A/RES/79/150", "GA", "79", "2024-12-17", "53")
    assert r.agenda_item == "26 (b)"
    assert r.documents == {"report": "A/79/450"}
    assert r.agenda_title is not None and r.agenda_title.startswith("Social development:")
    assert r.title == ("Observance of the thirtieth anniversary of the International Year "
                       "of the Family in 2024")
    c = cites(r)
    assert c["A/RES/44/82"][0].as_cited_date == "1989-12-08"
    assert c["A/RES/78/176"][0].as_cited_date == "2023-12-19"
    assert sum(1 for t in c if t.startswith("A/RES/")) >= 24
    # page headers and job numbers are not paragraph text
    assert not any("24-24138" in p.text for p in r.paragraphs)
    req = {q.paragraph: q for q in r.requests}
    assert (req["op41"].addressee, req["op41"].action, req["op41"].due_session,
            req["op41"].due_organ) == ("Secretary-General", "submit a report", 81, "GA")


def test_ga_footnote_glued_to_number_and_footnote_citations() -> None:
    text = """United Nations
A/RES/79/999

General Assembly
Distr.: General
2 December 2024

24-99999 (E)

Seventy-ninth session
Agenda item 1

Resolution adopted by the General Assembly on 2 December 2024

79/999. A test

The General Assembly,

Recalling its resolution 77/2282 of 21 December 2022 and Human Rights Council
resolutions 5/1 and S-35/1,

Reaffirming the Universal Declaration of Human Rights,1

1. Decides to include the item in the provisional agenda of its eightieth session.

__________________

1 Resolution 217 A (III).

2 See Official Records of the General Assembly, Seventy-seventh Session, Supplement No. 49.

A/RES/79/999
A test
24-99999
2/2

55th plenary meeting
2 December 2024
"""
    r = extract_text(text)
    c = cites(r)
    assert r.language == "en" and r.symbol == "A/RES/79/999"
    assert c["A/RES/77/228"][0].as_cited_date == "2022-12-21"  # 77/228 + note 2
    assert {"A/HRC/RES/5/1", "A/HRC/RES/S-35/1"} <= set(c)
    note = c["A/RES/217(III)"][0]
    assert note.in_note and note.paragraph == "pre2"
    assert c["udhr"][0].paragraph == "pre2"
    assert r.meeting == "55" and r.adopted == "2024-12-02"
    (req,) = r.requests
    assert (req.addressee, req.due_session, req.due_organ) == ("General Assembly", 80, "GA")


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Recalling Commission on Human Rights resolution 2005/74 of 20 April 2005,",
     "E/CN.4/RES/2005/74"),
    ("Recalling Economic and Social Council resolution 2004/67 of 21 July 2004,",
     "E/RES/2004/67"),
    ("Recalling Economic and Social Council resolution 1503 (XLVIII),", "E/RES/1503(XLVIII)"),
    ("Recalling its resolution ES-10/2 of 5 May 1997,", "A/RES/ES-10/2"),
    ("Recalling its resolution 997 (ES-I) of 2 November 1956,", "A/RES/997(ES-I)"),
    ("Recalling its resolution 47/120 B of 20 September 1993,", "A/RES/47/120"),
    ("Recalling also General Assembly resolution 2200 A (XXI),", "A/RES/2200(XXI)"),
    ("Recalling Security Council resolution 2334 (2016),", "S/RES/2334 (2016)"),
    ("Recalling General Assembly decision 62/557 of 15 September 2008,", "A/DEC/62/557"),
])
def test_ga_symbol_forms(phrase: str, expected: str) -> None:
    text = f"A/RES/79/998\n\n79/998. Forms\n\nThe General Assembly,\n\n{phrase}\n"
    r = extract_text(text, lang="en")
    assert expected in cites(r), [c.target for c in r.citations]


def test_ga_other_bodies_are_not_the_assembly() -> None:
    text = ("A/RES/79/997\n\nThe General Assembly,\n\nRecalling United Nations Environment "
            "Assembly resolution 5/14 of 2 March 2022, Commission on the Status of Women "
            "resolution 52/2 and resolution 10/7 of 15 December 2023 of the Conference of "
            "the States Parties to the Convention, and the African Charter,\n")
    r = extract_text(text, lang="en")
    assert [c.target for c in r.citations if c.type != "document"] == []


# ----------------------------------------------------------------------------- French rules


def test_french_organ_after_number_and_own_resolutions() -> None:
    text = """Conseil des droits de l'homme
Trentième session

30/99. Essai

Le Conseil des droits de l'homme,

Rappelant les résolutions 60/251 et 65/281 de l'Assemblée générale, en date du 15 mars 2006
et du 17 juin 2011, et ses propres résolutions 5/1 et S-35/1,

Rappelant également la résolution 1996/31 du Conseil économique et social,

1. Décide de poursuivre l'examen de la question à sa trente-troisième session.
"""
    r = extract_text(text)
    assert r.language == "fr" and r.symbol == "A/HRC/RES/30/99" and r.session == "30"
    c = cites(r)
    assert {"A/RES/60/251", "A/RES/65/281", "A/HRC/RES/5/1", "A/HRC/RES/S-35/1",
            "E/RES/1996/31"} <= set(c)
    (req,) = r.requests
    assert (req.due_session, req.due_organ) == (33, "HRC")


# ----------------------------------------------------------------------------- language, errors


def test_language_detection_and_forced_language(seed: ParsedResolution) -> None:
    assert extract.detect_language("The Security Council, Recalling its resolutions") == "en"
    assert extract.detect_language("Le Conseil, Rappelant ses résolutions et la Charte") == "fr"
    assert extract_text(SC_TEXT, lang="en").language == "en"
    with pytest.raises(ParseError, match="no lexicon"):
        extract_text(SC_TEXT, lang="xx")


@pytest.mark.parametrize("text", ["", "   \n\n", "12345 67", "Hello world, nothing here."])
def test_unidentifiable_text_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        extract_text(text, source="x.txt")


def test_symbol_from_file_name_when_text_lacks_it(tmp_path: Path) -> None:
    f = tmp_path / "S_RES_0999_1995_EN.txt"
    f.write_text("The Security Council,\n\nRecalling its resolution 998 (1995),\n\n"
                 "1. Decides to remain seized of the matter.\n", encoding="utf-8")
    r = extract_file(f)
    assert r.symbol == "S/RES/999 (1995)" and r.file == str(f)
    assert [c.target for c in r.citations] == ["S/RES/998 (1995)"]


def test_extract_file_rejects_jsonl_and_unknown_suffix(tmp_path: Path) -> None:
    j = tmp_path / "a.jsonl"
    j.write_text("{}\n")
    with pytest.raises(ParseError, match="ingest"):
        extract_file(j)
    u = tmp_path / "a.odt"
    u.write_bytes(b"x")
    with pytest.raises(ParseError, match="unsupported"):
        extract_file(u)
    with pytest.raises(ParseError, match="cannot read"):
        extract_file(tmp_path / "missing.txt")


def test_whole_corpus_extracts(corpus: Path) -> None:
    """Every text of the corpus gives a result with its own symbol, or a ParseError."""
    n = 0
    for folder in ("hrc-fr", "unsc-en", "unga-en"):
        for f in sorted((corpus / folder).glob("*.txt")):
            r = extract_file(f)
            assert r.symbol and r.organ in ("GA", "SC", "HRC"), f
            assert all(c.target != r.symbol for c in r.citations), f
            n += 1
    assert n > 1000


# ----------------------------------------------------------------------------- a language as data


def test_a_new_language_is_a_data_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy Chinese lexicon, written here as data only, is detected and used: the number
    before the resolution word ("第1514(XV)号决议"), no spaces between words, full-width
    punctuation. The extractor's code is not touched."""
    from resograph.graph import lexicons

    data = json.loads((Path(lexicons.__file__).parent / "en.json").read_text(encoding="utf-8"))
    data.update({
        "language": "zh", "name": "中文", "script": "\\u4e00-\\u9fff", "word_spaces": False,
        "detect_words": ["决议", "安全理事会"], "months": {},
        "date_patterns": ["(?P<year>\\d{4})年(?P<month>\\d{1,2})月(?P<day>\\d{1,2})日"],
        "date_patterns_partial": [], "date_connectors": [],
        "organs": {"GA": ["大会"], "SC": ["安全理事会", "安理会"], "HRC": ["人权理事会"],
                   "ECOSOC": ["经济及社会理事会"], "CHR": ["人权委员会"]},
        "ambiguous_organs": {}, "organ_articles": [], "organ_after_connectors": [],
        "organ_agent_links": [], "resolution_words": ["决议"], "decision_words": ["决定"],
        "resolution_words_after": ["决议"], "decision_words_after": ["决定"],
        "number_prefix": "第", "number_suffix": "号", "self_words": ["其"],
        "list_conjunctions": ["和", "以及"], "adverbs": [], "subject_prefixes": [],
        "verbs": {"preambular": {"回顾": "recalling", "重申": "reaffirming"},
                  "operative": {"请": "requesting", "决定": "deciding"}},
        "instruments": {"联合国宪章": "charter", "世界人权宣言": "udhr"},
        "addressees": {"秘书长": "Secretary-General"}, "infinitive_markers": [],
        "complementizers": [], "adopted_line": ["^\\s*\\d+次会议通过"],
    })
    (tmp_path / "zh.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("RESOGRAPH_LEXICON_PATH", str(tmp_path))
    lexicons.load.cache_clear()
    extract._patterns.cache_clear()
    try:
        text = ("安全理事会，\n\n回顾其第660(1990)号、第661(1990)号和第６８６（１９９１）号决议以及"
                "大会第1514(XV)号决议，\n\n重申联合国宪章，\n\n1. 请秘书长提出报告；\n")
        assert "zh" in lexicons.available()
        assert extract.detect_language(text) == "zh"
        r = extract_text(text, source="S_RES_2999_2024_ZH.txt")
        assert (r.language, r.symbol, r.organ) == ("zh", "S/RES/2999 (2024)", "SC")
        got = [(c.target, c.paragraph, c.verb_meaning) for c in r.citations]
        assert got == [("S/RES/660 (1990)", "pre1", "recalling"),
                       ("S/RES/661 (1990)", "pre1", "recalling"),
                       ("S/RES/686 (1991)", "pre1", "recalling"),
                       ("A/RES/1514(XV)", "pre1", "recalling"),
                       ("charter", "pre2", "reaffirming")]
        assert [(q.addressee, q.verb_meaning) for q in r.requests] == [
            ("Secretary-General", "requesting")]
    finally:
        lexicons.load.cache_clear()
        extract._patterns.cache_clear()


def test_lexicon_values_exist_in_the_ontology() -> None:
    """Verb meanings are concepts of ontology/verbs.ttl, instrument keys rg:key of
    ontology/instruments.ttl: what the extractor emits, the graph can name."""
    import re

    from resograph.graph import lexicons

    root = Path(__file__).resolve().parent.parent / "ontology"
    verbs_ttl, inst_ttl = root / "verbs.ttl", root / "instruments.ttl"
    if not (verbs_ttl.is_file() and inst_ttl.is_file()):
        pytest.skip("ontology files not present")
    concepts = set(re.findall(r"^\S*?:([a-z][a-z-]*) a skos:Concept", verbs_ttl.read_text(
        encoding="utf-8"), re.M))
    keys = set(re.findall(r'rg:key "([^"]+)"', inst_ttl.read_text(encoding="utf-8")))
    for code in lexicons.available():
        lex = lexicons.load(code)
        meanings = {m for verbs in lex.data["verbs"].values() for m in verbs.values()}
        assert meanings - concepts == set(), code
        assert set(lex.data.get("request_meanings", [])) - concepts == set(), code
        instruments = {k for v in lex.data["instruments"].values()
                       for k in ([v] if isinstance(v, str) else v)}
        assert instruments - keys == set(), code


def test_sc_ocr_numbers_repaired_only_when_the_year_contradicts_them() -> None:
    # "489 (1979)": 489 is a 1981 number; one digit fix (8 -> 5) fits 1979
    assert extract._sc_repair(489, 1979) == 459
    assert extract._sc_repair(755, 1992) == 755  # plausible as printed: kept
    assert extract._sc_repair(2334, 2016) == 2334  # years without known numbers: kept
    r = extract_text("Resolution 587 (1986)\n\nThe Security Council,\n\nRecalling its "
                     "resolutions 425 (1978) and 489 (1979),\n", lang="en")
    assert [c.target for c in r.citations] == ["S/RES/425 (1978)", "S/RES/459 (1979)"]


def test_extract_file_dispatches_akn_xml(corpus: Path) -> None:
    f = sorted((corpus / "unga-akn" / "79" / "english").glob("A_RES_79_1-*.xml"))[0]
    r = extract_file(f)
    assert (r.symbol, r.source_format) == ("A/RES/79/1", "akn")
    assert r.source_sha256 and len(r.source_sha256) == 64


# ----------------------------------------------------------------------------- parts, speed


def test_resolution_in_parts_reads_every_part() -> None:
    # GA resolutions in parts: part A closes with its meeting line, part B opens with the organ
    # as subject again; part B's text and citations belong to the resolution, and its
    # operative paragraphs (numbered from 1 again) stay operative
    text = ("A/RES/80/9\nThe General Assembly,\nRecalling its resolution 78/10,\n"
            "1. Requests the Secretary-General to report to it;\n"
            "47th plenary meeting\n4 December 2025\n"
            "B Policies and activities\nThe General Assembly,\n"
            "Reaffirming its resolution 13 (I) of 13 February 1946,\n"
            "1. Decides to continue to apply resolution 79/2;\n"
            "2. Requests the Secretary-General to report to it;\n"
            "48th plenary meeting\n5 December 2025\n")
    res = extract_text(text, lang="en")
    assert {"A/RES/78/10", "A/RES/13(I)", "A/RES/79/2"} <= set(cites(res))
    assert [p.kind for p in res.paragraphs] == ["preambular", "operative", "preambular",
                                                 "operative", "operative"]
    assert len({p.key for p in res.paragraphs}) == 5
    assert res.meeting == "48"


def test_clause_end_is_read_from_the_end_of_the_line() -> None:
    assert extract._ends_clause("Recalling its resolution 78/10, of 2023,  ")
    assert extract._ends_clause("the Charter of the United Nations;1")
    assert extract._ends_clause("as follows:” (12)")
    assert not extract._ends_clause("Recalling, in particular, its resolution")
