"""Hot lists across platforms: history, rising and cross-platform topics, digests. 热点雷达

Skills: radar.sources, radar.scan, radar.watch, radar.import, radar.trends, radar.digest, radar.export,
radar.demo. Only pydantic and the core are imported here; the work happens in ``service.py``, and
heavy modules (duckdb, jieba, datasketch, apprise) load inside it.
"""

from __future__ import annotations

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.radar.models import (
    DemoIn,
    DigestIn,
    DigestOut,
    ExportIn,
    ExportOut,
    ImportIn,
    ImportOut,
    ScanIn,
    ScanOut,
    SourcesIn,
    SourcesOut,
    TrendsIn,
    TrendsOut,
    WatchIn,
    WatchOut,
)


@skill(
    "radar.sources",
    title="Radar sources",
    summary="List every hot-list source: enabled or not, its URL, last successful snapshot and item count.",
    cacheable=False,
    examples=("legion radar sources",),
)
def radar_sources(ctx: Context, params: SourcesIn) -> SourcesOut:
    """Every known source with its status from the history."""
    from onelegion.skills.radar.service import list_sources

    return list_sources(ctx)


@skill(
    "radar.scan",
    title="Scan hot lists",
    summary="Fetch the enabled sources now, store the snapshots, and print the digest.",
    cacheable=False,
    examples=(
        "legion radar scan",
        "legion radar scan --sources weibo,zhihu,hackernews --watch watchlist.txt",
    ),
    llm_calls=1,
)
def radar_scan(ctx: Context, params: ScanIn) -> ScanOut:
    """One scan: fetch (concurrently; a failing source never fails the scan), store, analyse, digest."""
    from onelegion.skills.radar.service import run_scan

    return run_scan(ctx, params)


@skill(
    "radar.watch",
    title="Watch hot lists",
    summary="Scan every N minutes until stopped (Ctrl-C): store, analyse, push new findings.",
    cacheable=False,
    examples=(
        "legion radar watch --every 30m",
        "legion radar watch --every 10m --no-push --max-scans 3",
    ),
    llm_calls=1,
)
def radar_watch(ctx: Context, params: WatchIn) -> WatchOut:
    """A loop of scans; a cancel (Ctrl-C, the API's cancel) stops it cleanly between scans."""
    from onelegion.skills.radar.service import parse_duration
    from onelegion.skills.radar.watch import run_watch

    every = parse_duration(params.every, what="--every", allow_zero=True).total_seconds()
    return run_watch(ctx, params, every)


@skill(
    "radar.import",
    title="Import hot-list archives",
    summary="Load archived hot lists (justjavac, trending-in-one, JSON Lines, or a repository's git history).",
    cacheable=False,
    examples=(
        "legion radar import ./weibo-trending-hot-search --format justjavac",
        "legion radar import ./trending-in-one/raw --format trending-in-one",
        "legion radar import ./weibo-trending-hot-search --git-history",
    ),
)
def radar_import(ctx: Context, params: ImportIn) -> ImportOut:
    """Re-importing is safe: snapshots already stored (same source and time) are skipped."""
    from onelegion.skills.radar.service import import_archive, store_for

    return import_archive(
        ctx, store_for(ctx), params.dir, params.format, params.source, params.git_history
    )


@skill(
    "radar.trends",
    title="Trends",
    summary="Rank what was hot over a window; rising items with why, new entries, cross-platform events, bursts.",
    cacheable=False,
    examples=(
        "legion radar trends --since 7d",
        "legion radar trends --since 30d --platform weibo --keyword 新能源",
    ),
    llm_calls=1,
)
def radar_trends(ctx: Context, params: TrendsIn) -> TrendsOut:
    from onelegion.skills.radar.service import run_trends

    return run_trends(ctx, params)


@skill(
    "radar.digest",
    title="Digest",
    summary="Write the digest (Markdown + HTML): watched, rising, cross-platform, new; optionally push it.",
    cacheable=False,
    examples=("legion radar digest --since 24h", "legion radar digest --since 24h --push"),
    llm_calls=1,
)
def radar_digest(ctx: Context, params: DigestIn) -> DigestOut:
    from onelegion.skills.radar.service import run_digest

    return run_digest(ctx, params)


@skill(
    "radar.export",
    title="Export history",
    summary="Write the stored snapshots of a window to Parquet, CSV or JSON Lines.",
    cacheable=False,
    examples=("legion radar export --since 30d --output hot.parquet",),
)
def radar_export(ctx: Context, params: ExportIn) -> ExportOut:
    from onelegion.skills.radar.service import run_export

    return run_export(ctx, params)


@skill(
    "radar.demo",
    title="Radar demo",
    summary="Offline demo: import the bundled sample of real hot lists and write its digest.",
    examples=("legion radar demo",),
    demo=lambda workspace: {},
    demo_order=20,
)
def radar_demo(ctx: Context, params: DemoIn) -> DigestOut:
    """Uses a history inside the run directory; your own radar history is not touched."""
    from onelegion.skills.radar.service import demo_digest

    return demo_digest(ctx)


SKILLS: list[Skill[BaseModel, BaseModel]] = [
    radar_sources,
    radar_scan,
    radar_watch,
    radar_import,
    radar_trends,
    radar_digest,
    radar_export,
    radar_demo,
]
