"""UN Member States (and non-member observer States): names as the UN writes them -> ISO codes.

Votes in the UN's AKN4UN files name each state the UN's way, in upper case and in English in
every language version (``BOLIVIA (PLURINATIONAL STATE OF)``, ``TÜRKİYE``, sometimes with a
mis-encoded letter: ``TÜRKÝYE``). ISO 3166-1 (pycountry) names differ for a dozen of them
(``Bolivia, Plurinational State of``), so the authoritative table is ``data/states.csv``: the
193 Member States and 2 observer States with their alpha-3 code, the UN English short name and
other spellings seen in UN documents. pycountry supplies names in the other official languages
(its gettext catalogues; the table's ``names`` column overrides the few where the UN writes
them otherwise, e.g. ``République de Corée`` for ISO's ``Corée, République de``) and is the
fallback for spellings the table does not list, restricted to codes in the table so that a
territory never becomes a voter.

One stable IRI per state is minted from the alpha-3 code (``vocab`` ``BASE + "state/FRA"``).
"""

from __future__ import annotations

import csv
import gettext
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import pycountry

#: The six official languages and the gettext locale pycountry uses for each.
_LOCALES = {"fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh_CN"}


class UnknownStateError(KeyError):
    """A name that is neither in the UN table nor resolvable by pycountry to a UN state."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name

    def __str__(self) -> str:
        return f"unknown member state name {self.name!r} (add it to graph/data/states.csv aliases)"


@dataclass(frozen=True)
class State:
    """A UN Member State or observer State: ``code`` is ISO 3166-1 alpha-3."""

    code: str
    name_en: str
    names: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    status: str = "member"  # member | observer


def _key(name: str) -> str:
    """Lookup key: upper case, accents and typographic apostrophes folded, spaces collapsed.

    ``TÜRKİYE``, ``Türkiye`` and ``TURKIYE`` meet; so do ``Côte d'Ivoire`` and ``COTE D’IVOIRE``.
    """
    s = name.replace("\u2019", "'").replace("\u0131", "i").replace("\u0130", "I")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.upper().split())


#: Languages written in another script than English: a Latin-script "translation" there is
#: the catalogue's untranslated English name (pycountry's ar catalogue lacks "Türkiye").
_NON_LATIN = frozenset({"ru", "ar", "zh"})
#: ISO's inverted short forms ("Corée, République de", "كوريا، جمهوريّة كوريا"): the UN never
#: writes a state's name so; the translated official name reads as the UN's does.
_INVERTED = (",", "\u060c")


@cache
def _catalogue(locale: str) -> gettext.NullTranslations | None:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    except OSError:
        return None


def _translated(catalogue: gettext.NullTranslations, lang: str, english: str) -> str | None:
    """``english`` in the catalogue's language, or None where the catalogue has no entry."""
    if not english:
        return None
    name = catalogue.gettext(english)
    if lang in _NON_LATIN and (name == english or name.isascii()):
        return None
    return name


def _translations(code: str) -> dict[str, str]:
    """Names in fr/es/ru/ar/zh from pycountry's catalogues (ISO names, not always the UN's).

    The ISO short name's translation, except where it is inverted with a comma and the
    official name has a translation (``République de Corée`` rather than ``Corée,
    République de``); a language whose catalogue has neither is left out (English then).
    """
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return {}
    out: dict[str, str] = {}
    for lang, locale in _LOCALES.items():
        catalogue = _catalogue(locale)
        if catalogue is None:
            continue
        short = _translated(catalogue, lang, country.name)
        official = _translated(catalogue, lang, getattr(country, "official_name", ""))
        if official and official != getattr(country, "official_name", "") and (
                short is None or any(mark in short for mark in _INVERTED)):
            short = official
        if short:
            out[lang] = short
    return out


def _overrides(row: dict[str, str | None], code: str) -> dict[str, str]:
    """The table's ``names`` column: ``lang=name|...``, the UN's names where ISO's differ."""
    out: dict[str, str] = {}
    for item in filter(None, (row.get("names") or "").split("|")):
        lang, sep, name = item.partition("=")
        if not sep or lang not in _LOCALES or not name.strip():
            raise ValueError(f"graph/data/states.csv, {code}: names item {item!r} is not "
                             f"lang=name with lang one of {', '.join(_LOCALES)}")
        out[lang] = name.strip()
    return out


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, State], dict[str, str]]:
    """(code -> State, lookup key -> code), loaded once from ``data/states.csv``."""
    states: dict[str, State] = {}
    index: dict[str, str] = {}
    text = resources.files("resograph.graph").joinpath("data/states.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    for row in rows:
        code = row["code"]
        names = {"en": row["name_en"], **_translations(code), **_overrides(row, code)}
        states[code] = State(code, row["name_en"], names, row["status"])
        spellings = [row["name_en"], *filter(None, row["aliases"].split("|"))]
        country = pycountry.countries.get(alpha_3=code)
        if country is not None:
            spellings += [country.name, getattr(country, "common_name", ""),
                          getattr(country, "official_name", "")]
        for spelling in filter(None, spellings):
            index.setdefault(_key(spelling), code)
    return states, index


def state_for(name: str) -> State:
    """The state a name (UN spelling, any case, or an ISO alpha-2/alpha-3 code) refers to.

    Raises :class:`UnknownStateError` for a name that no table or pycountry maps to a UN state.
    """
    states, index = _table()
    key = _key(name)
    code = index.get(key)
    if code is None and key in states:
        code = key
    if code is None:
        try:
            code = pycountry.countries.lookup(name).alpha_3
        except LookupError:
            code = None
        if code not in states:
            raise UnknownStateError(name)
        index[key] = code
    return states[code]


def by_code(code: str) -> State:
    """The state with ISO alpha-3 ``code`` (KeyError when not a UN member/observer State)."""
    return _table()[0][code.upper()]


def all_states() -> list[State]:
    """Every UN Member State and observer State, sorted by code."""
    return sorted(_table()[0].values(), key=lambda s: s.code)


def codes() -> frozenset[str]:
    """The alpha-3 codes of :func:`all_states` (for membership tests in hot loops)."""
    return frozenset(_table()[0])


def labels(code: str) -> dict[str, str]:
    """The state's name per language (``en`` the UN's English short name; ``fr``, ``es``,
    ``ru``, ``ar``, ``zh`` from pycountry's ISO 3166 catalogues where they have one).
    KeyError for a code that is not a UN Member or observer State."""
    return {lang: name for lang, name in by_code(code).names.items() if name}
