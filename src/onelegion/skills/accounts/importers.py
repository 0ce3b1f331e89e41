"""Read exports into :class:`PostRecord` readings.

Formats
  mediacrawler      MediaCrawler output: csv / json / jsonl files or its SQLite database, any platform
  youtube-trending  Kaggle "Trending YouTube Video Statistics" (v1 ``date`` DD.MM, later
                    ``trending_date`` YY.DD.MM + ``publish_time``): one row per day on the list
  youtube-studio, bilibili-studio, douyin-studio, xhs-studio
                    creator-centre exports of your own account (headers matched by synonym)
  table             any other table; columns found by synonym, ``--map views=播放量,...`` for the rest
  auto              decide per file
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts import columns
from onelegion.skills.accounts.layouts import (
    CONTENT_TABLES,
    CREATOR_TABLES,
    FOLDER_PLATFORM,
    MEDIACRAWLER,
    METRIC_FIELDS,
    SIGNATURES,
    SYNONYMS,
    auto_map,
    norm_header,
)
from onelegion.skills.accounts.store import AccountInfo, PostRecord
from onelegion.skills.accounts.values import (
    CHINA,
    CountError,
    parse_count,
    parse_duration_s,
    parse_time,
)

FORMATS = (
    "auto",
    "mediacrawler",
    "youtube-trending",
    "youtube-studio",
    "bilibili-studio",
    "douyin-studio",
    "xhs-studio",
    "table",
)
STUDIO_PLATFORM = {
    "youtube-studio": "youtube",
    "bilibili-studio": "bili",
    "douyin-studio": "dy",
    "xhs-studio": "xhs",
}
FILE_EXTS = {
    ".csv",
    ".tsv",
    ".txt",
    ".json",
    ".jsonl",
    ".ndjson",
    ".xlsx",
    ".xls",
    ".db",
    ".sqlite",
    ".sqlite3",
}
Row = dict[str, Any]


@dataclass
class FileResult:
    """What one file gave."""

    path: Path
    format: str
    platform: str | None = None
    rows: int = 0
    records: list[PostRecord] = field(default_factory=list)
    creators: list[AccountInfo] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportOptions:
    format: str = "auto"
    mapping: dict[str, str] = field(default_factory=dict)
    account: str | None = None
    platform: str | None = None
    year: int = 2017
    max_bytes: int = 1 << 30


def parse_map(items: list[str]) -> dict[str, str]:
    """['views=播放量', 'likes=点赞数,title=标题'] -> {'views': '播放量', ...}."""
    out: dict[str, str] = {}
    for item in items:
        for part in re.split(r"[,，]", item):
            if not part.strip():
                continue
            if "=" not in part:
                raise UserError(
                    tr(f"--map {part!r} is not FIELD=COLUMN", f"--map {part!r} 不是 字段=列名"),
                    hint=tr("write e.g. --map views=播放量", "例如 --map views=播放量"),
                )
            k, v = (s.strip() for s in part.split("=", 1))
            if k not in SYNONYMS:
                raise UserError(
                    tr(f"--map: unknown field {k!r}", f"--map：未知字段 {k!r}"),
                    hint=tr("fields: ", "可用字段：") + ", ".join(SYNONYMS),
                )
            out[k] = v
    return out


def list_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in FILE_EXTS and not p.name.startswith(".")
    )
    if not files:
        raise UserError(
            tr(
                f"{path} holds no csv/json/jsonl/xlsx/sqlite files",
                f"{path} 中没有 csv/json/jsonl/xlsx/sqlite 文件",
            ),
            hint=tr("point at an export folder or file", "请指向导出文件夹或文件"),
        )
    return files


def read_file(path: Path, opts: ImportOptions) -> FileResult:
    size = path.stat().st_size
    if size > opts.max_bytes:
        mb, limit = f"{size / 2**20:,.0f}", f"{opts.max_bytes / 2**20:,.0f}"
        raise UserError(
            tr(
                f"{path.name} is {mb} MB; the import limit is {limit} MB",
                f"{path.name} 有 {mb} MB，超过导入上限 {limit} MB",
            ),
            hint=tr(
                "split the file (e.g. by month) or raise [accounts] max_file_mb in legion.toml",
                "拆分文件（如按月），或在 legion.toml 中调大 [accounts] max_file_mb",
            ),
        )
    if size == 0:
        res = FileResult(path=path, format=opts.format)
        res.notes.append(tr(f"{path.name}: empty file, skipped", f"{path.name}：空文件，已跳过"))
        return res
    ext = path.suffix.lower()
    if ext in {".db", ".sqlite", ".sqlite3"}:
        return _read_sqlite(path)
    fmt = opts.format
    if fmt in ("auto", "youtube-trending") and ext in {".csv", ".txt"}:
        head = path.read_bytes()[:4096].decode("utf-8", "replace").lstrip("\ufeff")
        first = head.splitlines()[0] if head else ""
        cols = {c.strip().strip('"') for c in first.split(",")}
        if {"video_id", "channel_title", "views"} <= cols and (
            "date" in cols or "trending_date" in cols
        ):
            return _read_trending(path, opts)
        if fmt == "youtube-trending":
            raise UserError(
                tr(
                    f"{path.name} is not a YouTube trending file",
                    f"{path.name} 不是 YouTube 热门榜文件",
                ),
                hint=tr(
                    "it needs video_id, title, channel_title, views and date / trending_date columns",
                    "需要 video_id、title、channel_title、views 和 date / trending_date 列",
                ),
            )
    df = _read_frame(path)
    headers = list(df.columns) if df.height else []
    platform = _mediacrawler_platform(headers, path) if fmt in ("auto", "mediacrawler") else None
    if (
        platform is not None
        or fmt == "mediacrawler"
        or (fmt == "auto" and _mediacrawler_aux(headers))
    ):
        return _from_mediacrawler(path, df, headers, platform)
    return _from_table(path, df, headers, opts)


def _read_frame(path: Path) -> pl.DataFrame:
    from onelegion.skills.clean.read import read_table

    return read_table(path).df


# --- MediaCrawler ----------------------------------------------------------------------------
def _mediacrawler_platform(headers: list[str], path: Path) -> str | None:
    keys = set(headers)
    for plat, sig in SIGNATURES:
        if sig <= keys:
            return plat
    return None


def _mediacrawler_aux(headers: list[str]) -> bool:
    """MediaCrawler comments or creators files (they have no post counts)."""
    keys = set(headers)
    return "last_modify_ts" in keys and (
        "comment_id" in keys or ("user_id" in keys and bool({"fans", "total_fans"} & keys))
    )


def _platform_from_path(path: Path) -> str | None:
    for part in reversed(path.parts[:-1]):
        plat = FOLDER_PLATFORM.get(part.lower())
        if plat:
            return plat
    stem = path.stem.lower()
    for name, plat in FOLDER_PLATFORM.items():
        if stem.startswith(name + "_"):
            return plat
    return None


def _from_mediacrawler(
    path: Path, df: pl.DataFrame, headers: list[str], platform: str | None
) -> FileResult:
    res = FileResult(path=path, format="mediacrawler", rows=df.height)
    keys = set(headers)
    if platform is None:
        if "comment_id" in keys:
            res.notes.append(
                tr(
                    f"{path.name}: comments file (not posts), skipped",
                    f"{path.name}：评论文件（不是作品），已跳过",
                )
            )
            return res
        if "user_id" in keys and ({"fans", "total_fans"} & keys):
            plat = "bili" if "total_fans" in keys else _platform_from_path(path)
            if plat is None:
                res.notes.append(
                    tr(
                        f"{path.name}: creators file of an unknown platform, skipped",
                        f"{path.name}：平台不明的创作者文件，已跳过",
                    )
                )
                return res
            res.platform = plat
            res.creators = _creators(df.to_dicts(), plat, _file_time(path))
            return res
        raise UserError(
            tr(
                f"{path.name} is not a MediaCrawler contents file "
                "(no note_id/aweme_id/video_id/content_id columns)",
                f"{path.name} 不是 MediaCrawler 作品文件（没有 note_id/aweme_id/video_id/content_id 列）",
            ),
            hint=tr(
                "pass --format table with --map for other tables",
                "其他表格请用 --format table 加 --map",
            ),
        )
    res.platform = platform
    fm = MEDIACRAWLER[platform]
    fallback_at = _file_time(path)
    recs = columns.records(df, fm, platform, res.skipped, fallback_at, CHINA)
    if recs is not None:
        res.records = recs
        return res
    for row in df.to_dicts():
        rec = _record(row, fm, platform, res, fallback_at, CHINA)
        if rec is not None:
            res.records.append(rec)
    return res


def _creators(rows: list[Row], platform: str, at: datetime) -> list[AccountInfo]:
    out = []
    for row in rows:
        uid = _text(row.get("user_id"))
        if not uid:
            continue
        raw = row.get("total_fans", row.get("fans"))
        try:
            fans = parse_count(raw)
        except CountError:
            fans = None
        when = _time_or(row.get("last_modify_ts"), at, CHINA)
        out.append(AccountInfo(platform, uid, _text(row.get("nickname")) or uid, fans, when))
    return out


def _read_sqlite(path: Path) -> FileResult:
    res = FileResult(path=path, format="mediacrawler")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise UserError(
            tr(f"cannot open {path.name} as SQLite: {e}", f"无法以 SQLite 打开 {path.name}：{e}")
        ) from e
    try:
        try:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as e:
            raise UserError(
                tr(
                    f"{path.name} is not a SQLite database ({e})",
                    f"{path.name} 不是 SQLite 数据库（{e}）",
                )
            ) from e
        found = False
        con.row_factory = sqlite3.Row
        fallback_at = _file_time(path)
        for table, plat in CONTENT_TABLES.items():
            if table not in tables:
                continue
            found = True
            rows = [dict(r) for r in con.execute(f'SELECT * FROM "{table}"')]
            res.rows += len(rows)
            res.platform = plat if res.platform in (None, plat) else "mixed"
            for row in rows:
                rec = _record(row, MEDIACRAWLER[plat], plat, res, fallback_at, CHINA)
                if rec is not None:
                    res.records.append(rec)
        for table, plat in CREATOR_TABLES.items():
            if table in tables:
                found = True
                res.creators += _creators(
                    [dict(r) for r in con.execute(f'SELECT * FROM "{table}"')], plat, fallback_at
                )
    finally:
        con.close()
    if not found:
        raise UserError(
            tr(
                f"{path.name} holds none of MediaCrawler's tables",
                f"{path.name} 中没有 MediaCrawler 的表",
            ),
            hint=tr(
                "expected e.g. xhs_note, douyin_aweme, bilibili_video, weibo_note "
                "(schema/sqlite_tables.sql)",
                "应有 xhs_note、douyin_aweme、bilibili_video、weibo_note 等表（schema/sqlite_tables.sql）",
            ),
        )
    return res


# --- YouTube trending (Kaggle) ---------------------------------------------------------------
def _read_trending(path: Path, opts: ImportOptions) -> FileResult:
    """Reads the file itself: it repairs the two known defects of the v1 file (a record glued to the
    next one after its date, an extra numeric field before the date) and says how many."""
    from onelegion.skills.clean.encoding import decode_text

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
            day = _trending_day(get(r, "trending_date") or get(r, "date") or "", opts.year)
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
        pub = _time_or(pub_raw, None, UTC) if pub_raw else None
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
        res.records.append(
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


def _trending_day(text: str, year: int) -> datetime:
    parts = text.strip().split(".")
    if len(parts) == 2:  # v1: DD.MM
        d, m = int(parts[0]), int(parts[1])
        return datetime(year, m, d, tzinfo=UTC)
    if len(parts) == 3:  # later versions: YY.DD.MM
        y, d, m = int(parts[0]), int(parts[1]), int(parts[2])
        return datetime(2000 + y, m, d, tzinfo=UTC)
    raise ValueError(text)


# --- any table -------------------------------------------------------------------------------
def _from_table(
    path: Path, df: pl.DataFrame, headers: list[str], opts: ImportOptions
) -> FileResult:
    fmt = opts.format if opts.format != "auto" else "table"
    res = FileResult(path=path, format=fmt, rows=df.height)
    mapping = auto_map(headers)
    norm = {norm_header(h): h for h in headers}
    for k, col in opts.mapping.items():
        if col in headers:
            mapping[k] = col
        elif norm_header(col) in norm:
            mapping[k] = norm[norm_header(col)]
        else:
            raise UserError(
                tr(
                    f"{path.name}: --map {k}={col}: no column {col!r}",
                    f"{path.name}：--map {k}={col}：没有列 {col!r}",
                ),
                hint=tr("columns: ", "现有列：") + ", ".join(headers[:30]),
            )
    missing = []
    if "title" not in mapping and "post_id" not in mapping:
        missing.append("title or post_id")
    if not any(m in mapping for m in METRIC_FIELDS):
        missing.append("a count (views, likes, comments, shares, favorites)")
    if "account_name" not in mapping and "account_id" not in mapping and not opts.account:
        missing.append("account (a column, or --account NAME for a one-account export)")
    if missing:
        cols = ", ".join(headers[:12]) + (" …" if len(headers) > 12 else "")
        raise UserError(
            tr(
                f"{path.name}: cannot find {'; '.join(missing)} among its columns ({cols})",
                f"{path.name}：在列（{cols}）中找不到 {'；'.join(missing)}",
            ),
            hint=tr(
                "map them, e.g. --map views=播放量,title=标题,account_name=账号 "
                "(or --format mediacrawler / youtube-trending)",
                "用 --map 指定，例如 --map views=播放量,title=标题,account_name=账号"
                "（或 --format mediacrawler / youtube-trending）",
            ),
        )
    platform = opts.platform or STUDIO_PLATFORM.get(fmt) or "other"
    res.platform = platform
    fallback_at = _file_time(path)
    zone = CHINA if platform in ("xhs", "dy", "bili", "ks", "wb", "tieba", "zhihu") else UTC
    fm = dict(mapping)
    if columns.usable(df, fm):
        if "post_id" in fm:
            ids = df.get_column(fm["post_id"]).cast(pl.String).str.strip_chars()
            total = ids.str.to_lowercase().is_in(["total", "合计", "总计"]).fill_null(False)
            if bool(total.any()):
                res.skipped["total row"] += int(total.sum())
                df = df.filter(~total)
        if opts.account and "account_name" not in fm and "account_id" not in fm:
            df = df.with_columns(pl.lit(opts.account, dtype=pl.String).alias("__account"))
            fm = {**fm, "account_name": "__account"}
        recs = columns.records(df, fm, platform, res.skipped, fallback_at, zone)
        if recs is not None:
            res.records = recs
            return res
    for row in df.to_dicts():
        if opts.account and "account_name" not in fm and "account_id" not in fm:
            row = {**row, "__account": opts.account}
            fm2 = {**fm, "account_name": "__account"}
        else:
            fm2 = fm
        pid = _text(row.get(fm2.get("post_id", ""))) if "post_id" in fm2 else None
        if pid is not None and pid.lower() in ("total", "合计", "总计"):
            res.skipped["total row"] += 1
            continue
        rec = _record(row, fm2, platform, res, fallback_at, zone)
        if rec is not None:
            res.records.append(rec)
    return res


# --- one row -> one reading ------------------------------------------------------------------
def _record(
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

    title = _text(col("title")) or ""
    desc = _text(col("description"))
    if not title and desc:
        title = desc[:80]
    account_name = _text(col("account_name"))
    account_id = _text(col("account_id")) or account_name
    if not account_id:
        res.skipped["no account"] += 1
        return None
    pid = _text(col("post_id"))
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
    tags_raw = _text(col("tags"))
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
        url=_text(col("url")),
        duration_s=dur,
        tags=tags,
        category=_text(col("category")),
        followers=followers,
        metrics=metrics,
    )


def _text(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _time_or(v: Any, default: Any, zone: timezone) -> Any:
    try:
        return parse_time(v, zone) or default
    except ValueError:
        return default


def _file_time(path: Path) -> datetime:
    """When a file says nothing about capture time: its modification time (stable across imports)."""
    return datetime.fromtimestamp(int(path.stat().st_mtime), UTC)
