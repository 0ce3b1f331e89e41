"""How the radar's outputs look in a terminal (rich renderings behind their ``__rich__``)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
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


NARROW = 110  # below this many columns the item tables use their compact layout


def zone(name: str | None) -> tzinfo:
    """The zone every time on a terminal is shown in: ``[radar] timezone`` (as in the digest)."""
    from onelegion.skills.radar.digest import local_tz

    return local_tz(name) if name else UTC


def zone_name(tz: tzinfo) -> str:
    """``Asia/Shanghai`` (or ``UTC+8``): the name printed beside the times."""
    return str(getattr(tz, "key", None) or tz.tzname(None) or "UTC")


def _fmt(dt: datetime | None, tz: tzinfo = UTC) -> str:
    if dt is None:
        return "-"
    aware = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M")


class _Responsive:
    """A renderable that picks its wide or compact form from the width it is given."""

    def __init__(self, wide: Any, narrow: Any) -> None:
        self.wide, self.narrow = wide, narrow

    def __rich_console__(self, console: Any, options: Any) -> Any:
        yield self.narrow if options.max_width < NARROW else self.wide


def _items_table(title: str, items: list[TrendItem], tz: tzinfo = UTC, *, why: bool = True) -> Any:
    return _Responsive(
        _wide_items_table(title, items, tz, why=why),
        _compact_items_table(title, items, tz, why=why),
    )


def _compact_items_table(title: str, items: list[TrendItem], tz: tzinfo, *, why: bool) -> Any:
    """Narrow terminals: one cell per item — the title, then platforms · ranks · first seen ·
    score, then the reasons, each on lines of the full width."""
    from rich.table import Table
    from rich.text import Text

    from onelegion.skills.radar.digest import trajectory_text

    t = Table(title=title, title_justify="left", show_header=False, show_lines=True, expand=True)
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column(tr("Item", "条目"), overflow="fold", ratio=1)
    for i, it in enumerate(items, 1):
        cell = Text(it.title, style="bold")
        cell.append(
            f"\n{_platform_names(it)} · {trajectory_text(it, 5)} · "
            + tr("first ", "首次 ")
            + f"{_fmt(it.first_seen, tz)} · {it.score:.1f}",
            style="dim",
        )
        if why and it.reasons:
            cell.append("\n" + "；".join(it.reasons), style="yellow")
        t.add_row(str(i), cell)
    return t


def _platform_names(it: TrendItem) -> str:
    from onelegion.skills.radar.digest import PLATFORM_NAMES, platform_name

    return "、".join(PLATFORM_NAMES.get(p, p) for p in it.platforms) or platform_name(it.source)


def _wide_items_table(title: str, items: list[TrendItem], tz: tzinfo, *, why: bool) -> Any:
    from rich.table import Table

    from onelegion.skills.radar.digest import trajectory_text

    t = Table(title=title, title_justify="left", expand=False, show_lines=False)
    t.add_column("#", justify="right", style="dim")
    t.add_column(tr("Title", "标题"), overflow="fold", max_width=46)
    t.add_column(tr("Platforms", "平台"), max_width=16)
    t.add_column(tr("Rank / heat", "排名 / 热度"), max_width=28)
    t.add_column(tr("First seen", "首次上榜"), no_wrap=True)
    t.add_column(tr("Score", "得分"), justify="right")
    if why:
        t.add_column(tr("Why", "原因"), overflow="fold", max_width=40, style="yellow")
    for i, it in enumerate(items, 1):
        plats = _platform_names(it)
        row = [
            str(i),
            it.title,
            plats,
            trajectory_text(it, 5),
            _fmt(it.first_seen, tz),
            f"{it.score:.1f}",
        ]
        if why:
            row.append("；".join(it.reasons))
        t.add_row(*row)
    return t


def render_analysis(a: Analysis, note: str | None = None, limit: int = 10, tz: tzinfo = UTC) -> Any:
    from rich.console import Group
    from rich.text import Text

    zn = zone_name(tz)
    parts: list[Any] = [
        Text(
            tr(
                f"Window {_fmt(a.since, tz)} → {_fmt(a.until, tz)} {zn} · sources: "
                f"{', '.join(a.sources) or '-'} · {a.items_seen} items",
                f"时间窗 {_fmt(a.since, tz)} → {_fmt(a.until, tz)} {zn} · 来源："
                f"{'、'.join(a.sources) or '-'} · {a.items_seen} 条",
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
                tz,
            )
        )
    for g in a.watch:
        parts.append(
            _items_table(tr(f"Watched · {g.group}", f"关注 · {g.group}"), g.items[:limit], tz)
        )
    if a.rising:
        parts.append(_items_table(tr("Rising", "上升"), a.rising[:limit], tz))
    if a.events:
        parts.append(_events_table(a, limit))
    if a.new:
        parts.append(_items_table(tr("New entries", "新上榜"), a.new[:limit], tz, why=False))
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


def _events_table(a: Analysis, limit: int) -> Any:
    """Each event: its headline, then its angles grouped by platform (as the digest)."""
    return _Responsive(_wide_events_table(a, limit), _compact_events_table(a, limit))


def _compact_events_table(a: Analysis, limit: int) -> Any:
    from rich.table import Table
    from rich.text import Text

    from onelegion.skills.radar.digest import PLATFORM_NAMES, angles_by_platform

    t = Table(
        title=tr("Cross-platform events", "跨平台事件"),
        title_justify="left",
        show_header=False,
        show_lines=True,
        expand=True,
    )
    t.add_column(tr("Event", "事件"), overflow="fold", ratio=1)
    for ev in a.events[:limit]:
        cell = Text(ev.name or ev.title, style="bold")
        names = "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms)
        cell.append(f"\n{names} · {tr('best', '最高')} #{ev.best_rank}", style="dim")
        for name, its in angles_by_platform(ev, per_platform=3):
            cell.append(f"\n{name}:", style="cyan")
            for i in its:
                cell.append(f"\n  {i.title}")
        t.add_row(cell)
    return t


def _wide_events_table(a: Analysis, limit: int) -> Any:
    from rich.table import Table

    from onelegion.skills.radar.digest import PLATFORM_NAMES, angles_by_platform

    t = Table(title=tr("Cross-platform events", "跨平台事件"), title_justify="left")
    t.add_column(tr("Event", "事件"), overflow="fold", max_width=50)
    t.add_column(tr("Platforms", "平台"))
    t.add_column(tr("Best", "最高"), justify="right")
    t.add_column(
        tr("Angles by platform", "各平台的角度"), overflow="fold", max_width=60, style="dim"
    )
    for ev in a.events[:limit]:
        t.add_row(
            ev.name or ev.title,
            "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms),
            f"#{ev.best_rank}",
            "\n".join(
                f"{name}: " + " / ".join(i.title for i in its)
                for name, its in angles_by_platform(ev, per_platform=3)
            ),
        )
    return t


def sources_view(out: SourcesOut) -> Any:
    """Every source: on/off, whether the last fetch worked, the last snapshot, counts, the URL
    fetched and the last error — one row each (URL and error fold within their columns)."""
    return _Responsive(_wide_sources(out), _compact_sources(out))


def _compact_sources(out: SourcesOut) -> Any:
    """Narrow terminals: one cell per source, its URL and last error on lines of their own."""
    from rich.table import Table
    from rich.text import Text

    tz = zone(out.timezone)
    t = Table(
        title=tr(f"Radar sources · {out.store}", f"热榜来源 · {out.store}"),
        title_justify="left",
        show_header=False,
        show_lines=True,
        expand=True,
        caption=tr(f"times {zone_name(tz)}", f"时间 {zone_name(tz)}"),
    )
    t.add_column(tr("Source", "来源"), overflow="fold", ratio=1)
    for s in out.sources:
        ok = "-" if s.last_fetch is None else ("✗" if s.last_error else "✓")
        cell = Text(f"{s.id}", style="bold" if s.enabled else "dim")
        cell.append(f" {s.name}" if s.name and s.name != s.id else "", style="dim")
        cell.append(
            "\n"
            + tr("enabled", "启用")
            + f" {'✓' if s.enabled else '-'} · OK {ok} · "
            + tr("last success", "最近成功")
            + f" {_fmt(s.last_success, tz)} · {s.last_items} "
            + tr("items", "条")
            + f" · {s.snapshots} "
            + tr("snaps", "快照")
            + f" · {s.items} "
            + tr("known", "累计"),
            style=None if s.enabled else "dim",
        )
        if s.url:
            cell.append(f"\n{s.url}", style="dim")
        if s.last_error:
            cell.append(f"\n✗ {_fmt(s.last_fetch, tz)} {s.last_error}", style="red")
        t.add_row(cell)
    return t


def _wide_sources(out: SourcesOut) -> Any:
    from rich.table import Table

    tz = zone(out.timezone)
    t = Table(
        title=tr(f"Radar sources · {out.store}", f"热榜来源 · {out.store}"),
        title_justify="left",
        caption=tr(
            f"Enabled: fetched by scans · OK: last fetch · Items: in the last snapshot · "
            f"Snaps: stored · Known: distinct items · times {zone_name(tz)}",
            f"启用：扫描时抓取 · OK：最近一次抓取 · 条目：最近快照 · 快照：已存 · 累计：不同条目 · "
            f"时间 {zone_name(tz)}",
        ),
    )
    t.add_column(tr("Source", "来源"), no_wrap=True)
    t.add_column(tr("Name", "名称"), overflow="ellipsis", max_width=12)
    t.add_column(tr("Enabled", "启用"), justify="center", no_wrap=True)
    t.add_column("OK", justify="center", no_wrap=True)
    t.add_column(tr("Last success", "最近成功"), no_wrap=True)
    t.add_column(tr("Items", "条目"), justify="right", no_wrap=True)
    t.add_column(tr("Snaps", "快照"), justify="right", no_wrap=True)
    t.add_column(tr("Known", "累计"), justify="right", no_wrap=True)
    t.add_column("URL", overflow="fold", min_width=12, max_width=48, style="dim")
    t.add_column(tr("Last error", "最近错误"), overflow="fold", min_width=10, style="red")
    for s in out.sources:
        t.add_row(
            s.id,
            s.name,
            "✓" if s.enabled else "-",
            "-" if s.last_fetch is None else ("✗" if s.last_error else "✓"),
            _fmt(s.last_success, tz),
            str(s.last_items),
            str(s.snapshots),
            str(s.items),
            s.url or "-",
            f"{_fmt(s.last_fetch, tz)} {s.last_error}" if s.last_error else "",
            style=None if s.enabled else "dim",
        )
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
    tz = zone(out.timezone)
    foot = Text(
        f"{_fmt(out.first, tz)} → {_fmt(out.last, tz)} {zone_name(tz)} · {out.store}", style="dim"
    )
    return Group(head, t, foot) if out.sources else Group(head, foot)


def digest_view(out: DigestOut) -> Any:
    from rich.console import Group
    from rich.text import Text

    parts = [render_analysis(out.analysis, out.note, tz=zone(out.timezone))]
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

    tz = zone(out.digest.timezone)
    at = f"{_fmt(out.captured_at, tz)} {zone_name(tz)}"
    t = Table(
        title=tr(
            f"Scan {at} · {out.rows_added} rows stored",
            f"扫描 {at} · 存储 {out.rows_added} 行",
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
