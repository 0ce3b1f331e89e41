"""Analysis of a time window of the history: ranking, rising items (and why), new entries,
keyword bursts, cross-platform events and watchlist hits.

Ranking score (0-100), documented in docs/radar.md:

    score = 100 * (0.30 R + 0.15 H + 0.20 P + 0.15 V + 0.20 X)

    R  rank      1 - ln(best rank) / ln(51), floored at 0 (#1 → 1, #50 and below → 0)
    H  heat      percentile of the item's peak heat among its source's items in the window
                 (sources without heat: H = R)
    P  persistence   snapshots it was on / snapshots its source took in the window (max 1)
    V  velocity  places climbed from its first to its last sighting in the window / 20 (0..1)
    X  reach     (platforms of its cross-platform event - 1) / 2 (0..1)
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from onelegion.skills.radar.analysis_models import (
    Analysis,
    Event,
    KeywordTrend,
    Point,
    TrendItem,
    WatchGroupHits,
)
from onelegion.skills.radar.burst import current_burst, kleinberg_states
from onelegion.skills.radar.cluster import Doc, Embedder
from onelegion.skills.radar.events import Background, EventClusterer
from onelegion.skills.radar.normalize import keyword_in_title, normalize_title, platform_of
from onelegion.skills.radar.store import HistoryStore, to_utc_naive
from onelegion.skills.radar.watchlist import Watchlist

WEIGHTS = {"rank": 0.30, "heat": 0.15, "persistence": 0.20, "velocity": 0.15, "reach": 0.20}
MAX_CLUSTER_ITEMS = 2000  # the best-ranked items of the window are clustered
BACKGROUND_SPAN = timedelta(days=14)  # history before the window that weighs the event terms
MAX_BACKGROUND_TITLES = 20_000
TRAJECTORY_POINTS = 12


def _source_filter(sources: Sequence[str] | None) -> tuple[str, list[Any]]:
    if not sources:
        return "", []
    return (
        " AND (source IN (SELECT unnest(?::VARCHAR[])) "
        "OR split_part(source, '-', 1) IN (SELECT unnest(?::VARCHAR[])))",
        [list(sources), list(sources)],
    )


def analyse(
    store: HistoryStore,
    since: datetime,
    until: datetime,
    *,
    sources: Sequence[str] | None = None,
    keyword: str | None = None,
    watchlist: Watchlist | None = None,
    limit: int = 20,
    embed: Embedder | None = None,
) -> Analysis:
    start, end = to_utc_naive(since), to_utc_naive(until)
    span = end - start
    where, wparams = _source_filter(sources)
    store.ensure_tokens(start - 3 * span, end)
    with store.connect(read_only=True) as con:
        rows = con.execute(
            f"""
            WITH w AS (SELECT * FROM snapshots WHERE captured_at > ? AND captured_at <= ?{where})
            SELECT w.item_key, any_value(w.source), count(*), min(w.rank),
                   arg_min(w.rank, w.captured_at), arg_max(w.rank, w.captured_at),
                   min(w.captured_at), max(w.captured_at), max(w.heat),
                   arg_max(w.heat, w.captured_at), arg_min(w.heat, w.captured_at),
                   any_value(i.title), any_value(i.url), any_value(i.first_seen),
                   any_value(i.norm_title), any_value(i.tokens)
            FROM w JOIN items i USING (item_key) GROUP BY w.item_key""",
            [start, end, *wparams],
        ).fetchall()
        caps = dict(
            con.execute(
                f"SELECT source, count(*) FROM captures WHERE captured_at > ? AND captured_at <= ?{where} "
                "GROUP BY source",
                [start, end, *wparams],
            ).fetchall()
        )
        first_capture = dict(
            con.execute("SELECT source, min(captured_at) FROM captures GROUP BY 1").fetchall()
        )
        keywords = _keyword_trends(con, start, end, span, where, wparams, keyword)
        background = [
            str(r[0])
            for r in con.execute(
                "SELECT norm_title FROM items WHERE first_seen <= ? AND last_seen > ? "
                "ORDER BY last_seen DESC LIMIT ?",
                [start, start - BACKGROUND_SPAN, MAX_BACKGROUND_TITLES],
            ).fetchall()
        ]
        heat_keys = [r[0] for r in rows if r[8] is not None]
        heat_base = (
            dict(
                con.execute(
                    "SELECT item_key, median(heat) FROM snapshots WHERE captured_at <= ? AND heat IS NOT NULL "
                    "AND item_key IN (SELECT unnest(?::BIGINT[])) GROUP BY 1",
                    [start, heat_keys],
                ).fetchall()
            )
            if heat_keys
            else {}
        )
    bursting = {k.keyword: k for k in keywords if k.bursting}
    items: list[TrendItem] = []
    tokens_of: dict[int, list[str]] = {}
    norm_of: dict[int, str] = {}
    for r in rows:
        key, source = int(r[0]), str(r[1])
        norm = str(r[14])
        if keyword and not keyword_in_title(keyword, norm):
            continue
        it = TrendItem(
            item_key=key,
            source=source,
            title=r[11],
            url=r[12],
            first_seen=r[13],
            last_seen=r[7],
            best_rank=r[3],
            first_rank=r[4],
            last_rank=r[5],
            peak_heat=r[8],
            last_heat=r[9],
            sightings=r[2],
            captures=max(int(caps.get(source, 1)), 1),
        )
        hours = (r[7] - r[6]).total_seconds() / 3600
        climb = it.first_rank - it.last_rank
        if r[2] >= 2 and hours > 0:
            it.velocity = round(climb / hours, 2)
        if climb >= max(5, 0.3 * it.first_rank) and r[2] >= 2:
            it.reasons.append(
                f"climbed #{it.first_rank} → #{it.last_rank} (+{climb} places in {hours:.1f}h)"
            )
        base = heat_base.get(key)
        if it.last_heat and base and it.last_heat >= 2 * base:
            it.reasons.append(
                f"heat {_fmt_heat(it.last_heat)}, ×{it.last_heat / base:.1f} its earlier median"
            )
        elif it.last_heat and r[10] and r[2] >= 2 and it.last_heat >= 2 * r[10]:
            it.reasons.append(f"heat {_fmt_heat(r[10])} → {_fmt_heat(it.last_heat)} in the window")
        own = [normalize_title(keyword)] if keyword else []
        live = [
            kt
            for t in [*own, *(r[15] or [])]
            if (kt := bursting.get(t)) is not None
            and (kt.burst_since is None or it.last_seen >= kt.burst_since)
        ]
        if live:
            kt = max(live, key=lambda k: k.ratio)
            since_txt = kt.burst_since.strftime("%m-%d %H:%M") if kt.burst_since else "now"
            it.reasons.append(
                f"keyword “{kt.keyword}” bursting since {since_txt} (×{kt.ratio:.1f} usual rate)"
            )
        fc = first_capture.get(source)
        it.is_new = it.first_seen > start and fc is not None and fc < it.first_seen
        tokens_of[key] = list(r[15] or [])
        norm_of[key] = norm
        items.append(it)
    heat_pct = _heat_percentiles(items)
    events = _events(items, tokens_of, norm_of, embed, Background(background))
    for it in items:
        it.score = _score(it, heat_pct.get(it.item_key))
    for ev in events:
        ev.items = _angles_first(ev.items)
        ev.score = round(max(x.score for x in ev.items), 1)
        ev.best_rank = min(x.best_rank for x in ev.items)
        ev.title = ev.items[0].title
    items.sort(key=lambda x: (-x.score, x.best_rank, x.title))
    events.sort(key=lambda e: (-len(e.platforms), -e.score))
    rising = [it for it in items if any(not r.startswith("new") for r in it.reasons)]
    new = [it for it in items if it.is_new]
    analysis = Analysis(
        since=start,
        until=end,
        sources=sorted(caps),
        items_seen=len(items),
        keyword=keyword or None,
        top=items[:limit],
        rising=rising[:limit],
        new=new[:limit],
        events=events[:limit],
        keywords=keywords[:limit],
    )
    if watchlist is not None and not watchlist.empty:
        analysis.watch = _watch_hits(items, norm_of, watchlist)
    _attach_trajectories(store, analysis, start, end)
    return analysis


def _fmt_heat(v: float) -> str:
    if v >= 1e8:
        return f"{v / 1e8:.1f}亿"
    if v >= 1e4:
        return f"{v / 1e4:.0f}万"
    return f"{v:.0f}"


def _score(it: TrendItem, heat_pct: float | None) -> float:
    r = max(0.0, 1 - math.log(max(it.best_rank, 1)) / math.log(51))
    h = r if heat_pct is None else heat_pct
    p = min(1.0, it.sightings / max(it.captures, 1))
    v = min(1.0, max(0.0, (it.first_rank - it.last_rank) / 20))
    x = min(1.0, (len(it.platforms) - 1) / 2) if it.platforms else 0.0
    w = WEIGHTS
    total = (
        w["rank"] * r + w["heat"] * h + w["persistence"] * p + w["velocity"] * v + w["reach"] * x
    )
    return round(100 * total, 1)


def _heat_percentiles(items: list[TrendItem]) -> dict[int, float]:
    out: dict[int, float] = {}
    by_source: dict[str, list[TrendItem]] = defaultdict(list)
    for it in items:
        if it.peak_heat is not None:
            by_source[it.source].append(it)
    for group in by_source.values():
        group.sort(key=lambda x: x.peak_heat or 0.0)
        n = len(group)
        for i, it in enumerate(group):
            out[it.item_key] = (i + 1) / n
    return out


def _events(
    items: list[TrendItem],
    tokens_of: dict[int, list[str]],
    norm_of: dict[int, str],
    embed: Embedder | None,
    background: Background | None = None,
) -> list[Event]:
    """Events: groups of the window's titles about one happening (events.py), on 2+ platforms."""
    if len({platform_of(it.source) for it in items}) < 2:
        return []
    pool = sorted(items, key=lambda x: (x.best_rank, -x.sightings))[:MAX_CLUSTER_ITEMS]
    docs = [Doc(it.source, norm_of[it.item_key], list(tokens_of[it.item_key])) for it in pool]
    groups = EventClusterer(embed=embed, background=background).cluster(docs)
    events: list[Event] = []
    for g in groups:
        members = [pool[i] for i in g]
        platforms = sorted({platform_of(m.source) for m in members})
        if len(platforms) < 2:
            continue
        eid = len(events) + 1
        for m in members:
            m.platforms = platforms
            m.event_id = eid
        events.append(
            Event(
                id=eid,
                title=members[0].title,
                platforms=platforms,
                first_seen=min(m.first_seen for m in members),
                best_rank=min(m.best_rank for m in members),
                score=0.0,
                items=members,
            )
        )
    return events


def _angles_first(members: list[TrendItem]) -> list[TrendItem]:
    """An event's titles in reading order: the headline (best score), then the best title of
    each other platform, then the rest by score — so the first few lines show every platform's
    angle rather than several near-copies from one list."""
    ranked = sorted(members, key=lambda x: (-x.score, x.best_rank, x.title))
    seen: set[str] = set()
    heads: list[TrendItem] = []
    for it in ranked:
        plat = platform_of(it.source)
        if plat not in seen:
            seen.add(plat)
            heads.append(it)
    first = {id(it) for it in heads}
    return heads + [it for it in ranked if id(it) not in first]


def _watch_hits(
    items: list[TrendItem], norm_of: dict[int, str], wl: Watchlist
) -> list[WatchGroupHits]:
    out: dict[str, list[TrendItem]] = {}
    order = [g.name for g in wl.groups]
    for it in items:  # already sorted by score
        group = wl.match(norm_of[it.item_key])
        if group is None:
            continue
        it.watch_group = group.name
        hits = out.setdefault(group.name, [])
        if group.max_items and len(hits) >= group.max_items:
            continue
        hits.append(it)
    return [WatchGroupHits(group=g, items=out[g]) for g in order if g in out]


def _keyword_trends(
    con: Any,
    start: datetime,
    end: datetime,
    span: timedelta,
    where: str,
    wparams: list[Any],
    keyword: str | None = None,
) -> list[KeywordTrend]:
    """Token counts per time bin over the window and three window-lengths before; Kleinberg bursts."""
    bin_s = 3600 if span <= timedelta(hours=48) else 86400
    base_start = start - 3 * span
    rows = con.execute(
        f"""
        WITH w AS (SELECT item_key, captured_at FROM snapshots
                   WHERE captured_at > ? AND captured_at <= ?{where}),
             b AS (SELECT DISTINCT item_key, CAST(floor(epoch(captured_at - ?::TIMESTAMP) / ?) AS INTEGER) AS bin
                   FROM w)
        SELECT bin, tok, count(*) FROM (SELECT b.bin, unnest(i.tokens) AS tok FROM b JOIN items i USING (item_key))
        GROUP BY ALL""",
        [base_start, end, *wparams, base_start, bin_s],
    ).fetchall()
    totals = dict(
        con.execute(
            f"""SELECT CAST(floor(epoch(captured_at - ?::TIMESTAMP) / ?) AS INTEGER), count(DISTINCT item_key)
                FROM snapshots WHERE captured_at > ? AND captured_at <= ?{where} GROUP BY 1""",
            [base_start, bin_s, base_start, end, *wparams],
        ).fetchall()
    )
    if not totals:
        return []
    n_bins = math.ceil((end - base_start).total_seconds() / bin_s)
    win_first = int((start - base_start).total_seconds() // bin_s)
    first_data_bin = min(totals)
    r = [int(totals.get(b, 0)) for b in range(n_bins)]
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for b, tok, c in rows:
        counts[tok][int(b)] = int(c)
    out: list[KeywordTrend] = []
    prior_bins = max(0, win_first - first_data_bin)
    win_bins = n_bins - win_first

    def trend(tok: str, per_bin: dict[int, int], min_count: int = 3) -> KeywordTrend | None:
        in_win = sum(c for b, c in per_bin.items() if b >= win_first)
        if in_win < min_count:
            return None
        before = sum(c for b, c in per_bin.items() if b < win_first)
        baseline = before * win_bins / prior_bins if prior_bins else 0.0
        ratio = (in_win + 1) / (baseline + 1)
        burst_at = None
        if prior_bins and ratio >= 1.5:  # only a keyword above its usual rate can be bursting
            # the series is built only here (a long, mostly empty window made it the hot spot)
            d = [per_bin.get(b, 0) for b in range(first_data_bin, n_bins)]
            states = kleinberg_states(d, r[first_data_bin:])
            idx = current_burst(states, win_first - first_data_bin)
            if idx is not None:
                burst_at = base_start + timedelta(seconds=(idx + first_data_bin) * bin_s)
        return KeywordTrend(
            keyword=tok,
            count=in_win,
            baseline=round(baseline, 2),
            ratio=round(ratio, 2),
            bursting=burst_at is not None,
            burst_since=burst_at,
        )

    for tok, per_bin in counts.items():
        kt = trend(tok, per_bin)
        if kt is not None:
            out.append(kt)
    out.sort(key=lambda k: (not k.bursting, -k.ratio * math.log1p(k.count), k.keyword))
    if keyword:  # the person's own keyword: titles matching it (token-aware) per bin
        kw = normalize_title(keyword)
        hits = con.execute(
            f"""WITH w AS (SELECT item_key, captured_at FROM snapshots
                           WHERE captured_at > ? AND captured_at <= ?{where})
                SELECT DISTINCT w.item_key, i.norm_title,
                       CAST(floor(epoch(w.captured_at - ?::TIMESTAMP) / ?) AS INTEGER)
                FROM w JOIN items i USING (item_key) WHERE contains(i.norm_title, ?)""",
            [base_start, end, *wparams, base_start, bin_s, kw],
        ).fetchall()
        own_bins: dict[int, int] = defaultdict(int)
        for _key, norm, b in hits:
            if keyword_in_title(kw, str(norm)):
                own_bins[int(b)] += 1
        own = trend(kw, own_bins, min_count=1)
        out = [k for k in out if k.keyword != kw]
        if own is not None:
            out.insert(0, own)
    return out


def _attach_trajectories(store: HistoryStore, a: Analysis, start: datetime, end: datetime) -> None:
    shown: dict[int, list[TrendItem]] = defaultdict(list)
    for lst in (a.top, a.rising, a.new):
        for it in lst:
            shown[it.item_key].append(it)
    for ev in a.events:
        for it in ev.items:
            shown[it.item_key].append(it)
    for g in a.watch:
        for it in g.items:
            shown[it.item_key].append(it)
    if not shown:
        return
    rows = store.query(
        "SELECT item_key, captured_at, rank, heat FROM snapshots WHERE captured_at > ? AND captured_at <= ? "
        "AND item_key IN (SELECT unnest(?::BIGINT[])) ORDER BY item_key, captured_at",
        [start, end, list(shown)],
    )
    points: dict[int, list[Point]] = defaultdict(list)
    for key, at, rank, heat in rows:
        points[int(key)].append(Point(at=at, rank=rank, heat=heat))
    for key, its in shown.items():
        pts = points.get(key, [])[-TRAJECTORY_POINTS:]
        for it in its:
            it.trajectory = pts
