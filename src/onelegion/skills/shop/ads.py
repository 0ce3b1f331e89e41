"""Advertising metrics and search-term actions (formulas in docs/shop.md §Ads).

    ACoS = spend / attributed sales x 100      ROAS = attributed sales / spend
    CTR  = clicks / impressions                CPC  = spend / clicks
    CVR  = orders / clicks                     TACoS = ad spend / total revenue x 100
    break-even ACoS = margin before ads = (contribution + ads) / (revenue - refunds) x 100

Sales are the report's own attributed sales (7 days for Sponsored Products seller reports, 14 for
the older and vendor layouts: the window is shown). Negate: a search term with no orders and
spend >= ``negate_spend`` or clicks >= ``negate_clicks``. Promote: a search term with at least
``promote_orders`` orders and ACoS <= target, not already an exact-match target.
"""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.dataset import Dataset


def _ratios(df: pl.DataFrame) -> pl.DataFrame:
    spend = pl.col("spend").cast(pl.Float64)
    sales = pl.col("sales").cast(pl.Float64)
    return df.with_columns(
        acos_pct=pl.when(sales > 0).then((spend / sales * 100).round(2)),
        roas=pl.when(spend > 0).then((sales / spend).round(2)),
        ctr_pct=pl.when(pl.col("impressions") > 0).then(
            (pl.col("clicks") / pl.col("impressions") * 100).round(2)
        ),
        cpc=pl.when(pl.col("clicks") > 0).then((spend / pl.col("clicks")).round(2)),
        cvr_pct=pl.when(pl.col("clicks") > 0).then(
            (pl.col("orders") / pl.col("clicks") * 100).round(2)
        ),
    )


def _sum(by: list[str]) -> list[pl.Expr]:
    return [
        pl.col("impressions").sum(),
        pl.col("clicks").sum(),
        pl.col("spend").sum().cast(pl.Decimal(18, 2)),
        pl.col("sales").sum().cast(pl.Decimal(18, 2)),
        pl.col("orders").sum(),
        pl.col("units").sum(),
        pl.len().alias("rows"),
        pl.col("file").first().alias("file"),
    ]


def campaigns(ds: Dataset) -> pl.DataFrame:
    """Per campaign, from one report kind (campaign > advertised product > search term)."""
    ads = ds.t("ads")
    if ads.is_empty():
        return pl.DataFrame()
    for kind in ("campaign", "advertised_product", "search_term"):
        part = ads.filter(pl.col("report") == kind)
        if not part.is_empty():
            out = part.group_by("currency", "campaign").agg(_sum([])).sort("spend", descending=True)
            return _ratios(out.with_columns(report=pl.lit(kind)))
    return pl.DataFrame()


def search_terms(
    ds: Dataset,
    *,
    target_acos: float,
    negate_spend: float,
    negate_clicks: int,
    promote_orders: int,
) -> pl.DataFrame:
    st = ds.t("ads").filter(pl.col("report") == "search_term")
    if st.is_empty():
        return pl.DataFrame()
    g = (
        st.group_by("currency", "campaign", "ad_group", "match_type", "search_term")
        .agg(
            *_sum([]),
            pl.col("row").min().alias("first_row"),
            pl.col("window_days").max().alias("window_days"),
        )
        .pipe(_ratios)
    )
    spend = pl.col("spend").cast(pl.Float64)
    negate = (pl.col("orders").fill_null(0) == 0) & (
        (spend >= negate_spend) | (pl.col("clicks") >= negate_clicks)
    )
    promote = (
        (pl.col("orders").fill_null(0) >= promote_orders)
        & (pl.col("acos_pct") <= target_acos)
        & (pl.col("match_type").fill_null("").str.to_lowercase() != "exact")
    )
    g = g.with_columns(
        action=pl.when(negate)
        .then(pl.lit("negate"))
        .when(promote)
        .then(pl.lit("promote"))
        .otherwise(pl.lit("")),
    ).with_columns(
        evidence=pl.when(pl.col("action") == "negate")
        .then(
            pl.format(
                "{} clicks, spend {} {}, 0 orders ({} rows of {})",
                "clicks",
                "spend",
                "currency",
                "rows",
                "file",
            )
        )
        .when(pl.col("action") == "promote")
        .then(
            pl.format(
                "{} orders, ACoS {}% <= target {}% ({} rows of {})",
                "orders",
                "acos_pct",
                pl.lit(f"{target_acos:g}"),
                "rows",
                "file",
            )
        )
        .otherwise(pl.lit(""))
    )
    return g.sort(["action", "spend"], descending=[False, True])


def sku_ads(ds: Dataset, pnl: pl.DataFrame) -> pl.DataFrame:
    """Per SKU (advertised product report): ACoS, ROAS, TACoS and break-even ACoS."""
    ap = ds.t("ads").filter(
        (pl.col("report") == "advertised_product") & pl.col("sku").is_not_null()
    )
    if ap.is_empty() or pnl.is_empty():
        return pl.DataFrame()
    g = ap.group_by("currency", "sku").agg(_sum([])).pipe(_ratios)
    p = (
        pnl.group_by("currency", "sku")
        .agg(
            pl.col("revenue").sum(),
            pl.col("refunds").sum(),
            pl.col("ads").sum().alias("ads_in_pnl"),
            pl.col("contribution").sum(),
        )
        .with_columns(
            tacos_pct=pl.when(pl.col("revenue") > 0).then(
                (
                    pl.col("ads_in_pnl").cast(pl.Float64) / pl.col("revenue").cast(pl.Float64) * 100
                ).round(2)
            ),
            breakeven_acos_pct=pl.when((pl.col("revenue") - pl.col("refunds")) != 0).then(
                (
                    (pl.col("contribution") + pl.col("ads_in_pnl")).cast(pl.Float64)
                    / (pl.col("revenue") - pl.col("refunds")).cast(pl.Float64)
                    * 100
                ).round(2)
            ),
        )
    )
    out = g.join(p, on=["currency", "sku"], how="left")
    return out.with_columns(
        verdict=pl.when(pl.col("acos_pct").is_null())
        .then(pl.lit("no attributed sales"))
        .when(pl.col("acos_pct") > pl.col("breakeven_acos_pct"))
        .then(pl.lit("ads lose money"))
        .otherwise(pl.lit("ads pay"))
    ).sort("spend", descending=True)
