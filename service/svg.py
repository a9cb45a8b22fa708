"""Server-side SVG pictures: the citation network and the vote (no JavaScript needed).

Plain strings built with escaping (``markupsafe``): readable at a glance, linkable (each node
is an ``<a>``), printable, and they work with no third-party code in the browser.

Every word drawn (headings, legend, accessible names) is a message of :mod:`.i18n` in the
``language`` the page is written in (English by default), so a French page gets a French
picture; the numbers and document symbols stay as they are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from . import i18n

VOTE_COLOURS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#ef8f00",
                "nonVoting": "#8a8f98"}
#: Message keys of the vote values (the same words as the chips under the bar).
VOTE_LABELS = {"yes": "vote.yes", "no": "vote.no", "abstain": "vote.abstain",
               "nonVoting": "vote.nonVoting"}


def _t(key: str, language: str, **values: Any) -> str:
    """A message as plain text in ``language`` (English where missing), placeholders filled;
    the caller escapes it where it goes into the SVG."""
    message = i18n.text(key, language)
    return message.format(**values) if values else message


def _n(v: Any) -> int:
    return v if isinstance(v, int) else 0


def _text_width(text: str, size: float = 13) -> float:
    """A rough width of ``text`` in pixels at font ``size``: wide (CJK, full-width) characters
    count one em, others about 0.6 em (enough to keep legend items from overlapping)."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return size * (wide + 0.6 * (len(text) - wide))


def vote_bar(adoption: dict[str, Any], language: str = i18n.DEFAULT) -> Markup:
    """A horizontal stacked bar of the counts, with the numbers written on it and a legend
    in ``language``."""
    counts = {"yes": _n(adoption.get("votesYes")), "no": _n(adoption.get("votesNo")),
              "abstain": _n(adoption.get("votesAbstain")),
              "nonVoting": _n(adoption.get("votesNonVoting"))}
    if not any(counts.values()):
        for v in adoption.get("vote", []) if isinstance(adoption.get("vote"), list) else []:
            value = str(v.get("voteValue", "")).replace("rg:", "")
            if value in counts:
                counts[value] += 1
    total = sum(counts.values())
    if not total:
        return Markup("")
    width, height = 600, 46
    x = 0.0
    names = {k: _t(key, language) for k, key in VOTE_LABELS.items()}
    summary = ", ".join(f"{names[k]} {c}" for k, c in counts.items() if c)
    # the legend wraps: "No participaron en la votación 0" is three times "Yes 12"
    legend: list[tuple[float, float, str]] = []
    lx, ly = 0.0, height + 8
    for key, count in counts.items():
        item = f"{names[key]} {count}"
        item_w = 16 + _text_width(item) + 24
        if lx and lx + item_w > width:
            lx, ly = 0.0, ly + 20
        legend.append((lx, ly, key))
        lx += max(item_w, 150)
    rtl = language in i18n.RTL
    parts = [f'<svg class="votebar" viewBox="0 0 {width} {ly + 14}" role="img" '
             f'direction="{"rtl" if rtl else "ltr"}" '
             f'aria-label="{escape(_t("svg.vote_label", language, counts=summary))}">']
    for key, count in counts.items():
        if not count:
            continue
        w = width * count / total
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                     f'fill="{VOTE_COLOURS[key]}"><title>{escape(names[key])}: {count}</title>'
                     f'</rect>')
        if w > 28:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{height / 2 + 7}" text-anchor="middle" '
                         f'class="votenum">{count}</text>')
        x += w
    for lx, ly, key in legend:
        # right to left: the legend runs from the right edge and each text ends at its swatch
        sx, tx = (width - lx - 12, width - lx - 16) if rtl else (lx, lx + 16)
        parts.append(f'<rect x="{sx:.0f}" y="{ly:.0f}" width="12" height="12" '
                     f'fill="{VOTE_COLOURS[key]}"/><text x="{tx:.0f}" y="{ly + 11:.0f}" '
                     f'class="votelegend">{escape(names[key])} {counts[key]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def vote_groups(adoption: dict[str, Any], language: str) -> dict[str, list[dict[str, str]]]:
    """Member states grouped by vote value, sorted by name (for the chips under the bar)."""
    from .pages import lmap

    groups: dict[str, list[dict[str, str]]] = {k: [] for k in VOTE_LABELS}
    votes = adoption.get("vote", [])
    for v in votes if isinstance(votes, list) else [votes]:
        if not isinstance(v, dict):
            continue
        value = str(v.get("voteValue", "")).replace("rg:", "")
        voter = v.get("voter")
        if isinstance(voter, dict):
            name = lmap(voter.get("label"), language) or voter.get("code", "")
            groups.setdefault(value, []).append({"name": name, "code": voter.get("code", ""),
                                                 "id": voter.get("id", "")})
    for g in groups.values():
        g.sort(key=lambda s: s["name"])
    return {k: g for k, g in groups.items() if g}


def network(center: str, center_label: str, cites: list[dict[str, Any]],
            cited_by: list[dict[str, Any]], link: Callable[[str], str], *,
            limit: int = 18, language: str = i18n.DEFAULT,
            cited_by_total: int | None = None) -> Markup:
    """Three columns: what cites this (left) -> this (centre) -> what it cites (right).

    A work that both cites and is cited by this one appears on the right with arrows both
    ways. Each box links to the work's page; overflow is summarised as "+N more". The
    headings and notes are written in ``language``. ``cited_by`` may be some of the works
    citing this one (the page lists the newest) as long as it holds every work that is also
    in ``cites``; ``cited_by_total`` is then how many there are in all.
    """
    right = cites[:limit]
    right_ids = {c["id"] for c in cites}
    left_all = [c for c in cited_by if c["id"] not in right_ids]
    left = left_all[:limit]
    mutual = {c["id"] for c in cited_by} & right_ids
    n_cited_by = len(cited_by) if cited_by_total is None else cited_by_total
    row_h, box_h = 34, 26
    rows = max(len(left), len(right), 1)
    height = rows * row_h + 60
    width, box_w = 940, 260
    cx, cy = width / 2, height / 2
    lx, rx = 20, width - 20 - box_w
    # right to left (Arabic): a heading starts at its column's right edge and runs leftwards;
    # symbols in the boxes stay left to right
    rtl = language in i18n.RTL
    hl, hr = (lx + box_w, rx + box_w) if rtl else (lx, rx)
    out = [f'<svg class="network" viewBox="0 0 {width} {height}" role="img" '
           f'direction="{"rtl" if rtl else "ltr"}" '
           f'aria-label="{escape(_t("svg.network_label", language, label=center_label))}">',
           '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#5b6b7f"/></marker></defs>',
           f'<text x="{hl}" y="16" class="nethead">'
           f'{escape(_t("res.cited_by", language, n=i18n.number(n_cited_by, language)))}</text>',
           f'<text x="{hr}" y="16" class="nethead">'
           f'{escape(_t("res.cites", language, n=len(cites)))}</text>']

    def ypos(i: int, n: int) -> float:
        top = cy - (n * row_h) / 2
        return top + i * row_h + row_h / 2

    def box(x: float, y: float, item: dict[str, Any], cls: str) -> str:
        label = item.get("symbol") or item["id"].rsplit("/", 1)[-1]
        title = item.get("title") or ""
        text = label if len(label) <= 30 else label[:29] + "…"
        return (f'<a href="{escape(link(item["id"]))}"><g class="{cls}">'
                f'<title>{escape(label)}{" — " + escape(title) if title else ""}</title>'
                f'<rect x="{x}" y="{y - box_h / 2}" width="{box_w}" height="{box_h}" rx="5"/>'
                f'<text x="{x + 10}" y="{y + 5}" direction="ltr">{escape(text)}</text>'
                f'</g></a>')

    for i, item in enumerate(left):
        y = ypos(i, len(left))
        out.append(f'<path d="M{lx + box_w},{y} C{cx - 150},{y} {cx - 150},{cy} '
                   f'{cx - 110},{cy}" class="edge" marker-end="url(#arr)"/>')
        out.append(box(lx, y, item, "node citing"))
    for i, item in enumerate(right):
        y = ypos(i, len(right))
        start = ' marker-start="url(#arr)"' if item["id"] in mutual else ""
        out.append(f'<path d="M{cx + 110},{cy} C{cx + 150},{cy} {cx + 150},{y} {rx},{y}" '
                   f'class="edge" marker-end="url(#arr)"{start}/>')
        cls = "node cited stub" if item.get("stub") else "node cited"
        out.append(box(rx, y, item, cls))
    for side, items, total, x in (("left", left, n_cited_by - len(mutual), hl),
                                  ("right", right, len(cites), hr)):
        if total > len(items) and side:
            more = i18n.number(total - len(items), language)
            out.append(f'<text x="{x}" y="{height - 8}" class="more">'
                       f'{escape(_t("svg.more", language, n=more))}</text>')
    out.append(f'<g class="node centre"><rect x="{cx - 110}" y="{cy - 20}" width="220" '
               f'height="40" rx="7"/><text x="{cx}" y="{cy + 6}" text-anchor="middle" '
               f'direction="ltr">'
               f'{escape(center_label)}</text></g>')
    if not left and not right:
        out.append(f'<text x="{cx}" y="{cy + 44}" text-anchor="middle" class="more">'
                   f'{escape(_t("svg.no_citations", language))}</text>')
    out.append("</svg>")
    return Markup("".join(out))
