"""MediaCrawler output: its csv / json / jsonl content files (any platform, read by its own field
names), its creator files (follower counts) and its SQLite database.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import polars as pl

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts import columns
from onelegion.skills.accounts.import_rows import (
    FileResult,
    Row,
    cell_text,
    file_time,
    record_from_row,
    row_list,
    time_or,
)
from onelegion.skills.accounts.layouts import (
    CONTENT_TABLES,
    CREATOR_TABLES,
    FOLDER_PLATFORM,
    MEDIACRAWLER,
    SIGNATURES,
)
from onelegion.skills.accounts.store import AccountInfo
from onelegion.skills.accounts.values import (
    CHINA,
    CountError,
    parse_count,
)


def mediacrawler_platform(headers: list[str], path: Path) -> str | None:
    keys = set(headers)
    for plat, sig in SIGNATURES:
        if sig <= keys:
            return plat
    return None


def mediacrawler_aux(headers: list[str]) -> bool:
    """MediaCrawler comments or creators files (they have no post counts)."""
    keys = set(headers)
    return "last_modify_ts" in keys and (
        "comment_id" in keys or ("user_id" in keys and bool({"fans", "total_fans"} & keys))
    )


def platform_from_path(path: Path) -> str | None:
    for part in reversed(path.parts[:-1]):
        plat = FOLDER_PLATFORM.get(part.lower())
        if plat:
            return plat
    stem = path.stem.lower()
    for name, plat in FOLDER_PLATFORM.items():
        if stem.startswith(name + "_"):
            return plat
    return None


def read_mediacrawler(
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
            plat = "bili" if "total_fans" in keys else platform_from_path(path)
            if plat is None:
                res.notes.append(
                    tr(
                        f"{path.name}: creators file of an unknown platform, skipped",
                        f"{path.name}：平台不明的创作者文件，已跳过",
                    )
                )
                return res
            res.platform = plat
            res.creators = creators_from_rows(df.to_dicts(), plat, file_time(path))
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
    fallback_at = file_time(path)
    recs = columns.records(df, fm, platform, res.skipped, fallback_at, CHINA)
    if recs is not None:
        res.records = recs
        return res
    for row in df.to_dicts():
        rec = record_from_row(row, fm, platform, res, fallback_at, CHINA)
        if rec is not None:
            row_list(res).append(rec)
    return res


def creators_from_rows(rows: list[Row], platform: str, at: datetime) -> list[AccountInfo]:
    out = []
    for row in rows:
        uid = cell_text(row.get("user_id"))
        if not uid:
            continue
        raw = row.get("total_fans", row.get("fans"))
        try:
            fans = parse_count(raw)
        except CountError:
            fans = None
        when = time_or(row.get("last_modify_ts"), at, CHINA)
        out.append(AccountInfo(platform, uid, cell_text(row.get("nickname")) or uid, fans, when))
    return out


def read_sqlite(path: Path) -> FileResult:
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
        fallback_at = file_time(path)
        for table, plat in CONTENT_TABLES.items():
            if table not in tables:
                continue
            found = True
            rows = [dict(r) for r in con.execute(f'SELECT * FROM "{table}"')]
            res.rows += len(rows)
            res.platform = plat if res.platform in (None, plat) else "mixed"
            for row in rows:
                rec = record_from_row(row, MEDIACRAWLER[plat], plat, res, fallback_at, CHINA)
                if rec is not None:
                    row_list(res).append(rec)
        for table, plat in CREATOR_TABLES.items():
            if table in tables:
                found = True
                res.creators += creators_from_rows(
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
