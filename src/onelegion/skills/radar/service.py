"""What the radar skills do, behind their thin definitions in ``__init__.py``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from onelegion.core.context import Context
from onelegion.core.errors import RunError, UserError
from onelegion.core.lang import tr
from onelegion.skills.radar.analysis_models import Analysis
from onelegion.skills.radar.digest import local_tz, render_html, render_markdown, sections
from onelegion.skills.radar.models import (
    DigestIn,
    DigestOut,
    ExportIn,
    ExportOut,
    ImportOut,
    PushOut,
    ScanIn,
    ScanOut,
    ScanSource,
    SourcesOut,
    SourceStatus,
    TrendsIn,
    TrendsOut,
)
from onelegion.skills.radar.store import AddResult, HistoryStore, Snapshot
from onelegion.skills.radar.watchlist import Watchlist, load_watchlist

if TYPE_CHECKING:
    from onelegion.skills.radar.importers import Format

_DUR_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w|y)?\s*$", re.I)
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800, "y": 365 * 86400}
_DATE_RE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")
SAMPLES = Path(__file__).parent / "samples"


def parse_duration(text: str, *, what: str = "--since", allow_zero: bool = False) -> timedelta:
    m = _DUR_RE.match(text or "")
    if not m:
        raise UserError(
            f"{what} {text!r} is not a duration", hint="write e.g. 90s, 30m, 24h, 7d, 2w or 1y"
        )
    unit = (m.group(2) or "s").lower()
    span = timedelta(seconds=float(m.group(1)) * _UNITS[unit])
    if not span and not allow_zero:
        raise UserError(f"{what} {text!r} is an empty window", hint="write e.g. 24h, 7d or 1y")
    return span


def parse_since(text: str) -> timedelta | datetime:
    """``--since``: a length back from the end (24h, 7d, 1y) or, as ``git log --since``, a date or
    time the window starts at (2024-03-01, 2024-03-01T08:00; without a zone: the [radar] zone)."""
    if _DATE_RE.match(text or ""):
        return parse_time(text, what="--since")
    try:
        return parse_duration(text)
    except UserError as e:
        raise UserError(
            e.message.replace("is not a duration", "is neither a duration nor a date"),
            hint="write a length (90s, 30m, 24h, 7d, 2w, 1y) or a date (2024-03-01)",
        ) from None


def parse_time(text: str, *, what: str = "--until") -> datetime:
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise UserError(
            f"{what} {text!r} is not a date or time",
            hint="write e.g. 2024-03-31 or 2024-03-31T12:00+08:00",
        ) from e
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=local_tz(None))
    return dt.astimezone(UTC)


def store_for(ctx: Context) -> HistoryStore:
    cfg = ctx.config.section("radar")
    path = cfg.get("store")
    if path:
        return HistoryStore(Path(str(path)).expanduser())
    return HistoryStore.for_home(ctx.config.home)


def tz_name(ctx: Context) -> str:
    """``[radar] timezone``: the zone of every time a person reads (terminal, digest, push)."""
    return str(ctx.config.section("radar").get("timezone", "Asia/Shanghai"))


def tz_for(ctx: Context) -> Any:
    return local_tz(tz_name(ctx))


def resolve_window(
    store: HistoryStore, since: str, until: str | None
) -> tuple[datetime, datetime, str | None]:
    """(start, end, note). ``since``: a length or a start date (parse_since). ``until`` None/'auto':
    now, or (for a length) the last snapshot when nothing is that recent."""
    parsed = parse_since(since)
    note = None
    if isinstance(parsed, datetime):
        end = (
            parse_time(until)
            if until and until.lower() not in ("auto", "now", "latest")
            else datetime.now(UTC)
        )
        if until and until.lower() == "latest":
            _, last = store.time_range()
            end = last.replace(tzinfo=UTC) if last is not None else end
        if parsed >= end:
            raise UserError(
                f"--since {since} is not before the end of the window ({end:%Y-%m-%d %H:%M} UTC)",
                hint="give an earlier date, or a later --until",
            )
        return parsed, end, None
    span = parsed
    if until and until.lower() not in ("auto", "now", "latest"):
        end = parse_time(until)
    else:
        end = datetime.now(UTC)
        _, last = store.time_range()
        if until and until.lower() == "latest" and last is not None:
            end = last.replace(tzinfo=UTC)
        elif (until is None or until.lower() == "auto") and last is not None:
            last_utc = last.replace(tzinfo=UTC)
            if last_utc < end - span:
                note = (
                    f"nothing stored in the last {since}; showing the {since} up to the latest "
                    f"snapshot ({last_utc:%Y-%m-%d %H:%M} UTC) — pass --until now to insist"
                )
                end = last_utc
    return end - span, end, note


def embedder_for(ctx: Context) -> Callable[[list[str]], Any] | None:
    """The optional embedding hook for event clustering: ``[radar] embed = "package.module:function"``,
    a callable taking a list of titles and returning one vector per title. None by default."""
    spec = ctx.config.section("radar").get("embed")
    if not spec:
        return None
    import importlib

    mod_name, _, attr = str(spec).partition(":")
    try:
        fn: object = getattr(importlib.import_module(mod_name), attr or "embed")
    except (ImportError, AttributeError) as e:
        raise UserError(
            f"[radar] embed = {spec!r} cannot be loaded ({e})",
            hint='give "package.module:function", a function of a list of titles returning vectors',
        ) from e
    if not callable(fn):
        raise UserError(f"[radar] embed = {spec!r} is not callable", hint="point it at a function")
    return fn


def watchlist_for(ctx: Context, path: Path | None) -> Watchlist | None:
    """The watchlist named on the command line, else ``[radar] watchlist``; its skipped lines
    are logged as warnings."""
    section = ctx.config.section("radar")
    mode = str(section.get("watchlist_match", "smart"))
    if mode not in ("smart", "substring"):
        raise UserError(
            f"[radar] watchlist_match = {mode!r} is not smart or substring",
            hint='write watchlist_match = "smart" (default) or "substring" (exactly TrendRadar)',
        )
    cfg = section.get("watchlist")
    if path is not None:
        p = Path(path)
    elif cfg:
        p = Path(str(cfg)).expanduser()
        if not p.is_absolute():
            p = ctx.config.home / p
    else:
        return None
    wl = load_watchlist(p, "substring" if mode == "substring" else "smart")
    for w in wl.warnings:
        ctx.log(w, level="warning")
    return wl


def analyse_window(
    ctx: Context,
    store: HistoryStore,
    since: str,
    until: str | None,
    *,
    watchlist: Watchlist | None,
    platforms: Sequence[str] | None = None,
    keyword: str | None = None,
    limit: int = 20,
    embed: bool = True,
    llm: bool = False,
) -> tuple[Analysis, str | None]:
    """The analysis of the window ``since`` up to ``until`` (see resolve_window) and the window's
    note. ``embed``: cluster with the configured embedding hook (the offline demo does not);
    ``llm``: --llm was given (see llm_events)."""
    from onelegion.skills.radar.analysis import analyse

    with store.session():  # one connection for the window, the analysis and the trajectories
        start, end, note = resolve_window(store, since, until)
        sources = known_platforms(ctx, store, split_ids(platforms))
        a = analyse(
            store,
            start,
            end,
            embed=embedder_for(ctx) if embed else None,
            sources=sources,
            keyword=keyword,
            watchlist=watchlist,
            limit=limit,
        )
    if a.events and llm_events(ctx, llm):
        from onelegion.skills.radar.event_judge import SYSTEM, EventJudgement, judge_events

        def ask(prompt: str) -> EventJudgement:
            return ctx.llm.ask(prompt, output_type=EventJudgement, system=SYSTEM, temperature=0)

        a.events, rep = judge_events(a.events, ask, log=ctx.log)
        ctx.log(
            f"events: {rep.judged} named by the model, {rep.split} split, {rep.failed} answers skipped"
        )
    return a, note


def llm_events(ctx: Context, flag: bool) -> bool:
    """Whether the model judges the events: ``--llm`` (a model must be configured) or
    ``[radar] llm = true`` (skipped with a warning when no model is)."""
    wanted = flag or bool(ctx.config.section("radar").get("llm", False))
    if wanted and not ctx.llm.available:
        if flag:
            raise UserError(
                tr("--llm needs a configured model", "--llm 需要先配置模型"),
                hint="legion config set llm.model <provider:model> (see docs/llm.md)",
            )
        ctx.log(
            "[radar] llm = true but no model is configured: events as the rules made them",
            level="warning",
        )
        return False
    return wanted


def list_sources(ctx: Context) -> SourcesOut:
    """Every known source with its status from the history, then archives without a connector."""
    from onelegion.skills.radar.fetch import source_catalog

    store = store_for(ctx)
    status = store.source_status()
    out: list[SourceStatus] = []
    seen = set()
    for info in source_catalog(ctx.config):
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
    return SourcesOut(sources=out, store=str(store.path), timezone=tz_name(ctx))


def run_scan(ctx: Context, params: ScanIn) -> ScanOut:
    from onelegion.skills.radar.fetch import fetch_sources

    store = store_for(ctx)
    wl = watchlist_for(ctx, params.watch)
    at = datetime.now(UTC)
    results = fetch_sources(ctx, split_ids(params.sources))
    with store.session():  # one connection for the steps below
        rows = store_results(store, results)
        if results and not any(r.ok for r in results):
            raise RunError(
                tr(
                    f"no source could be fetched: {failures_text(results)}",
                    f"没有一个来源抓取成功：{failures_text(results)}",
                ),
                hint=tr(
                    "check the network; `legion radar sources` lists each source's last error",
                    "检查网络；`legion radar sources` 列出每个来源最近的错误",
                ),
            )
        a, _ = analyse_window(ctx, store, params.since, "now", watchlist=wl, llm=params.llm)
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


def run_trends(ctx: Context, params: TrendsIn) -> TrendsOut:
    store = store_for(ctx)
    a, note = analyse_window(
        ctx,
        store,
        params.since,
        params.until,
        watchlist=watchlist_for(ctx, params.watch),
        platforms=params.platform,
        keyword=params.keyword,
        limit=params.limit,
        llm=params.llm,
    )
    return TrendsOut(analysis=a, note=note, timezone=tz_name(ctx))


def run_digest(ctx: Context, params: DigestIn) -> DigestOut:
    store = store_for(ctx)
    a, note = analyse_window(
        ctx,
        store,
        params.since,
        params.until,
        watchlist=watchlist_for(ctx, params.watch),
        platforms=params.platform,
        limit=params.limit,
        llm=params.llm,
    )
    return build_digest(ctx, store, a, note=note, push=params.push)


def run_export(ctx: Context, params: ExportIn) -> ExportOut:
    from onelegion.skills.radar.export import export_snapshots

    store = store_for(ctx)
    start, end, _ = resolve_window(store, params.since, params.until)
    sources = known_platforms(ctx, store, split_ids(params.platform))
    n = export_snapshots(store, params.output, start, end, sources)
    art = ctx.artifact(params.output.name, params.output, description=f"{n} hot-list rows")
    return ExportOut(path=str(params.output), rows=n, artifacts=[art])


def import_archive(
    ctx: Context,
    store: HistoryStore,
    root: Path,
    fmt: Format,
    source: str | None,
    git_history: bool,
) -> ImportOut:
    from onelegion.skills.radar.importers import read_archive, read_git_history

    t0 = time.perf_counter()
    total = ImportOut(
        snapshots_added=0,
        snapshots_skipped=0,
        rows_added=0,
        new_items=0,
        store=str(store.path),
        timezone=tz_name(ctx),
    )
    batch: list[Snapshot] = []
    first: datetime | None = None
    last: datetime | None = None

    def count(res: AddResult) -> None:
        total.snapshots_added += res.captures_added
        total.snapshots_skipped += res.captures_skipped
        total.rows_added += res.rows_added
        total.new_items += res.items_new
        for k, v in res.sources.items():
            total.sources[k] = total.sources.get(k, 0) + v

    def flush() -> None:
        count(store.add(batch))
        batch.clear()

    def on_file(i: int, n: int) -> None:
        ctx.progress(i, n, "reading archive")

    snaps = (
        read_git_history(Path(root), fmt, source, on_file)
        if git_history
        else read_archive(Path(root), fmt, source, on_file, stream=True)
    )
    for snap in snaps:
        at = snap.captured_at.astimezone(UTC).replace(tzinfo=None)
        if snap.stream is not None:  # a daily file, stored in slices (memory bounded)
            if batch:
                flush()
            res = store.add_stream(snap)
            count(res)
            if not (res.captures_added or res.captures_skipped):
                continue  # no titled record: not a snapshot
        first = at if first is None or at < first else first
        last = at if last is None or at > last else last
        if snap.stream is not None:
            continue
        batch.append(snap)
        if sum(len(s.items) for s in batch) >= 50_000:
            flush()
    if batch:
        flush()
    if first is not None and last is not None:
        # tokenise what was imported now, so the first `trends` after a bulk import stays fast
        store.ensure_tokens(
            first - timedelta(seconds=1),
            last,
            on_progress=lambda i, n: ctx.progress(i, n, "tokenising titles"),
        )
    total.first, total.last = first, last
    total.seconds = round(time.perf_counter() - t0, 2)
    ctx.log(
        f"imported {total.rows_added} rows ({total.snapshots_added} snapshots) into {store.path}"
    )
    return total


def llm_summary(ctx: Context, a: Analysis) -> str | None:
    if not ctx.llm.available:
        return None
    lines = [
        f"- [{i.source}] {i.title} ({'; '.join(i.reasons) or 'top'})"
        for i in (a.rising or a.top)[:15]
    ]
    lines += [f"- [{'/'.join(e.platforms)}] {e.title}" for e in a.events[:10]]
    if not lines:
        return None
    prompt = (
        "These are today's rising and cross-platform topics from Chinese and international hot lists.\n"
        + "\n".join(lines)
        + "\n\nWrite a summary for a solo content creator in at most 5 short bullet points, in the "
        "language of the titles: what is rising, which stories several platforms share, and one angle "
        "worth a post. Do not invent facts beyond the titles."
    )
    try:
        return str(
            ctx.llm.ask(prompt, output_type=str, system="You are a concise trend analyst.")
        ).strip()
    except UserError:
        raise
    except Exception as e:
        ctx.log(f"LLM summary skipped: {type(e).__name__}: {e}", level="warning")
        return None


def build_digest(
    ctx: Context,
    store: HistoryStore,
    a: Analysis,
    *,
    note: str | None = None,
    push: bool = False,
    sender: Callable[[str, str, str], bool] | None = None,
) -> DigestOut:
    tz = tz_for(ctx)
    a.summary = llm_summary(ctx, a)
    md = render_markdown(a, tz)
    md_path = ctx.path("digest.md")
    html_path = ctx.path("digest.html")
    from onelegion.core.files import write_text

    write_text(md_path, md)
    write_text(html_path, render_html(a, tz))
    arts = [
        ctx.artifact("digest.md", md_path, description="Radar digest (Markdown, as pushed)"),
        ctx.artifact("digest.html", html_path, description="Radar digest (self-contained HTML)"),
    ]
    out = DigestOut(analysis=a, markdown=md, note=note, artifacts=arts, timezone=tz_name(ctx))
    if push:
        out.pushed = push_now(ctx, store, a, sender=sender)
    return out


def push_now(
    ctx: Context,
    store: HistoryStore,
    a: Analysis,
    *,
    sender: Callable[[str, str, str], bool] | None = None,
) -> list[PushOut]:
    from onelegion.skills.radar.push import apprise_sender, push_digest, push_urls

    urls = push_urls(ctx.config.section("radar"))
    if not urls:
        raise UserError(
            "no push channel is configured",
            hint='add [radar.push] urls = ["json://host/path", "tgram://TOKEN/CHAT", ...] to legion.toml '
            "(or set LEGION_RADAR_PUSH_URLS)",
        )
    tz = tz_for(ctx)
    title = f"热榜雷达 {datetime.now(UTC).astimezone(tz):%m-%d %H:%M}"
    report = push_digest(
        store, urls, title, sections(a, tz), tz, sender=sender or apprise_sender, log=ctx.log
    )
    return [
        PushOut(
            channel=c.channel,
            messages=c.messages,
            items=c.items,
            skipped_items=c.skipped_items,
            ok=c.ok,
            error=c.error,
        )
        for c in report.channels
    ]


def known_platforms(ctx: Context, store: HistoryStore, ids: list[str] | None) -> list[str] | None:
    """``ids`` when each names a source or platform the radar knows (built in, configured or
    stored); otherwise a UserError naming the known ones (and the closest, when one is close)."""
    if not ids:
        return ids
    import difflib

    from onelegion.skills.radar.fetch import source_catalog

    known = {s.id for s in source_catalog(ctx.config)}
    if store.path.exists():
        known |= {str(r[0]) for r in store.query("SELECT DISTINCT source FROM captures")}
    known |= {k.split("-", 1)[0] for k in known}
    for pid in ids:
        if pid not in known:
            close = difflib.get_close_matches(pid, sorted(known), n=1, cutoff=0.6)
            mean = tr(f" (did you mean {close[0]}?)", f"（是不是 {close[0]}？）") if close else ""
            raise UserError(
                tr(f"unknown platform {pid!r}{mean}", f"未知的平台 {pid!r}{mean}"),
                hint=tr("known: ", "已知：") + ", ".join(sorted(known)),
            )
    return ids


def failures_text(results: Sequence[Any]) -> str:
    """``weibo (HTTP 403), zhihu (timed out)`` for the failed fetches of a scan."""
    return "; ".join(f"{r.source} ({r.error or 'failed'})" for r in results if not r.ok)


def split_ids(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [v.strip() for raw in values for v in raw.split(",") if v.strip()]
    return out or None


def store_results(store: HistoryStore, results: Sequence[Any]) -> int:
    store.record_fetches(
        [(r.source, r.captured_at, r.ok, len(r.items), r.error, r.elapsed_ms) for r in results]
    )
    snaps = [
        Snapshot(r.source, r.captured_at, list(r.items), origin="scan")
        for r in results
        if r.ok and r.items
    ]
    return store.add(snaps).rows_added if snaps else 0


def demo_digest(ctx: Context, *, push: bool = False) -> DigestOut:
    """Import the bundled sample (a few real days of Weibo, Zhihu and Toutiao) into a history inside the
    run directory (the person's own history is untouched) and build its digest, offline."""
    store = HistoryStore(ctx.run_dir / "demo-history.duckdb")
    import_archive(ctx, store, SAMPLES / "weibo", "justjavac", "weibo", False)
    import_archive(ctx, store, SAMPLES / "zhihu", "justjavac", "zhihu", False)
    import_archive(ctx, store, SAMPLES / "toutiao", "trending-in-one", None, False)
    wl = watchlist_for(ctx, SAMPLES / "watchlist.txt")
    a, _ = analyse_window(ctx, store, "2d", "latest", watchlist=wl, embed=False)
    return build_digest(
        ctx, store, a, note="demo: bundled sample of real hot lists (January 2024)", push=push
    )
