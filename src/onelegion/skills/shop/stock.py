"""Stock cover and reorder quantities (formulas in docs/shop.md §Stock).

    daily demand      = units sold in the last ``window`` days / window   (orders, not cancelled;
                        the restock report's "Units Sold Last 30 Days" when there are no orders)
    days of cover     = available / daily demand   (bands: critical < 7, warning 7–21, healthy >= 21;
                        Amazon's rule: days of supply < 14 = at risk)
    safety stock      = daily demand x safety days
    reorder point     = daily demand x lead time + safety stock
    suggested order   = ceil((lead time + safety days) x daily demand - (available + inbound)), >= 0

"Last ``window`` days" ends at the newest order in the files (``as of``), not today, so a report on
last month's exports means last month.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

from onelegion.skills.shop.dataset import Dataset


def restock(
    ds: Dataset, *, lead_time: int, safety_days: int, window: int = 30
) -> tuple[pl.DataFrame, datetime | None]:
    inv = ds.t("inventory")
    if inv.is_empty():
        return pl.DataFrame(), None
    # one snapshot per SKU: the last file read wins (files are read in name order)
    snap = (
        inv.group_by("sku", maintain_order=True)
        .agg(
            pl.col("available").last(),
            pl.col("inbound").last(),
            pl.col("units_30d").last(),
            pl.col("amazon_qty").last(),
            pl.col("file").last(),
            pl.col("row").last(),
        )
        .filter(pl.col("sku").is_not_null())
    )
    # select before filtering: a filter copies every column it carries
    orders = (
        ds.t("orders")
        .select("sku", "qty", "ts", "cancelled")
        .filter(~pl.col("cancelled") & pl.col("ts").is_not_null())
    )
    as_of = orders["ts"].max() if not orders.is_empty() else None
    if isinstance(as_of, datetime):
        since = as_of - timedelta(days=window)
        sold = (
            orders.filter(pl.col("ts") > since)
            .group_by("sku")
            .agg(pl.col("qty").sum().alias("sold_window"))
        )
        snap = snap.join(sold, on="sku", how="left")
    else:
        as_of = None
        snap = snap.with_columns(sold_window=pl.lit(None, dtype=pl.Int64))
    units = pl.coalesce(pl.col("sold_window"), pl.col("units_30d") * window / 30, pl.lit(0))
    snap = snap.with_columns(
        demand_source=pl.when(pl.col("sold_window").is_not_null())
        .then(pl.lit(f"orders, last {window} days"))
        .when(pl.col("units_30d").is_not_null())
        .then(pl.lit("restock report, 30 days"))
        .otherwise(pl.lit("no sales")),
        daily=(units.cast(pl.Float64) / window).round(3),
    )
    avail = pl.col("available").fill_null(0)
    inbound = pl.col("inbound").fill_null(0)
    daily = pl.col("daily")
    snap = snap.with_columns(
        days_cover=pl.when(daily > 0).then((avail / daily).round(1)),
        safety_stock=(daily * safety_days).ceil().cast(pl.Int64),
        reorder_point=(daily * (lead_time + safety_days)).ceil().cast(pl.Int64),
        suggested_qty=pl.max_horizontal(
            pl.lit(0), ((daily * (lead_time + safety_days)) - (avail + inbound)).ceil()
        ).cast(pl.Int64),
    )
    snap = snap.with_columns(
        band=pl.when(daily <= 0)
        .then(pl.lit("no demand"))
        .when(pl.col("days_cover") < 7)
        .then(pl.lit("critical"))
        .when(pl.col("days_cover") < 21)
        .then(pl.lit("warning"))
        .otherwise(pl.lit("healthy")),
        amazon_at_risk=(pl.col("days_cover") < 14).fill_null(False),
        reorder_now=(avail + inbound) <= pl.col("reorder_point"),
    )
    cols = [
        "sku",
        "available",
        "inbound",
        "demand_source",
        "daily",
        "days_cover",
        "band",
        "amazon_at_risk",
        "safety_stock",
        "reorder_point",
        "reorder_now",
        "suggested_qty",
        "amazon_qty",
        "file",
        "row",
    ]
    out = snap.select(cols).sort(["days_cover", "sku"], nulls_last=True)
    return out, as_of


def return_rates(pnl: pl.DataFrame) -> pl.DataFrame:
    """Return rate per SKU, cohort *by refund date*: refunded units / units sold in the same period."""
    if pnl.is_empty():
        return pl.DataFrame()
    g = pnl.group_by("marketplace", "sku").agg(
        pl.col("units").sum(), pl.col("refunded_units").sum()
    )
    return (
        g.filter(pl.col("units") > 0)
        .with_columns(return_rate_pct=(pl.col("refunded_units") / pl.col("units") * 100).round(2))
        .sort("return_rate_pct", descending=True)
    )
