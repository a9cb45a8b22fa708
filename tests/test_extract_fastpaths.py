"""The extractor's fast paths give what the plain regex passes they replace would give.

Each speed-up of the extractor (issue 10) claims to change no output: these tests compare
each fast path with the slow computation it stands for, on texts built from the shapes
that reach it, so that a later edit of a lexicon or of the code cannot make them diverge
silently.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
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


# ---------------------------------------------------------------- anchored scans (issue 10)

#: a run of characters no anchor literal holds: a text padded with it leaves the anchored
#: paths a budget of starts to try (they give up on short texts, where the plain scan is cheap)
PAD = "." * 4000


def _phrase_fragments(code: str) -> list[str]:
    """Instrument and organ names, their first words, Arabic clitics, digits and spaces."""
    d = lexicons.load(code).data
    names = [*d["instruments"], *(n for ns in d["organs"].values() for n in ns)]
    firsts = [n.split()[0] for n in names if n.split()]
    return [*names, *firsts, *(n[:-1] for n in names), "و", "ب", "ل", "لل", "ال", "وب", " ",
            "(", "\n", "x", "1", "،", *ODD]


def _phrase_texts(code: str) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(_phrase_fragments(code)), st.text(max_size=4)),
                    max_size=25).map("".join)


@pytest.mark.parametrize("code", LANGS)
@pytest.mark.parametrize("which", ["instrument", "full_organ"])
def test_anchored_finditer_equals_finditer(code: str, which: str) -> None:
    """The first-word anchors of the instrument and organ trees find the matches finditer
    finds (same spans, same names), where the texts' matches overlap or sit inside words."""
    p = extract._patterns(code)
    anchors = p.instrument_anchors if which == "instrument" else p.full_organ_anchors
    if anchors is None:
        return
    rx = getattr(p, which)

    @SETTINGS
    @given(_phrase_texts(code))
    def check(text: str) -> None:
        found = extract._anchored_finditer(rx, anchors, text + PAD)
        assert found is not None
        assert [(m.span(), m.group()) for m in found] == \
            [(m.span(), m.group()) for m in rx.finditer(text + PAD)]

    check()


def test_anchors_are_used_where_they_pay() -> None:
    p = extract._patterns("ar")
    assert p.instrument_anchors and p.full_organ_anchors  # the language this was made for
    assert extract._patterns("en").full_organ_anchors
    # too many first words: the plain scan
    assert extract._first_word_anchors([f"w{i} x" for i in range(20)]) is None
    assert extract._first_word_anchors(["’quoted name"]) is None
    assert extract._first_word_anchors(["name", " "]) is None
    # a first word that holds another is found by the other's scan, at its offset
    assert extract._first_word_anchors(["الميثاق", "ميثاق الأمم"]) == (("ميثاق", (0, 2)),)


@SETTINGS
@given(st.lists(_phrase_texts("ar"), max_size=6))
def test_instrument_hits_equal_each_text_alone(texts: list[str]) -> None:
    ex = extract._Extraction("x", "ar", None)
    texts = [t + PAD for t in texts]
    hits = ex._instrument_hits(texts)
    if texts:
        assert hits is not None
        assert hits == [[(m.start(), m.group("name")) for m in ex.p.instrument.finditer(t)]
                        for t in texts]


#: rewrites of every shape _anchor reads: a class and clitics before a look-ahead (the Arabic
#: rule), a look-behind holding the literal, a literal after a bounded repeat, a branch, a
#: replacement function
SYNTHETIC_RULES = [
    (r"([\s(])(w|b|wb)(?=(?:al)?(?:treaty|pact|charter))", r"\1\2 "),
    (r"\d(?<=abc\d)x?", "#"),
    (r"[xy]{1,3}(?:cat|dog)s?", lambda m: m.group().upper()),
    (r"(?:\(|\s)(?:one|two)(?=\d)", "<>"),
]
SYNTHETIC_ALPHABET = ["w", "b", "wb", "al", "treaty", "pact", "charter", "abc", "1", "x", "y",
                      "cat", "dog", "s", "one", "two", " ", "(", "\n", "xy", "trea", "ab",
                      # the longest reaches, whole
                      " wbal", "(wbal", " wb", "abc1", "xyy", "xxx", "(one"]


@pytest.mark.parametrize(("pattern", "repl"), SYNTHETIC_RULES)
def test_anchored_rewrite_equals_the_substitution(pattern: str, repl: object) -> None:
    rx = re.compile(pattern)
    anchor = extract._anchor(rx)
    assert anchor is not None and min(map(len, anchor[0])) >= 3

    @SETTINGS
    @given(st.lists(st.sampled_from(SYNTHETIC_ALPHABET), max_size=40).map("".join))
    def check(text: str) -> None:
        got = extract._sub_anchored(rx, anchor, repl, text + PAD, {})
        assert got == rx.sub(repl, text + PAD)  # type: ignore[call-overload]

    check()


def test_anchor_reads_offsets() -> None:
    assert extract._anchor(re.compile(r"([\s(])(w|b|wb)(?=(?:al)?(?:treaty|pact))")) == \
        (("pact", "treaty"), 2, 5)
    assert extract._anchor(re.compile(r"\d(?<=abc\d)")) == (("abc",), -3, -3)
    # no anchor: a literal prefix (the engine's own scan), an unbounded gap, case folding,
    # literals too short, an empty match
    for pattern, flags in ((r"abc\d", 0), (r"\d\s+(?:abc|def)", 0), (r"\d(?:abc|def)", re.I),
                           (r"\d(?:ab|def)", 0), (r"(?:abc)?", 0)):
        assert extract._anchor(re.compile(pattern, flags)) is None, pattern


@SETTINGS
@given(_phrase_texts("ar"))
def test_arabic_scan_rewrites_equal_the_substitutions(text: str) -> None:
    """The Arabic rules, anchored where they can be (the clitic rule), give what each
    rule's re.sub gives, one after the other."""
    rules = extract._patterns("ar").scan_rewrites
    assert any(extract._anchor(rx) for rx, _ in rules)
    slow = text + PAD
    for rx, repl in rules:
        slow = rx.sub(repl, slow)  # type: ignore[call-overload]
    assert extract._apply(rules, text + PAD) == slow


# ---------------------------------------------------------------- digits, keywords, spaces

DIGITS = ["0", "7", "٣", "۵", "５", "०", "\U0001d7ce", "\u200f", "\ufeff", " ", "ا", "a", "-",
          "\n", "**"]


@SETTINGS
@given(st.lists(st.sampled_from(DIGITS), max_size=20).map("".join), st.integers(0, 30),
       st.integers(0, 30))
@example("ا०ا", 0, 3)
@example("٣ ا\U0001d7ce", 2, 2)
def test_document_digit_test_equals_the_regex_test(text: str, a: int, b: int) -> None:
    """After _clean, the document's digit test (ASCII only, when the document holds no
    other digit) answers as _has_digit on any piece of the document and of its scan copy."""
    ex = extract._Extraction("x", "ar", None)
    clean = ex._clean(text)
    for piece in (clean[a:a + b], ex._scan_texts([clean[a:a + b]])[0]):
        assert ex._has_digit(piece) == extract._has_digit(piece)


def test_odd_characters_hold_every_other_digit() -> None:
    """_clean's scan and astral test find any digit that is no ASCII digit (so that a
    document said to hold none holds none)."""
    for c in range(0x110000):
        ch = chr(c)
        if extract._OTHER_DIGIT.match(ch):
            assert extract._ODD_CHARS.match(ch) or extract._has_astral("a" + ch), hex(c)
    assert extract._OTHER_DIGIT.match("٣") and not extract._OTHER_DIGIT.match("3")
    assert extract._has_astral("x\U0001d7ce") and not extract._has_astral("ا\ud800")


@pytest.mark.parametrize("code", LANGS)
def test_rewrites_write_no_other_digit(code: str) -> None:
    """The lexicon rewrites copy the text's digits and write none beyond ASCII: a text
    without such digits gives pieces and scan copies without them (_has_digit relies on it)."""
    d = lexicons.load(code).data
    for key in ("text_rewrites", "scan_rewrites"):
        for _, repl in d.get(key, []):
            assert not extract._OTHER_DIGIT.search(repl), (code, key, repl)
    for repl in d.get("scan_translate", {}).values():
        assert not extract._OTHER_DIGIT.search(repl or ""), (code, repl)


@pytest.mark.parametrize("code", ["en", "fr", "ru", "ar"])
def test_keyword_presence_test_equals_the_search(code: str) -> None:
    ex = extract._Extraction("x", code, None)
    assert ex.p.kw_cores

    @SETTINGS
    @given(_texts(code))
    def check(text: str) -> None:
        assert ex._holds_keyword(text) == (ex.p.keyword.search(text) is not None)

    check()


def test_space_class_is_backslash_s() -> None:
    cls = re.compile("[" + extract._spaces() + "]")
    for c in range(0x110000):
        assert bool(cls.match(chr(c))) == bool(re.match(r"\s", chr(c))), hex(c)


@SETTINGS
@given(st.lists(st.sampled_from(["1", "12", "١", "०", ".", " ", "\u3000", "\n", "a", "ا"]),
                max_size=8).map("".join))
def test_numbered_line_test_equals_the_regex(line: str) -> None:
    fast, slow = extract._numbered(line), extract._NUMBERED.match(line)
    assert (fast and fast.span()) == (slow and slow.span())


@pytest.mark.parametrize("code", ["ar", "zh"])
def test_ascii_twins_rewrite_alike_where_digits_are_ascii(code: str) -> None:
    """On a text without other digits, the rewrites that open with \\d give through their
    [0-9] twins what they give themselves (and the twins are used: the languages have some)."""
    p = extract._patterns(code)
    rules = [*p.scan_rewrites, *p.text_rewrites]
    assert any(extract._ascii_twin(rx) is not rx for rx, _ in rules)
    # the shapes the rules rewrite, as likely as all the lexicon's words together
    shapes = ["12 ", "3 ألف (", "5 باء(", "7 A", "٣", "10 ألف (", "0 باء (", "0 A号",
              "20 B 和 C 号", " ", "("]
    frags = st.one_of(st.sampled_from(shapes),
                      st.sampled_from([*_fragments(code), *_phrase_fragments(code)]))

    @SETTINGS
    @given(st.lists(frags, max_size=25).map("".join))
    def check(text: str) -> None:
        if extract._OTHER_DIGIT.search(text):
            return
        for group in (p.scan_rewrites, p.text_rewrites):
            assert extract._apply(group, text, True) == extract._apply(group, text)

    check()
