"""Property-based robustness: arbitrary text and bytes give a result or a ParseError.

The extractor's safety net (which would turn any internal exception into a ParseError) is
switched off here, so these tests see real bugs.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resograph.graph import extract, lexicons, readers
from resograph.graph.model import ParsedResolution, ParseError

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

# Fragments of the shapes the extractor reacts to, to reach deep into its rules.
FRAGMENTS = [
    "Resolution 687 (1991)\nof 3 April 1991\n", "The Security Council,\n", "Le Conseil des droits "
    "de l'homme,\n", "Recalling its resolutions ", "Rappelant ses résolutions ", "660 (1990)",
    " of 2 August 1990", " du 18 juin 2007", ", 661\n(1990)", " and ", " et ", "48/141",
    "ES-10/2", "S-35/1", "181 (II) A", "377 A (V)", "186 (S-2)", "2005/74", "1503 (XLVIII)",
    "77/2285", "(l990)", "**", "*", "^e", "\n\n", "1. ", "2. Requests the Secretary-General to ",
    "Prie le Haut-Commissaire d'établir un rapport à sa soixantième session", ", annex",
    "paragraph 8 of resolution 686 (1991)", "General Assembly resolution ", "de l'Assemblée "
    "générale", "Council resolution 49/7", "the Charter of the United Nations", "\f",
    "__________________\n1 Resolution 217 A (III).\n", "A/RES/79/1\n24-16433\n2/56\n",
    "Adopted at the 2982nd meeting by 10\nvotes to 3, with 2 abstentions.", "[Adoptée sans vote.]",
    "35e séance\n11 juillet 2024", "Agenda item 26 (b)\n", "Point 10 de l'ordre du jour\n",
    "Seventy-ninth session\n", "56/15. Titre\n", "\u200b", "\x00", "\r\n", "‘’“”", "résolution",
]

texty = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)),
                 max_size=40).map("".join)


@pytest.fixture(autouse=True)
def _strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "SAFETY_NET", False)


def _check(text: str, lang: str | None = None) -> None:
    try:
        result = extract.extract_text(text, lang=lang, source="fuzz.txt")
    except ParseError:
        return
    assert isinstance(result, ParsedResolution)
    assert result.symbol
    assert all(c.target != result.symbol for c in result.citations)
    assert all(c.as_cited_date is None or len(c.as_cited_date) == 10 for c in result.citations)
    ParsedResolution.from_json(result.to_json())


@SETTINGS
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    _check(text)


@SETTINGS
@given(texty, st.sampled_from([None, *lexicons.available()]))
def test_resolution_like_text(text: str, lang: str | None) -> None:
    _check(text, lang)


@SETTINGS
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".pdf", ".docx"]))
def test_arbitrary_bytes_through_readers(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"S_RES_0001_1946{suffix}"
        f.write_bytes(data)
        try:
            text = readers.read_text(f)
        except ParseError:
            return
        assert isinstance(text, str)
        with contextlib.suppress(ParseError):
            extract.extract_file(f)


@SETTINGS
@given(texty)
def test_bytes_of_resolution_like_text_in_other_encodings(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "A_HRC_RES_56_15.txt"
        f.write_bytes(text.encode("cp1252", errors="replace"))
        with contextlib.suppress(ParseError):
            extract.extract_file(f)


def test_long_pathological_inputs_stay_linear() -> None:
    """Inputs built to stress the list and topic patterns finish (no catastrophic backtracking)."""
    many = "Recalling its resolutions " + ", ".join(f"{i}/{i}" for i in range(31, 2000)) + ","
    topic = "Recalling its resolution 70/1 on " + "a " * 20000 + "and 71/2 of 1 May 2017,"
    digits = "resolution " + "1" * 5000
    for text in (many, topic, digits, "(" * 10000, "/" * 10000):
        with contextlib.suppress(ParseError):
            extract.extract_text("A/RES/79/1\n\nThe General Assembly,\n\n" + text, lang="en")
