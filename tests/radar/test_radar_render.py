"""The digest's Markdown, exactly."""

from __future__ import annotations

from datetime import datetime

from onelegion.skills.radar.analysis_models import (
    Analysis,
    Event,
    KeywordTrend,
    Point,
    TrendItem,
    WatchGroupHits,
)
from onelegion.skills.radar.digest import local_tz, render_markdown, sections

T = datetime(2024, 3, 5, 4, 0)


def item(key: int, source: str, title: str, **kw: object) -> TrendItem:
    base: dict[str, object] = dict(
        item_key=key,
        source=source,
        title=title,
        first_seen=T,
        last_seen=T,
        best_rank=3,
        first_rank=30,
        last_rank=3,
        sightings=4,
        captures=4,
    )
    base.update(kw)
    return TrendItem(**base)  # type: ignore[arg-type]


def test_markdown_digest_layout() -> None:
    climber = item(
        1,
        "weibo",
        "男子勇救落水儿童",
        url="https://s.weibo.com/weibo?q=x",
        reasons=["climbed #30 → #3 (+27 places in 4.0h)"],
        trajectory=[
            Point(at=T, rank=30, heat=1e5),
            Point(at=T, rank=12, heat=2.5e5),
            Point(at=T, rank=3, heat=5.2e6),
        ],
    )
    zh = item(2, "zhihu", "如何看待男子勇救落水儿童？", platforms=["weibo", "zhihu"])
    new = item(3, "toutiao", "新话题[测试]", is_new=True)
    a = Analysis(
        since=datetime(2024, 3, 4, 4, 0),
        until=T,
        sources=["toutiao", "weibo", "zhihu"],
        items_seen=3,
        rising=[climber],
        new=[new],
        events=[
            Event(
                id=1,
                title=zh.title,
                platforms=["weibo", "zhihu"],
                first_seen=T,
                best_rank=3,
                score=70.0,
                items=[zh, climber],
            )
        ],
        keywords=[
            KeywordTrend(
                keyword="落水", count=5, baseline=1.0, ratio=3.0, bursting=True, burst_since=T
            )
        ],
        watch=[WatchGroupHits(group="救援", items=[climber])],
    )
    md = render_markdown(a, local_tz("Asia/Shanghai"))
    assert md == (
        "# 热榜雷达 Radar digest\n\n"
        "2024-03-04 12:00 — 2024-03-05 12:00 (Asia/Shanghai, UTC+08:00) · 3 sources · 3 items\n\n"
        "## 关注 Watched\n\n"
        "**救援**\n"
        "- **[男子勇救落水儿童](https://s.weibo.com/weibo?q=x)** · 微博 · #30→#12→#3 · 热度 10万→520万 · "
        "首次 03-05 12:00 — climbed #30 → #3 (+27 places in 4.0h)\n\n"
        "## 上升 Rising\n\n"
        "- **[男子勇救落水儿童](https://s.weibo.com/weibo?q=x)** · 微博 · #30→#12→#3 · 热度 10万→520万 · "
        "首次 03-05 12:00 — climbed #30 → #3 (+27 places in 4.0h)\n\n"
        "## 跨平台 Cross-platform\n\n"
        "- **如何看待男子勇救落水儿童？** · 微博、知乎 · 最高 #3 · 首次 03-05 12:00\n"
        "  - 微博：男子勇救落水儿童（#3）\n\n"
        "## 新上榜 New\n\n"
        "- **新话题［测试］** · 头条 · #3 · 首次 03-05 12:00\n\n"
        "## 爆发词 Bursting keywords\n\n"
        "- 落水（5，×3.0）\n"
    )
    keys = [[k for k, _ in s.lines] for s in sections(a, local_tz("Asia/Shanghai"))]
    assert keys == [[None, 1], [1], [2], [3], [None]]
