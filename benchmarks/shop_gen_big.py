"""Large Amazon exports for the shop speed benchmark (vectorised with polars).

Writes, for N order lines (one line per order): All Orders (TSV, 32 columns), two Settlement
Flat File V2 files (TSV, 24 columns: principal, commission and FBA fee per line, a refund for
5 % of lines, storage and subscription rows, a summary row whose total is the exact sum),
an advertised product report (500 SKUs x 30 days), a search term report (2 terms per SKU-day),
Manage FBA Inventory and a cost table. The P&L total (contribution) is returned for checking.

    python benchmarks/shop_gen_big.py OUT_DIR --lines 1000000
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from onelegion.skills.shop.samples_write import (
    ADS_PRODUCT_7D,
    AMZ_ORDERS_HEADER,
    INVENTORY_HEADER,
    SEARCH_TERM_7D,
    V2_HEADER,
)


def money(cents: pl.Expr) -> pl.Expr:
    """Integer cents -> '12.34' / '-0.05' (exact, no float)."""
    a = cents.abs()
    return (
        pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
        + (a // 100).cast(pl.Utf8)
        + pl.lit(".")
        + (a % 100).cast(pl.Utf8).str.zfill(2)
    )


def generate(out: Path, lines: int, seed: int = 1) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    nsku = 500
    skus = pl.DataFrame({"k": range(nsku)}).with_columns(
        sku=pl.format("BIG-{}", pl.col("k").cast(pl.Utf8).str.zfill(4)),
        price=(999 + (pl.col("k") * 7919) % 5000).cast(pl.Int64),
        fba=(300 + (pl.col("k") * 31) % 300).cast(pl.Int64),
        cost=(200 + (pl.col("k") * 17) % 1200).cast(pl.Int64),
    )
    start = datetime(2026, 10, 1)
    month_s = 31 * 86400 - 5 * 86400
    df = pl.DataFrame({"i": pl.int_range(0, lines, eager=True)}).with_columns(
        k=(pl.col("i").hash(seed) % nsku).cast(pl.Int64),
        qty=(1 + pl.col("i").hash(seed + 1) % 3).cast(pl.Int64),
        sec=(pl.col("i").hash(seed + 2) % month_s).cast(pl.Int64),
        refund=(pl.col("i").hash(seed + 3) % 100) < 5,
    )
    df = df.join(skus, on="k").sort("i")
    df = df.with_columns(
        oid=pl.format(
            "{}-{}-{}",
            111 + pl.col("i") % 3,
            (pl.col("i") // 3).cast(pl.Utf8).str.zfill(7),
            pl.lit("0000001"),
        ),
        ts=pl.lit(start) + pl.duration(seconds=pl.col("sec")),
        principal=pl.col("price") * pl.col("qty"),
    ).with_columns(
        posted=pl.col("ts") + pl.duration(hours=30),
        comm=-((pl.col("principal") * 15 + 50) // 100),
        fbafee=-(pl.col("fba") * pl.col("qty")),
    )
    # All Orders
    orders = df.select(
        [
            pl.col("oid").alias("amazon-order-id"),
            pl.col("ts").dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").alias("purchase-date"),
            pl.lit("Shipped").alias("order-status"),
            pl.lit("Amazon").alias("fulfillment-channel"),
            pl.lit("Amazon.com").alias("sales-channel"),
            pl.col("sku"),
            pl.col("qty").cast(pl.Utf8).alias("quantity"),
            pl.lit("USD").alias("currency"),
            money(pl.col("principal")).alias("item-price"),
        ]
    )
    orders = orders.with_columns(
        [pl.lit("").alias(h) for h in AMZ_ORDERS_HEADER if h not in orders.columns]
    ).select(AMZ_ORDERS_HEADER)
    orders.write_csv(out / "All_Orders_big.txt", separator="\t", quote_style="never")
    # settlement rows
    base = df.select(
        "oid", "sku", "qty", "posted", "principal", "comm", "fbafee", "refund", "price", "cost"
    )
    parts = []
    for desc, at, col in (
        ("Principal", "ItemPrice", "principal"),
        ("Commission", "ItemFees", "comm"),
        ("FBAPerUnitFulfillmentFee", "ItemFees", "fbafee"),
    ):
        parts.append(
            base.select(
                "oid",
                "sku",
                "qty",
                "posted",
                pl.lit("Order").alias("typ"),
                pl.lit(at).alias("at"),
                pl.lit(desc).alias("desc"),
                pl.col(col).alias("cents"),
            )
        )
    ref = base.filter("refund")
    parts.append(
        ref.select(
            "oid",
            "sku",
            pl.lit(1, dtype=pl.Int64).alias("qty"),
            (pl.col("posted") + pl.duration(days=3)).alias("posted"),
            pl.lit("Refund").alias("typ"),
            pl.lit("ItemPrice").alias("at"),
            pl.lit("Principal").alias("desc"),
            (-pl.col("price")).alias("cents"),
        )
    )
    rows = pl.concat(parts).with_columns(
        sid=pl.when(pl.col("posted") < datetime(2026, 10, 15))
        .then(pl.lit("9000000001"))
        .otherwise(pl.lit("9000000002"))
    )
    extra = pl.DataFrame(
        {
            "oid": ["", ""],
            "sku": ["", ""],
            "qty": [None, None],
            "posted": [datetime(2026, 10, 10), datetime(2026, 10, 20)],
            "typ": ["Storage Fee", "Subscription Fee"],
            "at": ["other-transaction"] * 2,
            "desc": ["Storage Fee", "Subscription Fee"],
            "cents": [-123456, -3999],
            "sid": ["9000000001", "9000000002"],
        },
        schema=rows.schema,
    )
    rows = pl.concat([rows, extra])
    totals = rows.group_by("sid").agg(pl.col("cents").sum())
    for sid, total in totals.sort("sid").iter_rows():
        part = rows.filter(pl.col("sid") == sid).sort("posted")
        body = part.select(
            pl.col("sid").alias("settlement-id"),
            pl.col("typ").alias("transaction-type"),
            pl.col("oid").alias("order-id"),
            pl.when(pl.col("oid") != "")
            .then(pl.lit("Amazon.com"))
            .otherwise(pl.lit(""))
            .alias("marketplace-name"),
            pl.col("at").alias("amount-type"),
            pl.col("desc").alias("amount-description"),
            money(pl.col("cents")).alias("amount"),
            pl.col("posted").dt.strftime("%Y-%m-%d").alias("posted-date"),
            pl.col("posted").dt.strftime("%Y-%m-%d %H:%M:%S UTC").alias("posted-date-time"),
            pl.col("sku"),
            pl.col("qty").cast(pl.Utf8).fill_null("").alias("quantity-purchased"),
        )
        summary = pl.DataFrame(
            {
                "settlement-id": [sid],
                "settlement-start-date": ["2026-10-01 00:00:00 UTC"],
                "settlement-end-date": ["2026-11-08 00:00:00 UTC"],
                "deposit-date": ["2026-11-10 00:00:00 UTC"],
                "total-amount": [f"{total / 100:.2f}"],
                "currency": ["USD"],
            }
        )
        full = pl.concat([summary, body], how="diagonal").with_columns(
            [
                pl.lit("").alias(h)
                for h in V2_HEADER
                if h not in summary.columns and h not in body.columns
            ]
        )
        full.select(V2_HEADER).fill_null("").write_csv(
            out / f"settlement_{sid}.txt", separator="\t", quote_style="never"
        )
    # ads: advertised product (SKU x day) and search terms
    days = pl.DataFrame({"d": range(1, 31)})
    ads = skus.join(days, how="cross").with_columns(
        spend=(100 + (pl.col("k") * 13 + pl.col("d") * 7) % 900).cast(pl.Int64),
        clicks=(3 + (pl.col("k") + pl.col("d")) % 20),
    )
    ap = ads.select(
        pl.format("Oct {}, 2026", pl.col("d")).alias("Date"),
        pl.lit("").alias("Portfolio name"),
        pl.lit("USD").alias("Currency"),
        pl.format("SP-{}", "sku").alias("Campaign Name"),
        pl.lit("AG").alias("Ad Group Name"),
        pl.col("sku").alias("Advertised SKU"),
        pl.lit("B000").alias("Advertised ASIN"),
        (pl.col("clicks") * 40).cast(pl.Utf8).alias("Impressions"),
        pl.col("clicks").cast(pl.Utf8).alias("Clicks"),
        money(pl.col("spend")).alias("Spend"),
        money(pl.col("spend") * 3).alias("7 Day Total Sales "),
        (pl.col("clicks") // 5).cast(pl.Utf8).alias("7 Day Total Orders (#)"),
    )
    ap.with_columns([pl.lit("").alias(h) for h in ADS_PRODUCT_7D if h not in ap.columns]).select(
        ADS_PRODUCT_7D
    ).write_csv(out / "advertised_product.csv")
    st = pl.concat(
        [
            ads.with_columns(term=pl.format("term {}", "k"), sp=pl.col("spend") // 2),
            ads.with_columns(term=pl.lit("junk"), sp=pl.col("spend") - pl.col("spend") // 2),
        ]
    )
    stt = st.select(
        pl.format("Oct {}, 2026", pl.col("d")).alias("Start Date"),
        pl.format("Oct {}, 2026", pl.col("d")).alias("End Date"),
        pl.lit("USD").alias("Currency"),
        pl.format("SP-{}", "sku").alias("Campaign Name"),
        pl.lit("AG").alias("Ad Group Name"),
        pl.lit("BROAD").alias("Match Type"),
        pl.col("term").alias("Customer Search Term"),
        (pl.col("clicks") * 40).cast(pl.Utf8).alias("Impressions"),
        pl.col("clicks").cast(pl.Utf8).alias("Clicks"),
        money(pl.col("sp")).alias("Spend"),
        pl.lit("0.00").alias("7 Day Total Sales "),
        pl.lit("0").alias("7 Day Total Orders (#)"),
    )
    stt.with_columns([pl.lit("").alias(h) for h in SEARCH_TERM_7D if h not in stt.columns]).select(
        SEARCH_TERM_7D
    ).write_csv(out / "search_terms.csv")
    inv = skus.select(
        pl.col("sku"),
        pl.lit("X").alias("fnsku"),
        pl.lit("B000").alias("asin"),
        ((pl.col("k") * 37) % 900).cast(pl.Utf8).alias("afn-fulfillable-quantity"),
        ((pl.col("k") * 11) % 300).cast(pl.Utf8).alias("afn-inbound-shipped-quantity"),
    )
    inv.with_columns(
        [pl.lit("").alias(h) for h in INVENTORY_HEADER if h not in inv.columns]
    ).select(INVENTORY_HEADER).write_csv(
        out / "Manage_FBA_Inventory.txt", separator="\t", quote_style="never"
    )
    skus.select(pl.col("sku").alias("SKU"), money(pl.col("cost")).alias("Unit cost")).write_csv(
        out / "cogs.csv"
    )
    # expected P&L total (cents), computed here independently of the loader
    rev = int(df["principal"].sum())
    refunds = int(ref["price"].sum())
    fees = int(-df["comm"].sum() - df["fbafee"].sum()) + 123456 + 3999
    ads_total = int(ads["spend"].sum())
    cogs = int((df["qty"] * df["cost"]).sum()) - int(ref["cost"].sum())
    return {
        "lines": lines,
        "settlement_rows": rows.height,
        "revenue": rev,
        "refunds": refunds,
        "fees": fees,
        "ads": ads_total,
        "cogs": cogs,
        "contribution": rev - refunds - fees - ads_total - cogs,
    }


if __name__ == "__main__":
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("out", type=Path)
    ap_.add_argument("--lines", type=int, default=1_000_000)
    a = ap_.parse_args()
    print(generate(a.out, a.lines))
