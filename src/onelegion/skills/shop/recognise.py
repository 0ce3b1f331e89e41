"""Which layout is this file? Decided on evidence: the headers it really has.

A layout is recognised only when every one of its required headers is present (after
:func:`~onelegion.skills.shop.layouts.norm_header`); among those, the one explaining the most
headers wins. Headers no field of the winning layout explains are reported as *unknown* (never
guessed); ``--map "their header=canonical_field"`` maps them explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from onelegion.skills.shop.layouts import (
    BY_ID,
    LAYOUTS,
    Layout,
    header_currency,
    header_window,
    norm_header,
)


@dataclass
class Recognition:
    layout: Layout | None
    columns: dict[str, str]  # canonical field -> the file's header
    unknown: list[str]  # headers no field explains
    missing: list[str]  # required headers of the nearest layout that are absent
    nearest: str | None = None  # id of the nearest layout when none was recognised
    score: float = 0.0  # share of the file's headers explained
    variant: str = ""
    header_currency: str | None = None
    window_days: int | None = None
    notes: list[str] = field(default_factory=list)


def parse_maps(maps: list[str]) -> dict[str, str]:
    """'their header=canonical_field' pairs -> {normalised header: field}."""
    out: dict[str, str] = {}
    for m in maps:
        if "=" not in m:
            continue
        left, right = m.split("=", 1)
        out[norm_header(left)] = right.strip()
    return out


def recognise(headers: list[str], maps: dict[str, str] | None = None) -> Recognition:
    maps = maps or {}
    normed = [norm_header(h) for h in headers]
    best: tuple[tuple[int, float], Layout, dict[str, str]] | None = None
    nearest: tuple[float, Layout, list[str]] | None = None
    for lay in LAYOUTS:
        lookup = lay.lookup()
        cols: dict[str, str] = {}
        for raw, n in zip(headers, normed, strict=True):
            canon = maps.get(n) if maps.get(n) in lay.fields else lookup.get(n)
            if canon and canon not in cols:
                cols[canon] = raw
        missing = [r for r in lay.required if lookup.get(r, r) not in cols]
        if missing:
            share = 1 - len(missing) / len(lay.required)
            if nearest is None or share > nearest[0]:
                nearest = (share, lay, missing)
            continue
        explained = len(cols) / max(1, len(headers))
        key = (len(cols), explained)
        if best is None or key > best[0]:
            best = (key, lay, cols)
    if best is None:
        return Recognition(
            layout=None,
            columns={},
            unknown=list(headers),
            missing=nearest[2] if nearest and nearest[0] >= 0.5 else [],
            nearest=nearest[1].id if nearest and nearest[0] >= 0.5 else None,
        )
    _, lay, cols = best
    used = set(cols.values())
    known = lay.known()
    unknown = [h for h in headers if h not in used and norm_header(h) not in known]
    rec = Recognition(
        layout=lay,
        columns=cols,
        unknown=unknown,
        missing=[],
        score=len(used) / max(1, len(headers)),
    )
    cur = {c for h in headers if (c := header_currency(h))}
    if len(cur) == 1:
        rec.header_currency = cur.pop()
    wins = {w for h in headers if (w := header_window(h))}
    if wins:
        rec.window_days = max(wins)
    rec.variant = _variant(lay, headers, cols)
    return rec


def _variant(lay: Layout, headers: list[str], cols: dict[str, str]) -> str:
    if lay.id == "amazon.settlement.flat":
        return f"{len(headers)} columns" + (
            "" if "promotion_amount" in cols else ", no promotion-*"
        )
    if lay.id == "amazon.settlement.v2":
        return f"{len(headers)} columns"
    if lay.id == "amazon.transactions":
        return "tax split" if "product_sales_tax" in cols else "2016 (sales tax collected)"
    if lay.id == "amazon.orders":
        return f"{len(headers)} columns"
    if lay.kind == "ads":
        if "date_range" in cols or "account_id" in cols:
            return "2026 console"
        w = next((header_window(h) for h in headers if header_window(h)), None)
        return f"{w}-day attribution" if w else ""
    if lay.id == "shopee.orders":
        return "Indonesian headers" if "no. pesanan" in {norm_header(h) for h in headers} else ""
    return ""


def layout(layout_id: str) -> Layout:
    return BY_ID[layout_id]
