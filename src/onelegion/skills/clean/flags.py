"""Flags: values that still do not fit their column after cleaning (kept, listed in issues.csv)."""

from __future__ import annotations

import polars as pl

from onelegion.skills.clean import parse
from onelegion.skills.clean.step import Issue
from onelegion.skills.clean.types import MISSING, NUMERIC, ColumnType


def _rare_length(v: pl.Series, col: pl.Series) -> pl.Series:
    """Phones whose digit count almost no other phone in the column has (a digit lost or added)."""
    lengths = col.drop_nulls().str.replace_all(r"[^\d]", "").str.len_chars().rename("len")
    share = lengths.value_counts(name="n").with_columns(pl.col("n") / max(1, lengths.len()))
    common = share.filter(pl.col("n") >= 0.05).get_column(lengths.name)
    return ~v.str.replace_all(r"[^\d]", "").str.len_chars().is_in(common)


def unconverted_units(df: pl.DataFrame, columns: list[str]) -> list[Issue]:
    """Numbers left with a unit in a plain-number column (another currency, a unit that does
    not fit the column's range): flagged for a person to decide."""
    issues: list[Issue] = []
    for c in columns:
        col = df.get_column(c)
        vals = col.drop_nulls().unique()
        p = parse.parse_numbers(vals.str.normalize("NFKC").str.strip_chars())
        left = vals.filter(p["ok"] & p["unit"].is_not_null())
        if left.len() == 0:
            continue
        rows = pl.int_range(0, df.height, eager=True).filter(col.is_in(left))
        for i in rows.head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind="unit_not_converted",
                    detail="a unit or currency the rest of the column does not use; left as it is",
                )
            )
    return issues


def replacement_characters(df: pl.DataFrame) -> list[Issue]:
    """Cells holding U+FFFD (a character lost when the file was decoded): flagged, never
    guessed."""
    issues: list[Issue] = []
    for c in df.columns:
        col = df.get_column(c)
        hit = col.str.contains("\ufffd", literal=True).fill_null(False)
        for i in hit.arg_true().head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind="replacement_character",
                    detail="a character was lost when the file was decoded (U+FFFD); left as it is",
                )
            )
    return issues


def negative_values(df: pl.DataFrame, info: dict[str, ColumnType]) -> list[Issue]:
    """A negative number in a column that is otherwise (at least 98%, ten values or more)
    positive: a sign typed by mistake or a refund; flagged, never changed."""
    issues: list[Issue] = []
    for c, t in info.items():
        if t.type not in NUMERIC:
            continue
        col = df.get_column(c)
        vc = col.drop_nulls().rename("v").value_counts(name="n")
        vals = vc.get_column("v")
        if not vals.str.contains("-").any():
            continue
        nums = parse.parse_numbers(vals.str.normalize("NFKC").str.strip_chars())
        x = nums["num"].cast(pl.Float64, strict=False)
        ok = nums["ok"] & x.is_not_null()
        w = vc.get_column("n")
        n = int(w.filter(ok).sum())
        neg = ok & (x < 0)
        k = int(w.filter(neg).sum())
        if n < 10 or k == 0 or k > max(1.0, 0.02 * n):
            continue
        rows = pl.int_range(0, df.height, eager=True).filter(col.is_in(vals.filter(neg).implode()))
        for i in rows.head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind="negative_value",
                    detail=f"negative in a column whose other {n - k} values are positive",
                )
            )
    return issues


def invalid_values(df: pl.DataFrame, info: dict[str, ColumnType]) -> list[Issue]:
    """Values that still do not fit their column's type after normalisation (flagged, kept)."""
    issues: list[Issue] = []
    for c, t in info.items():
        if t.type not in NUMERIC | {
            "date",
            "datetime",
            "time",
            "email",
            "phone",
            "cn_id",
            "boolean",
        }:
            continue
        col = df.get_column(c)
        vals = col.drop_nulls().unique()
        vals = vals.filter(
            ~vals.str.to_lowercase().str.strip_chars().is_in(MISSING)
        )  # a kept placeholder
        if vals.len() == 0:
            continue
        v = vals.str.normalize("NFKC").str.strip_chars()
        if t.type in NUMERIC:
            bad = ~parse.parse_numbers(v)["ok"]
        elif t.type in ("date", "datetime"):
            bad = ~parse.parse_dates(v, t.detail.get("order", "auto"))["ok"] & ~v.str.contains(
                r"^\d{5}$"
            )
        elif t.type == "time":
            bad = ~parse.parse_times(v)["ok"]
        elif t.type == "email":
            bad = ~v.str.contains(parse.EMAIL_RE)
        elif t.type == "phone":
            bad = ~v.str.contains(parse.PHONE_RE) | _rare_length(v, col)
        elif t.type == "boolean":
            bad = v.to_frame("v").select(parse.bool_value(pl.col("v"))).to_series().is_null()
        else:
            bad = pl.Series([not parse.cn_id_valid(x) for x in v.to_list()])
        bad_vals = vals.filter(bad)
        if bad_vals.len() == 0:
            continue
        rows = pl.int_range(0, df.height, eager=True).filter(col.is_in(bad_vals))
        kind = "invalid_" + t.type
        for i in rows.head(1000).to_list():
            issues.append(
                Issue(
                    row=i,
                    column=c,
                    value=col[i],
                    kind=kind,
                    detail=f"not a valid {t.type}; left as it is",
                )
            )
    return issues


TOTAL_WORDS = [
    "合计",
    "总计",
    "小计",
    "总和",
    "汇总",
    "total",
    "totals",
    "grand total",
    "subtotal",
    "sum",
]


def summary_rows(df: pl.DataFrame, last: int = 3) -> list[Issue]:
    """Rows at the bottom that are totals ('合计', 'Total'), not records: flagged, kept."""
    issues: list[Issue] = []
    start = max(0, df.height - last)
    for i in range(start, df.height):
        for c, v in zip(df.columns, df.row(i), strict=True):
            if v is not None and v.strip().lower().rstrip(":：") in TOTAL_WORDS:
                issues.append(
                    Issue(
                        row=i,
                        column=c,
                        value=v,
                        kind="summary_row",
                        detail="looks like a totals row, not a record; remove it before analysing",
                    )
                )
                break
    return issues
