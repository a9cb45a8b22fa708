"""Server-side SVG pictures: the citation network and the vote (no JavaScript needed).

Plain strings built with escaping (``markupsafe``): readable at a glance, linkable (each node
is an ``<a>``), printable, and they work with no third-party code in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

VOTE_COLOURS = {"yes": "#2e7d32", "no": "#c62828", "abstain": "#ef8f00",
                "nonVoting": "#8a8f98"}
VOTE_LABELS = {"yes": "Yes", "no": "No", "abstain": "Abstain", "nonVoting": "Non-voting"}


def _n(v: Any) -> int:
    return v if isinstance(v, int) else 0


def vote_bar(adoption: dict[str, Any]) -> Markup:
    """A horizontal stacked bar of the counts, with the numbers written on it."""
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
    parts = [f'<svg class="votebar" viewBox="0 0 {width} {height + 22}" role="img" '
             f'aria-label="Vote: ' + ", ".join(f"{VOTE_LABELS[k]} {c}" for k, c in
                                                 counts.items() if c) + '">']
    for key, count in counts.items():
        if not count:
            continue
        w = width * count / total
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                     f'fill="{VOTE_COLOURS[key]}"><title>{VOTE_LABELS[key]}: {count}</title>'
                     f'</rect>')
        if w > 28:
            parts.append(f'<text x="{x + w / 2:.1f}" y="{height / 2 + 7}" text-anchor="middle" '
                         f'class="votenum">{count}</text>')
        x += w
    lx = 0
    for key, count in counts.items():
        parts.append(f'<rect x="{lx}" y="{height + 8}" width="12" height="12" '
                     f'fill="{VOTE_COLOURS[key]}"/><text x="{lx + 16}" y="{height + 19}" '
                     f'class="votelegend">{VOTE_LABELS[key]} {count}</text>')
        lx += 150
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
            limit: int = 18) -> Markup:
    """Three columns: what cites this (left) -> this (centre) -> what it cites (right).

    A work that both cites and is cited by this one appears on the right with arrows both
    ways. Each box links to the work's page; overflow is summarised as "+N more".
    """
    right = cites[:limit]
    right_ids = {c["id"] for c in cites}
    left_all = [c for c in cited_by if c["id"] not in right_ids]
    left = left_all[:limit]
    mutual = {c["id"] for c in cited_by} & right_ids
    row_h, box_h = 34, 26
    rows = max(len(left), len(right), 1)
    height = rows * row_h + 60
    width, box_w = 940, 260
    cx, cy = width / 2, height / 2
    lx, rx = 20, width - 20 - box_w
    out = [f'<svg class="network" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="Citation network of {escape(center_label)}">',
           '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
           'fill="#5b6b7f"/></marker></defs>',
           f'<text x="{lx}" y="16" class="nethead">Cited by ({len(cited_by)})</text>',
           f'<text x="{rx}" y="16" class="nethead">Cites ({len(cites)})</text>']

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
                f'<text x="{x + 10}" y="{y + 5}">{escape(text)}</text></g></a>')

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
    for side, items, total, x in (("left", left, len(left_all), lx),
                                  ("right", right, len(cites), rx)):
        if total > len(items) and side:
            out.append(f'<text x="{x}" y="{height - 8}" class="more">'
                       f'+{total - len(items)} more</text>')
    out.append(f'<g class="node centre"><rect x="{cx - 110}" y="{cy - 20}" width="220" '
               f'height="40" rx="7"/><text x="{cx}" y="{cy + 6}" text-anchor="middle">'
               f'{escape(center_label)}</text></g>')
    if not left and not right:
        out.append(f'<text x="{cx}" y="{cy + 44}" text-anchor="middle" class="more">'
                   'No citations recorded.</text>')
    out.append("</svg>")
    return Markup("".join(out))
