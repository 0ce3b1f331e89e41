"""Decimal-point slips that the row's neighbours reveal: 2153 in a column of readings near 21.53,
3904 (millivolts) among volts near 3.9, 592.0 among humidities near 59.2.

A value is repaired only when all of this holds:

- it lies far outside the column's bulk (robust z above 5 and beyond the 3 x IQR fences, as
  :mod:`onelegion.skills.clean.outliers` flags it) and is not next to its own neighbours (a
  drifting sensor leaves the column's bulk without slipping);
- the column is a series: in row order, within the groups of a label column when that makes the
  steps smaller (sensors reporting in turn), consecutive values move by a small fraction of the
  spread (median step at most ``MAX_STEP_SHARE`` of the column's IQR and of its groups' own
  IQRs); rows in random order (amounts of one product) give no such evidence and nothing is
  repaired; nor when a tenth of the column or more lies outside its fences;
- exactly one power of ten (10**-3 .. 10**3) brings it next to its neighbours (the median of the
  nearest two values before and after it in its group lies within ``NEAR_STEPS`` typical steps),
  and that power keeps every digit (2153 -> 21.53 with the column's two decimals: only the point
  moves).

Anything else stays as it is (an outlier is flagged, not changed). The step stores its
parameters (group column, fences, typical step), not rows, so it replays on another table.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Literal

from onelegion.skills.clean import formats
from onelegion.skills.clean.step import StepBase, change_schema, diff_column

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

SLIP_TYPES = frozenset({"decimal", "integer", "money"})
Z_LIMIT = 5.0
IQR_FENCE = 3.0
MIN_VALUES = 50
MAX_STEP_SHARE = 0.25
NEAR_STEPS = 6.0
MAX_GROUP_SHARE = 0.05
MAX_FAR_SHARE = 0.1
BAND = 2.0
POWERS = (-3, -2, -1, 1, 2, 3)


class SlipRepair(StepBase):
    """Move the decimal point of values far outside ``column``'s range back to where their
    neighbours in the series (same ``group`` value, row order) say it belongs."""

    kind: Literal["slip_repair"] = "slip_repair"
    group: str | None = None
    lo: float
    hi: float
    step: float
    decimals: int | None = None
    thousands: bool = False

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        col = self.column
        if col is None or col not in df.columns or (self.group and self.group not in df.columns):
            return df, pl.DataFrame(schema=change_schema())
        x = _numbers(df[col])
        groups = df[self.group] if self.group else None
        fixes = _repairs(x, groups, self.lo, self.hi, self.step)
        if not fixes:
            return df, pl.DataFrame(schema=change_schema())
        texts = df[col].to_list()
        rows, new = [], []
        for row, power in fixes.items():
            text = _shifted(texts[row], power, self.decimals, self.thousands)
            if text is not None:
                rows.append(row)
                new.append(text)
        if not rows:
            return df, pl.DataFrame(schema=change_schema())
        out_col = df[col].scatter(rows, pl.Series(new, dtype=pl.Utf8))
        out = df.with_columns(out_col.alias(col))
        return out, diff_column(df, out, col, self.kind, self.confidence)


def _numbers(col: pl.Series) -> np.ndarray:
    import polars as pl

    return (
        col.str.replace_all(",", "")
        .str.strip_chars()
        .cast(pl.Float64, strict=False)
        .fill_null(float("nan"))
        .to_numpy()
    )


def _shifted(text: str | None, power: int, decimals: int | None, thousands: bool) -> str | None:
    """``text`` times 10**-power written with ``decimals`` places (None: minimal), only if no
    digit is lost."""
    if text is None:
        return None
    try:
        d = Decimal(text.replace(",", "").strip()).scaleb(-power)
    except (InvalidOperation, ValueError):
        return None
    if decimals is None:
        out = f"{d.normalize():f}"
        if "." in out:
            out = out.rstrip("0").rstrip(".")
    else:
        q = d.quantize(Decimal(1).scaleb(-decimals)) if decimals else d.to_integral_value()
        if q != d:
            return None  # a digit would be lost or invented: not a slip of the point
        out = f"{q:f}"
    return formats.group_thousands(out) if thousands else out


def _neighbour_median(x: np.ndarray, groups: pl.Series | None, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, the median of the nearest two finite values before and after it in
    its group (row order), the row itself excluded (NaN when fewer than two)."""
    import numpy as np

    n = x.size
    keys = _group_keys(groups, n)
    order = np.lexsort((np.arange(n), keys))
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    xs, ks = x[order], keys[order]
    finite = np.flatnonzero(np.isfinite(xs))
    out = np.full(rows.size, np.nan)
    for i, row in enumerate(rows.tolist()):
        j = int(pos[row])
        k = int(np.searchsorted(finite, j))
        after = k + 1 if k < finite.size and finite[k] == j else k
        cand = np.concatenate([finite[max(0, k - 2) : k], finite[after : after + 2]])
        cand = cand[ks[cand] == ks[j]]  # same group only
        if cand.size >= 2:
            out[i] = float(np.median(xs[cand]))
    return out


def _group_keys(groups: pl.Series | None, n: int) -> np.ndarray:
    import numpy as np

    if groups is None:
        return np.zeros(n, dtype=np.int64)
    return np.asarray(groups.fill_null("\x00").rank("dense").cast(int).to_numpy())


def _typical_steps(x: np.ndarray, df: pl.DataFrame, labels: list[str]) -> dict[str | None, float]:
    """Per grouping (None: the whole column; else a label column): the median absolute change
    between consecutive finite values of one group, in row order — in one query."""
    import polars as pl

    frame = pl.DataFrame({"_x": x}).hstack(df.select(labels)).lazy()
    frame = frame.filter(pl.col("_x").is_not_nan())
    diff = pl.col("_x").diff().abs()
    row = frame.select(
        diff.median().alias("_none"),
        *(diff.over(g).median().alias(f"_g{i}") for i, g in enumerate(labels)),
    ).collect()
    out: dict[str | None, float] = {}
    for name, key in [("_none", None), *((f"_g{i}", g) for i, g in enumerate(labels))]:
        v = row[name][0] if row.height else None
        out[key] = float("inf") if v is None else float(v)
    return out


def _group_spread(x: np.ndarray, groups: pl.Series | None) -> float:
    """The median of the groups' own interquartile ranges: in a series the typical step is a
    small share of it; in rows of random order the two are about the same."""
    import polars as pl

    g = groups if groups is not None else pl.repeat(0, x.size, eager=True)
    spread = (
        pl.DataFrame({"x": x, "g": g})
        .lazy()
        .filter(pl.col("x").is_not_nan())
        .group_by("g")
        .agg(iqr=pl.col("x").quantile(0.75) - pl.col("x").quantile(0.25))
        .select(pl.col("iqr").median())
        .collect()
        .item()
    )
    return 0.0 if spread is None else float(spread)


def _repairs(
    x: np.ndarray, groups: pl.Series | None, lo: float, hi: float, step: float
) -> dict[int, int]:
    """Row -> power of ten by which the row's value is too large (negative: too small)."""
    import numpy as np

    far = np.isfinite(x) & ((x < lo) | (x > hi)) & (x != 0)
    if not far.any():
        return {}
    # candidate slips are no one's neighbours; values of a drifting series beyond the fences are
    # (a value ten times off is at least 9 x |median| away: outside a band of twice the fences)
    width = BAND * (hi - lo)
    masked = np.where(far & ((x < lo - width) | (x > hi + width)), np.nan, x)
    rows = np.flatnonzero(far)
    near = _neighbour_median(masked, groups, rows)
    out: dict[int, int] = {}
    for row, m in zip(rows.tolist(), near.tolist(), strict=True):
        if not np.isfinite(m) or abs(x[row] - m) <= NEAR_STEPS * step:
            continue  # next to its own neighbours: a series that moved, not a slip
        fits = [p for p in POWERS if abs(x[row] / 10.0**p - m) <= NEAR_STEPS * step]
        if len(fits) == 1:
            out[row] = fits[0]
    return out


def propose_slip_repairs(df: pl.DataFrame, types: dict[str, str]) -> list[SlipRepair]:
    """One step per numeric column of a series with decimal-point slips its neighbours show."""
    import numpy as np

    labels = [
        c
        for c in df.columns
        if types.get(c) in ("category", "identifier", "text")
        and 2 <= df[c].n_unique() <= max(2, MAX_GROUP_SHARE * df.height)
    ]
    steps: list[SlipRepair] = []
    for col in df.columns:
        if types.get(col) not in SLIP_TYPES:
            continue
        x = _numbers(df[col])
        v = x[np.isfinite(x)]
        if v.size < MIN_VALUES:
            continue
        med = float(np.median(v))
        mad = float(np.median(np.abs(v - med))) * 1.4826
        q1, q3 = (float(q) for q in np.percentile(v, [25, 75]))
        iqr = q3 - q1
        if mad == 0 or iqr == 0:
            continue
        lo = max(q1 - IQR_FENCE * iqr, med - Z_LIMIT * mad)
        hi = min(q3 + IQR_FENCE * iqr, med + Z_LIMIT * mad)
        n_far = int((np.isfinite(x) & ((x < lo) | (x > hi)) & (x != 0)).sum())
        if n_far == 0:
            continue
        # the series' own steps, measured on values within a wide band (slips are ten times
        # off or more, so they never fall in it; drifting series that leave the bulk do)
        band = np.where((x >= med - BAND * (hi - lo)) & (x <= med + BAND * (hi - lo)), x, np.nan)
        steps_by = _typical_steps(band, df, labels)
        group = min(steps_by, key=lambda k: (steps_by[k], k is not None, str(k)))
        step = steps_by[group]
        if not np.isfinite(step) or step > MAX_STEP_SHARE * iqr:
            continue
        if step == 0 or step > MAX_STEP_SHARE * _group_spread(band, df[group] if group else None):
            # (a value constant within its groups is a dependency, repaired as one)
            continue  # not a series (amounts in random order): the neighbours say nothing
        if n_far > MAX_FAR_SHARE * v.size:
            continue
        step = max(step, 1e-12)
        fixes = _repairs(x, df[group] if group else None, lo, hi, step)
        if not fixes:
            continue
        counts = df[col].drop_nulls().value_counts()
        counts = counts.filter(counts[col].str.contains(r"^-?[\d,]+(?:\.\d+)?$"))
        decimals, thousands = formats.number_style(
            counts[col].to_list(), [float(c) for c in counts["count"].to_list()]
        )
        steps.append(
            SlipRepair(
                column=col,
                group=group,
                lo=lo,
                hi=hi,
                step=step,
                decimals=decimals,
                thousands=thousands,
                confidence=0.9,
                description=(
                    f"{col}: values far outside its range whose decimal point slipped, moved "
                    f"back to where their neighbours"
                    + (f" of the same {group}" if group else "")
                    + " say it belongs (only the point moves, every digit is kept)"
                ),
                evidence={
                    "cells": len(fixes),
                    "typical_step": round(step, 6),
                    "range": [round(lo, 6), round(hi, 6)],
                    "group": group,
                },
            )
        )
    return steps


__all__ = ["SlipRepair", "propose_slip_repairs"]
