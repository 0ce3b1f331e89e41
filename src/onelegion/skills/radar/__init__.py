"""Hot lists across platforms: history, rising and cross-platform topics, digests. 热点雷达

Skills: radar.sources, radar.scan, radar.watch, radar.import, radar.trends, radar.digest, radar.export,
radar.demo. Heavy modules (duckdb, jieba, datasketch, apprise) load inside the skill functions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from onelegion.core.context import Context
from onelegion.core.skill import InputDir, InputFile, OutputFile, Skill, skill
from onelegion.skills.radar.models import (
    DigestOut,
    ExportOut,
    ImportOut,
    ScanOut,
    ScanSource,
    SourcesOut,
    SourceStatus,
    TrendsOut,
    WatchOut,
)

_SOURCES_HELP = (
    "Source ids (repeat or comma-separate: weibo,zhihu,hackernews); default: the enabled set."
)
_WATCH_HELP = "A watchlist in TrendRadar's frequency_words.txt syntax (default: [radar] watchlist)."
_UNTIL_HELP = (
    "End of the window: 'auto' (now, or the latest snapshot when nothing is that recent), 'now', "
    "'latest', or a date/time (2024-03-31, 2024-03-31T12:00+08:00)."
)


# --- radar.sources ---------------------------------------------------------------------------
class SourcesIn(BaseModel):
    pass


@skill(
    "radar.sources",
    title="Radar sources",
    summary="List every hot-list source: enabled or not, its URL, last successful snapshot and item count.",
    cacheable=False,
    examples=("legion radar sources",),
)
def radar_sources(ctx: Context, params: SourcesIn) -> SourcesOut:
    """Every known source with its status from the history."""
    from onelegion.skills.radar.service import store_for

    store = store_for(ctx)
    status = store.source_status()
    out: list[SourceStatus] = []
    try:
        from onelegion.skills.radar.fetch import source_catalog

        catalog = source_catalog(ctx.config)
    except ImportError:
        catalog = []
    seen = set()
    for info in catalog:
        st = status.get(info.id, {})
        seen.add(info.id)
        out.append(
            SourceStatus(
                id=info.id,
                name=info.name,
                url=info.url,
                enabled=info.enabled,
                kind=info.kind,
                last_success=st.get("last_capture"),
                last_items=st.get("last_items", 0) or 0,
                snapshots=st.get("captures", 0) or 0,
                items=st.get("items", 0) or 0,
                last_fetch=st.get("last_fetch"),
                last_error=st.get("last_error") if st.get("last_ok") is False else None,
            )
        )
    for sid, st in sorted(status.items()):
        if sid not in seen:  # imported archives of sources without a live connector
            out.append(
                SourceStatus(
                    id=sid,
                    name=sid,
                    enabled=False,
                    kind="archive",
                    last_success=st["last_capture"],
                    last_items=st["last_items"],
                    snapshots=st["captures"],
                    items=st["items"],
                    last_fetch=st.get("last_fetch"),
                    last_error=st.get("last_error") if st.get("last_ok") is False else None,
                )
            )
    return SourcesOut(sources=out, store=str(store.path))


# --- radar.scan ------------------------------------------------------------------------------
class ScanIn(BaseModel):
    sources: list[str] = Field(default_factory=list, description=_SOURCES_HELP)
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    since: str = Field(default="24h", description="Window of the printed digest (30m, 24h, 7d).")
    push: bool = Field(
        default=False, description="Also push the digest to the configured channels."
    )


@skill(
    "radar.scan",
    title="Scan hot lists",
    summary="Fetch the enabled sources now, store the snapshots, and print the digest.",
    cacheable=False,
    examples=(
        "legion radar scan",
        "legion radar scan --sources weibo,zhihu,hackernews --watch watchlist.txt",
    ),
)
def radar_scan(ctx: Context, params: ScanIn) -> ScanOut:
    """One scan: fetch (concurrently; a failing source never fails the scan), store, analyse, digest."""
    from datetime import UTC, datetime

    from onelegion.skills.radar.analysis import analyse
    from onelegion.skills.radar.fetch import fetch_sources
    from onelegion.skills.radar.service import (
        build_digest,
        embedder_for,
        resolve_window,
        split_ids,
        store_for,
        store_results,
        watchlist_for,
    )

    store = store_for(ctx)
    wl = watchlist_for(ctx, params.watch)
    at = datetime.now(UTC)
    results = fetch_sources(ctx, split_ids(params.sources))
    rows = store_results(store, results)
    start, end, _ = resolve_window(store, params.since, "now")
    a = analyse(store, start, end, watchlist=wl, embed=embedder_for(ctx))
    digest = build_digest(ctx, store, a, push=params.push)
    return ScanOut(
        captured_at=at,
        results=[
            ScanSource(
                source=r.source, ok=r.ok, items=len(r.items), error=r.error, elapsed_ms=r.elapsed_ms
            )
            for r in results
        ],
        rows_added=rows,
        digest=digest,
        artifacts=digest.artifacts,
    )


# --- radar.watch -----------------------------------------------------------------------------
class WatchIn(BaseModel):
    every: str = Field(
        default="30m", description="Time between scans (90s, 30m, 2h); 0 = back to back."
    )
    sources: list[str] = Field(default_factory=list, description=_SOURCES_HELP)
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    since: str = Field(default="24h", description="Window analysed after each scan.")
    push: bool = Field(
        default=True, description="Push new findings (each item once per channel per day)."
    )
    max_scans: int | None = Field(
        default=None, ge=1, description="Stop after this many scans (default: run until stopped)."
    )


@skill(
    "radar.watch",
    title="Watch hot lists",
    summary="Scan every N minutes until stopped (Ctrl-C): store, analyse, push new findings.",
    cacheable=False,
    examples=(
        "legion radar watch --every 30m",
        "legion radar watch --every 10m --no-push --max-scans 3",
    ),
)
def radar_watch(ctx: Context, params: WatchIn) -> WatchOut:
    """A loop of scans; a cancel (Ctrl-C, the API's cancel) stops it cleanly between scans."""
    from onelegion.skills.radar.service import parse_duration, run_watch

    every = parse_duration(params.every, what="--every").total_seconds()
    return run_watch(ctx, params, every)


# --- radar.import ----------------------------------------------------------------------------
class ImportIn(BaseModel):
    dir: InputDir = Field(description="The archive folder (or repository with --git-history).")
    format: Literal["justjavac", "trending-in-one", "jsonl"] = Field(
        default="justjavac",
        description="Layout: justjavac daily JSON, trending-in-one KIND/DATE.json, or JSON Lines.",
    )
    git_history: bool = Field(
        default=False, description="Replay every commit of the archive repository as a snapshot."
    )
    source: str | None = Field(
        default=None, description="Source id when the folder name does not say (weibo, zhihu)."
    )


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


# --- radar.trends ----------------------------------------------------------------------------
class TrendsIn(BaseModel):
    since: str = Field(default="7d", description="Window length (24h, 7d, 30d).")
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )
    keyword: str | None = Field(
        default=None, description="Only titles containing this keyword (token match)."
    )
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    limit: int = Field(default=20, ge=1, le=500, description="Items per section.")


@skill(
    "radar.trends",
    title="Trends",
    summary="Rank what was hot over a window; rising items with why, new entries, cross-platform events, bursts.",
    cacheable=False,
    examples=(
        "legion radar trends --since 7d",
        "legion radar trends --since 30d --platform weibo --keyword 新能源",
    ),
)
def radar_trends(ctx: Context, params: TrendsIn) -> TrendsOut:
    from onelegion.skills.radar.analysis import analyse
    from onelegion.skills.radar.service import (
        embedder_for,
        resolve_window,
        split_ids,
        store_for,
        watchlist_for,
    )

    store = store_for(ctx)
    start, end, note = resolve_window(store, params.since, params.until)
    a = analyse(
        store,
        start,
        end,
        embed=embedder_for(ctx),
        sources=split_ids(params.platform),
        keyword=params.keyword,
        watchlist=watchlist_for(ctx, params.watch),
        limit=params.limit,
    )
    return TrendsOut(analysis=a, note=note)


# --- radar.digest ----------------------------------------------------------------------------
class DigestIn(BaseModel):
    since: str = Field(default="24h", description="Window length (24h, 7d).")
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    push: bool = Field(
        default=False, description="Send to the channels of [radar.push] urls (new items only)."
    )
    limit: int = Field(default=15, ge=1, le=200, description="Items per section.")


@skill(
    "radar.digest",
    title="Digest",
    summary="Write the digest (Markdown + HTML): watched, rising, cross-platform, new; optionally push it.",
    cacheable=False,
    examples=("legion radar digest --since 24h", "legion radar digest --since 24h --push"),
)
def radar_digest(ctx: Context, params: DigestIn) -> DigestOut:
    from onelegion.skills.radar.analysis import analyse
    from onelegion.skills.radar.service import (
        build_digest,
        embedder_for,
        resolve_window,
        split_ids,
        store_for,
        watchlist_for,
    )

    store = store_for(ctx)
    start, end, note = resolve_window(store, params.since, params.until)
    a = analyse(
        store,
        start,
        end,
        embed=embedder_for(ctx),
        sources=split_ids(params.platform),
        watchlist=watchlist_for(ctx, params.watch),
        limit=params.limit,
    )
    return build_digest(ctx, store, a, note=note, push=params.push)


# --- radar.export ----------------------------------------------------------------------------
class ExportIn(BaseModel):
    output: OutputFile = Field(description="Target file: .parquet, .csv or .jsonl (re-importable).")
    since: str = Field(default="30d", description="Window length (30d, 90d).")
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )


@skill(
    "radar.export",
    title="Export history",
    summary="Write the stored snapshots of a window to Parquet, CSV or JSON Lines.",
    cacheable=False,
    examples=("legion radar export --since 30d --output hot.parquet",),
)
def radar_export(ctx: Context, params: ExportIn) -> ExportOut:
    from onelegion.skills.radar.export import export_snapshots
    from onelegion.skills.radar.service import resolve_window, split_ids, store_for

    store = store_for(ctx)
    start, end, _ = resolve_window(store, params.since, params.until)
    n = export_snapshots(store, params.output, start, end, split_ids(params.platform))
    art = ctx.artifact(params.output.name, params.output, description=f"{n} hot-list rows")
    return ExportOut(path=str(params.output), rows=n, artifacts=[art])


# --- radar.demo ------------------------------------------------------------------------------
class DemoIn(BaseModel):
    pass


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
]  # type: ignore[type-arg]
