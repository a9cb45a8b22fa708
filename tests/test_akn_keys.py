"""AKN4UN reader, follow-ups of issue 9: paragraph keys that align across the six language
versions, no self-citation, and the text extractor's findings merged with the editors' links.

Unit cases use small AKN documents written here; the real cases read ../shared/corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from resograph.graph import akn
from resograph.graph.akn import parse_akn, parse_akn_bytes, symbol_from_href
from resograph.graph.model import ParsedResolution, ParseError

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
FOLDERS = ("english", "french", "spanish", "russian", "arabic", "chinese")


def _doc(body: str, *, lang: str = "eng", symbol: str = "A/RES/79/999",
         editor: str = "#dgacm", annex: str = "") -> bytes:
    """A minimal AKN4UN statement around ``body`` (preamble and mainBody markup)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="{NS}"><statement name="resolution"><meta>
<identification source="#x"><FRBRWork><FRBRthis value="/w"/><FRBRuri value="/w"/>
<FRBRdate date="2024-12-17" name="adoption"/><FRBRauthor href="#ga"/>
<FRBRcountry value="un"/></FRBRWork><FRBRExpression><FRBRthis value="/e"/>
<FRBRuri value="/e"/><FRBRdate date="2024-12-20" name="publication"/>
<FRBRauthor href="#ga"/><FRBRlanguage language="{lang}"/></FRBRExpression>
<FRBRManifestation><FRBRthis value="/m"/><FRBRuri value="/m"/>
<FRBRdate date="2025-01-01" name="markup"/><FRBRauthor href="{editor}"/>
</FRBRManifestation></identification></meta>
<coverPage><p><docNumber>{symbol}</docNumber></p></coverPage>
{body}{annex}</statement></akomaNtoso>""".encode()


def _pre(eid: str, text: str) -> str:
    return f'<container name="x" eId="{eid}"><p>{text}</p></container>'


def _op(eid: str, num: str | None, text: str) -> str:
    n = f"<num>{num}</num>" if num is not None else ""
    return f'<paragraph eId="{eid}">{n}<content><p>{text}</p></content></paragraph>'


def _keys(r: ParsedResolution) -> list[tuple[str, str, int]]:
    return [(p.key or "", p.kind, p.number) for p in r.paragraphs]


# --------------------------------------------------------------------------- keys, unit cases
def test_keys_do_not_depend_on_eids() -> None:
    """Two versions with different eIds (one extra heading shifts the UN's counter) get the
    same keys: preambular by position, operative by printed number."""
    a = _doc("<preamble>" + _pre("container_2", "Recalling x,") + _pre("container_3", "Noting y,")
             + "</preamble><mainBody>" + _op("para_4", "1.", "Decides a;")
             + _op("para_5", "2.", "Requests b.") + "</mainBody>")
    b = _doc("<preamble>" + _pre("container_2", "Rappelant x,") + _pre("container_4", "Notant y,")
             + "</preamble><mainBody>" + _op("para_6", "1.", "Décide a ;")
             + _op("para_9", "2.", "Prie b.") + "</mainBody>", lang="fra")
    ra, rb = parse_akn_bytes(a, "a.xml"), parse_akn_bytes(b, "b.xml")
    assert _keys(ra) == _keys(rb) == [("pre1", "preambular", 1), ("pre2", "preambular", 2),
                                      ("op1", "operative", 1), ("op2", "operative", 2)]
    assert [p.eid for p in rb.paragraphs] == ["container_2", "container_4", "para_6", "para_9"]


def test_preamble_inside_the_main_body() -> None:
    """Some Arabic files put the preambular paragraphs in mainBody, unnumbered."""
    doc = _doc("<preamble/><mainBody>" + _op("para_2", None, "رغبةً منها في تعزيز التعاون،")
               + _op("para_3", "1 -", "تقرر دعوة المنظمة؛") + "</mainBody>", lang="ara")
    assert _keys(parse_akn_bytes(doc, "ar.xml")) == [("pre1", "preambular", 1),
                                                      ("op1", "operative", 1)]


def test_number_printed_in_the_text_and_misprinted_numbers() -> None:
    """``<num>`` missing (the number is in the text) and a number printed twice: the key is
    the number the sequence and the other languages give."""
    doc = _doc("<mainBody>" + _op("p1", "1.", "Decides a;") + _op("p2", None, "2 – Notes b;")
               + _op("p3", "3.", "Notes c;") + _op("p4", "3.", "Urges d;")
               + _op("p5", "5.", "Decides e.") + "</mainBody>")
    r = parse_akn_bytes(doc, "x.xml")
    assert [p.key for p in r.paragraphs] == ["op1", "op2", "op3", "op4", "op5"]
    assert r.paragraphs[1].text == "Notes b;"


def test_numbering_restarted_in_parts_and_unnumbered_blocks() -> None:
    doc = _doc("<mainBody><part eId='part_1'>" + _op("a", "1.", "Decides a;")
               + _op("b", "2.", "Decides b:") + _op("c", None, "(a) first item;")
               + "</part><part eId='part_2'>" + _op("d", "1.", "Notes c;") + "</part>"
               "</mainBody>",
               annex="<attachments><attachment><doc name='annex'><mainBody>"
                     + _op("e", None, "Annex heading text.") + _op("f", "1.", "Annex one.")
                     + _op("g", None, "Annex follow-up.")
                     + "</mainBody></doc></attachment></attachments>")
    r = parse_akn_bytes(doc, "x.xml")
    keys = [p.key for p in r.paragraphs]
    assert keys == ["s1__op1", "s1__op2", "s1__op2_1", "s2__op1",
                    "annex1__u1", "annex1__n1", "annex1__n1_1"]
    assert len(set(keys)) == len(keys)


def test_own_export_keeps_its_keys() -> None:
    """resograph's export writes the keys as eIds (FRBRManifestation author #resograph)."""
    doc = _doc("<mainBody>" + _op("annex1__n4", None, "Kept as written.")
               + _op("op7", "7.", "Decides.") + "</mainBody>", editor="#resograph")
    assert [p.key for p in parse_akn_bytes(doc, "own.xml").paragraphs] == ["annex1__n4", "op7"]


# --------------------------------------------------------------------------- keys, real files
def _versions(corpus: Path, folder: str, stem: str) -> dict[str, ParsedResolution]:
    out = {}
    for lang in FOLDERS:
        found = sorted((corpus / folder / lang).glob(f"{stem}*.xml"))
        if found:
            out[lang] = parse_akn(found[0], with_text_extraction=False)
    assert len(out) >= 5, stem
    return out


@pytest.mark.parametrize("stem", [
    "A_RES_79_130-",  # Spanish eIds shifted by one
    "A_RES_79_131-",  # Arabic preamble in mainBody
    "A_RES_79_133-",  # Arabic paragraph 33 numbered in the text
    "A_RES_79_134-",  # Chinese numbers in the text, with direction marks
    "A_RES_79_138-",  # Arabic prints 11 for 10
    "A_RES_79_319-",  # French prints 12, 12, 13, 14 for 12, 13, 14, 15
])
def test_keys_align_across_the_six_languages(corpus: Path, stem: str) -> None:
    versions = _versions(corpus, "unga-akn/79", stem)
    keys = {lang: [p.key for p in r.paragraphs if p.kind != "other"]
            for lang, r in versions.items()}
    assert len({tuple(k) for k in keys.values()}) == 1, {k: len(v) for k, v in keys.items()}
    for r in versions.values():
        all_keys = [p.key for p in r.paragraphs]
        assert len(all_keys) == len(set(all_keys)), r.file
    if stem in ("A_RES_79_130-", "A_RES_79_131-"):  # the UN's eIds do not align here
        eids = {tuple(p.eid for p in r.paragraphs) for r in versions.values()}
        assert len(eids) > 1


def test_keys_align_where_the_versions_have_equal_paragraph_counts(corpus: Path) -> None:
    """A sample of Security Council resolutions: every key in all six versions."""
    files = sorted((corpus / "unsc-akn/2023/english").glob("S_RES_*.xml"))[:25]
    checked = 0
    for f in files:
        versions = _versions(corpus, "unsc-akn/2023", f.name.split("_E")[0].rsplit("-", 1)[0])
        if len({len(r.paragraphs) for r in versions.values()}) != 1:
            continue
        keys = {tuple(p.key for p in r.paragraphs) for r in versions.values()}
        assert len(keys) == 1, f.name
        checked += 1
    assert checked >= 15


# --------------------------------------------------------------------------- self-citation
def test_no_self_citation(corpus: Path) -> None:
    """The editors link S/RES/2713 (2023) to itself; a resolution never cites itself."""
    f = sorted((corpus / "unsc-akn/2023/english").glob("S_RES_2713*.xml"))[0]
    tree = etree.parse(str(f))
    own_links = [a for a in tree.iter(f"{{{NS}}}a")
                 if (t := symbol_from_href(a.get("href", ""))) and t[0] == "S/RES/2713 (2023)"]
    assert own_links, "the file links its own symbol (the case this test is about)"
    for with_text in (False, True):
        r = parse_akn(f, with_text_extraction=with_text)
        assert r.symbol == "S/RES/2713 (2023)"
        assert r.citations and all(c.target != r.symbol for c in r.citations)


# --------------------------------------------------------------------------- text extractor
def _cites(body: str, **kw: object) -> ParsedResolution:
    return parse_akn_bytes(_doc(body), "cites.xml", **kw)  # type: ignore[arg-type]


BODY = ("<preamble>" + _pre("c2", 'Recalling its resolution <a href="https://undocs.org/en/A/RES/'
                                   '78/91">78/91</a> and its resolution 77/13 of 7 December 2022,')
        + _pre("c3", "Guided by the Charter of the United Nations,") + "</preamble><mainBody>"
        + _op("p4", "1.", "Recalls resolution 79/999 and decides to remain seized.")
        + "</mainBody>")


def test_text_extractor_adds_what_the_editors_did_not_link() -> None:
    links_only = _cites(BODY, with_text_extraction=False)
    assert {(c.target, c.method) for c in links_only.citations} == \
        {("A/RES/78/91", "akn-link")}
    r = _cites(BODY)
    found = {(c.target, c.type, c.paragraph, c.method, c.as_cited_date) for c in r.citations}
    assert ("A/RES/77/13", "resolution", "pre1", "text", "2022-12-07") in found
    assert ("charter", "instrument", "pre2", "text", None) in found
    assert ("A/RES/78/91", "resolution", "pre1", "akn-link", None) in found
    assert all(c.target != "A/RES/79/999" for c in r.citations), "never the own symbol"
    text = next(c for c in r.citations if c.target == "A/RES/77/13")
    assert text.verb == r.paragraphs[0].verb


def test_extractor_failure_keeps_the_links(monkeypatch: pytest.MonkeyPatch) -> None:
    from resograph.graph import extract

    def broken(*_a: object, **_k: object) -> ParsedResolution:
        raise ParseError("boom", source="x")

    monkeypatch.setattr(extract, "extract_text", broken)
    r = _cites(BODY)
    assert [(c.target, c.method) for c in r.citations] == [("A/RES/78/91", "akn-link")]
    monkeypatch.setitem(__import__("sys").modules, "resograph.graph.extract", None)
    assert akn.add_text_citations(r) == 0  # not importable: links only


def test_text_citations_on_a_real_file(corpus: Path) -> None:
    """The French Pact for the Future (A/RES/79/1): the extractor finds resolutions the
    editors did not link, with their dates, and instruments by name."""
    f = sorted((corpus / "unga-akn/79/french").glob("A_RES_79_1-*.xml"))[0]
    links = parse_akn(f, with_text_extraction=False)
    r = parse_akn(f)
    assert {c.method for c in links.citations} == {"akn-link"}
    text = [c for c in r.citations if c.method == "text"]
    by_target = {c.target: c for c in text}
    assert by_target["E/RES/1996/31"].as_cited_date == "1996-07-25"
    assert by_target["E/RES/1996/31"].type == "resolution"
    assert "charter" in by_target and by_target["charter"].type == "instrument"
    linked = {(c.target, c.paragraph, c.in_note) for c in links.citations}
    assert not any((c.target, c.paragraph, c.in_note) in linked for c in text)
    keys = {p.key for p in r.paragraphs}
    assert all(c.paragraph in keys for c in r.citations)
    assert all(c.target != r.symbol for c in r.citations)


def test_extractor_dates_fill_linked_citations() -> None:
    """"35/127 and 35/128 of 11 December 1980": the date follows only the second link; the
    extractor gives it to both, the link keeps its provenance."""
    link = '<a href="https://undocs.org/en/A/RES/{0}">{0}</a>'
    body = ("<preamble>" + _pre("c2", "Recalling its resolutions " + link.format("35/127")
                                + " and " + link.format("35/128") + " of 11 December 1980,")
            + "</preamble><mainBody>" + _op("p3", "1.", "Decides.") + "</mainBody>")
    before = {c.target: c.as_cited_date for c in _cites(body, with_text_extraction=False).citations}
    assert before == {"A/RES/35/127": None, "A/RES/35/128": "1980-12-11"}
    after = _cites(body).citations
    assert {(c.target, c.as_cited_date, c.method) for c in after} == {
        ("A/RES/35/127", "1980-12-11", "akn-link"), ("A/RES/35/128", "1980-12-11", "akn-link")}
