"""How the radar's outputs look in a terminal (rich renderings behind their ``__rich__``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

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
    t.add_column("Title", overflow="fold", max_width=46)
    t.add_column("Platforms", max_width=16)
    t.add_column("Rank / heat", max_width=28)
    t.add_column("First seen (UTC)", no_wrap=True)
    t.add_column("Score", justify="right")
    if why:
        t.add_column("Why", overflow="fold", max_width=40, style="yellow")
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
            f"Window {_fmt(a.since)} → {_fmt(a.until)} UTC · sources: {', '.join(a.sources) or '-'} · "
            f"{a.items_seen} items",
            style="bold",
        )
    ]
    if note:
        parts.append(Text(note, style="cyan"))
    if a.summary:
        parts.append(Text(a.summary))
    if a.top:
        parts.append(
            _items_table("Top (score: rank, heat, persistence, velocity, reach)", a.top[:limit])
        )
    for g in a.watch:
        parts.append(_items_table(f"Watched · {g.group}", g.items[:limit]))
    if a.rising:
        parts.append(_items_table("Rising", a.rising[:limit]))
    if a.events:
        from onelegion.skills.radar.digest import PLATFORM_NAMES, platform_name

        t = Table(title="Cross-platform events", title_justify="left")
        t.add_column("Event", overflow="fold", max_width=50)
        t.add_column("Platforms")
        t.add_column("Best", justify="right")
        t.add_column("Titles on each platform", overflow="fold", max_width=60, style="dim")
        for ev in a.events[:limit]:
            t.add_row(
                ev.title,
                "、".join(PLATFORM_NAMES.get(p, p) for p in ev.platforms),
                f"#{ev.best_rank}",
                "\n".join(f"{platform_name(i.source)}: {i.title}" for i in ev.items[:4]),
            )
        parts.append(t)
    if a.new:
        parts.append(_items_table("New entries", a.new[:limit], why=False))
    kws = [k for k in a.keywords if k.bursting][:limit]
    if kws:
        parts.append(
            Text(
                "Bursting keywords: "
                + "  ".join(f"{k.keyword}({k.count}, ×{k.ratio:.1f})" for k in kws)
            )
        )
    if a.items_seen == 0:
        if a.keyword:
            msg = (
                f"No title in this window matches “{a.keyword}” (try a longer --since or --until)."
            )
        else:
            msg = "Nothing stored in this window."
        parts.append(Text(msg, style="yellow"))
    return Group(*parts)


def sources_view(out: SourcesOut) -> Any:
    from rich.table import Table

    t = Table(title=f"Radar sources · {out.store}", title_justify="left")
    # the fetched URLs are in --json (they do not fit a terminal row); disabled sources are dim
    t.caption = (
        "OK: last fetch · Items: in the last snapshot · Snaps: stored · Known: distinct items"
    )
    t.add_column("Source", no_wrap=True)
    t.add_column("Name", no_wrap=True, overflow="ellipsis", max_width=14)
    t.add_column("OK", justify="center", no_wrap=True)
    t.add_column("Last success UTC", no_wrap=True)
    t.add_column("Items", justify="right", no_wrap=True)
    t.add_column("Snaps", justify="right", no_wrap=True)
    t.add_column("Known", justify="right", no_wrap=True)
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
        f"Imported {out.snapshots_added} snapshots ({out.snapshots_skipped} already stored), "
        f"{out.rows_added} rows, {out.new_items} new items in {out.seconds:.1f}s",
        style="bold",
    )
    t = Table()
    t.add_column("Source")
    t.add_column("Rows", justify="right")
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
        msg = f"pushed {p.channel}: {p.messages} message(s), {p.items} item(s), {p.skipped_items} already sent"
        parts.append(Text(msg if p.ok else f"push {p.channel} failed: {p.error}", style=style))
    for a in out.artifacts:
        parts.append(Text(f"{a.name}: {a.path}", style="dim"))
    return Group(*parts)


def scan_view(out: ScanOut) -> Any:
    from rich.console import Group
    from rich.table import Table

    t = Table(
        title=f"Scan {_fmt(out.captured_at)} UTC · {out.rows_added} rows stored",
        title_justify="left",
    )
    for col in ("Source", "OK", "Items", "ms", "Error"):
        t.add_column(col, overflow="fold")
    for r in out.results:
        t.add_row(
            r.source, "✓" if r.ok else "✗", str(r.items), f"{r.elapsed_ms:.0f}", r.error or ""
        )
    return Group(t, digest_view(out.digest))


def watch_view(out: WatchOut) -> Any:
    from rich.text import Text

    return Text(
        f"{out.scans} scans ({out.stopped}) · {out.rows_added} rows stored · "
        f"{out.failed_sources} failed fetches · pushed {out.items_pushed} items in "
        f"{out.messages_pushed} messages"
    )


def export_view(out: ExportOut) -> Any:
    from rich.text import Text

    return Text(f"Exported {out.rows} rows to {out.path}")
