"""Workbooks: every sheet cleaned on its own, and each row numbered as the input numbers it.

A workbook read without ``--sheet`` has all its sheets cleaned (in their order, under their own
names) when the output is a workbook too; changes.csv and issues.csv then say which sheet each
cell is on. Every change and issue carries the input's own line (CSV) or sheet row (Excel).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.clean.pipeline import CleanOptions, CleanResult, clean_frame
from onelegion.tables.read import TableRead, read_table

if TYPE_CHECKING:
    from onelegion.skills.clean.step import Issue


def number_lines(tr: TableRead, changes: pl.DataFrame, issues: list[Issue]) -> pl.DataFrame:
    """Give every change and issue the input's own line (CSV) or sheet row (Excel); for JSON and
    Parquet, the record number (1-based). Returns the change frame with a ``line`` column."""
    lines = tr.lines
    if lines is None or lines.len() != tr.df.height:
        lines = pl.int_range(1, tr.df.height + 1, dtype=pl.Int64, eager=True)
    n = lines.len()
    for i in issues:
        if i.row is not None and i.line is None and 0 <= i.row < n:
            i.line = int(lines[i.row])
    rest = [c for c in changes.columns if c not in ("row", "line")]
    if changes.height == 0:
        return changes.with_columns(pl.lit(None, dtype=pl.Int64).alias("line")).select(
            "row", "line", *rest
        )
    line = lines.gather(changes["row"].clip(0, max(0, n - 1)))
    return changes.with_columns(line.alias("line")).select("row", "line", *rest)


def clean_other_sheets(
    src: Path, tr: TableRead, opts: CleanOptions, encoding: str | None
) -> tuple[list[tuple[str, TableRead, CleanResult]], list[str]]:
    """The workbook's other sheets, each read and cleaned on its own, in the workbook's order."""
    done: list[tuple[str, TableRead, CleanResult]] = []
    notes: list[str] = []
    for name in tr.sheets:
        if name == tr.sheet:
            continue
        try:
            other = read_table(src, sheet=name, encoding=encoding)
        except UserError as e:
            notes.append(f"sheet {name!r} left out: {e}")
            continue
        res = clean_frame(
            other.df,
            replace(opts, progress=None, propose_extra=None, source={**opts.source, "sheet": name}),
        )
        done.append((name, other, res))
    return done, notes


def merge_sheets(
    first: str,
    changes: pl.DataFrame,
    issues: list[Issue],
    others: list[tuple[str, TableRead, CleanResult]],
) -> tuple[pl.DataFrame, list[Issue]]:
    """One changes frame (with a ``sheet`` column) and one issue list for all sheets."""
    frames = [changes.with_columns(pl.lit(first).alias("sheet"))]
    merged = list(issues)
    for name, other, res in others:
        sheet_issues = other.issues + res.issues
        ch = number_lines(other, res.change_frame, sheet_issues)
        frames.append(ch.with_columns(pl.lit(name).alias("sheet")))
        for i in sheet_issues:
            i.detail = f"sheet {name}: {i.detail}"
        merged.extend(sheet_issues)
    out = pl.concat(frames, how="vertical_relaxed")
    return out.select("sheet", *[c for c in out.columns if c != "sheet"]), merged


__all__ = ["clean_other_sheets", "merge_sheets", "number_lines"]
