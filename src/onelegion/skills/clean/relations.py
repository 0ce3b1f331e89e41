"""Arithmetic relations discovered from the data (amount = units x unit price) and the repair of
entry slips (x10, x100, /100...) in the one column that breaks the relation.

A relation ``result = a x b`` is accepted when at least 80% of the rows where all three are
numbers satisfy it (within rounding). A row that misses it by an exact power of ten was typed
with a shifted decimal point; the culprit is the column whose value becomes most typical
(robust z-score of log10 values, per column) once shifted back, the result column winning near
ties. The fix shifts the decimal point of the typed text, so no rounding noise is added.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from onelegion.skills.clean.dependencies import MIN_AGREEMENT, determinant_candidates
from onelegion.skills.clean.formats import group_thousands
from onelegion.skills.clean.group_stats import CodedSample, key_expr, strong_groups
from onelegion.skills.clean.step import (
    StepBase,
    change_schema,
    diff_column,
)

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

NUMERIC_TYPES = frozenset({"integer", "decimal", "money"})
MIN_HOLDS = 0.8
MAX_SHIFT = 3
LOG_TOLERANCE = 0.004  # |log10(ratio) - k| below this: off by exactly 10**k (about 1%)
TIE_MARGIN = 2.0


class RelationRepair(StepBase):
    """Shift the decimal point of ``column`` where ``result = factors[0] x factors[1]`` is off by a
    power of ten and ``column`` is the value that went wrong."""

    kind: Literal["relation_repair"] = "relation_repair"
    result: str
    factors: list[str]
    log_center: dict[str, float]
    log_scale: dict[str, float]
    decimals: int | None = None
    thousands: bool = False
    anchors: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Column -> its determinant (product -> unit price): a value its group agrees on is not a slip.",
    )
    fixes: dict[int, str] = Field(default_factory=dict)

    @property
    def formula(self) -> str:
        return f"{self.result} = {self.factors[0]} x {self.factors[1]}"

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        cols = [self.result, *self.factors]
        none = pl.DataFrame(schema=change_schema())
        if self.column is None or not all(c in df.columns for c in cols):
            return df, none
        found = _slips(df, self.result, self.factors, self.log_center, self.log_scale, self.anchors)
        rows = [(r, k) for r, k, culprit in found if culprit == self.column]
        if not rows:
            return df, none
        sign = -1 if self.column == self.result else 1
        values = df[self.column].gather([r for r, _ in rows]).to_list()
        new_vals: dict[int, str] = {}
        for (r, k), before in zip(rows, values, strict=True):
            after = shift_decimal(before, sign * k, self.decimals, self.thousands)
            if after is not None and after != before:
                new_vals[r] = after
        if not new_vals:
            return df, none
        idx = pl.Series(list(new_vals), dtype=pl.Int64)
        vals = pl.Series(list(new_vals.values()), dtype=pl.Utf8)
        out = df.with_columns(
            pl.int_range(pl.len(), dtype=pl.Int64)
            .replace_strict(idx, vals, default=None, return_dtype=pl.Utf8)
            .fill_null(pl.col(self.column))
            .alias(self.column)
        )
        return out, diff_column(df, out, self.column, self.kind, self.confidence)


def shift_decimal(
    text: str | None, k: int, decimals: int | None, thousands: bool = False
) -> str | None:
    """Multiply a number written as text by 10**k, exactly ('12340', -2 -> '123.40'), in the
    column's own form (fixed decimals, thousands separators)."""
    if text is None:
        return None
    try:
        d = Decimal(text.replace(",", "").strip()).scaleb(k)
    except InvalidOperation:
        return None
    if decimals is not None:
        q = d.quantize(Decimal(1).scaleb(-decimals))
        if q == d:
            d = q
    s = format(d, "f")
    if decimals is None and "." in s:
        s = s.rstrip("0").rstrip(".")
    return group_thousands(s) if thousands else s


def _numbers(df: pl.DataFrame, col: str) -> np.ndarray:
    import polars as pl

    return (
        df[col]
        .str.replace_all(",", "")
        .cast(pl.Float64, strict=False)
        .fill_null(float("nan"))
        .to_numpy()
    )


def _log_stats(x: np.ndarray) -> tuple[float, float]:
    import numpy as np

    lg = np.log10(x[np.isfinite(x) & (x > 0)])
    if lg.size == 0:
        return 0.0, 1.0
    center = float(np.median(lg))
    scale = float(np.median(np.abs(lg - center))) * 1.4826
    return center, max(scale, 0.05)


def _holds(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    ok = np.isfinite(a) & np.isfinite(b) & np.isfinite(c)
    prod = a * b
    exact = ok & (np.abs(c - prod) <= 0.011 + 0.005 * np.abs(prod))
    return ok, exact


def _anchor_values(df: pl.DataFrame, col: str, det: list[str]) -> np.ndarray:
    """Per row, the number ``col``'s determinant group strongly agrees on (NaN if none)."""
    import numpy as np
    import polars as pl

    if not all(c in df.columns for c in det):
        return np.full(df.height, np.nan)
    gm = strong_groups(df, det, col)
    keys = gm["key"].cast(pl.Utf8)
    tops = gm["top"].cast(pl.Utf8)
    target = key_expr(det).replace_strict(keys, tops, default=None, return_dtype=pl.Utf8)
    values = df.select(target.str.replace_all(",", "").cast(pl.Float64, strict=False).alias("t"))
    return values["t"].fill_null(float("nan")).to_numpy()


def _slips(
    df: pl.DataFrame,
    result: str,
    factors: list[str],
    center: dict[str, float],
    scale: dict[str, float],
    anchors: dict[str, list[str]] | None = None,
    parsed: dict[str, np.ndarray] | None = None,
) -> list[tuple[int, int, str]]:
    """(row, k, culprit column) for rows off by exactly 10**k (k != 0).

    A value its determinant group agrees on (anchors: product -> unit price) is never the culprit,
    and a value that becomes the group's value once shifted always is. Otherwise the result
    column is preferred unless shifting a factor instead makes it clearly more typical."""
    import numpy as np

    got = parsed or {}
    c, a, b = (got[x] if x in got else _numbers(df, x) for x in (result, *factors))
    ok, exact = _holds(c, a, b)
    cand = ok & ~exact & (a > 0) & (b > 0) & (c > 0)
    idx = np.flatnonzero(cand)
    if idx.size == 0:
        return []
    ratio = np.log10(c[idx] / (a[idx] * b[idx]))
    k = np.rint(ratio)
    good = (k != 0) & (np.abs(k) <= MAX_SHIFT) & (np.abs(ratio - k) <= LOG_TOLERANCE)
    idx, k = idx[good], k[good]
    if idx.size == 0:
        return []
    group_value = {col: _anchor_values(df, col, det) for col, det in (anchors or {}).items()}
    out: list[tuple[int, int, str]] = []
    for row, kk in zip(idx.tolist(), k.astype(int).tolist(), strict=True):
        gains: dict[str, float] = {}
        snapped: str | None = None
        for col, val, shift in (
            (result, c[row], -kk),
            (factors[0], a[row], kk),
            (factors[1], b[row], kk),
        ):
            expected = group_value[col][row] if col in group_value else math.nan
            if not math.isnan(expected):
                if math.isclose(val, expected, rel_tol=1e-9):
                    continue  # the group vouches for this value
                if math.isclose(val * 10.0**shift, expected, rel_tol=1e-6):
                    snapped = col

            z_before = abs(math.log10(val) - center[col]) / scale[col]
            z_after = abs(math.log10(val) + shift - center[col]) / scale[col]
            gains[col] = z_before - z_after
        if snapped is not None:
            out.append((row, kk, snapped))
            continue
        if not gains:
            continue
        best = max(gains, key=lambda col: (gains[col], col == result))
        if result in gains and best != result and gains[best] - gains[result] < TIE_MARGIN:
            best = result
        if best == result or gains[best] > 0:
            out.append((row, kk, best))
    return out


def _decimals(df: pl.DataFrame, col: str) -> int | None:
    """The fixed number of decimals the column is written with, if it has one."""

    s = df[col].drop_nulls()
    if s.len() == 0:
        return None
    dec = s.str.extract(r"\.(\d+)$", 1).str.len_chars().fill_null(0)
    top = dec.value_counts(sort=True)
    mode, share = int(top[0, 0]), int(top[0, 1]) / s.len()
    return mode if mode > 0 and share >= 0.9 and s.str.contains(r"\.\d*0$").any() else None


def _uses_thousands(df: pl.DataFrame, col: str) -> bool:
    """Most values of 1000 or more are written with separators (1,234.50)."""
    s = df[col].drop_nulls()
    big = s.filter(s.str.replace_all(",", "").str.contains(r"^-?\d{4,}"))
    return big.len() > 0 and float(big.str.contains(",").mean() or 0) >= 0.5  # type: ignore[arg-type]


def _find_anchors(df: pl.DataFrame, types: dict[str, str], cols: list[str]) -> dict[str, list[str]]:
    """For each column of the relation, the label column that determines it, if one does."""

    sample = CodedSample(df)
    dets = [d for d in determinant_candidates(sample, types) if d not in cols]
    anchors: dict[str, list[str]] = {}
    for col in cols:
        best: tuple[float, str] | None = None
        for d in dets:
            agreement, coverage, groups, _ = sample.pair_counts([d], col).agreement()
            if (
                agreement >= MIN_AGREEMENT
                and coverage >= 0.3
                and groups >= 2
                and (best is None or agreement > best[0])
            ):
                best = (agreement, d)
        if best is not None:
            anchors[col] = [best[1]]
    return anchors


def propose_relation_repairs(df: pl.DataFrame, types: dict[str, str]) -> list[RelationRepair]:
    """Find ``c = a x b`` among the numeric columns and the decimal-point slips that break it."""
    import numpy as np

    numeric = [c for c in df.columns if types.get(c, "decimal") in NUMERIC_TYPES]
    if len(numeric) < 3:
        return []
    sample = df if df.height <= 50_000 else df.sample(50_000, seed=0)
    nums = {c: _numbers(sample, c) for c in numeric}
    numeric = [c for c in numeric if np.isfinite(nums[c]).mean() >= 0.5]
    steps: list[RelationRepair] = []
    used: set[str] = set()
    for result in numeric:
        for fa, fb in combinations([c for c in numeric if c != result], 2):
            ok, exact = _holds(nums[result], nums[fa], nums[fb])
            if ok.sum() < 10 or exact.sum() < MIN_HOLDS * ok.sum():
                continue
            if result in used:
                continue
            # not a trivial identity: a factor that is always 1 makes "c = a" a copy, not a product
            if np.nanmedian(nums[fa]) == 1 and np.nanmedian(nums[fb]) == 1:
                continue
            full = {c: _numbers(df, c) for c in (result, fa, fb)}
            stats = {c: _log_stats(full[c]) for c in full}
            center = {c: s[0] for c, s in stats.items()}
            scale = {c: s[1] for c, s in stats.items()}
            holds_share = float(exact.sum() / ok.sum())
            anchors = _find_anchors(df, types, [result, fa, fb])
            slips = _slips(df, result, [fa, fb], center, scale, anchors, full)
            used.add(result)
            for culprit in (result, fa, fb):
                mine = [(r, k) for r, k, cc in slips if cc == culprit]
                if not mine:
                    continue
                decimals = _decimals(df, culprit)
                thousands = _uses_thousands(df, culprit)
                sign = -1 if culprit == result else 1
                before = df[culprit].gather([r for r, _ in mine]).to_list()
                fixes = {
                    r: v
                    for (r, k), b in zip(mine, before, strict=True)
                    if (v := shift_decimal(b, sign * k, decimals, thousands)) is not None and v != b
                }
                if not fixes:
                    continue
                steps.append(
                    RelationRepair(
                        column=culprit,
                        result=result,
                        factors=[fa, fb],
                        log_center=center,
                        log_scale=scale,
                        decimals=decimals,
                        thousands=thousands,
                        anchors=anchors,
                        fixes=fixes,
                        confidence=round(min(0.95, holds_share), 4),
                        description=(
                            f"{result} = {fa} x {fb} holds on {holds_share:.0%} of rows; {len(fixes)} value(s) of "
                            f"{culprit} typed with a shifted decimal point (x10, x100...) are shifted back"
                        ),
                        evidence={
                            "formula": f"{result} = {fa} x {fb}",
                            "holds": round(holds_share, 4),
                            "cells": len(fixes),
                            "examples": [
                                {"row": r, "before": b, "after": fixes[r]}
                                for (r, _), b in list(zip(mine, before, strict=True))[:5]
                                if r in fixes
                            ],
                        },
                    )
                )
    return steps


__all__ = ["RelationRepair", "propose_relation_repairs", "shift_decimal"]
