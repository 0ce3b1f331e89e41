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

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from onelegion.skills.radar.burst import current_bursts
from onelegion.skills.radar.cluster import Doc, Embedder
from onelegion.skills.radar.events import Background, EventClusterer
from onelegion.skills.radar.normalize import keyword_in_title, normalize_title, platform_of
from onelegion.skills.radar.store import HistoryStore, to_utc_naive
from onelegion.skills.radar.watchlist import Group, Watchlist

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


@dataclass(slots=True)
class _Item:
    """An item of the window while it is analysed (a plain row: a window holds tens of thousands,
    and only the few shown become ``TrendItem`` models, in ``_surface``)."""

    item_key: int
    source: str
    title: str
    url: str | None
    first_seen: datetime
    last_seen: datetime
    first_at: datetime  # its first sighting in the window
    best_rank: int
    first_rank: int
    last_rank: int
    peak_heat: float | None
    last_heat: float | None
    sightings: int
    captures: int
    norm: str
    reasons: Sequence[str] = ()
    is_new: bool = False
    heat_pct: float | None = None
    score: float = 0.0
    platforms: Sequence[str] = ()
    event_id: int | None = None
    trajectory: Sequence[Point] = ()
    watch_group: str | None = None

    @property
    def velocity(self) -> float | None:
        """Places climbed per hour over the window (None with one sighting)."""
        hours = (self.last_seen - self.first_at).total_seconds() / 3600
        if self.sightings >= 2 and hours > 0:
            return round((self.first_rank - self.last_rank) / hours, 2)
        return None


def _shown_order(it: _Item) -> tuple[float, int, str]:
    return (-it.score, it.best_rank, it.title)


@dataclass(slots=True)
class _Event:
    id: int
    platforms: list[str]
    first_seen: datetime
    items: list[_Item]
    title: str = ""
    best_rank: int = 0
    score: float = 0.0


@dataclass(slots=True)
class _Keyword:
    keyword: str
    count: int
    baseline: float
    ratio: float
    burst_since: datetime | None


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
        keywords = _keyword_trends(con, start, end, span, where, wparams, keyword)
        bursting = {k.keyword: k for k in keywords if k.burst_since is not None}
        # an item's tokens are read only when one of them is bursting (the reasons need them)
        rows = con.execute(
            f"""
            WITH w AS (SELECT * FROM snapshots WHERE captured_at > ? AND captured_at <= ?{where})
            SELECT w.item_key, any_value(w.source), count(*), min(w.rank),
                   arg_min(w.rank, w.captured_at), arg_max(w.rank, w.captured_at),
                   min(w.captured_at), max(w.captured_at), max(w.heat),
                   arg_max(w.heat, w.captured_at), arg_min(w.heat, w.captured_at),
                   any_value(i.title), any_value(i.url), any_value(i.first_seen),
                   any_value(i.norm_title),
                   CASE WHEN list_has_any(any_value(i.tokens), ?::VARCHAR[])
                        THEN any_value(i.tokens) END
            FROM w JOIN items i USING (item_key) GROUP BY w.item_key ORDER BY w.item_key""",
            [start, end, *wparams, list(bursting)],
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
    items: list[_Item] = []
    own = [normalize_title(keyword)] if keyword else []
    n_caps = {s: max(int(c), 1) for s, c in caps.items()}
    is_new_after = {s: max(start, fc) for s, fc in first_capture.items() if fc is not None}
    for r in rows:
        norm = r[14]
        if keyword and not keyword_in_title(keyword, norm):
            continue
        key, source, sightings, first_rank, last_rank, last_heat = (
            r[0],
            r[1],
            r[2],
            r[4],
            r[5],
            r[9],
        )
        why: list[str] | None = None
        if sightings >= 2:
            climb = first_rank - last_rank
            if climb >= max(5, 0.3 * first_rank):
                hours = (r[7] - r[6]).total_seconds() / 3600
                why = [f"climbed #{first_rank} → #{last_rank} (+{climb} places in {hours:.1f}h)"]
        if last_heat:
            base = heat_base.get(key)
            if base and last_heat >= 2 * base:
                why = why or []
                why.append(
                    f"heat {_fmt_heat(last_heat)}, ×{last_heat / base:.1f} its earlier median"
                )
            elif r[10] and sightings >= 2 and last_heat >= 2 * r[10]:
                why = why or []
                why.append(f"heat {_fmt_heat(r[10])} → {_fmt_heat(last_heat)} in the window")
        if bursting and (own or r[15]):
            live = [
                kt
                for t in [*own, *(r[15] or [])]
                if (kt := bursting.get(t)) is not None
                and (kt.burst_since is None or r[7] >= kt.burst_since)
            ]
            if live:
                kt = max(live, key=lambda k: k.ratio)
                since_txt = kt.burst_since.strftime("%m-%d %H:%M") if kt.burst_since else "now"
                why = why or []
                why.append(
                    f"keyword “{kt.keyword}” bursting since {since_txt} (×{kt.ratio:.1f} usual rate)"
                )
        first_seen = r[13]
        after = is_new_after.get(source)
        items.append(
            _Item(
                key,
                source,
                r[11],
                r[12],
                first_seen,
                r[7],
                r[6],
                r[3],
                first_rank,
                last_rank,
                r[8],
                last_heat,
                sightings,
                n_caps.get(source, 1),
                norm,
                why or (),
                after is not None and first_seen > after,
            )
        )
    _heat_percentiles(items)
    events = _events(items, embed, Background(background))
    _scores(items)
    for ev in events:
        ev.items = _angles_first(ev.items)
        ev.score = round(max(x.score for x in ev.items), 1)
        ev.best_rank = min(x.best_rank for x in ev.items)
        ev.title = ev.items[0].title
    events.sort(key=lambda e: (-len(e.platforms), -e.score))
    # what is shown: the first ``limit`` of each list in score order (nsmallest keeps the order
    # a full sort would give, ties included)
    top = heapq.nsmallest(limit, items, key=_shown_order)
    rising = heapq.nsmallest(
        limit,
        [it for it in items if any(not r.startswith("new") for r in it.reasons)],
        key=_shown_order,
    )
    new = heapq.nsmallest(limit, [it for it in items if it.is_new], key=_shown_order)
    events = events[:limit]
    watch: dict[str, list[_Item]] = {}
    if watchlist is not None and not watchlist.empty:
        watch = _watch_hits(items, watchlist)
    _attach_trajectories(
        store, [top, rising, new, *(e.items for e in events), *watch.values()], start, end
    )
    memo: dict[int, TrendItem] = {}
    analysis = Analysis(
        since=start,
        until=end,
        sources=sorted(caps),
        items_seen=len(items),
        keyword=keyword or None,
        top=_surface(top, memo),
        rising=_surface(rising, memo),
        new=_surface(new, memo),
        events=[
            Event(
                id=ev.id,
                title=ev.title,
                platforms=ev.platforms,
                first_seen=ev.first_seen,
                best_rank=ev.best_rank,
                score=ev.score,
                items=_surface(ev.items, memo),
            )
            for ev in events
        ],
        keywords=[
            KeywordTrend(
                keyword=k.keyword,
                count=k.count,
                baseline=k.baseline,
                ratio=k.ratio,
                bursting=k.burst_since is not None,
                burst_since=k.burst_since,
            )
            for k in keywords[:limit]
        ],
    )
    analysis.watch = [
        WatchGroupHits(group=g, items=_surface(its, memo)) for g, its in watch.items()
    ]
    return analysis


def _surface(items: list[_Item], memo: dict[int, TrendItem]) -> list[TrendItem]:
    """The shown items as validated models (one model per item, shared by every list)."""
    out = []
    for it in items:
        m = memo.get(it.item_key)
        if m is None:
            m = memo[it.item_key] = TrendItem(
                item_key=it.item_key,
                source=it.source,
                title=it.title,
                url=it.url,
                first_seen=it.first_seen,
                last_seen=it.last_seen,
                best_rank=it.best_rank,
                first_rank=it.first_rank,
                last_rank=it.last_rank,
                peak_heat=it.peak_heat,
                last_heat=it.last_heat,
                sightings=it.sightings,
                captures=it.captures,
                velocity=it.velocity,
                score=it.score,
                is_new=it.is_new,
                reasons=list(it.reasons),
                platforms=list(it.platforms),
                event_id=it.event_id,
                trajectory=list(it.trajectory),
                watch_group=it.watch_group,
            )
        out.append(m)
    return out


def _fmt_heat(v: float) -> str:
    if v >= 1e8:
        return f"{v / 1e8:.1f}亿"
    if v >= 1e4:
        return f"{v / 1e4:.0f}万"
    return f"{v:.0f}"


def _score(it: _Item, heat_pct: float | None) -> float:
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


def _scores(items: list[_Item]) -> None:
    """``_score`` of every item, the same arithmetic in the same order, with the rank term looked
    up per distinct rank (a window of three months holds tens of thousands of items)."""
    wr, wh, wp, wv, wx = (WEIGHTS[k] for k in ("rank", "heat", "persistence", "velocity", "reach"))
    log51 = math.log(51)
    rank_term: dict[int, float] = {}
    for it in items:
        best = it.best_rank
        r = rank_term.get(best)
        if r is None:
            r = rank_term[best] = max(0.0, 1 - math.log(max(best, 1)) / log51)
        h = it.heat_pct
        if h is None:
            h = r
        p = min(1.0, it.sightings / it.captures)  # captures >= 1
        v = min(1.0, max(0.0, (it.first_rank - it.last_rank) / 20))
        plats = it.platforms
        x = min(1.0, (len(plats) - 1) / 2) if plats else 0.0
        it.score = round(100 * (wr * r + wh * h + wp * p + wv * v + wx * x), 1)


def _heat_percentiles(items: list[_Item]) -> None:
    """Each item's place (0..1] by peak heat among its source's items with a heat."""
    by_source: dict[str, list[_Item]] = defaultdict(list)
    for it in items:
        if it.peak_heat is not None:
            by_source[it.source].append(it)
    for group in by_source.values():
        group.sort(key=lambda x: x.peak_heat or 0.0)
        n = len(group)
        for i, it in enumerate(group):
            it.heat_pct = (i + 1) / n


def _events(
    items: list[_Item],
    embed: Embedder | None,
    background: Background | None = None,
) -> list[_Event]:
    """Events: groups of the window's titles about one happening (events.py), on 2+ platforms."""
    if len({platform_of(it.source) for it in items}) < 2:
        return []
    pool = heapq.nsmallest(MAX_CLUSTER_ITEMS, items, key=lambda x: (x.best_rank, -x.sightings))
    docs = [Doc(it.source, it.norm) for it in pool]
    groups = EventClusterer(embed=embed, background=background).cluster(docs)
    events: list[_Event] = []
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
            _Event(
                id=eid,
                platforms=platforms,
                first_seen=min(m.first_seen for m in members),
                items=members,
            )
        )
    return events


def _angles_first(members: list[_Item]) -> list[_Item]:
    """An event's titles in reading order: the headline (best score), then the best title of
    each other platform, then the rest by score — so the first few lines show every platform's
    angle rather than several near-copies from one list."""
    ranked = sorted(members, key=lambda x: (-x.score, x.best_rank, x.title))
    seen: set[str] = set()
    heads: list[_Item] = []
    for it in ranked:
        plat = platform_of(it.source)
        if plat not in seen:
            seen.add(plat)
            heads.append(it)
    first = {id(it) for it in heads}
    return heads + [it for it in ranked if id(it) not in first]


def _watch_hits(items: list[_Item], wl: Watchlist) -> dict[str, list[_Item]]:
    """Each watch group's items in score order (groups in the watchlist's order); marks every
    matching item."""
    matched: list[tuple[_Item, Group]] = []
    for it in items:
        group = wl.match(it.norm)
        if group is not None:
            it.watch_group = group.name
            matched.append((it, group))
    out: dict[str, list[_Item]] = {}
    for it, group in sorted(matched, key=lambda m: _shown_order(m[0])):
        hits = out.setdefault(group.name, [])
        if group.max_items and len(hits) >= group.max_items:
            continue
        hits.append(it)
    return {g.name: out[g.name] for g in wl.groups if g.name in out}


def _keyword_trends(
    con: Any,
    start: datetime,
    end: datetime,
    span: timedelta,
    where: str,
    wparams: list[Any],
    keyword: str | None = None,
) -> list[_Keyword]:
    """Token counts per time bin over the window and three window-lengths before; Kleinberg bursts.

    The counts are summed per token in SQL; only a token above its usual rate (ratio >= 1.5, the
    only kind that can be bursting) brings its per-bin series back, and those series go through
    the burst model together (burst.current_bursts)."""
    bin_s = 3600 if span <= timedelta(hours=48) else 86400
    base_start = start - 3 * span
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
    prior_bins = max(0, win_first - first_data_bin)
    win_bins = n_bins - win_first
    # a slightly wider test than ratio >= 1.5 in SQL; the exact one is made below, in Python
    rows = con.execute(
        f"""
        WITH w AS (SELECT item_key, captured_at FROM snapshots
                   WHERE captured_at > ? AND captured_at <= ?{where}),
             b AS (SELECT DISTINCT item_key, CAST(floor(epoch(captured_at - ?::TIMESTAMP) / ?) AS INTEGER) AS bin
                   FROM w),
             c AS (SELECT bin, tok, count(*) AS n
                   FROM (SELECT b.bin, unnest(i.tokens) AS tok FROM b JOIN items i USING (item_key))
                   GROUP BY ALL),
             t AS (SELECT tok, sum(n) FILTER (WHERE bin >= ?) AS in_win,
                          coalesce(sum(n) FILTER (WHERE bin < ?), 0) AS before
                   FROM c GROUP BY tok HAVING in_win >= 3),
             s AS (SELECT c.tok, list(c.bin ORDER BY c.bin) AS bins, list(c.n ORDER BY c.bin) AS ns
                   FROM c SEMI JOIN (SELECT tok FROM t
                                     WHERE ? > 0 AND (in_win + 1) / (before * ? / ? + 1) >= 1.49) k
                   USING (tok) GROUP BY c.tok)
        SELECT t.tok, t.in_win, t.before, s.bins, s.ns FROM t LEFT JOIN s USING (tok)""",
        [
            base_start,
            end,
            *wparams,
            base_start,
            bin_s,
            win_first,
            win_first,
            prior_bins,
            win_bins,
            max(prior_bins, 1),
        ],
    ).fetchall()
    out: list[_Keyword] = []
    series: list[tuple[_Keyword, list[int], list[int]]] = []

    def trend(tok: str, in_win: int, before: int) -> tuple[_Keyword, bool]:
        baseline = before * win_bins / prior_bins if prior_bins else 0.0
        ratio = (in_win + 1) / (baseline + 1)
        kt = _Keyword(tok, in_win, round(baseline, 2), round(ratio, 2), None)
        return kt, bool(
            prior_bins and ratio >= 1.5
        )  # only a keyword above its usual rate can burst

    for tok, in_win, before, bins, ns in rows:
        kt, may_burst = trend(str(tok), int(in_win), int(before))
        out.append(kt)
        if may_burst:
            if bins is None:  # the SQL pre-test is wider than this one: cannot happen
                raise AssertionError(f"no series for {tok!r}")
            series.append((kt, bins, ns))
    own_kt: _Keyword | None = None
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
        in_win = sum(c for b, c in own_bins.items() if b >= win_first)
        if in_win >= 1:
            before = sum(c for b, c in own_bins.items() if b < win_first)
            own_kt, may_burst = trend(kw, in_win, before)
            if may_burst:
                order = sorted(own_bins)
                series.append((own_kt, order, [own_bins[b] for b in order]))
    if series:
        width = n_bins - first_data_bin
        dense: list[list[int]] = []
        for _kt, bins, ns in series:
            row = [0] * width
            for b, c in zip(bins, ns, strict=True):
                if first_data_bin <= b < n_bins:
                    row[b - first_data_bin] = c
            dense.append(row)
        starts = current_bursts(dense, r[first_data_bin:], win_first - first_data_bin)
        for (kt, _bins, _ns), idx in zip(series, starts, strict=True):
            if idx is not None:
                kt.burst_since = base_start + timedelta(seconds=(idx + first_data_bin) * bin_s)
    out.sort(key=lambda k: (k.burst_since is None, -k.ratio * math.log1p(k.count), k.keyword))
    if keyword:
        kw = normalize_title(keyword)
        out = [k for k in out if k.keyword != kw]
        if own_kt is not None:
            out.insert(0, own_kt)
    return out


def _attach_trajectories(
    store: HistoryStore, lists: Iterable[list[_Item]], start: datetime, end: datetime
) -> None:
    """The last TRAJECTORY_POINTS sightings in the window of every shown item."""
    shown: dict[int, list[_Item]] = defaultdict(list)
    for lst in lists:
        for it in lst:
            shown[it.item_key].append(it)
    if not shown:
        return
    rows = store.query(
        "SELECT item_key, captured_at, rank, heat FROM snapshots WHERE captured_at > ? AND captured_at <= ? "
        "AND item_key IN (SELECT unnest(?::BIGINT[])) ORDER BY item_key, captured_at",
        [start, end, list(shown)],
    )
    raw: dict[int, list[tuple[Any, Any, Any]]] = defaultdict(list)
    for key, at, rank, heat in rows:
        raw[int(key)].append((at, rank, heat))
    for key, its in shown.items():
        pts = [
            Point(at=at, rank=rank, heat=heat)
            for at, rank, heat in raw.get(key, [])[-TRAJECTORY_POINTS:]
        ]
        for it in its:
            it.trajectory = pts
