"""Profit per SKU, marketplace and month from the model (formulas in docs/shop.md §Profit).

Every money row becomes one *fact*: ``line`` (revenue, refunds, promotions, referral_fee,
fulfilment_fee, shipping_fee, storage_fee, subscription_fee, other_fee, ads, cogs, other) and a
signed ``amount`` (its effect on profit), with the file and row it came from. The P&L is a
GROUP BY over the facts in DuckDB, so every figure is the sum of rows listed in facts.csv.

    revenue       = product sales + shipping credits + gift wrap credits (sales rows)
    refunds       = the same lines on refund rows (shown positive)
    contribution  = revenue - refunds - promotions - fees - ads - COGS + other
    margin %      = contribution / (revenue - refunds)

Settlement rows of tax, marketplace-withheld tax, reserves and transfers are pass-through or cash
movements: they are reconciled but are not profit. A marketplace with settlement rows takes its
money from them; a marketplace with only orders files takes it from the orders (non-cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import polars as pl

from onelegion.skills.shop.dataset import Dataset
from onelegion.skills.shop.models import Totals
from onelegion.skills.shop.money import MONEY

NO_SKU = "(account)"
NOT_PNL = ("ads_duplicate", "pass_through")  # facts kept for tracing, not summed in the P&L
ADS_NO_SKU = "(ads, not by SKU)"
FEE_LINES = [
    "referral_fee",
    "fulfilment_fee",
    "shipping_fee",
    "storage_fee",
    "subscription_fee",
    "other_fee",
]
LINES = ["revenue", "refunds", "promotions", *FEE_LINES, "ads", "cogs", "other"]
_REV = ["sales", "shipping_credit", "giftwrap_credit"]
_PASS = ["tax", "withheld_tax", "reserve", "transfer"]
FACT_COLUMNS = [
    "file",
    "row",
    "platform",
    "marketplace",
    "currency",
    "sku",
    "order_id",
    "ts",
    "month",
    "line",
    "amount",
    "units",
    "refunded_units",
]


FACT_SCHEMA: dict[str, Any] = {
    "file": pl.Utf8,
    "row": pl.Int64,
    "platform": pl.Utf8,
    "marketplace": pl.Utf8,
    "currency": pl.Utf8,
    "sku": pl.Utf8,
    "order_id": pl.Utf8,
    "ts": pl.Datetime("us"),
    "month": pl.Utf8,
    "line": pl.Utf8,
    "amount": MONEY,
    "units": pl.Int64,
    "refunded_units": pl.Int64,
}


@dataclass
class Profit:
    facts: pl.DataFrame  # one row per money row that enters the P&L
    pnl: pl.DataFrame  # per marketplace, currency, sku, month
    missing_cost: list[str] = field(default_factory=list)
    ads_source: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def ads_marketplaces(ds: Dataset) -> dict[str, str]:
    """Currency -> the Amazon marketplace that sells in it (ads reports name no marketplace)."""
    frames = [ds.t("ledger"), ds.t("orders")]
    pairs = pl.concat(
        [
            # streaming engine: an eager unique() over 3M rows hashes every row in memory
            f.lazy()
            .select("platform", "currency", "marketplace")
            .filter(pl.col("platform") == "Amazon")
            .unique()
            .drop("platform")
            .collect(engine="streaming")
            for f in frames
        ]
    ).drop_nulls()
    out: dict[str, str] = {}
    for cur, grp in pairs.group_by("currency"):
        names = sorted(set(grp["marketplace"].to_list()))
        out[str(cur[0])] = names[0] if len(names) == 1 else f"Amazon ({cur[0]})"
    return out


def _month(ts: pl.Expr) -> pl.Expr:
    return ts.dt.strftime("%Y-%m")


def ledger_facts(ds: Dataset) -> pl.DataFrame:
    # pass-through rows stay (line 'pass_through', traceable) but never enter the P&L; no filter
    # here, so the 3M-row ledger is not copied
    led = ds.t("ledger")
    cat = pl.col("category")
    line = (
        pl.when(cat.is_in(_PASS))
        .then(pl.lit("pass_through"))
        .when(cat.is_in(_REV) & pl.col("is_refund"))
        .then(pl.lit("refunds"))
        .when(cat.is_in(_REV))
        .then(pl.lit("revenue"))
        .when(cat == "promotion")
        .then(pl.lit("promotions"))
        .when(cat == "advertising")
        .then(pl.lit("ads_settlement"))
        .when(cat.is_in(FEE_LINES))
        .then(cat)
        .otherwise(pl.lit("other"))
    )
    sales_row = (cat == "sales") & (pl.col("amount") != 0)
    return led.select(
        "file",
        "row",
        "platform",
        "marketplace",
        "currency",
        pl.col("sku").fill_null(NO_SKU),
        "order_id",
        "ts",
        _month(pl.col("ts")).alias("month"),
        line.alias("line"),
        "amount",
        pl.when(sales_row & ~pl.col("is_refund")).then(pl.col("qty")).otherwise(0).alias("units"),
        pl.when(sales_row & pl.col("is_refund"))
        .then(pl.col("qty"))
        .otherwise(0)
        .alias("refunded_units"),
    )


def order_facts(
    ds: Dataset, with_ledger: set[str], units_only: set[str] | None = None
) -> pl.DataFrame:
    """Money facts of the orders of marketplaces without settlement rows; for ``units_only``
    marketplaces (a settlement that states no quantities: TikTok Shop) only the units sold, as
    line 'units' with amount 0, so COGS and units still come from the orders file."""
    keys = ["file", "row", "platform", "marketplace", "currency", "sku", "order_id", "ts"]
    z = pl.lit(0, dtype=pl.Int64)
    unit_rows = ds.t("orders").filter(
        ~pl.col("cancelled") & pl.col("marketplace").is_in(sorted(units_only or set()))
    )
    if not unit_rows.is_empty():  # only orders the settlement pays (revenue and COGS together)
        paid = ds.t("ledger").select(
            pl.col("order_id").filter(pl.col("marketplace").is_in(sorted(units_only or set())))
        )["order_id"]
        unit_rows = unit_rows.filter(pl.col("order_id").is_in(paid.drop_nulls().unique().implode()))
    o = ds.t("orders").filter(
        ~pl.col("cancelled") & ~pl.col("marketplace").is_in(list(with_ledger))
    )
    parts = [
        unit_rows.select(
            *keys,
            line=pl.lit("units"),
            amount=pl.lit(0).cast(MONEY),
            units=pl.col("qty"),
            refunded_units=pl.col("returned_qty").fill_null(0),
        ),
        o.select(
            *keys,
            line=pl.lit("revenue"),
            amount=pl.col("item_price"),
            units=pl.col("qty"),
            refunded_units=pl.col("returned_qty").fill_null(0),
        ),
        o.select(
            *keys,
            line=pl.lit("revenue"),
            amount=pl.col("shipping_price"),
            units=z,
            refunded_units=z,
        ),
        o.select(
            *keys, line=pl.lit("promotions"), amount=-pl.col("promo"), units=z, refunded_units=z
        ),
        o.select(
            *keys, line=pl.lit("refunds"), amount=-pl.col("refund"), units=z, refunded_units=z
        ),
        o.select(
            *keys, line=pl.lit("other_fee"), amount=-pl.col("fees"), units=z, refunded_units=z
        ),
    ]
    out = pl.concat(parts, how="vertical_relaxed").filter(
        (pl.col("amount").is_not_null() & (pl.col("amount") != 0)) | (pl.col("units") != 0)
    )
    return out.with_columns(
        sku=pl.col("sku").fill_null(NO_SKU),
        month=_month(pl.col("ts")),
        amount=pl.col("amount").fill_null(0).cast(MONEY),
    ).select(FACT_COLUMNS)


def ads_facts(ds: Dataset, market_of: dict[str, str]) -> tuple[pl.DataFrame, dict[str, str]]:
    """Ad spend facts, from one report kind per currency and month (advertised product > campaign >
    search term: they describe the same spend)."""
    ads = ds.t("ads").filter(pl.col("spend").is_not_null())
    if ads.is_empty():
        return pl.DataFrame(schema=FACT_SCHEMA), {}
    src = pl.col("source")
    ads = ads.with_columns(
        month=pl.col("date").dt.strftime("%Y-%m"),
        platform=pl.when(src.str.starts_with("ebay."))
        .then(pl.lit("eBay"))
        .when(src.str.starts_with("walmart."))
        .then(pl.lit("Walmart"))
        .otherwise(pl.lit("Amazon")),
    )
    prio = {"advertised_product": 0, "promoted_listings": 0, "campaign": 1, "search_term": 2}
    keys = ["platform", "currency", "month"]
    chosen = (
        ads.group_by(*keys, "report")
        .len()
        .with_columns(p=pl.col("report").replace_strict(prio, default=9))
        .sort(*keys, "p")
        .unique(keys, keep="first", maintain_order=True)
        .select(*keys, "report")
    )
    used = ads.join(chosen, on=[*keys, "report"], nulls_equal=True)
    source = {
        ("" if r["platform"] == "Amazon" else f"{r['platform']} ")
        + f"{r['currency']} {r['month']}": r["report"]
        for r in chosen.iter_rows(named=True)
    }
    amazon_market = (
        pl.col("currency")
        .replace_strict(market_of, default=None, return_dtype=pl.Utf8)
        .fill_null(pl.lit("Amazon (") + pl.col("currency").fill_null("?") + pl.lit(")"))
    )
    facts = used.select(
        "file",
        "row",
        "platform",
        # eBay and Walmart ads: the marketplace of the platform's orders
        pl.when(pl.col("platform") == "Amazon")
        .then(amazon_market)
        .otherwise(pl.col("platform"))
        .alias("marketplace"),
        "currency",
        pl.col("sku").fill_null(ADS_NO_SKU),
        pl.lit(None, dtype=pl.Utf8).alias("order_id"),
        pl.col("date").cast(pl.Datetime("us")).alias("ts"),
        "month",
        pl.lit("ads").alias("line"),
        (-pl.col("spend")).cast(MONEY).alias("amount"),
        pl.lit(0, dtype=pl.Int64).alias("units"),
        pl.lit(0, dtype=pl.Int64).alias("refunded_units"),
    )
    return facts, source


def cogs_facts(units: pl.DataFrame, cogs: pl.DataFrame | None) -> tuple[pl.DataFrame, list[str]]:
    """COGS = net units (sold - refunded) x the unit cost in effect at the sale (ASOF join).

    Lazy, so the million sale rows are not copied once per step (filter, sort, join, select)."""
    sold = units.lazy().filter((pl.col("units") != 0) | (pl.col("refunded_units") != 0))
    skus = (
        sold.filter(pl.col("sku") != NO_SKU)
        .select(pl.col("sku").unique())
        .collect(engine="streaming")["sku"]
        .sort()
        .to_list()
    )
    if cogs is None or cogs.is_empty():
        return pl.DataFrame(schema=units.schema).select(FACT_COLUMNS), skus
    left = sold.with_columns(pl.col("ts").fill_null(pl.datetime(1970, 1, 1))).sort("ts")
    right = (
        cogs.lazy()
        .select(
            "sku",
            pl.col("effective_from").alias("ts"),
            "unit_cost",
            pl.col("currency").alias("cost_currency"),
        )
        .sort("ts")
    )
    j = left.join_asof(right, on="ts", by="sku", strategy="backward", check_sortedness=False)
    df = (
        j.with_columns(
            line=pl.lit("cogs"),
            amount=(
                -(pl.col("units") - pl.col("refunded_units")).cast(pl.Decimal(18, 0))
                * pl.col("unit_cost")
            ).cast(MONEY),
            units=pl.lit(0, dtype=pl.Int64),
            refunded_units=pl.lit(0, dtype=pl.Int64),
            # a cost in another currency than the sale stays in its own currency (converted with
            # the FX rates when the report has a report currency)
            currency=pl.coalesce("cost_currency", "currency"),
        )
        .select(*FACT_COLUMNS, pl.col("unit_cost").is_not_null().alias("_cost"))
        .collect()
    )
    unmatched = df.select(pl.col("sku").filter(~pl.col("_cost") & (pl.col("sku") != NO_SKU)))
    missing = sorted(set(unmatched["sku"].unique().to_list()))
    if not df["_cost"].all():
        df = df.filter(pl.col("_cost"))
    df = df.drop("_cost")
    return df.select(FACT_COLUMNS), missing


def build_facts(ds: Dataset, cogs: pl.DataFrame | None) -> Profit:
    led = ledger_facts(ds)
    # (expression-level filter: filtering the frame would copy all its columns)
    with_ledger = set(
        led.select(pl.col("marketplace").filter(pl.col("line") == "revenue").unique())[
            "marketplace"
        ]
        .drop_nulls()
        .to_list()
    )
    with_qty = set(
        led.select(
            pl.col("marketplace").filter((pl.col("line") == "revenue") & (pl.col("units") != 0))
        )["marketplace"]
        .drop_nulls()
        .unique()
        .to_list()
    )
    orders = order_facts(ds, with_ledger, with_ledger - with_qty)
    # settlement ad rows are few: decide them apart, then concatenate everything once
    is_ads = pl.col("line") == "ads_settlement"
    ads, source = ads_facts(ds, ads_marketplaces(ds))
    notes = []
    covered = [f"{m}|{mo}" for m, mo in ads.select("marketplace", "month").unique().iter_rows()]
    key = pl.concat_str([pl.col("marketplace"), pl.col("month")], separator="|", ignore_nulls=True)
    if (led["line"] == "ads_settlement").any():  # else no copy of the 3M-row line column
        led = led.with_columns(
            line=pl.when(is_ads & key.is_in(covered))
            .then(pl.lit("ads_duplicate"))
            .when(is_ads)
            .then(pl.lit("ads"))
            .otherwise(pl.col("line"))
        )
    dup = int((led["line"] == "ads_duplicate").sum())
    if dup:
        notes.append(
            f"{dup} settlement 'Cost of Advertising' row(s) are the same spend as the ads "
            "reports: counted once, from the ads reports (see Reconciliation)"
        )
    # (no copy: cogs_facts picks the rows with units lazily)
    sold = pl.concat([led, orders], how="vertical_relaxed", rechunk=False)
    cogs_rows, missing = cogs_facts(sold, cogs)
    del sold
    parts = [led, orders, ads, cogs_rows]
    facts = pl.concat(
        [
            f.select(FACT_COLUMNS).with_columns(pl.col("amount").cast(MONEY))
            if f.schema["amount"] != MONEY
            else f.select(FACT_COLUMNS)
            for f in parts
        ],
        how="vertical_relaxed",
        rechunk=False,
    )
    return Profit(facts=facts, pnl=pnl(facts), missing_cost=missing, ads_source=source, notes=notes)


def pnl(
    facts: pl.DataFrame, keys: tuple[str, ...] = ("marketplace", "currency", "sku", "month")
) -> pl.DataFrame:
    """The P&L by ``keys`` (DuckDB GROUP BY over the facts)."""
    # one row per (keys, line) first, with Polars' streaming engine (the millions of facts are
    # not copied and the hash table stays small): the SQL then runs over thousands of rows
    pre = (
        facts.lazy()
        .filter(~pl.col("line").is_in(list(NOT_PNL)))
        .group_by([*keys, "line"])
        .agg(
            pl.col("amount").sum(),
            pl.col("units").sum(),
            pl.col("refunded_units").sum(),
            pl.len().alias("n"),
        )
        .collect(engine="streaming")
    )
    con = duckdb.connect()
    con.register("facts", pre)
    k = ", ".join(keys)

    def s(line: str, neg: bool = True) -> str:
        sign = "-" if neg else ""
        return f"CAST({sign}COALESCE(SUM(amount) FILTER (WHERE line = '{line}'), 0) AS DECIMAL(18,2)) AS {line}"

    fee_sum = " + ".join(FEE_LINES)
    sql = f"""
        WITH g AS (
          SELECT {k},
            CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(refunded_units) AS BIGINT) AS refunded_units,
            {s("revenue", False)}, {s("refunds")}, {s("promotions")},
            {", ".join(s(f) for f in FEE_LINES)},
            {s("ads")}, {s("cogs")}, {s("other", False)},
            CAST(SUM(amount) AS DECIMAL(18,2)) AS contribution,
            CAST(SUM(n) AS BIGINT) AS rows
          FROM facts GROUP BY {k})
        SELECT *, CAST({fee_sum} AS DECIMAL(18,2)) AS fees,
          CASE WHEN revenue - refunds <> 0
               THEN ROUND(CAST(contribution AS DOUBLE) / CAST(revenue - refunds AS DOUBLE) * 100, 2)
          END AS margin_pct
        FROM g ORDER BY {k}
    """
    out: pl.DataFrame = con.sql(sql).pl()
    con.close()
    return out


def totals(table: pl.DataFrame) -> list[Totals]:
    out: list[Totals] = []
    if table.is_empty():
        return out
    cols = ["revenue", "refunds", "fees", "ads", "cogs", "contribution"]
    g = table.group_by("currency").agg([pl.col(c).sum() for c in cols]).sort("currency")
    for r in g.iter_rows(named=True):
        net = Decimal(r["revenue"]) - Decimal(r["refunds"])
        margin = round(float(Decimal(r["contribution"]) / net * 100), 2) if net else None
        out.append(
            Totals(
                currency=r["currency"] or "?",
                **{c: f"{Decimal(r[c]):.2f}" for c in cols},
                margin_pct=margin,
            )
        )
    return out
