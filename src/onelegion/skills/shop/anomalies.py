"""Week-over-week anomalies: a SKU whose margin or units moved beyond its own noise.

Weeks are ISO weeks (Monday, UTC) of the facts' timestamps. For each SKU with at least
``min_weeks`` weeks, the week-over-week changes of margin % (contribution / net revenue) and of
units are compared with that SKU's own noise: the standard deviation of its *earlier* changes.
A change is flagged when |change| > ``k`` x noise and it is large enough to matter (margin:
>= ``min_margin_pts`` percentage points; units: >= ``min_units_pct`` % of the previous week).
Sessions are not read yet (the Business Report layout is not verified), so only margin and units.
"""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.profit import NO_SKU, NOT_PNL


def weekly(facts: pl.DataFrame) -> pl.DataFrame:
    # lazy and streaming: the millions of facts are not copied for the filter and the group-by
    f = (
        facts.lazy()
        .select("marketplace", "currency", "sku", "ts", "line", "amount", "units")
        .filter(
            ~pl.col("line").is_in(list(NOT_PNL))
            & ~pl.col("sku").str.starts_with("(")
            & pl.col("ts").is_not_null()
        )
        .with_columns(week=pl.col("ts").dt.truncate("1w").dt.date())
    )
    amt = pl.col("amount").cast(pl.Float64)
    g = (
        f.group_by("marketplace", "currency", "sku", "week")
        .agg(
            revenue=amt.filter(pl.col("line") == "revenue").sum(),
            refunds=-amt.filter(pl.col("line") == "refunds").sum(),
            contribution=amt.sum(),
            units=pl.col("units").sum(),
        )
        .collect(engine="streaming")
    )
    if g.is_empty():
        return pl.DataFrame()
    net = pl.col("revenue") - pl.col("refunds")
    return g.with_columns(
        margin_pct=pl.when(net > 0).then((pl.col("contribution") / net * 100).round(2))
    ).sort("marketplace", "currency", "sku", "week")


def anomalies(
    facts: pl.DataFrame,
    *,
    k: float = 3.0,
    min_weeks: int = 4,
    min_margin_pts: float = 5.0,
    min_units_pct: float = 30.0,
) -> pl.DataFrame:
    w = weekly(facts)
    if w.is_empty():
        return pl.DataFrame()
    keys = ["marketplace", "currency", "sku"]
    out = []
    for metric, floor in (("margin_pct", min_margin_pts), ("units", None)):
        s = w.with_columns(
            previous=pl.col(metric).shift(1).over(keys),
        ).with_columns(change=(pl.col(metric) - pl.col("previous")).cast(pl.Float64))
        # noise = std of the changes before this one (the SKU's own history)
        s = s.with_columns(
            noise=pl.col("change")
            .shift(1)
            .rolling_std(window_size=10_000, min_samples=2)
            .over(keys),
            n=pl.col("change").is_not_null().cum_sum().over(keys),
            weeks=pl.len().over(keys),
        )
        big = (
            (pl.col("change").abs() >= floor)
            if floor is not None
            else (pl.col("change").abs() >= pl.col("previous").abs() * min_units_pct / 100)
        )
        flagged = s.filter(
            (pl.col("weeks") >= min_weeks)
            & (pl.col("n") >= 3)
            & pl.col("noise").is_not_null()
            & (pl.col("change").abs() > k * pl.col("noise"))
            & big
            & (pl.col("sku") != NO_SKU)
        )
        out.append(
            flagged.select(
                *keys,
                "week",
                pl.lit(metric).alias("metric"),
                pl.col(metric).cast(pl.Float64).alias("value"),
                pl.col("previous").cast(pl.Float64),
                pl.col("change").round(2),
                pl.col("noise").round(2),
                (pl.col("change").abs() / pl.col("noise")).round(1).alias("times_noise"),
            )
        )
    return pl.concat(out).sort("times_noise", descending=True)
