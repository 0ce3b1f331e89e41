"""The Kaggle "Trending YouTube Video Statistics" file: one row per video per day on the list
(v1 ``date`` DD.MM, later ``trending_date`` YY.DD.MM + ``publish_time``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from onelegion.core.lang import tr
from onelegion.skills.accounts.import_rows import (
    FileResult,
    ImportOptions,
    row_list,
    time_or,
)
from onelegion.skills.accounts.store import PostRecord
from onelegion.skills.accounts.values import (
    CountError,
    parse_count,
)


def read_trending(path: Path, opts: ImportOptions) -> FileResult:
    """Reads the file itself: it repairs the two known defects of the v1 file (a record glued to the
    next one after its date, an extra numeric field before the date) and says how many."""
    from onelegion.tables.encoding import decode_text

    text, _, _ = decode_text(path.read_bytes(), None)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in next(reader)]
    n = len(header)
    res = FileResult(path=path, format="youtube-trending", platform="youtube")
    glued = extra = 0
    raw: list[list[str]] = []
    for fields in reader:
        if not fields:
            continue
        while len(fields) > n:
            if len(fields) == n + 1 and re.fullmatch(r"\d+", fields[n - 1] or ""):
                fields = fields[: n - 1] + fields[n:]
                extra += 1
                break
            cell = fields[n - 1]
            m = re.match(r"^(\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)(.+)$", cell) if n > 0 else None
            if not m:
                break
            raw.append([*fields[: n - 1], m.group(1)])
            fields = [m.group(2), *fields[n:]]
            glued += 1
        if len(fields) != n:
            res.skipped[f"row with {len(fields)} fields (expected {n})"] += 1
            continue
        raw.append(fields)
    if glued:
        res.notes.append(
            tr(
                f"{glued} record(s) glued to the next one were split",
                f"{glued} 条与下一条粘连的记录已拆开",
            )
        )
    if extra:
        res.notes.append(
            tr(
                f"{extra} record(s) with an extra field before the date were repaired",
                f"{extra} 条日期前多一个字段的记录已修复",
            )
        )
    res.rows = len(raw)
    idx = {h: i for i, h in enumerate(header)}
    get: Callable[[list[str], str], str | None] = lambda r, k: r[idx[k]] if k in idx else None  # noqa: E731
    sightings: list[tuple[list[str], datetime]] = []
    for r in raw:
        try:
            day = trending_day(get(r, "trending_date") or get(r, "date") or "", opts.year)
        except ValueError:
            res.skipped["trending date not understood"] += 1
            continue
        sightings.append((r, day))
    first: dict[str, datetime] = {}
    for r, day in sightings:
        vid = get(r, "video_id") or ""
        if vid not in first or day < first[vid]:
            first[vid] = day
    for r, day in sightings:
        vid = (get(r, "video_id") or "").strip()
        channel = (get(r, "channel_title") or "").strip()
        if not vid or not channel:
            res.skipped["no video_id or channel_title"] += 1
            continue
        pub_raw = get(r, "publish_time")
        pub = time_or(pub_raw, None, UTC) if pub_raw else None
        metrics = {}
        bad = False
        comment_col = "comment_total" if "comment_total" in idx else "comment_count"
        for f, col in (("views", "views"), ("likes", "likes"), ("comments", comment_col)):
            try:
                metrics[f] = parse_count(get(r, col))
            except CountError:
                bad = True
        if bad or metrics.get("views") is None:
            res.skipped["views not a number"] += 1
            continue
        tags_raw = get(r, "tags") or ""
        tags = (
            []
            if tags_raw in ("", "[none]")
            else [t.strip().strip('"') for t in tags_raw.split("|") if t.strip()]
        )
        row_list(res).append(
            PostRecord(
                platform="youtube",
                post_id=vid,
                account_id=channel,
                account_name=channel,
                title=(get(r, "title") or "").strip(),
                captured_at=day,
                published_at=pub or first[vid],
                published_estimated=pub is None,
                url=f"https://www.youtube.com/watch?v={vid}",
                tags=tags,
                category=get(r, "category_id"),
                metrics=metrics,
            )
        )
    if not any(h == "publish_time" for h in header):
        res.notes.append(
            tr(
                "no publish time in this layout: each video's first trending day stands in for it",
                "此格式没有发布时间：以每个视频首次上榜的日期代替",
            )
        )
    return res


def trending_day(text: str, year: int) -> datetime:
    parts = text.strip().split(".")
    if len(parts) == 2:  # v1: DD.MM
        d, m = int(parts[0]), int(parts[1])
        return datetime(year, m, d, tzinfo=UTC)
    if len(parts) == 3:  # later versions: YY.DD.MM
        y, d, m = int(parts[0]), int(parts[1]), int(parts[2])
        return datetime(2000 + y, m, d, tzinfo=UTC)
    raise ValueError(text)
