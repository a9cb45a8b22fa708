"""A UN-scale synthetic corpus, for benchmarks at 10,000-100,000 resolutions.

``resograph synth --resolutions N --seed S OUT`` writes JSON Lines in exactly the format of
``resograph extract --format json``, so that ``resograph ingest OUT`` exercises the real build
path (RDF, validation, load) and only text parsing is skipped.

What is realistic here, and where each figure comes from (see :data:`PROFILE`):

* **Organs and volumes.** The shares follow the approximate totals of the UN record
  (General Assembly ~17,000 resolutions, ECOSOC ~5,000, Commission on Human Rights ~3,500,
  Security Council ~2,800, Human Rights Council ~1,900), spread over the years each organ
  adopted resolutions (1946-2025; CHR until 2005, HRC from 2006), and scaled to N.
* **Symbols.** Each organ's real symbol pattern for its era: ``A/RES/1514(XV)`` for General
  Assembly sessions I-XXX then ``A/RES/48/141``; ``S/RES/687 (1991)``; ``E/RES/1503(XLVIII)``
  then ``E/RES/2004/67``; ``E/CN.4/RES/2005/74``; ``A/HRC/RES/56/15``.
* **Structure.** Preambular and operative paragraph counts are drawn from log-normal
  distributions fitted to the medians measured on ``../shared/corpus`` (GA session 79 in
  AKN4UN: 19 preambular / 15 operative; SC 2023: 12 / 8; older SC texts of ``unsc-en``: fewer).
* **Citations.** The number of resolutions a resolution cites is log-normal with the measured
  medians (GA 79: 10, SC 2023: 5). Most targets are recent resolutions of the citing organ
  (a geometric recency kernel); a copy step (cite what an earlier citation cited, p=0.35) gives
  the heavy-tailed in-degree of real citation networks; a few classics (the Charter, the
  Universal Declaration, ``A/RES/60/251``, ``S/RES/1325 (2000)``...) are cited by thousands.
* **Verbs.** Preambular citations lead with recalling / reaffirming / noting / guided-by /
  welcoming in the proportions the extractor finds in the corpus; operative paragraphs request,
  decide, urge, call upon, invite.

The generator is deterministic for a given seed and streams its output (constant memory
beyond the list of symbols).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
    code: str
    real_total: int  # approximate number of resolutions in the real record
    first_year: int
    last_year: int
    preambular_median: float
    operative_median: float
    citations_median: float
    own_organ_share: float  # share of resolution citations that target the same organ


PROFILE: dict[str, OrganProfile] = {
    "GA": OrganProfile("GA", 17_000, 1946, 2025, 19, 15, 10, 0.80),
    "ECOSOC": OrganProfile("ECOSOC", 5_000, 1946, 2025, 8, 9, 4, 0.60),
    "CHR": OrganProfile("CHR", 3_500, 1946, 2005, 10, 9, 5, 0.60),
    "SC": OrganProfile("SC", 2_800, 1946, 2025, 6, 7, 5, 0.90),
    "HRC": OrganProfile("HRC", 1_900, 2006, 2025, 16, 14, 8, 0.55),
}

#: Works cited far more than any other (targets of the heavy tail), by citing organ.
CLASSICS: dict[str, list[tuple[str, str, float]]] = {
    # (target, type, probability that a resolution of the organ cites it)
    "GA": [("charter", "instrument", 0.30), ("udhr", "instrument", 0.10),
           ("A/RES/70/1", "resolution", 0.12), ("A/RES/217(III)", "resolution", 0.05)],
    "SC": [("charter", "instrument", 0.35), ("S/RES/1325 (2000)", "resolution", 0.06),
           ("S/RES/2250 (2015)", "resolution", 0.02)],
    "ECOSOC": [("charter", "instrument", 0.15), ("A/RES/70/1", "resolution", 0.10)],
    "CHR": [("charter", "instrument", 0.25), ("udhr", "instrument", 0.35),
            ("iccpr", "instrument", 0.15), ("icescr", "instrument", 0.12)],
    "HRC": [("charter", "instrument", 0.30), ("udhr", "instrument", 0.40),
            ("A/RES/60/251", "resolution", 0.45), ("A/HRC/RES/5/1", "resolution", 0.30),
            ("iccpr", "instrument", 0.12)],
}

PREAMBULAR_VERBS = [  # (English verb, meaning, weight)
    ("Recalling", "recalling", 0.38), ("Reaffirming", "reaffirming", 0.22),
    ("Noting", "noting", 0.12), ("Guided by", "guided-by", 0.08),
    ("Welcoming", "welcoming", 0.10), ("Taking note of", "taking-note", 0.06),
    ("Bearing in mind", "bearing-in-mind", 0.04)]
OPERATIVE_VERBS = [
    ("Requests", "requesting", 0.30), ("Decides", "deciding", 0.22), ("Urges", "urging", 0.14),
    ("Calls upon", "calling-upon", 0.14), ("Invites", "inviting", 0.10),
    ("Welcomes", "welcoming", 0.10)]
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


def generate(resolutions: int, seed: int) -> Iterator[ParsedResolution]:
    """Yield ``resolutions`` synthetic resolutions in adoption order."""
    rng = random.Random(seed)
    timeline = _timeline(resolutions, rng)
    by_organ: dict[str, list[_Res]] = {c: [] for c in PROFILE}
    cited_log: list[_Res] = []  # every resolution target cited so far (copy model)
    known = {r.symbol: r for r in timeline}
    for res in timeline:
        p = PROFILE[res.organ]
        targets: list[tuple[str, str]] = []
        for target, kind, prob in CLASSICS[res.organ]:
            if rng.random() < prob and target != res.symbol and (
                    kind == "instrument" or known.get(target) is None
                    or known[target].adopted < res.adopted):
                targets.append((target, kind))
        for _ in range(_lognormal_count(rng, p.citations_median)):
            chosen: _Res | None = None
            if cited_log and rng.random() < 0.35:
                # copy from the recent citation history: popular works stay popular
                window = min(len(cited_log), 3_000)
                chosen = cited_log[-1 - rng.randrange(window)]
            else:
                organ = res.organ if rng.random() < p.own_organ_share else rng.choice(
                    list(PROFILE))
                pool = by_organ[organ]
                if pool:
                    back = min(len(pool), 1 + int(rng.expovariate(1 / 40)))
                    chosen = pool[-back]
            if chosen and chosen.symbol != res.symbol and \
                    (chosen.symbol, "resolution") not in targets:
                targets.append((chosen.symbol, "resolution"))
                cited_log.append(chosen)
        yield _document(res, targets, known, rng)
        by_organ[res.organ].append(res)


def _document(res: _Res, targets: list[tuple[str, str]], known: dict[str, _Res],
              rng: random.Random) -> ParsedResolution:
    p = PROFILE[res.organ]
    n_pre = max(1, _lognormal_count(rng, p.preambular_median, 0.5), (len(targets) + 1) // 2)
    n_op = max(1, _lognormal_count(rng, p.operative_median, 0.6))
    paragraphs: list[Paragraph] = []
    citations: list[Citation] = []
    for i in range(1, n_pre + 1):
        verb, meaning = _pick(rng, PREAMBULAR_VERBS)
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
        if meaning == "requesting" and len(requests) < 3:
            due = str(int(res.session) + 1) if res.session and res.session.isdigit() else None
            requests.append(Request(rng.choice(ADDRESSEES), "report", para.key, verb, meaning,
                                    "a report on the implementation of the present resolution",
                                    int(due) if due and res.organ in ("GA", "HRC") else None,
                                    res.organ if due else None))
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


def write_corpus(out: Path, *, resolutions: int, seed: int) -> int:
    """Write the corpus as JSON Lines; returns the number of resolutions written."""
    if resolutions < 1:
        raise ValueError("--resolutions must be at least 1")
    n = 0
    tmp = out.with_name(out.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for parsed in generate(resolutions, seed):
            fh.write(json.dumps(parsed.to_json(), ensure_ascii=False, separators=(",", ":")))
            fh.write("\n")
            n += 1
    tmp.replace(out)  # never a half-written corpus under the final name
    return n
