"""Ads reports, inventory snapshots / restock reports and returns -> canonical rows."""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.tables import Src, conform

_REPORT = {
    "amazon.ads.search_term": "search_term",
    "amazon.ads.advertised_product": "advertised_product",
    "amazon.ads.campaign": "campaign",
    "ebay.ads": "promoted_listings",
    "walmart.ads": "campaign",
}


def ads(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    spend, c1 = src.money("spend")
    sales, c2 = src.money("sales")
    if src.has("date"):
        day = src.times("date")
    elif src.has("start_date"):
        day = src.times("start_date")
    else:  # 2026 console: "Date range" like "2026-10-01 - 2026-10-07" -> its first day
        first = src.text("date_range").str.extract(r"^(.+?)\s+[-–~]\s+", 1)
        p = pl.select(pl.coalesce(first, src.text("date_range"))).to_series()
        from onelegion.skills.shop.dates import parse_datetimes

        day = parse_datetimes(p)["ts"]
    df = pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "source": pl.repeat(lay.id, src.n, eager=True),
            "report": [_REPORT[lay.id]] * src.n,
            "date": day.dt.date(),
            "campaign": src.text("campaign"),
            "ad_group": src.text("ad_group"),
            "targeting": src.text("targeting"),
            "match_type": src.text("match_type"),
            "search_term": src.text("search_term"),
            "sku": src.text("sku"),
            "asin": src.text("asin"),
            "impressions": src.ints("impressions"),
            "clicks": src.ints("clicks"),
            "spend": spend,
            "sales": sales,
            "orders": src.ints("orders"),
            "units": src.ints("units"),
            "currency": src.currency(c1, c2),
            "window_days": pl.repeat(src.rec.window_days, src.n, dtype=pl.Int64, eager=True),
        }
    )
    return conform(df, "ads")


def inventory(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    if lay.id == "amazon.restock":
        inbound = src.ints("inbound")
        df = pl.DataFrame(
            {
                "sku": src.text("sku"),
                "asin": src.text("asin"),
                "available": src.ints("available"),
                "inbound": inbound,
                "unsellable": src.ints("unfulfillable"),
                "units_30d": src.ints("units_30d"),
                "amazon_qty": src.ints("amazon_qty"),
            }
        )
    else:
        parts = [src.ints(c) for c in ("inbound_working", "inbound_shipped", "inbound_receiving")]
        inbound = pl.select(pl.sum_horizontal([p.fill_null(0) for p in parts])).to_series()
        df = pl.DataFrame(
            {
                "sku": src.text("sku"),
                "asin": src.text("asin"),
                "available": src.ints("available"),
                "inbound": inbound,
                "reserved": src.ints("reserved"),
                "unsellable": src.ints("unsellable"),
            }
        )
    df = df.with_columns(file=pl.lit(fname), row=src.rows(), source=pl.lit(lay.id))
    return conform(df, "inventory")


def returns(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    df = pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "source": pl.repeat(lay.id, src.n, eager=True),
            "ts": src.times("datetime"),
            "order_id": src.text("order_id"),
            "sku": src.text("sku"),
            "qty": src.ints("quantity"),
            "disposition": src.text("disposition"),
            "reason": src.text("reason"),
        }
    )
    return conform(df, "returns")


def cogs(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    cost, cur = src.money("unit_cost")
    eff = src.times("effective_from")
    df = pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "sku": src.text("sku"),
            "unit_cost": cost,
            "currency": src.currency(cur),
            "effective_from": eff.fill_null(pl.datetime(1970, 1, 1)),
        }
    )
    return conform(df.filter(pl.col("sku").is_not_null()), "cogs")
