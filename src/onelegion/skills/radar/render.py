"""The digest: Markdown (also what is pushed) and a self-contained HTML page.

Order: summary (LLM, optional) · watched keywords · rising · cross-platform events · new entries ·
bursting keywords. Each item shows its platforms, rank/heat trajectory and first-seen time.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from onelegion.skills.radar.normalize import platform_of
from onelegion.skills.radar.schemas import Analysis, Event, TrendItem

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
    ranks = "→".join(f"#{p.rank}" for p in _dedupe_runs([p.rank for p in pts]))
    heats = [p.heat for p in pts if p.heat is not None]
    if len(heats) >= 2:
        return f"{ranks} · 热度 {fmt_heat(heats[0])}→{fmt_heat(heats[-1])}"
    if heats:
        return f"{ranks} · 热度 {fmt_heat(heats[-1])}"
    return ranks


def _dedupe_runs(values: list[int]) -> list[_R]:
    out: list[_R] = []
    for v in values:
        if not out or out[-1].rank != v:
            out.append(_R(v))
    return out


@dataclass(frozen=True)
class _R:
    rank: int


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


def event_line(ev: Event, tz: tzinfo) -> str:
    names = "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms)
    variants = "；".join(
        f"{platform_name(i.source)} #{i.best_rank} {i.title}" for i in ev.items[:4]
    )
    return f"- **{ev.title}** · {names} · 最高 #{ev.best_rank} · 首次 {fmt_time(ev.first_seen, tz)}\n  - {variants}"


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


def header(a: Analysis, tz: tzinfo) -> str:
    return (
        f"# 热榜雷达 Radar digest\n\n{fmt_time(a.since, tz)} — {fmt_time(a.until, tz)} · "
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
_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:0;
background:#f6f7f9;color:#1d2330}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:1.5rem;margin:0 0 4px} .meta{color:#667;margin-bottom:20px}
section{background:#fff;border-radius:10px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 3px #0001}
h2{font-size:1.1rem;margin:4px 0 10px}
table{border-collapse:collapse;width:100%} td,th{padding:6px 8px;border-bottom:1px solid #eef;
vertical-align:top;text-align:left;font-size:.92rem} th{color:#667;font-weight:600}
.why{color:#b4451f;font-size:.85rem} .pl{white-space:nowrap} .num{text-align:right;white-space:nowrap}
.tag{display:inline-block;background:#eef2ff;color:#334;border-radius:4px;padding:0 6px;margin:0 2px;font-size:.8rem}
a{color:#1a4fd6;text-decoration:none} .sub{color:#556;font-size:.85rem}
.summary{white-space:pre-wrap;line-height:1.6}
"""


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
        f'aria-label="rank trajectory"><polyline fill="none" stroke="#1a4fd6" stroke-width="1.6" '
        f'points="{pts}"/></svg>'
    )


def _item_rows(items: list[TrendItem], tz: tzinfo, *, why: bool = True) -> str:
    e = html.escape
    rows = []
    for it in items:
        title = e(it.title)
        if it.url and it.url.startswith("http"):
            title = f'<a href="{e(it.url)}">{title}</a>'
        reasons = f'<div class="why">{e("；".join(it.reasons))}</div>' if why and it.reasons else ""
        tags = "".join(
            f'<span class="tag">{e(PLATFORM_NAMES.get(p, p))}</span>' for p in it.platforms
        ) or (f'<span class="tag">{e(platform_name(it.source))}</span>')
        rows.append(
            f"<tr><td>{title}{reasons}</td><td class=pl>{tags}</td>"
            f"<td>{e(trajectory_text(it))}<br>{_spark(it)}</td>"
            f"<td class=num>{e(fmt_time(it.first_seen, tz))}</td><td class=num>{it.score:.1f}</td></tr>"
        )
    head = "<tr><th>标题 Title</th><th>平台</th><th>排名/热度轨迹</th><th>首次</th><th>分</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def render_html(a: Analysis, tz: tzinfo) -> str:
    e = html.escape
    body = [
        f"<h1>热榜雷达 Radar digest</h1><div class=meta>{e(header(a, tz).split(chr(10))[-1])}</div>"
    ]
    if a.summary:
        body.append(
            f"<section><h2>摘要 Summary</h2><div class=summary>{e(a.summary)}</div></section>"
        )
    for g in a.watch:
        body.append(
            f"<section><h2>关注 Watched · {e(g.group)}</h2>{_item_rows(g.items, tz)}</section>"
        )
    if a.rising:
        body.append(f"<section><h2>上升 Rising</h2>{_item_rows(a.rising, tz)}</section>")
    if a.events:
        rows = []
        for ev in a.events:
            variants = "<br>".join(
                f"<span class=sub>{e(platform_name(i.source))} #{i.best_rank} · {e(i.title)}</span>"
                for i in ev.items[:5]
            )
            tags = "".join(
                f'<span class="tag">{e(PLATFORM_NAMES.get(p, p))}</span>' for p in ev.platforms
            )
            rows.append(
                f"<tr><td><b>{e(ev.title)}</b><br>{variants}</td><td class=pl>{tags}</td>"
                f"<td class=num>#{ev.best_rank}</td><td class=num>{e(fmt_time(ev.first_seen, tz))}</td>"
                f"<td class=num>{ev.score:.1f}</td></tr>"
            )
        head = "<tr><th>事件 Event</th><th>平台</th><th>最高</th><th>首次</th><th>分</th></tr>"
        body.append(
            f"<section><h2>跨平台 Cross-platform</h2><table>{head}{''.join(rows)}</table></section>"
        )
    if a.new:
        body.append(f"<section><h2>新上榜 New</h2>{_item_rows(a.new, tz, why=False)}</section>")
    kws = [k for k in a.keywords if k.bursting]
    if kws:
        chips = "".join(
            f'<span class="tag">{e(k.keyword)} {k.count} ×{k.ratio:.1f}</span>' for k in kws
        )
        body.append(f"<section><h2>爆发词 Bursting keywords</h2>{chips}</section>")
    if len(body) == 1:
        body.append("<section>Nothing in this window.</section>")
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>Radar digest</title><style>{_CSS}</style></head><body><main>{''.join(body)}</main></body></html>\n"
    )
