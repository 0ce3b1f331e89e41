"""`radar watch`: scan, store, analyse and push every N minutes until stopped."""

from __future__ import annotations

from datetime import UTC, datetime

from onelegion.core.context import Context
from onelegion.core.errors import RunError
from onelegion.core.lang import tr
from onelegion.skills.radar.models import WatchIn, WatchOut
from onelegion.skills.radar.service import (
    analyse_window,
    failures_text,
    push_now,
    split_ids,
    store_for,
    store_results,
    tz_for,
    watchlist_for,
)


def run_watch(ctx: Context, params: WatchIn, every_s: float) -> WatchOut:
    """Scan, store, analyse and push in a loop; ctx.sleep between scans honours cancellation."""
    from onelegion.core.errors import Cancelled
    from onelegion.skills.radar.fetch import fetch_sources
    from onelegion.skills.radar.push import push_urls

    store = store_for(ctx)
    wl = watchlist_for(ctx, params.watch)
    ids = split_ids(params.sources)
    do_push = bool(params.push and push_urls(ctx.config.section("radar")))
    if params.push and not do_push:
        ctx.log("no [radar.push] urls configured: watching without pushing", level="warning")
    out = WatchOut(
        scans=0,
        rows_added=0,
        failed_sources=0,
        messages_pushed=0,
        items_pushed=0,
        stopped="max_scans",
    )
    fetched_any = False
    try:
        while params.max_scans is None or out.scans < params.max_scans:
            ctx.check_cancelled()
            results = fetch_sources(ctx, ids)
            with store.session():  # released between scans: other processes may use the file
                rows = store_results(store, results)
                out.rows_added += rows
                failed = [r for r in results if not r.ok]
                out.failed_sources += len(failed)
                fetched_any = fetched_any or len(failed) < len(results)
                out.scans += 1
                ok_n = len(results) - len(failed)
                line = tr(
                    f"scan {out.scans} at {datetime.now(UTC).astimezone(tz_for(ctx)):%Y-%m-%d %H:%M %Z}: "
                    f"{ok_n}/{len(results)} sources, {rows} rows stored",
                    f"第 {out.scans} 次扫描 {datetime.now(UTC).astimezone(tz_for(ctx)):%Y-%m-%d %H:%M %Z}："
                    f"{ok_n}/{len(results)} 个来源成功，存储 {rows} 行",
                )
                if failed:
                    line += tr("; failed: ", "；失败：") + failures_text(results)
                ctx.log(line, level="warning" if failed else "info")
                if do_push:
                    a, _ = analyse_window(
                        ctx, store, params.since, "now", watchlist=wl, limit=15, llm=params.llm
                    )
                    for p in push_now(ctx, store, a):
                        out.messages_pushed += p.messages
                        out.items_pushed += p.items
            ctx.event("scan", n=out.scans, rows=out.rows_added, failed=out.failed_sources)
            ctx.progress(out.scans, params.max_scans, f"scan {out.scans} done")
            if params.max_scans is not None and out.scans >= params.max_scans:
                break
            ctx.sleep(every_s)
    except Cancelled:
        out.stopped = "cancelled"
        ctx.log(f"watch stopped after {out.scans} scans")
    if out.scans and out.failed_sources and not fetched_any:
        raise RunError(
            tr(
                f"no source could be fetched in any of {out.scans} scans",
                f"{out.scans} 次扫描中没有一个来源抓取成功",
            ),
            hint=tr(
                "check the network; `legion radar sources` lists each source's last error",
                "检查网络；`legion radar sources` 列出每个来源最近的错误",
            ),
        )
    return out
