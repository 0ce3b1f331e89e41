"""Numeric outliers, flagged and never changed.

A value is flagged when it is far from the column's bulk by both robust measures: its robust
z-score (median and MAD x 1.4826) exceeds 5 and it lies beyond the 3 x IQR fences, and when it is
rare (a value shared by more than 0.2% of the rows, like quantity 10, is not an outlier). Columns of
positive values spread over orders of magnitude (prices, amounts) are judged on a log10 scale.
Code-like integer columns (zip codes, phone numbers: one width for nearly every value) are
labels, not quantities, and are skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from onelegion.skills.clean.step import Issue

if TYPE_CHECKING:
    import polars as pl

QUANTITY_TYPES = frozenset({"integer", "decimal", "money", "percent"})
Z_LIMIT = 5.0
IQR_FENCE = 3.0
MIN_VALUES = 20
MAX_ISSUES_PER_COLUMN = 1_000
RARE_SHARE = 0.002


def _is_code_like(s: pl.Series) -> bool:
    text = s.drop_nulls()
    if text.len() == 0:
        return False
    widths = text.str.len_chars().value_counts(sort=True)
    return int(widths[0, 1]) >= 0.9 * text.len() and int(widths[0, 0]) >= 4 and text.n_unique() > 10


def find_outliers(df: pl.DataFrame, types: dict[str, str]) -> list[Issue]:
    """Robust z-score and IQR outliers of every quantity column, as issues (kind 'outlier')."""
    import numpy as np
    import polars as pl

    issues: list[Issue] = []
    for col in df.columns:
        t = types.get(col)
        if t not in QUANTITY_TYPES or (t == "integer" and _is_code_like(df[col])):
            continue
        x = (
            df[col]
            .str.replace_all(r"[,%]", "")
            .cast(pl.Float64, strict=False)
            .fill_null(float("nan"))
            .to_numpy()
        )
        finite = np.isfinite(x)
        if finite.sum() < MIN_VALUES:
            continue
        v = x[finite]
        scale_name = "value"
        p5, p95 = np.percentile(v, [5, 95])
        if v.min() > 0 and p5 > 0 and p95 / p5 > 20:
            x = np.where(finite & (x > 0), np.log10(np.where(x > 0, x, 1.0)), np.nan)
            v = x[np.isfinite(x)]
            scale_name = "log10"
        med = float(np.median(v))
        mad = float(np.median(np.abs(v - med))) * 1.4826
        q1, q3 = np.percentile(v, [25, 75])
        iqr = float(q3 - q1)
        if mad == 0 or iqr == 0:
            continue
        lo, hi = q1 - IQR_FENCE * iqr, q3 + IQR_FENCE * iqr
        with np.errstate(invalid="ignore"):
            z = (x - med) / mad
            flag = np.isfinite(x) & (np.abs(z) > Z_LIMIT) & ((x < lo) | (x > hi))
        if flag.any():
            # a value that many rows share is part of the distribution, however far it lies
            _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
            common = counts[inverse.ravel()] > max(3, RARE_SHARE * finite.sum())
            flag &= ~common
        rows = np.flatnonzero(flag)[:MAX_ISSUES_PER_COLUMN]
        if rows.size == 0:
            continue
        values = df[col].gather(rows.tolist()).to_list()
        for r, value in zip(rows.tolist(), values, strict=True):
            issues.append(
                Issue(
                    row=r,
                    column=col,
                    value=value,
                    kind="outlier",
                    detail=f"robust z {z[r]:+.1f} on {scale_name} scale (median {_fmt(med, scale_name)}, "
                    f"3xIQR fences {_fmt(lo, scale_name)}..{_fmt(hi, scale_name)})",
                )
            )
    return issues


def _fmt(v: float, scale: str) -> str:
    return f"{10**v:.4g}" if scale == "log10" else f"{v:.4g}"


__all__ = ["find_outliers"]
