"""The digest: Markdown (also what is pushed) and a self-contained HTML page.

Order: summary (LLM, optional) · watched keywords · rising · cross-platform events · new entries ·
bursting keywords. Each item shows its platforms, rank/heat trajectory and first-seen time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from onelegion.skills.radar.analysis_models import Analysis, Event, TrendItem
from onelegion.skills.radar.normalize import platform_of

PLATFORM_NAMES = {
    "weibo": "微博",
    "zhihu": "知乎",
    "toutiao": "头条",
    "douyin": "抖音",
    "bilibili": "B站",
    "baidu": "百度",
    "hackernews": "Hacker News",
    "github": "GitHub",
    "v2ex": "V2EX",
    "thepaper": "澎湃",
    "wallstreetcn": "华尔街见闻",
    "cls": "财联社",
    "ifeng": "凤凰",
}


def platform_name(source: str) -> str:
    p = platform_of(source)
    name = PLATFORM_NAMES.get(p, p)
    return name if source == p else f"{name}({source.split('-', 1)[1]})" if "-" in source else name


def local_tz(name: str | None) -> tzinfo:
    if name:
        try:
            from zoneinfo import ZoneInfo

            return ZoneInfo(name)
        except Exception:
            pass
    return timezone(timedelta(hours=8), "UTC+8")


def fmt_time(dt: datetime, tz: tzinfo) -> str:
    aware = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
    return aware.astimezone(tz).strftime("%m-%d %H:%M")


def fmt_heat(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 1e8:
        return f"{v / 1e8:.1f}亿"
    if v >= 1e4:
        return f"{v / 1e4:.0f}万"
    return f"{v:.0f}"


def trajectory_text(it: TrendItem, points: int = 6) -> str:
    pts = it.trajectory[-points:]
    if not pts:
        return f"#{it.best_rank}"
    ranks = "→".join(f"#{r}" for r in _dedupe_runs([p.rank for p in pts]))
    heats = [p.heat for p in pts if p.heat is not None]
    if len(heats) >= 2:
        return f"{ranks} · 热度 {fmt_heat(heats[0])}→{fmt_heat(heats[-1])}"
    if heats:
        return f"{ranks} · 热度 {fmt_heat(heats[-1])}"
    return ranks


def _dedupe_runs(values: list[int]) -> list[int]:
    """Ranks with repeats collapsed: [5, 5, 3, 3, 1] → [5, 3, 1]."""
    out: list[int] = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


def _platforms(it: TrendItem) -> str:
    if it.platforms:
        return "、".join(PLATFORM_NAMES.get(p, p) for p in it.platforms)
    return platform_name(it.source)


def item_line(it: TrendItem, tz: tzinfo, *, why: bool = True) -> str:
    title = it.title.replace("[", "［").replace("]", "］")
    head = f"[{title}]({it.url})" if it.url and it.url.startswith("http") else title
    parts = [
        f"**{head}**",
        _platforms(it),
        trajectory_text(it),
        f"首次 {fmt_time(it.first_seen, tz)}",
    ]
    line = " · ".join(parts)
    if why and it.reasons:
        line += " — " + "；".join(it.reasons)
    return f"- {line}"


def angles_by_platform(ev: Event, *, per_platform: int = 3) -> list[tuple[str, list[TrendItem]]]:
    """The event's other titles (its angles: updates, reactions, causes ...) grouped by platform,
    platforms in the order of their best title, at most ``per_platform`` titles each."""
    groups: dict[str, list[TrendItem]] = {}
    for it in ev.items:
        if ev.name is None and it is ev.items[0]:
            continue  # the headline itself (with a model's name, every title is an angle)
        groups.setdefault(platform_name(it.source), []).append(it)
    return [(name, its[:per_platform]) for name, its in groups.items()]


def event_line(ev: Event, tz: tzinfo) -> str:
    """The headline, then one sub-line per platform with its angles on the event."""
    names = "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms)
    head = f"- **{ev.name or ev.title}** · {names} · 最高 #{ev.best_rank} · 首次 {fmt_time(ev.first_seen, tz)}"
    subs = [
        f"  - {name}：" + "；".join(f"{i.title}（#{i.best_rank}）" for i in its)
        for name, its in angles_by_platform(ev)
    ]
    return "\n".join([head, *subs])


@dataclass
class DigestSection:
    key: str
    heading: str
    lines: list[tuple[int | None, str]]  # (item key for the sent-log, markdown line)


def sections(a: Analysis, tz: tzinfo, *, per_section: int = 15) -> list[DigestSection]:
    out: list[DigestSection] = []
    if a.summary:
        out.append(DigestSection("summary", "## 摘要 Summary", [(None, a.summary.strip())]))
    if a.watch:
        lines: list[tuple[int | None, str]] = []
        for g in a.watch:
            lines.append((None, f"**{g.group}**"))
            lines.extend((it.item_key, item_line(it, tz)) for it in g.items)
        out.append(DigestSection("watch", "## 关注 Watched", lines))
    if a.rising:
        out.append(
            DigestSection(
                "rising",
                "## 上升 Rising",
                [(it.item_key, item_line(it, tz)) for it in a.rising[:per_section]],
            )
        )
    if a.events:
        out.append(
            DigestSection(
                "events",
                "## 跨平台 Cross-platform",
                [(ev.items[0].item_key, event_line(ev, tz)) for ev in a.events[:per_section]],
            )
        )
    if a.new:
        out.append(
            DigestSection(
                "new",
                "## 新上榜 New",
                [(it.item_key, item_line(it, tz, why=False)) for it in a.new[:per_section]],
            )
        )
    bursting = [k for k in a.keywords if k.bursting][:per_section]
    if bursting:
        out.append(
            DigestSection(
                "keywords",
                "## 爆发词 Bursting keywords",
                [
                    (
                        None,
                        "- "
                        + "、".join(f"{k.keyword}（{k.count}，×{k.ratio:.1f}）" for k in bursting),
                    )
                ],
            )
        )
    return out


def zone_label(tz: tzinfo, at: datetime) -> str:
    """``Asia/Shanghai, UTC+08:00``: the zone every time of the digest is in."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    off = aware.astimezone(tz).strftime("%z")
    offset = f"UTC{off[:3]}:{off[3:]}" if off else "UTC"
    key = getattr(tz, "key", None)
    return f"{key}, {offset}" if key else offset


def header(a: Analysis, tz: tzinfo) -> str:
    """The window with its year and zone; item times below are month-day and hour in that zone."""
    since = a.since.replace(tzinfo=UTC) if a.since.tzinfo is None else a.since
    until = a.until.replace(tzinfo=UTC) if a.until.tzinfo is None else a.until
    return (
        f"# 热榜雷达 Radar digest\n\n{since.astimezone(tz):%Y-%m-%d %H:%M} — "
        f"{until.astimezone(tz):%Y-%m-%d %H:%M} ({zone_label(tz, until)}) · "
        f"{len(a.sources)} sources · {a.items_seen} items"
    )


def render_markdown(a: Analysis, tz: tzinfo) -> str:
    parts = [header(a, tz)]
    secs = sections(a, tz)
    if not secs:
        parts.append("_Nothing in this window._")
    for s in secs:
        parts.append(s.heading + "\n\n" + "\n".join(line for _, line in s.lines))
    return "\n\n".join(parts) + "\n"


# --- HTML -------------------------------------------------------------------------------------
# Built with the shared report helpers (onelegion.reports: page shell, CJK font stack, tables, cards,
# inline SVG charts); the rank sparklines are drawn here.
_RADAR_CSS = (
    "<style>.why{color:#b4451f;font-size:.85rem}.var{color:#656d76;font-size:.85rem}"
    ".summary{white-space:pre-wrap;line-height:1.6}</style>"
)


def _spark(it: TrendItem, width: int = 90, height: int = 22) -> str:
    ranks = [p.rank for p in it.trajectory]
    if len(ranks) < 2:
        return ""
    lo, hi = min(ranks), max(ranks)
    span = max(hi - lo, 1)
    step = width / (len(ranks) - 1)
    pts = " ".join(
        f"{i * step:.1f},{2 + (r - lo) / span * (height - 4):.1f}" for i, r in enumerate(ranks)
    )
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="rank trajectory"><polyline fill="none" stroke="#0969da" stroke-width="1.6" '
        f'points="{pts}"/></svg>'
    )


def _tags(names: list[str]) -> str:
    from onelegion.reports import esc

    return "".join(f'<span class="tag">{esc(n)}</span> ' for n in names)


def _title_cell(it: TrendItem, why: bool) -> str:
    from onelegion.reports import esc

    title = esc(it.title)
    if it.url and it.url.startswith("http"):
        title = f'<a href="{esc(it.url)}">{title}</a>'
    if why and it.reasons:
        title += f'<div class="why">{esc("；".join(it.reasons))}</div>'
    return title


def _items_table(items: list[TrendItem], tz: tzinfo, *, why: bool = True) -> str:
    from onelegion.reports import esc, table

    rows = [
        [
            _title_cell(it, why),
            _tags([PLATFORM_NAMES.get(p, p) for p in it.platforms] or [platform_name(it.source)]),
            f"{esc(trajectory_text(it))}<br>{_spark(it)}",
            fmt_time(it.first_seen, tz),
            f"{it.score:.1f}",
        ]
        for it in items
    ]
    return table(
        ["标题 Title", "平台 Platforms", "排名/热度 Rank/heat", "首次 First seen", "分 Score"],
        rows,
        numeric=(4,),
        raw=(0, 1, 2),
        scroll=False,
    )


def render_html(a: Analysis, tz: tzinfo) -> str:
    from onelegion.reports import bar_chart, cards, esc, page, section, table

    body = [
        _RADAR_CSS,
        cards(
            [
                ("平台 Sources", len(a.sources)),
                ("条目 Items", a.items_seen),
                ("上升 Rising", len(a.rising)),
                ("跨平台 Events", len(a.events)),
                ("新上榜 New", len(a.new)),
            ]
        ),
    ]
    if a.summary:
        body.append(section("摘要 Summary", f'<div class="summary">{esc(a.summary)}</div>'))
    for g in a.watch:
        body.append(section(f"关注 Watched · {g.group}", _items_table(g.items, tz)))
    if a.rising:
        body.append(section("上升 Rising", _items_table(a.rising, tz)))
    if a.events:
        rows = []
        for ev in a.events:
            variants = "<br>".join(
                f'<span class="var">{esc(name)}：'
                + "；".join(f"{esc(i.title)} #{i.best_rank}" for i in its)
                + "</span>"
                for name, its in angles_by_platform(ev)
            )
            rows.append(
                [
                    f"<b>{esc(ev.name or ev.title)}</b><br>{variants}",
                    _tags([PLATFORM_NAMES.get(p, p) for p in ev.platforms]),
                    f"#{ev.best_rank}",
                    fmt_time(ev.first_seen, tz),
                    f"{ev.score:.1f}",
                ]
            )
        body.append(
            section(
                "跨平台 Cross-platform",
                table(
                    ["事件 Event", "平台 Platforms", "最高 Best", "首次 First seen", "分 Score"],
                    rows,
                    numeric=(2, 4),
                    raw=(0, 1),
                    scroll=False,
                ),
            )
        )
    if a.new:
        body.append(section("新上榜 New", _items_table(a.new, tz, why=False)))
    kws = [k for k in a.keywords if k.bursting][:15]
    if kws:
        chart = bar_chart(
            [(f"{k.keyword} ({k.count})", k.ratio) for k in kws], title="× usual rate"
        )
        body.append(section("爆发词 Bursting keywords", chart))
    if len(body) == 2:
        body.append(section("—", '<p class="muted">Nothing in this window.</p>'))
    return page(
        "热榜雷达 Radar digest",
        body,
        subtitle=header(a, tz).split("\n")[-1],
        footer="ranks: #1 is the top of a list; score formula in docs/radar.md",
    )
