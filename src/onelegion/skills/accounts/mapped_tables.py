"""Any other table, and the creator-centre exports: columns found by synonym or named with
``--map``.
"""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import polars as pl

from onelegion.core.errors import UserError
from onelegion.core.lang import tr
from onelegion.skills.accounts import columns
from onelegion.skills.accounts.import_rows import (
    FileResult,
    ImportOptions,
    cell_text,
    file_time,
    record_from_row,
    row_list,
)
from onelegion.skills.accounts.layouts import (
    METRIC_FIELDS,
    auto_map,
    norm_header,
)
from onelegion.skills.accounts.values import (
    CHINA,
)

STUDIO_PLATFORM = {
    "youtube-studio": "youtube",
    "bilibili-studio": "bili",
    "douyin-studio": "dy",
    "xhs-studio": "xhs",
}


def read_table_rows(
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
    fallback_at = file_time(path)
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
        pid = cell_text(row.get(fm2.get("post_id", ""))) if "post_id" in fm2 else None
        if pid is not None and pid.lower() in ("total", "合计", "总计"):
            res.skipped["total row"] += 1
            continue
        rec = record_from_row(row, fm2, platform, res, fallback_at, zone)
        if rec is not None:
            row_list(res).append(rec)
    return res
