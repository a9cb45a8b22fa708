"""Language lexicons of the extractor: JSON data files, one per language (``fr.json``...).

Adding a language is adding a file here (see ``README.md`` beside this module): the extractor
(:mod:`resograph.graph.extract`) holds no word of any language, it asks a :class:`Lexicon` for
compiled patterns built from the file's phrases. :func:`load` validates a file and compiles it
once per process; :func:`available` lists the languages present, which is what language
detection chooses among.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

#: Keys every lexicon file must have (the README documents each one).
REQUIRED = (
    "language", "detect_words", "months", "date_patterns", "date_connectors", "ordinals",
    "organs", "resolution_words", "self_words", "list_conjunctions", "verbs", "instruments",
    "addressees",
)

_APOS = "['’]"


class LexiconError(ValueError):
    """A lexicon file is missing or malformed; the message names the file and the key."""


def phrase(text: str, gap: str = r"\s+") -> str:
    """Regex for a lexicon phrase: literal, any run of spaces (or ``gap``), either apostrophe."""
    out = []
    for part in re.split(r"(\s+|['’])", text.strip()):
        if not part:
            continue
        if part.isspace():
            out.append(gap)
        elif part in ("'", "’"):
            out.append(_APOS)
        else:
            out.append(re.escape(part))
    return "".join(out)


def alternation(phrases: Any, gap: str = r"\s+") -> str:
    """Non-capturing alternation of phrases, longest first so that longer forms win."""
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not items:
        return r"(?!x)x"
    return "(?:" + "|".join(phrase(p, gap) for p in items) + ")"


def cased_alternation(phrases: Any) -> str:
    """Alternation of each phrase as printed in lower case, Capitalised and UPPER CASE.

    Matches what ``(?i:...)`` would in UN texts, several times faster to scan for: the regex
    engine can skip ahead on a case-sensitive first character.
    """
    forms: set[str] = set()
    for p in phrases:
        if p:
            forms |= {p, p.lower(), p[:1].upper() + p[1:].lower(), p.upper()}
    return alternation(forms)


def prefilter(words: list[str], width: int = 3) -> str:
    """A cheap regex every occurrence of any of ``words`` (in any case) starts with: one
    character class per position for the first ``width`` characters. Scanning for it first
    and matching the full pattern only there is several times faster on long texts."""
    words = [w for w in words if w]
    if not words:
        return r"(?!x)x"
    width = min(width, *(len(w) for w in words))
    classes = []
    for i in range(width):
        chars = {c for w in words for c in (w[i].lower(), w[i].upper())}
        classes.append("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
    return "".join(classes)


def _strip_names(pattern: str) -> str:
    """Turn named groups into plain groups so a fragment can be embedded more than once."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _fold(text: str) -> str:
    """Key for case- and apostrophe-insensitive look-ups."""
    return " ".join(text.replace("’", "'").split()).casefold()


@dataclass
class Lexicon:
    """One language's words, and the patterns compiled from them."""

    code: str
    data: dict[str, Any]
    path: Path | None = None
    ordinals: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    cardinals: dict[str, int] = field(default_factory=dict)
    organ_by_name: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    # folded form -> (kind, meaning)
    verb_meaning: dict[str, tuple[str, str]] = field(default_factory=dict)
    instrument_by_name: dict[str, list[str]] = field(default_factory=dict)
    addressee_by_name: dict[str, str] = field(default_factory=dict)
    action_by_phrase: dict[str, str] = field(default_factory=dict)
    pinpoint_by_word: dict[str, str] = field(default_factory=dict)
    frag: dict[str, str] = field(default_factory=dict)
    detect_words: frozenset[str] = frozenset()
    script_re: re.Pattern[str] | None = None

    # ------------------------------------------------------------------ building

    @classmethod
    def from_data(cls, data: dict[str, Any], path: Path | None = None) -> Lexicon:
        where = str(path) if path else "<lexicon>"
        for key in REQUIRED:
            if key not in data:
                raise LexiconError(f"{where}: missing key {key!r}")
        lex = cls(code=str(data["language"]), data=data, path=path)
        lex._build()
        return lex

    def _build(self) -> None:
        d = self.data
        self.months = {_fold(k): int(v) for k, v in d["months"].items()}
        self.cardinals = {_fold(k): int(v) for k, v in d.get("cardinals", {}).items()}
        o = d["ordinals"]
        units = {_fold(k): int(v) for k, v in o.get("units", {}).items()}
        tens = {_fold(k): int(v) for k, v in o.get("tens", {}).items()}
        prefixes = {_fold(k): int(v) for k, v in o.get("tens_prefix", {}).items()}
        ords: dict[str, int] = {**units, **tens}
        for pre, pv in prefixes.items():
            for joiner in o.get("joiners", ["-"]):
                for un, uv in units.items():
                    if uv < 20 and pv + uv < 100:
                        ords.setdefault(_fold(pre + joiner + un), pv + uv)
        ords.update({_fold(k): int(v) for k, v in o.get("extra", {}).items()})
        self.ordinals = ords
        for organ, names in d["organs"].items():
            for name in names:
                self.organ_by_name[_fold(name)] = organ
        self.ambiguous = {_fold(k): list(v) for k, v in d.get("ambiguous_organs", {}).items()}
        for kind, verbs in d["verbs"].items():
            for form, meaning in verbs.items():
                self.verb_meaning.setdefault(_fold(form), (kind, meaning))
        for name, keys in d["instruments"].items():
            self.instrument_by_name[_fold(name)] = [keys] if isinstance(keys, str) else list(keys)
        self.addressee_by_name = {_fold(k): v for k, v in d["addressees"].items()}
        self.action_by_phrase = {_fold(k): v for k, v in d.get("actions", {}).items()}
        self.pinpoint_by_word = {_fold(k): v for k, v in d.get("pinpoint_words", {}).items()}
        self.detect_words = frozenset(_fold(w) for w in d["detect_words"])
        if d.get("script"):
            self.script_re = re.compile(f"[{d['script']}]")

        f = self.frag
        f["MONTH"] = alternation(d["months"])
        date_named = [p.replace("{MONTH}", f["MONTH"]) for p in d["date_patterns"]]
        self.date_res = [re.compile(p, re.I) for p in date_named]
        f["DATE"] = "(?:" + "|".join(_strip_names(p) for p in date_named) + ")"
        partial = [p.replace("{MONTH}", f["MONTH"]) for p in d.get("date_patterns_partial", [])]
        self.partial_date_res = [re.compile(p, re.I) for p in partial]
        f["PDATE"] = "(?:" + "|".join(_strip_names(p) for p in partial or [r"(?!x)x"]) + ")"
        numeric = o.get("numeric")
        f["ORDINAL"] = "(?:" + alternation(self.ordinals) + (
            "|" + _strip_names(numeric) if numeric else "") + ")"
        self.ordinal_numeric_re = re.compile(numeric, re.I) if numeric else None
        f["CARDINAL"] = alternation(d.get("cardinals", {}))
        f["ORGAN"] = alternation(self.all_organ_names())
        f["ORGAN_FULL"] = alternation(
            n for names in d["organs"].values() for n in names if _fold(n) not in self.ambiguous
            and len(n.split()) > 1)
        f["AMBIGUOUS"] = alternation(d.get("ambiguous_organs", {}))
        f["RES"] = alternation(d["resolution_words"])
        f["DEC"] = alternation(d.get("decision_words", []))
        f["KW_PREFILTER"] = prefilter(
            [*d["resolution_words"], *d.get("decision_words", [])])
        f["RES_CASED"] = cased_alternation(d["resolution_words"])
        f["DEC_CASED"] = cased_alternation(d.get("decision_words", []))
        f["SELF"] = alternation(d["self_words"])
        f["CONJ"] = alternation(d["list_conjunctions"])
        f["FILLER"] = "(?:" + "|".join(d.get("list_fillers", []) or [r"(?!x)x"]) + ")"
        f["TOPIC"] = alternation(d.get("topic_connectors", []))
        f["DATECONN"] = alternation(d["date_connectors"])
        f["AFTERCONN"] = alternation(d.get("organ_after_connectors", []))
        f["AGENT"] = alternation(d.get("organ_agent_links", []))
        f["ARTICLE"] = alternation(d.get("organ_articles", []))
        f["PINWORD"] = alternation(d.get("pinpoint_words", {}))
        f["RANGE"] = alternation(d.get("range_words", []))
        f["PININTRO"] = alternation(d.get("pinpoint_intros", []))
        f["PINCONN"] = alternation(d.get("pinpoint_connectors", []))
        f["ADVERB"] = alternation(d.get("adverbs", []))
        # a verb phrase may have an adverb inside it ("Guided also by", "Guidé également par")
        f["VERB"] = alternation((form for verbs in d["verbs"].values() for form in verbs),
                                gap=rf"\s+(?:{f['ADVERB']}\s+)?")
        f["SUBJECT"] = alternation(d.get("subject_prefixes", []))
        f["INSTRUMENT"] = alternation(d["instruments"])
        f["ADDRESSEE"] = alternation(d["addressees"])
        f["ACTION"] = alternation(d.get("actions", {}))
        f["INF"] = alternation(d.get("infinitive_markers", []))

    def all_organ_names(self) -> list[str]:
        names = [n for names in self.data["organs"].values() for n in names]
        return names + list(self.data.get("ambiguous_organs", {}))

    def template(self, pattern: str) -> str:
        """Fill ``{ORGAN}``, ``{DATE}``, ``{ORDINAL}``, ``{CARDINAL}`` slots of a lexicon regex.

        The slots become named groups ``organ``, ``date``, ``ordinal``, ``cardinal`` when they
        occur once, so the extractor can read them back.
        """
        out = pattern
        for slot in ("ORGAN", "DATE", "ORDINAL", "CARDINAL", "MONTH"):
            token = "{" + slot + "}"
            if out.count(token) == 1 and slot != "CARDINAL":
                out = out.replace(token, f"(?P<{slot.lower()}>{self.frag[slot]})")
            else:
                out = out.replace(token, self.frag[slot])
        return out

    def compile_list(self, key: str, flags: int = re.I | re.M) -> list[re.Pattern[str]]:
        pats = self.data.get(key, [])
        if isinstance(pats, str):
            pats = [pats]
        try:
            return [re.compile(self.template(p), flags) for p in pats]
        except re.error as exc:  # a bad lexicon regex is the lexicon author's error
            raise LexiconError(f"{self.path or self.code}: key {key!r}: {exc}") from exc

    # ------------------------------------------------------------------ look-ups

    def organ(self, name: str) -> str | None:
        return self.organ_by_name.get(_fold(name))

    def ordinal(self, text: str) -> int | None:
        key = _fold(text)
        if key in self.ordinals:
            return self.ordinals[key]
        if self.ordinal_numeric_re:
            m = self.ordinal_numeric_re.fullmatch(text.strip())
            if m:
                return int(m.group("n"))
        return None

    def cardinal(self, text: str) -> int | None:
        text = text.strip()
        if text.isdigit():
            return int(text)
        return self.cardinals.get(_fold(text))

    def parse_date(self, text: str) -> str | None:
        """ISO date of a date as the text prints it, or None when it is no valid date."""
        for rx in self.date_res:
            m = rx.search(text)
            if not m:
                continue
            g = m.groupdict()
            month = g.get("month")
            mnum = self.months.get(_fold(month)) if month else None
            if mnum is None and month and month.isdigit():
                mnum = int(month)
            try:
                day, year = int(g["day"]), int(g["year"])
            except (KeyError, TypeError, ValueError):
                continue
            if mnum and 1 <= mnum <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100:
                return f"{year:04d}-{mnum:02d}-{day:02d}"
        return None

    def parse_partial_date(self, text: str, year: int) -> str | None:
        """ISO date of a day and month printed without the year ("of 4 March")."""
        for rx in self.partial_date_res:
            m = rx.search(text)
            if m:
                mnum = self.months.get(_fold(m.group("month")))
                day = int(m.group("day"))
                if mnum and 1 <= day <= 31:
                    return f"{year:04d}-{mnum:02d}-{day:02d}"
        return None

    def verb(self, form: str) -> tuple[str, str] | None:
        """(kind, meaning) of a verb form as printed; adverbs inside the phrase are ignored."""
        key = _fold(form)
        found = self.verb_meaning.get(key)
        if found is None:
            if not hasattr(self, "_adverb_re"):
                self._adverb_re = re.compile(rf"(?<!\w){self.frag['ADVERB']}(?!\w)", re.I)
            found = self.verb_meaning.get(_fold(self._adverb_re.sub(" ", form)))
        return found

    def instruments(self, name: str) -> list[str]:
        return self.instrument_by_name.get(_fold(name), [])

    def addressee(self, name: str) -> str | None:
        return self.addressee_by_name.get(_fold(name))

    def action(self, text: str) -> str | None:
        return self.action_by_phrase.get(_fold(text))


def search_path() -> list[Path]:
    """Folders holding lexicons: ``$RESOGRAPH_LEXICON_PATH`` (os.pathsep-separated) first,
    then this package. Lets a deployment add or try a language without touching the code."""
    extra = os.environ.get("RESOGRAPH_LEXICON_PATH", "")
    return [Path(p) for p in extra.split(os.pathsep) if p] + [HERE]


def _find(code: str) -> Path | None:
    for folder in search_path():
        path = folder / f"{code}.json"
        if path.is_file():
            return path
    return None


def available() -> list[str]:
    """Codes of the languages that have a lexicon file."""
    return list(_available(os.environ.get("RESOGRAPH_LEXICON_PATH", "")))


@cache
def _available(extra: str) -> tuple[str, ...]:
    # cached per search path: detection asks on every document
    del extra  # the cache key; search_path() reads the same variable
    return tuple(sorted({p.stem for folder in search_path() for p in folder.glob("*.json")
                         if re.fullmatch(r"[a-z]{2,3}", p.stem)}))


@cache
def load(code: str) -> Lexicon:
    """The compiled lexicon of one language (``fr``, ``en``...)."""
    path = _find(code) if re.fullmatch(r"[a-z]{2,3}", code or "") else None
    if path is None:
        raise LexiconError(f"no lexicon for language {code!r} (have: {', '.join(available())})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    return Lexicon.from_data(data, path)
