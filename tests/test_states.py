"""Member states: every voter name in the AKN corpus maps to an ISO 3166-1 alpha-3 code."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest
from lxml import etree

from resograph.graph.akn import AKN_NS
from resograph.graph.states import UnknownStateError, all_states, by_code, state_for


def test_table_is_the_un_membership() -> None:
    states = all_states()
    members = [s for s in states if s.status == "member"]
    assert len(members) == 193
    assert {s.code for s in states if s.status == "observer"} == {"PSE", "VAT"}
    assert len({s.code for s in states}) == len(states)
    for s in states:
        assert pycountry.countries.get(alpha_3=s.code) is not None, s.code
        assert s.names["en"] == s.name_en
        assert set(s.names) == {"en", "fr", "es", "ru", "ar", "zh"}, s.code


@pytest.mark.parametrize(("name", "code"), [
    ("BOLIVIA (PLURINATIONAL STATE OF)", "BOL"),
    ("TÜRKİYE", "TUR"),
    ("TÜRKÝYE", "TUR"),  # mis-encoded in some corpus files
    ("Türkiye", "TUR"),
    ("DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", "PRK"),
    ("REPUBLIC OF KOREA", "KOR"),
    ("CONGO", "COG"),
    ("DEMOCRATIC REPUBLIC OF THE CONGO", "COD"),
    ("NIGER", "NER"),
    ("NIGERIA", "NGA"),
    ("COTE D'IVOIRE", "CIV"),
    ("Côte d’Ivoire", "CIV"),
    ("NETHERLANDS (KINGDOM OF THE)", "NLD"),
    ("UNITED KINGDOM", "GBR"),
    ("UNITED STATES", "USA"),
    ("State of Palestine", "PSE"),
    ("GUINEA", "GIN"),
    ("GUINEA-BISSAU", "GNB"),
    ("EQUATORIAL GUINEA", "GNQ"),
    ("PAPUA NEW GUINEA", "PNG"),
])
def test_un_names(name: str, code: str) -> None:
    assert state_for(name).code == code


def test_unknown_names_raise() -> None:
    with pytest.raises(UnknownStateError, match="Atlantis"):
        state_for("Atlantis")
    with pytest.raises(UnknownStateError):  # a territory, not a UN voter
        state_for("Puerto Rico")
    assert by_code("fra").name_en == "France"


def test_every_corpus_voter_name_is_mapped(corpus: Path) -> None:
    files = [*corpus.glob("unga-akn/*/*/*.xml"), *corpus.glob("unsc-akn/*/*/*.xml")]
    assert len(files) > 2000
    names: set[str] = set()
    tag = f"{{{AKN_NS}}}organization"
    for f in files:
        for _, el in etree.iterparse(str(f), tag=tag, resolve_entities=False, no_network=True):
            if el.get("refersTo") == "memberState" and el.text:
                names.add(el.text.strip())
    unmapped = []
    for name in sorted(names):
        try:
            state_for(name)
        except UnknownStateError:
            unmapped.append(name)
    assert len(names) >= 190
    assert unmapped == []
