"""Read exports into :class:`PostRecord` readings.

Formats
  mediacrawler      MediaCrawler output: csv / json / jsonl files or its SQLite database, any platform
  youtube-trending  Kaggle "Trending YouTube Video Statistics" (v1 ``date`` DD.MM, later
                    ``trending_date`` YY.DD.MM + ``publish_time``): one row per day on the list
  youtube-studio, bilibili-studio, douyin-studio, xhs-studio
                    creator-centre exports of your own account (headers matched by synonym)
  table             any other table; columns found by synonym, ``--map views=播放量,...`` for the rest
  auto              decide per file

This module is the entry point (``read_file``, ``list_files``, ``parse_map``) and picks the reader;
each format has its own module: ``mediacrawler.py`` (content and creator files, SQLite),
``trending.py`` (the Kaggle YouTube file), ``mapped_tables.py`` (creator-centre exports and any
table through synonyms or ``--map``), ``import_rows.py`` (one row into one reading, what a file
gave) and ``columns.py`` (whole columns at once, the fast path of the last two).
"""

from __future__ import annotations

import re
from pathlib import Path

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts.import_rows import FileResult, ImportOptions, read_frame
from onelegion.skills.accounts.layouts import SYNONYMS
from onelegion.skills.accounts.mapped_tables import STUDIO_PLATFORM, read_table_rows
from onelegion.skills.accounts.mediacrawler import (
    mediacrawler_aux,
    mediacrawler_platform,
    read_mediacrawler,
    read_sqlite,
)
from onelegion.skills.accounts.trending import read_trending

__all__ = [
    "FILE_EXTS",
    "FORMATS",
    "STUDIO_PLATFORM",
    "FileResult",
    "ImportOptions",
    "list_files",
    "parse_map",
    "read_file",
]

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
        return read_sqlite(path)
    fmt = opts.format
    if fmt in ("auto", "youtube-trending") and ext in {".csv", ".txt"}:
        head = path.read_bytes()[:4096].decode("utf-8", "replace").lstrip("\ufeff")
        first = head.splitlines()[0] if head else ""
        cols = {c.strip().strip('"') for c in first.split(",")}
        if {"video_id", "channel_title", "views"} <= cols and (
            "date" in cols or "trending_date" in cols
        ):
            return read_trending(path, opts)
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
    df = read_frame(path)
    headers = list(df.columns) if df.height else []
    platform = mediacrawler_platform(headers, path) if fmt in ("auto", "mediacrawler") else None
    if (
        platform is not None
        or fmt == "mediacrawler"
        or (fmt == "auto" and mediacrawler_aux(headers))
    ):
        return read_mediacrawler(path, df, headers, platform)
    return read_table_rows(path, df, headers, opts)
