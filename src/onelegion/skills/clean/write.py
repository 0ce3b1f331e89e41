"""Write tables atomically in the format the output path's extension asks for.

CSV written from a UTF-8 file without a BOM stays UTF-8 without a BOM; from any other encoding
(GBK/GB18030, Big5, UTF-16, or UTF-8 with a BOM) it becomes UTF-8 *with* a BOM, which Excel and
WPS open correctly with Chinese text (documented in docs/clean.md). Excel output is .xlsx.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl

from onelegion.core.errors import UserError
from onelegion.core.files import atomic_path
from onelegion.tables.read import (
    EXCEL_EXTS,
    JSON_EXTS,
    JSONL_EXTS,
    PARQUET_EXTS,
    TEXT_EXTS,
    TableRead,
)

EXCEL_MAX_ROWS = 1_048_576  # including the header row
EXCEL_MAX_COLUMNS = 16_384


def output_format(path: Path) -> str:
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return "csv"
    if ext in EXCEL_EXTS:
        return "excel"
    if ext in JSON_EXTS:
        return "json"
    if ext in JSONL_EXTS:
        return "jsonl"
    if ext in PARQUET_EXTS:
        return "parquet"
    raise UserError(
        f"cannot write a {ext or 'extension-less'} file",
        hint="use an output name ending in .csv, .tsv, .xlsx, .json, .jsonl or .parquet",
    )


def default_output(src: Path, suffix: str = ".clean", sheet: str | None = None) -> Path:
    """``data.csv`` -> ``data.clean.csv``; Excel inputs become ``.xlsx``; one chosen sheet of a
    workbook -> ``data.<sheet>.clean.xlsx`` (cleaning another sheet never replaces it)."""
    ext = src.suffix.lower()
    if ext in EXCEL_EXTS:
        ext = ".xlsx"
    part = ""
    if sheet is not None and ext == ".xlsx":
        part = "." + "".join(c if c.isalnum() or c in "-_" else "_" for c in sheet)
    return src.with_name(f"{src.stem}{part}{suffix}{ext or '.csv'}")


def check_not_input(output: Path, *inputs: Path) -> None:
    for i in inputs:
        if output.resolve() == Path(i).resolve():
            raise UserError(
                f"the output {output.name} is the input file; inputs are never overwritten",
                hint="choose another --output name",
            )


def write_table(
    df: pl.DataFrame,
    path: Path,
    source: TableRead | None = None,
    types: dict[str, str] | None = None,
    more_sheets: list[tuple[str, pl.DataFrame, dict[str, str]]] | None = None,
) -> Path:
    """Write ``df`` (text columns) to ``path`` atomically. Parquet gets real column types where
    ``types`` says so and every value converts (integers, decimals, dates, datetimes)."""
    fmt = output_format(path)
    if fmt == "excel" and (df.height >= EXCEL_MAX_ROWS or df.width > EXCEL_MAX_COLUMNS):
        raise UserError(
            f"{df.height:,} rows × {df.width} columns do not fit in an Excel sheet "
            f"({EXCEL_MAX_ROWS:,} rows × {EXCEL_MAX_COLUMNS:,} columns at most)",
            hint="choose an --output ending in .csv or .parquet",
        )
    if fmt == "excel" and df.height:
        longest = df.select(pl.max_horizontal(pl.all().str.len_chars().max())).item() or 0
        if longest > 32767:
            raise UserError(
                f"a cell holds {longest:,} characters; an Excel cell holds at most 32,767",
                hint="choose an --output ending in .csv or .parquet (nothing would be cut)",
            )
    with atomic_path(path) as tmp:
        if fmt == "csv":
            delim = (
                "\t"
                if path.suffix.lower() in {".tsv", ".tab"}
                # a .csv output keeps the input's ',' or ';' but never a TSV's tab
                else (
                    source.delimiter
                    if source
                    and source.format == "csv"
                    and source.delimiter
                    and source.delimiter != "\t"
                    else ","
                )
            )
            bom = bool(
                source
                and source.format == "csv"
                and (source.bom or (source.encoding or "utf-8") not in ("utf-8", "ascii"))
            )
            df.write_csv(tmp, separator=delim, include_bom=bom, line_terminator="\n")
        elif fmt == "excel":
            first = (source.sheet if source is not None and source.sheet else None) or "clean"
            sheets = [(first, typed_frame(df, types or {}))] + [
                (name, typed_frame(d, t)) for name, d, t in more_sheets or []
            ]
            _write_xlsx(sheets, tmp)
        elif fmt == "json":
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(df.to_dicts(), f, ensure_ascii=False, indent=1)
                f.write("\n")
        elif fmt == "jsonl":
            with open(tmp, "w", encoding="utf-8") as f:
                for row in df.iter_rows(named=True):
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            typed_frame(df, types or {}).write_parquet(tmp)
    follow_umask(path)
    return path


def follow_umask(path: Path) -> None:
    """Give a written file the mode the user's umask asks for (0644 under umask 022), as any
    program creating a file would; the atomic temporary file starts as 0600."""
    import os

    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except OSError:  # a file system without modes
        pass


def typed_frame(df: pl.DataFrame, types: dict[str, str]) -> pl.DataFrame:
    """Cast text columns to their semantic type when no value is lost; others stay text."""
    out = []
    for c in df.columns:
        col, t = df.get_column(c), types.get(c)
        new: pl.Series | None = None
        if t == "integer":
            new = col.cast(pl.Int64, strict=False)
        elif t in ("decimal", "money"):
            new = col.cast(pl.Float64, strict=False)
        elif t == "date":
            new = col.str.to_date("%Y-%m-%d", strict=False)
            if new.null_count() != col.null_count():  # the column's own format (m/d/yy, 年月日)
                new = _parsed_dates(col).str.to_date("%Y-%m-%d", strict=False)
        elif t == "datetime":
            new = col.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
            if new.null_count() != col.null_count():
                new = _parsed_dates(col).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
        out.append(new if new is not None and new.null_count() == col.null_count() else col)
    return pl.DataFrame(out)


def _parsed_dates(col: pl.Series) -> pl.Series:
    """Dates written in any form the parser reads, as ISO text ('YYYY-MM-DD[ HH:MM:SS]')."""
    from onelegion.skills.clean import parse

    d = parse.parse_dates(col)
    return (
        pl.select(
            pl.when(d["ok"] & d["time"].is_not_null())
            .then(d["date"] + " " + d["time"])
            .when(d["ok"])
            .then(d["date"])
        )
        .to_series()
        .rename(col.name)
    )


def _write_xlsx(sheets: list[tuple[str, pl.DataFrame]], path: Path) -> None:
    """Numbers and dates as real Excel numbers and dates (no 'number stored as text'), one
    sheet per table with the input's sheet names, in the input's order."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, df in sheets:
        ws = wb.create_sheet(name[:31])
        ws.append(list(df.columns))
        for row in df.iter_rows():
            ws.append([_safe_cell(v) for v in row])
    wb.save(path)


def _safe_cell(v: Any) -> Any:
    if not isinstance(v, str):
        return v
    # Excel cells hold at most 32,767 characters and no control characters
    return "".join(ch for ch in v if ch in "\t\n\r" or ord(ch) >= 32)


def write_frame_csv(df: pl.DataFrame, path: Path) -> Path:
    """A side file (changes.csv, issues.csv ...): UTF-8 with BOM so Excel shows Chinese."""
    with atomic_path(path) as tmp:
        df.write_csv(tmp, include_bom=True, line_terminator="\n")
    follow_umask(path)
    return path
