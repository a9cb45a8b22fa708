"""A UN-scale synthetic corpus, for benchmarks at 10,000-100,000 resolutions.

``resograph synth --resolutions N --seed S OUT`` writes JSON Lines in exactly the format of
``resograph extract --format json``, so that ``resograph ingest OUT`` exercises the real build
path (RDF, validation, load) and only text parsing is skipped.

What is realistic here, and where each figure comes from. The measured figures are re-derived
by ``bench/derive_synth_profile.py`` (resograph's own readers over ``../shared/corpus``; output
in ``bench/scale_results/synth_profile.json``, discussed in ``bench/SCALE.md``):

* **Organs and volumes** (not in the corpus: the approximate totals of the UN record). General
  Assembly ~17,000 resolutions, ECOSOC ~5,000, Commission on Human Rights ~3,500, Security
  Council ~2,800, Human Rights Council ~1,900, spread over the years each organ adopted
  resolutions (1946-2025; CHR until 2005, HRC from 2006), more in later years, scaled to N.
* **Symbols.** Each organ's real symbol pattern for its era: ``A/RES/1514(XV)`` for General
  Assembly sessions I-XXX then ``A/RES/48/141``; ``S/RES/687 (1991)``; ``E/RES/1503(XLVIII)``
  then ``E/RES/2004/67``; ``E/CN.4/RES/2005/74``; ``A/HRC/RES/56/15``.
* **Structure** (measured). Preambular / operative paragraph counts are log-normal with the
  corpus medians and sigmas (sigma = std of log count): GA session 79 (336 AKN texts)
  14 / 15 (sigma 0.91 / 0.94); SC 2023 (50 AKN texts) 11 / 8 (0.73 / 0.87); SC 1946-1993
  (802 CR-UNSC texts, :data:`SC_EARLY`) 3 / 3 (0.82 / 0.89). HRC: one text, 17 preambular.
* **Citations** (measured). Distinct resolutions cited per resolution, log-normal: GA 79
  median 10 (sigma 0.96), SC 2023 5 (1.14), SC 1946-1993 1 (0.85; a third cite none).
  Own-organ share of those citations: GA 0.89, SC 0.99 (2023) / 0.92 (early), HRC 0.57 (one
  text); other organs in proportion to their record. How far back: years between citing and
  cited resolution, log-normal with median 9 (GA; 31 % within 5 years), 7 (SC 2023; 43 %),
  1 (SC early; 79 %). A copy step (p = :data:`COPY_PROBABILITY`: cite what the organ cited
  recently) gives the heavy-tailed in-degree of real citation networks, and the classics
  are cited with the measured shares (GA 79: Charter 47 %, ``A/RES/70/1`` 43 % once it
  exists, UDHR 15 % + ``A/RES/217(III)`` 15 %, ICCPR 10 %; SC 2023: Charter 64 %,
  ``S/RES/1325 (2000)`` 22 %; SC early: Charter 28 %) - hence works cited by thousands at
  N = 100,000. ECOSOC and CHR figures, and HRC beyond its one text, are assumptions.
* **Verbs** (measured on GA 79). Citing preambular paragraphs lead with recalling 49 %,
  reaffirming 14 %, welcoming 5 % ...; other preambular paragraphs recalling 21 %,
  recognizing 14 %, reaffirming 11 %, noting 9 % ...; operative paragraphs encourages 12 %,
  requests 9 %, calls upon 8 %, welcomes 7 % ... (:data:`CITING_VERBS`,
  :data:`PREAMBULAR_VERBS`, :data:`OPERATIVE_VERBS`). Requests: one per operative paragraph
  that requests, calls upon, urges or encourages (~5 per GA resolution; the text extractor
  finds ~8 on GA 79, 2.3 on early SC); report requests of GA and HRC fall due at the next
  session.

The generator is deterministic for a given seed and streams its output (constant memory
beyond the list of symbols).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any

from resograph.graph.model import Adoption, Citation, Paragraph, ParsedResolution, Request

ROMANS = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = []
    for value, letters in ROMANS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


@dataclass(frozen=True)
class OrganProfile:
    """The figures of one organ (in one era): see the module docstring for their sources."""

    code: str
    real_total: int  # approximate number of resolutions in the real record
    first_year: int
    last_year: int
    preambular_median: float
    operative_median: float
    citations_median: float
    own_organ_share: float  # share of resolution citations that target the same organ
    preambular_sigma: float = 0.9  # log-normal sigma of the counts (std of log(count))
    operative_sigma: float = 0.9
    citations_sigma: float = 0.95
    years_back_median: float = 8.0  # how far back a citation reaches (years, log-normal)
    years_back_sigma: float = 1.0


PROFILE: dict[str, OrganProfile] = {
    # measured: GA session 79 (AKN, 336 texts) - bench/derive_synth_profile.py
    "GA": OrganProfile("GA", 17_000, 1946, 2025, 14, 15, 10, 0.89, 0.91, 0.94, 0.96, 9, 1.0),
    # not in the corpus: GA-like structure, fewer citations (assumed)
    "ECOSOC": OrganProfile("ECOSOC", 5_000, 1946, 2025, 8, 9, 4, 0.60),
    "CHR": OrganProfile("CHR", 3_500, 1946, 2005, 10, 9, 5, 0.60),
    # measured: SC 2023 (AKN, 50 texts); before 1994 see SC_EARLY
    "SC": OrganProfile("SC", 2_800, 1946, 2025, 11, 8, 5, 0.95, 0.73, 0.87, 1.14, 7, 1.2),
    # one text in the corpus (HRC 56/15): structure and shares partly assumed
    "HRC": OrganProfile("HRC", 1_900, 2006, 2025, 17, 14, 7, 0.57, years_back_median=6),
}

#: The Security Council before 1994, measured on the 802 CR-UNSC texts (1946-1993): short
#: texts citing one recent resolution (a third cite none).
SC_EARLY = OrganProfile("SC", 2_800, 1946, 1993, 3, 3, 1, 0.92, 0.82, 0.89, 0.85, 1, 1.0)
SC_EARLY_UNTIL = 1993


def profile_of(organ: str, year: int) -> OrganProfile:
    """The organ's figures for resolutions adopted in ``year``."""
    if organ == "SC" and year <= SC_EARLY_UNTIL:
        return SC_EARLY
    return PROFILE[organ]


#: Works cited far more than any other (targets of the heavy tail), by citing organ:
#: (target, type, probability that a resolution of the organ cites it). GA and SC figures are
#: the shares of GA 79 / SC 2023 texts citing each (bench/scale_results/synth_profile.json);
#: "SC-early" from the CR-UNSC texts; ECOSOC, CHR and HRC are assumptions.
CLASSICS: dict[str, list[tuple[str, str, float]]] = {
    "GA": [("charter", "instrument", 0.47), ("A/RES/70/1", "resolution", 0.43),
           ("udhr", "instrument", 0.15), ("A/RES/217(III)", "resolution", 0.15),
           ("iccpr", "instrument", 0.10), ("icescr", "instrument", 0.09),
           ("S/RES/1325 (2000)", "resolution", 0.024)],
    "SC": [("charter", "instrument", 0.64), ("S/RES/1325 (2000)", "resolution", 0.22),
           ("S/RES/2250 (2015)", "resolution", 0.02)],
    "SC-early": [("charter", "instrument", 0.28), ("udhr", "instrument", 0.015)],
    "ECOSOC": [("charter", "instrument", 0.15), ("A/RES/70/1", "resolution", 0.10)],
    "CHR": [("charter", "instrument", 0.25), ("udhr", "instrument", 0.35),
            ("iccpr", "instrument", 0.15), ("icescr", "instrument", 0.12)],
    "HRC": [("charter", "instrument", 0.30), ("udhr", "instrument", 0.40),
            ("A/RES/60/251", "resolution", 0.45), ("A/HRC/RES/5/1", "resolution", 0.30),
            ("iccpr", "instrument", 0.12)],
}
#: Day each classic exists from (its adoption, as in ontology/instruments.ttl for the
#: instruments): nothing cites a work before it was adopted - a 1948 resolution adopted before
#: 10 December does not cite the Universal Declaration.
CLASSIC_DATE = {"charter": "1945-06-26", "udhr": "1948-12-10", "A/RES/217(III)": "1948-12-10",
                "iccpr": "1966-12-16", "icescr": "1966-12-16", "S/RES/1325 (2000)": "2000-10-31",
                "A/RES/60/251": "2006-03-15", "A/HRC/RES/5/1": "2007-06-18",
                "A/RES/70/1": "2015-09-25", "S/RES/2250 (2015)": "2015-12-09"}

# (English verb as printed, SKOS concept of verbs.ttl, weight). Weights: shares measured on
# GA 79 (AKN) - preambular paragraphs that cite nothing, citing paragraphs, operative ones.
PREAMBULAR_VERBS = [
    ("Recalling", "recalling", 0.213), ("Recognizing", "recognizing", 0.141),
    ("Reaffirming", "reaffirming", 0.106), ("Noting", "noting", 0.085),
    ("Expressing concern", "expressing-concern", 0.076), ("Welcoming", "welcoming", 0.071),
    ("Taking note of", "taking-note", 0.041), ("Emphasizing", "emphasizing", 0.033),
    ("Stressing", "stressing", 0.031), ("Acknowledging", "acknowledging", 0.029)]
CITING_VERBS = [
    ("Recalling", "recalling", 0.486), ("Reaffirming", "reaffirming", 0.139),
    ("Welcoming", "welcoming", 0.049), ("Noting", "noting", 0.029),
    ("Recognizing", "recognizing", 0.027), ("Expressing concern", "expressing-concern", 0.021),
    ("Taking note of", "taking-note", 0.020), ("Reiterating", "reiterating", 0.017),
    ("Guided by", "guided-by", 0.015), ("Bearing in mind", "bearing-in-mind", 0.015)]
OPERATIVE_VERBS = [
    ("Encourages", "encouraging", 0.119), ("Requests", "requesting", 0.092),
    ("Calls upon", "calling-upon", 0.078), ("Welcomes", "welcoming", 0.071),
    ("Recognizes", "recognizing", 0.064), ("Decides", "deciding", 0.058),
    ("Recalls", "recalling", 0.054), ("Urges", "urging", 0.053),
    ("Reaffirms", "reaffirming", 0.053), ("Takes note of", "taking-note", 0.048)]
#: Operative verbs that address a request to someone, with the action asked (the extractor
#: finds ~8 requests per GA 79 resolution; these verbs give ~5 on the GA profile).
REQUEST_ACTIONS = {"requesting": "report", "calling-upon": "act", "urging": "act",
                   "encouraging": "act"}
ADDRESSEES = ["Secretary-General", "United Nations High Commissioner for Human Rights",
              "Member States", "Special Rapporteur", "Economic and Social Council"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


@dataclass
class _Res:
    symbol: str
    organ: str
    session: str | None
    number: str
    year: int
    adopted: str


def _timeline(n: int, rng: random.Random) -> list[_Res]:
    """Symbols and dates of n resolutions, organs and years in the real proportions."""
    total = sum(p.real_total for p in PROFILE.values())
    per_organ = {c: max(1, round(n * p.real_total / total)) for c, p in PROFILE.items()}
    per_organ["GA"] += n - sum(per_organ.values())  # rounding goes to the largest organ
    out: list[_Res] = []
    for code, count in per_organ.items():
        p = PROFILE[code]
        years = list(range(p.first_year, p.last_year + 1))
        # more resolutions in later years: weight grows linearly, as the real record does
        weights = [1 + (y - p.first_year) / 15 for y in years]
        wsum = sum(weights)
        volumes = [int(count * w / wsum) for w in weights]
        for i in range(count - sum(volumes)):
            volumes[-1 - (i % len(volumes))] += 1
        global_number = 0
        for year, volume in zip(years, volumes, strict=True):
            for k in range(1, volume + 1):
                global_number += 1
                month = 12 if code == "GA" and rng.random() < 0.7 else rng.randint(1, 12)
                adopted = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
                out.append(_mint(code, year, k, global_number, adopted))
    out.sort(key=lambda r: (r.adopted, r.symbol))
    return out


def _mint(code: str, year: int, k: int, global_number: int, adopted: str) -> _Res:
    if code == "GA":
        session = year - 1945
        if session <= 30:
            return _Res(f"A/RES/{global_number}({roman(session)})", code, roman(session),
                        str(global_number), year, adopted)
        return _Res(f"A/RES/{session}/{k}", code, str(session), str(k), year, adopted)
    if code == "SC":
        return _Res(f"S/RES/{global_number} ({year})", code, None, str(global_number), year,
                    adopted)
    if code == "ECOSOC":
        if year <= 1978:
            session = roman(2 * (year - 1945))
            return _Res(f"E/RES/{global_number}({session})", code, session, str(global_number),
                        year, adopted)
        return _Res(f"E/RES/{year}/{k}", code, str(year), str(k), year, adopted)
    if code == "CHR":
        return _Res(f"E/CN.4/RES/{year}/{k}", code, str(year), str(k), year, adopted)
    session = 3 * (year - 2006) + 1 + (k % 3)
    return _Res(f"A/HRC/RES/{session}/{k}", code, str(session), str(k), year, adopted)


def _lognormal_count(rng: random.Random, median: float, sigma: float = 0.6) -> int:
    return max(0, round(rng.lognormvariate(math.log(max(median, 0.5)), sigma)))


def _pick(rng: random.Random, table: list[tuple[str, str, float]]) -> tuple[str, str]:
    r = rng.random() * sum(w for _, _, w in table)
    for verb, meaning, w in table:
        r -= w
        if r <= 0:
            return verb, meaning
    return table[-1][0], table[-1][1]


def _long_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


#: Probability that a citation copies one made recently by the same organ (preferential
#: attachment: what is cited gets cited more, the heavy tail of real citation networks).
COPY_PROBABILITY = 0.35
COPY_WINDOW = 3_000


def _years_back(rng: random.Random, p: OrganProfile) -> int:
    """Years between a citing resolution and the one it cites (log-normal, measured)."""
    return int(rng.lognormvariate(math.log(max(p.years_back_median, 0.5) + 0.5),
                                  p.years_back_sigma))


def _other_organ(rng: random.Random, own: str) -> str:
    """An organ other than ``own``, in proportion to the size of its record."""
    others = [(c, q.real_total) for c, q in PROFILE.items() if c != own]
    r = rng.random() * sum(w for _, w in others)
    for code, w in others:
        r -= w
        if r <= 0:
            return code
    return others[-1][0]


def generate(resolutions: int, seed: int) -> Iterator[ParsedResolution]:
    """Yield ``resolutions`` synthetic resolutions in adoption order."""
    rng = random.Random(seed)
    timeline = _timeline(resolutions, rng)
    by_year: dict[tuple[str, int], list[_Res]] = {}  # adopted so far, per organ and year
    latest: dict[str, list[_Res]] = {c: [] for c in PROFILE}
    cited_log: dict[str, list[_Res]] = {c: [] for c in PROFILE}  # copy model, per organ
    known = {r.symbol: r for r in timeline}
    for res in timeline:
        p = profile_of(res.organ, res.year)
        targets: list[tuple[str, str]] = []
        seen: set[str] = {res.symbol}
        classics = CLASSICS["SC-early" if p is SC_EARLY else res.organ]
        for target, kind, prob in classics:
            if rng.random() < prob and target not in seen and \
                    CLASSIC_DATE.get(target, "") < res.adopted and (
                    known.get(target) is None or known[target].adopted < res.adopted):
                targets.append((target, kind))
                seen.add(target)
        log = cited_log[res.organ]
        for _ in range(_lognormal_count(rng, p.citations_median, p.citations_sigma)):
            chosen: _Res | None = None
            if log and rng.random() < COPY_PROBABILITY:
                chosen = log[-1 - rng.randrange(min(len(log), COPY_WINDOW))]
            else:
                organ = res.organ if rng.random() < p.own_organ_share else \
                    _other_organ(rng, res.organ)
                pool = by_year.get((organ, res.year - _years_back(rng, p)))
                if pool:
                    chosen = pool[rng.randrange(len(pool))]
                elif latest[organ]:  # nothing adopted that year: the organ's latest ones
                    recent = latest[organ]
                    chosen = recent[-1 - rng.randrange(min(len(recent), 50))]
            if chosen is not None and chosen.symbol not in seen:
                targets.append((chosen.symbol, "resolution"))
                seen.add(chosen.symbol)
                log.append(chosen)
        yield _document(res, p, targets, known, rng)
        by_year.setdefault((res.organ, res.year), []).append(res)
        latest[res.organ].append(res)


def _document(res: _Res, p: OrganProfile, targets: list[tuple[str, str]],
              known: dict[str, _Res], rng: random.Random) -> ParsedResolution:
    n_cit_paras = (len(targets) + 1) // 2
    n_pre = max(1, _lognormal_count(rng, p.preambular_median, p.preambular_sigma), n_cit_paras)
    n_op = max(1, _lognormal_count(rng, p.operative_median, p.operative_sigma))
    paragraphs: list[Paragraph] = []
    citations: list[Citation] = []
    for i in range(1, n_pre + 1):
        # the first paragraphs carry the citations (as in real preambles), with citing verbs
        verb, meaning = _pick(rng, CITING_VERBS if i <= n_cit_paras else PREAMBULAR_VERBS)
        paragraphs.append(Paragraph(i, "preambular", verb, "", meaning))
    # spread the citations over the preambular paragraphs, two at most per paragraph
    for j, (target, kind) in enumerate(targets):
        para = paragraphs[min(j // 2, n_pre - 1)]
        cited = known.get(target)
        date = cited.adopted if cited and rng.random() < 0.6 else None
        citations.append(Citation(target, kind, para.verb, para.key, date, None,  # type: ignore[arg-type]
                                  para.verb_meaning))
        name = target if kind == "resolution" else f"the {target} instrument"
        para.text += f"{name}{' of ' + _long_date(date) if date else ''}, "
    requests: list[Request] = []
    for i in range(1, n_op + 1):
        verb, meaning = _pick(rng, OPERATIVE_VERBS)
        para = Paragraph(i, "operative", verb, f"{verb} synthetic operative paragraph {i};",
                         meaning)
        paragraphs.append(para)
        action = REQUEST_ACTIONS.get(meaning)
        if action is not None:
            due = str(int(res.session) + 1) if res.session and res.session.isdigit() and \
                action == "report" else None
            requests.append(Request(rng.choice(ADDRESSEES), action, para.key, verb, meaning,
                                    "a report on the implementation of the present resolution"
                                    if action == "report" else None,
                                    int(due) if due and res.organ in ("GA", "HRC") else None,
                                    res.organ if due and res.organ in ("GA", "HRC") else None))
    for para in paragraphs:
        if para.kind == "preambular":
            para.text = f"{para.verb} {para.text or 'synthetic preambular paragraph'}".rstrip(
                ", ") + ","
    votes = rng.random() < 0.25
    adoption = Adoption("vote", rng.randint(90, 180), rng.randint(0, 15), rng.randint(0, 40)) \
        if votes else Adoption("without-vote")
    return ParsedResolution(
        symbol=res.symbol, organ=res.organ, language="en", file=None, session=res.session,
        number=res.number, year=res.year, adopted=res.adopted,
        title=f"Synthetic resolution {res.symbol}", adoption=adoption, paragraphs=paragraphs,
        citations=citations, requests=requests, source_format="jsonl")


_CONTRACT_FIRST = ("file", "symbol", "organ", "language", "adopted", "session", "paragraphs",
                   "citations", "requests")


def _plain(value: Any) -> Any:
    """A model dataclass as a dict, like ``dataclasses.asdict`` but without its deep copies
    (which made JSON writing most of the generation time at 100,000 resolutions). A
    dataclass instance's ``__dict__`` lists its fields in declaration order."""
    out = dict(value.__dict__)
    for k, v in out.items():
        if isinstance(v, list) and v and is_dataclass(v[0]):
            out[k] = [_plain(x) for x in v]
        elif is_dataclass(v):
            out[k] = _plain(v)
        elif isinstance(v, (list, dict)):
            out[k] = type(v)(v)
    return out


def _to_json(parsed: ParsedResolution) -> dict[str, Any]:
    """Exactly :meth:`ParsedResolution.to_json` (the test suite checks it), faster."""
    data = _plain(parsed)
    ordered = {k: data.pop(k) for k in _CONTRACT_FIRST}
    ordered.update(data)
    return ordered


def write_corpus(out: Path, *, resolutions: int, seed: int) -> int:
    """Write the corpus as JSON Lines; returns the number of resolutions written."""
    if resolutions < 1:
        raise ValueError("--resolutions must be at least 1")
    n = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for parsed in generate(resolutions, seed):
            fh.write(json.dumps(_to_json(parsed), ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
            n += 1
    tmp.replace(out)  # never a half-written corpus under the final name
    return n
