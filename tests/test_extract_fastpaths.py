"""The extractor's fast paths give what the plain regex passes they replace would give.

Each speed-up of the extractor (issue 10) claims to change no output: these tests compare
each fast path with the slow computation it stands for, on texts built from the shapes
that reach it, so that a later edit of a lexicon or of the code cannot make them diverge
silently.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resograph.graph import extract, lexicons

LANGS = ["en", "fr", "es", "ru", "ar", "zh"]
SETTINGS = settings(max_examples=200, deadline=None)

# spaces of every kind \s knows, words, digits, and the case-folding oddities of the engine
# (Kelvin sign, long s, dotted and dotless i)
ODD = [" ", "  ", "\n", "\t", "\u00a0", "\u2009", "\u3000", "\x1c", "\u0085", "\u212a",
       "\u017f", "\u0130", "\u0131", "-", ",", ";", ":", "(", ")", "1", "12 ", "2024"]


def _fragments(code: str) -> list[str]:
    d = lexicons.load(code).data
    words = [*d["resolution_words"], *d.get("decision_words", []), *d["list_conjunctions"],
             *d.get("adverbs", []), *(v for vs in d["verbs"].values() for v in vs)]
    return [*words, *(w.upper() for w in words), *(w.lower() for w in words), *ODD]


def _texts(code: str) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(_fragments(code)), st.text(max_size=8)),
                    max_size=30).map("".join)


@SETTINGS
@given(st.lists(st.sampled_from([*ODD, "a", "b"]), max_size=30).map("".join))
def test_squash_is_the_white_space_substitution(text: str) -> None:
    assert extract._squash(text) == extract._WS.sub(" ", text)


@pytest.mark.parametrize("code", LANGS)
def test_keyword_cores_cover_every_keyword_form(code: str) -> None:
    """Every cased form of every resolution or decision word holds a core after word
    characters only: the walk back from a core then reaches every keyword start."""
    p = extract._patterns(code)
    if not p.kw_cores:
        return
    d = p.lex.data
    for form in extract._cased([*d["resolution_words"], *d.get("decision_words", [])]):
        assert any(
            any(all(ch.isalnum() or ch == "_" for ch in form[:m.start()])
                for m in re.finditer(re.escape(core), form))
            for core in p.kw_cores), (code, form)


def test_keyword_cores_are_used_where_they_pay() -> None:
    assert extract._patterns("ar").kw_cores  # the language this was made for
    assert not extract._patterns("zh").kw_cores  # no word boundaries to walk back to


@pytest.mark.parametrize("code", ["en", "fr", "ru", "ar"])
def test_anchors_from_cores_equal_the_prefilter_scan(code: str) -> None:
    p = extract._patterns(code)
    slow = extract._Patterns(**{**p.__dict__, "kw_cores": ()})

    @SETTINGS
    @given(_texts(code))
    def check(text: str) -> None:
        a = extract._Extraction("x", code, None)
        b = extract._Extraction("x", code, None)
        b.p = slow
        assert a._anchors(text) == b._anchors(text)

    check()


@pytest.mark.parametrize("code", LANGS)
def test_verb_scan_lead_class_prunes_nothing(code: str) -> None:
    """The first-letter class in front of verb_after only skips positions where it cannot
    match: the scan finds the same clause-initial verbs with and without it."""
    p = extract._patterns(code)
    lead = re.search(r"\(\?=\[[^\]]*\]\)", p.verb_scan.pattern)
    assert lead is not None
    plain = re.compile(p.verb_scan.pattern.replace(lead.group(0), "", 1))

    @SETTINGS
    @given(_texts(code))
    def check(text: str) -> None:
        assert [(m.start(), m.group("verb")) for m in p.verb_scan.finditer(text)] == \
            [(m.start(), m.group("verb")) for m in plain.finditer(text)]

    check()


def test_first_chars_follow_the_engine_case_folding() -> None:
    cls = re.compile(extract._first_chars(["kelvin", "sample", "idea"]))
    for ch in "kK\u212asS\u017fiI\u0130\u0131":
        assert cls.match(ch), ch
    assert not cls.match("x")


@SETTINGS
@given(st.lists(st.sampled_from(["\n", " ", "إن ", "الجمعية العامة", "،", ",", "12 - ", "x"]),
                max_size=30).map("".join))
def test_line_led_rewrites_equal_the_plain_substitution(text: str) -> None:
    """A multiline rule opening with ^ (the Arabic "إن ...،" line) is applied through its
    newline-led twin; the result is the one of re.sub."""
    rules = extract._patterns("ar").text_rewrites
    led_rules = [(rx, repl) for rx, repl in rules if extract._led_by_newline(rx) is not None]
    assert led_rules
    for rx, repl in led_rules:
        led = extract._led_by_newline(rx)
        assert led is not None
        assert extract._sub_led(rx, led, repl, text) == rx.sub(repl, text)  # type: ignore[call-overload]


HEADER = ("United Nations\nA/RES/79/9\n \nGeneral Assembly\nDistr.: General\n1 December 2024\n"
          " \n24-99999 (E)\n*2499999*\n \nSeventy-ninth session\nAgenda item 9\n\n"
          "Resolution adopted by the General Assembly\non 1 December 2024\n\n"
          " A title whose number the text layer lost\n\nThe General Assembly,\n\n")
BODY = ("Recalling its resolution 78/1 of 1 December 2023,\n\n"
        "1. Requests the Secretary-General to report on the matter;\n\n")
PAGE = "A/RES/79/9\nA title whose number the text layer lost\n24-99999\n2/3\n"


def test_symbol_printed_only_in_the_page_header_is_read() -> None:
    """The own-symbol line of the first page goes with the header cluster beside it; with no
    numbered title and no file name, it still identifies the resolution."""
    text = HEADER + BODY + PAGE + BODY.replace("1.", "2.") + PAGE.replace("2/3", "3/3")
    res = extract.extract_text(text, lang="en", source="not a file name")
    assert res.symbol == "A/RES/79/9"
    assert "A/RES/78/1" in {c.target for c in res.citations}
