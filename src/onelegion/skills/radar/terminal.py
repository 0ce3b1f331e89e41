"""How the radar's outputs look in a terminal (rich renderings behind their ``__rich__``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from onelegion.core.lang import tr
from onelegion.skills.radar.analysis_models import Analysis, TrendItem

if TYPE_CHECKING:
    from onelegion.skills.radar.models import (
        DigestOut,
        ExportOut,
        ImportOut,
        ScanOut,
        SourcesOut,
        WatchOut,
    )


def _fmt(dt: datetime | None) -> str:
    return dt.strftime("%Y-%m-%d %H:%M") if dt else "-"


def _items_table(title: str, items: list[TrendItem], *, why: bool = True) -> Any:
    from rich.table import Table

    from onelegion.skills.radar.digest import PLATFORM_NAMES, platform_name, trajectory_text

    t = Table(title=title, title_justify="left", expand=False, show_lines=False)
    t.add_column("#", justify="right", style="dim")
    t.add_column(tr("Title", "标题"), overflow="fold", max_width=46)
    t.add_column(tr("Platforms", "平台"), max_width=16)
    t.add_column(tr("Rank / heat", "排名 / 热度"), max_width=28)
    t.add_column(tr("First seen (UTC)", "首次上榜 (UTC)"), no_wrap=True)
    t.add_column(tr("Score", "得分"), justify="right")
    if why:
        t.add_column(tr("Why", "原因"), overflow="fold", max_width=40, style="yellow")
    for i, it in enumerate(items, 1):
        plats = "、".join(PLATFORM_NAMES.get(p, p) for p in it.platforms) or platform_name(
            it.source
        )
        row = [
            str(i),
            it.title,
            plats,
            trajectory_text(it, 5),
            _fmt(it.first_seen),
            f"{it.score:.1f}",
        ]
        if why:
            row.append("；".join(it.reasons))
        t.add_row(*row)
    return t


def render_analysis(a: Analysis, note: str | None = None, limit: int = 10) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [
        Text(
            tr(
                f"Window {_fmt(a.since)} → {_fmt(a.until)} UTC · sources: "
                f"{', '.join(a.sources) or '-'} · {a.items_seen} items",
                f"时间窗 {_fmt(a.since)} → {_fmt(a.until)} UTC · 来源：{'、'.join(a.sources) or '-'}"
                f" · {a.items_seen} 条",
            ),
            style="bold",
        )
    ]
    if note:
        parts.append(Text(note, style="cyan"))
    if a.summary:
        parts.append(Text(a.summary))
    if a.top:
        parts.append(
            _items_table(
                tr(
                    "Top (score: rank, heat, persistence, velocity, reach)",
                    "热门（得分：排名、热度、持续、速度、覆盖）",
                ),
                a.top[:limit],
            )
        )
    for g in a.watch:
        parts.append(_items_table(tr(f"Watched · {g.group}", f"关注 · {g.group}"), g.items[:limit]))
    if a.rising:
        parts.append(_items_table(tr("Rising", "上升"), a.rising[:limit]))
    if a.events:
        from onelegion.skills.radar.digest import PLATFORM_NAMES, platform_name

        t = Table(title=tr("Cross-platform events", "跨平台事件"), title_justify="left")
        t.add_column(tr("Event", "事件"), overflow="fold", max_width=50)
        t.add_column(tr("Platforms", "平台"))
        t.add_column(tr("Best", "最高"), justify="right")
        t.add_column(
            tr("Titles on each platform", "各平台标题"), overflow="fold", max_width=60, style="dim"
        )
        for ev in a.events[:limit]:
            t.add_row(
                ev.title,
                "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms),
                f"#{ev.best_rank}",
                "\n".join(f"{platform_name(i.source)}: {i.title}" for i in ev.items[:4]),
            )
        parts.append(t)
    if a.new:
        parts.append(_items_table(tr("New entries", "新上榜"), a.new[:limit], why=False))
    kws = [k for k in a.keywords if k.bursting][:limit]
    if kws:
        parts.append(
            Text(
                tr("Bursting keywords: ", "爆发词：")
                + "  ".join(f"{k.keyword}({k.count}, ×{k.ratio:.1f})" for k in kws)
            )
        )
    if a.items_seen == 0:
        if a.keyword:
            msg = tr(
                f"No title in this window matches “{a.keyword}” (try a longer --since or --until).",
                f"这个时间窗里没有标题包含“{a.keyword}”（试试更长的 --since 或 --until）。",
            )
        else:
            msg = tr("Nothing stored in this window.", "这个时间窗里没有存储的数据。")
        parts.append(Text(msg, style="yellow"))
    return Group(*parts)


def sources_view(out: SourcesOut) -> Any:
    from rich.table import Table

    t = Table(
        title=tr(f"Radar sources · {out.store}", f"热榜来源 · {out.store}"), title_justify="left"
    )
    # the fetched URLs are in --json (they do not fit a terminal row); disabled sources are dim
    t.caption = (
        "OK: last fetch · Items: in the last snapshot · Snaps: stored · Known: distinct items"
    )
    t.add_column(tr("Source", "来源"), no_wrap=True)
    t.add_column(tr("Name", "名称"), no_wrap=True, overflow="ellipsis", max_width=14)
    t.add_column("OK", justify="center", no_wrap=True)
    t.add_column(tr("Last success UTC", "最近成功 UTC"), no_wrap=True)
    t.add_column(tr("Items", "条目"), justify="right", no_wrap=True)
    t.add_column(tr("Snaps", "快照"), justify="right", no_wrap=True)
    t.add_column(tr("Known", "累计"), justify="right", no_wrap=True)
    for s in out.sources:
        t.add_row(
            s.id if s.enabled else f"{s.id} (off)",
            s.name,
            "-" if s.last_fetch is None else ("✗" if s.last_error else "✓"),
            _fmt(s.last_success),
            str(s.last_items),
            str(s.snapshots),
            str(s.items),
            style=None if s.enabled else "dim",
        )
    failing = [s for s in out.sources if s.last_error]
    if failing:
        from rich.console import Group
        from rich.text import Text

        notes = [
            Text(f"✗ {s.id} ({_fmt(s.last_fetch)}): {s.last_error}", style="red") for s in failing
        ]
        return Group(t, *notes)
    return t


def import_view(out: ImportOut) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text(
        tr(
            f"Imported {out.snapshots_added} snapshots ({out.snapshots_skipped} already stored), "
            f"{out.rows_added} rows, {out.new_items} new items in {out.seconds:.1f}s",
            f"导入 {out.snapshots_added} 个快照（{out.snapshots_skipped} 个已存在），"
            f"{out.rows_added} 行，{out.new_items} 个新条目，用时 {out.seconds:.1f} 秒",
        ),
        style="bold",
    )
    t = Table()
    t.add_column(tr("Source", "来源"))
    t.add_column(tr("Rows", "行数"), justify="right")
    for k, v in sorted(out.sources.items()):
        t.add_row(k, str(v))
    foot = Text(f"{_fmt(out.first)} → {_fmt(out.last)} UTC · {out.store}", style="dim")
    return Group(head, t, foot) if out.sources else Group(head, foot)


def digest_view(out: DigestOut) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts = [render_analysis(out.analysis, out.note)]
    for p in out.pushed:
        style = "green" if p.ok else "red"
        msg = tr(
            f"pushed {p.channel}: {p.messages} message(s), {p.items} item(s), "
            f"{p.skipped_items} already sent",
            f"已推送 {p.channel}：{p.messages} 条消息，{p.items} 个条目，{p.skipped_items} 个此前已发",
        )
        failed = tr(f"push {p.channel} failed: {p.error}", f"推送 {p.channel} 失败：{p.error}")
        parts.append(Text(msg if p.ok else failed, style=style))
    for a in out.artifacts:
        parts.append(Text(f"{a.name}: {a.path}", style="dim"))
    return Group(*parts)


def scan_view(out: ScanOut) -> Any:
    from rich.console import Group
    from rich.table import Table

    t = Table(
        title=tr(
            f"Scan {_fmt(out.captured_at)} UTC · {out.rows_added} rows stored",
            f"扫描 {_fmt(out.captured_at)} UTC · 存储 {out.rows_added} 行",
        ),
        title_justify="left",
    )
    for col in (tr("Source", "来源"), "OK", tr("Items", "条目"), "ms", tr("Error", "错误")):
        t.add_column(col, overflow="fold")
    for r in out.results:
        t.add_row(
            r.source, "✓" if r.ok else "✗", str(r.items), f"{r.elapsed_ms:.0f}", r.error or ""
        )
    return Group(t, digest_view(out.digest))


def watch_view(out: WatchOut) -> Any:
    from rich.text import Text

    return Text(
        tr(
            f"{out.scans} scans ({out.stopped}) · {out.rows_added} rows stored · "
            f"{out.failed_sources} failed fetches · pushed {out.items_pushed} items in "
            f"{out.messages_pushed} messages",
            f"{out.scans} 次扫描（{out.stopped}）· 存储 {out.rows_added} 行 · "
            f"{out.failed_sources} 次抓取失败 · 以 {out.messages_pushed} 条消息推送 {out.items_pushed} 个条目",
        )
    )


def export_view(out: ExportOut) -> Any:
    from rich.text import Text

    return Text(tr(f"Exported {out.rows} rows to {out.path}", f"已导出 {out.rows} 行到 {out.path}"))
