"""What one file gave, the import options, and one table row read into one reading (the
row-wise path; the column-wise one is ``columns.py``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.skills.accounts.layouts import (
    METRIC_FIELDS,
)
from onelegion.skills.accounts.store import AccountInfo, PostRecord, Readings
from onelegion.skills.accounts.values import (
    CountError,
    parse_count,
    parse_duration_s,
    parse_time,
)

Row = dict[str, Any]


@dataclass
class FileResult:
    """What one file gave."""

    path: Path
    format: str
    platform: str | None = None
    rows: int = 0
    # a Readings batch from the column-wise path, else the readings made row by row
    records: Readings | list[PostRecord] = field(default_factory=list)
    creators: list[AccountInfo] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def row_list(res: FileResult) -> list[PostRecord]:
    """The readings of a file read row by row (a list, appended to in file order)."""
    if not isinstance(res.records, list):
        res.records = list(res.records)
    return res.records


@dataclass
class ImportOptions:
    format: str = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    account: str | None = None
    platform: str | None = None
    year: int = 2017
    max_bytes: int = 1 << 30


def record_from_row(
    row: Row,
    fm: dict[str, str],
    platform: str,
    res: FileResult,
    fallback_at: datetime,
    zone: timezone,
) -> PostRecord | None:
    def col(name: str) -> Any:
        key = fm.get(name)
        return row.get(key) if key is not None else None

    title = cell_text(col("title")) or ""
    desc = cell_text(col("description"))
    if not title and desc:
        title = desc[:80]
    account_name = cell_text(col("account_name"))
    account_id = cell_text(col("account_id")) or account_name
    if not account_id:
        res.skipped["no account"] += 1
        return None
    pid = cell_text(col("post_id"))
    try:
        published = parse_time(col("published_at"), zone)
    except ValueError:
        res.skipped["publish time not understood (kept without a date)"] += 1
        published = None
    if not pid:
        if not title:
            res.skipped["no post id and no title"] += 1
            return None
        basis = f"{account_id}|{title}|{published.isoformat() if published else ''}"
        pid = "t" + hashlib.sha1(basis.encode()).hexdigest()[:16]
    try:
        captured = parse_time(col("captured_at"), zone) or fallback_at
    except ValueError:
        captured = fallback_at
    metrics: dict[str, float | None] = {}
    for m in METRIC_FIELDS:
        if m not in fm:
            continue
        try:
            metrics[m] = parse_count(col(m))
        except CountError:
            res.skipped[f"{m}: not a number (cell left empty)"] += 1
            metrics[m] = None
    if all(v is None for v in metrics.values()):
        res.skipped["no count at all"] += 1
        return None
    if published is None:
        res.skipped["no publish date (kept; age unknown)"] += 1
    followers = None
    if "followers" in fm:
        try:
            followers = parse_count(col("followers"))
        except CountError:
            followers = None
    tags_raw = cell_text(col("tags"))
    tags = [t.strip() for t in re.split(r"[,，|#、]", tags_raw) if t.strip()] if tags_raw else []
    dur = None
    if "duration" in fm:
        dur = parse_duration_s(col("duration"))
    return PostRecord(
        platform=platform,
        post_id=pid,
        account_id=account_id,
        account_name=account_name or account_id,
        title=title,
        captured_at=captured,
        published_at=published,
        description=desc,
        url=cell_text(col("url")),
        duration_s=dur,
        tags=tags,
        category=cell_text(col("category")),
        followers=followers,
        metrics=metrics,
    )


def cell_text(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def time_or(v: Any, default: Any, zone: timezone) -> Any:
    try:
        return parse_time(v, zone) or default
    except ValueError:
        return default


def file_time(path: Path) -> datetime:
    """When a file says nothing about capture time: its modification time (stable across imports)."""
    return datetime.fromtimestamp(int(path.stat().st_mtime), UTC)


def read_frame(path: Path) -> pl.DataFrame:
    from onelegion.tables.read import read_table

    return read_table(path).df
