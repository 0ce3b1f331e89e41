"""Order exports -> order lines (one row per SKU line of an order).

``item_price`` is the line's gross product revenue (unit price x quantity), ``promo`` the seller's
discounts (positive), ``fees`` the platform fees an orders file states (Shopee), ``refund`` the
refunded amount. Order-level amounts (Shopify's shipping, discount and refund; Shopee's voucher,
shipping and fees; TikTok's shipping and refund) are written once per order and are allocated to
the order's lines in proportion to line revenue, to the cent, the remainder going to the first
line, so the lines of an order always add up to the order.
"""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.money import MONEY
from onelegion.skills.shop.tables import Src, conform

CANCELLED = ["cancelled", "canceled", "batal", "dibatalkan", "已取消", "cancel"]


def allocate(df: pl.DataFrame, column: str, weight: str = "item_price") -> pl.DataFrame:
    """Spread the order-level ``column`` (same value on every line of an order, or only on the
    first) over the order's lines by ``weight``; exact to the cent."""
    first = pl.col(column).drop_nulls().first().over("order_id")
    w = pl.col(weight).cast(pl.Float64).fill_null(0)
    wsum = w.sum().over("order_id")
    n = pl.len().over("order_id")
    share = (
        pl.when(wsum > 0)
        .then(first.cast(pl.Float64) * w / wsum)
        .otherwise(first.cast(pl.Float64) / n)
    )
    df = df.with_columns(_first=first, _share=share.round(2).cast(MONEY))
    rem = pl.col("_first") - pl.col("_share").sum().over("order_id")
    is_first = pl.int_range(pl.len()).over("order_id") == 0
    return df.with_columns(
        pl.when(pl.col("_first").is_null())
        .then(None)
        .when(is_first)
        .then(pl.col("_share") + rem)
        .otherwise(pl.col("_share"))
        .cast(MONEY)
        .alias(column)
    ).drop("_first", "_share")


def _common(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "source": pl.repeat(lay.id, src.n, eager=True),
            "platform": pl.repeat(lay.platform, src.n, eager=True),
            "order_id": src.text("order_id"),
            "sku": src.text("sku"),
            "qty": src.ints("quantity"),
            "ts": src.times("datetime"),
            "status": src.text("status"),
        }
    )


def _abs(s: pl.Series) -> pl.Series:
    return s.abs()


def convert(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    df = _common(lay, src, fname)
    if lay.id == "amazon.orders":
        price, c1 = src.money("item_price")
        ship, c2 = src.money("shipping_price")
        ip, _ = src.money("item_promotion")
        sp, _ = src.money("ship_promotion")
        tax, _ = src.money("item_tax")
        df = df.with_columns(
            marketplace=src.text("marketplace"),
            currency=src.currency(c1, c2),
            item_price=price,
            shipping_price=ship,
            promo=pl.select(_abs(ip).fill_null(0) + _abs(sp).fill_null(0)).to_series(),
            tax=tax,
            cancelled=src.text("status").str.to_lowercase().is_in(CANCELLED)
            | src.text("marketplace").str.to_lowercase().eq("non-amazon").fill_null(False),
        )
    elif lay.id == "shopify.orders":
        df = _shopify(src, df)
    elif lay.id == "shopee.orders":
        df = _shopee(src, df)
    elif lay.id == "tiktok.orders":
        df = _tiktok(src, df)
    elif lay.id == "ebay.orders":
        df = _ebay(src, df)
    elif lay.id == "walmart.orders":
        df = _walmart(src, df)
    else:
        df = _lazada(src, df)
    df = df.with_columns(pl.col("cancelled").fill_null(False))
    return conform(df, "orders")


def _shopify(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    unit, c1 = src.money("item_unit_price")
    line_disc, _ = src.money("line_discount")
    ship, c2 = src.money("shipping_price")
    disc, _ = src.money("discount_amount")
    refund, _ = src.money("refunded_amount")
    taxes, _ = src.money("taxes")
    df = df.with_columns(
        marketplace=pl.lit("Shopify"),
        currency=src.currency(c1, c2),
        item_price=pl.select(unit * df["qty"].cast(MONEY)).to_series().cast(MONEY),
        _line_disc=line_disc,
        shipping_price=ship,
        _disc=disc,
        refund=refund,
        tax=taxes,
        status=src.text("financial_status"),
        _cancelled_at=src.text("cancelled_at"),
    )
    # order-level fields are only on the first line: carry them to the order's other lines
    df = df.with_columns(
        pl.col("ts", "currency", "status", "_cancelled_at").forward_fill().over("order_id")
    )
    df = allocate(df, "shipping_price")
    df = allocate(df, "_disc")
    df = allocate(df, "refund")
    df = allocate(df, "tax")
    # an order's Discount Amount already includes its line discounts
    return df.with_columns(
        promo=pl.coalesce(pl.col("_disc"), pl.col("_line_disc"), pl.lit(0).cast(MONEY)),
        cancelled=pl.col("_cancelled_at").is_not_null()
        | pl.col("status").str.to_lowercase().is_in(["voided"]).fill_null(False),
    )


def _shopee(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    subtotal, c1 = src.money("item_price")
    unit, c2 = src.money("item_unit_price")
    voucher, _ = src.money("seller_voucher")
    ship, _ = src.money("shipping_price")
    fees = [src.money(f)[0] for f in ("commission_fee", "transaction_fee", "service_fee")]
    fee_total = pl.select(
        pl.when(pl.any_horizontal([f.is_not_null() for f in fees])).then(
            pl.sum_horizontal([f.fill_null(0) for f in fees])
        )
    ).to_series()
    price = pl.select(pl.coalesce(subtotal, unit * df["qty"].cast(MONEY))).to_series()
    df = df.with_columns(
        marketplace=pl.lit("Shopee"),
        currency=src.currency(c1, c2),
        item_price=price.cast(MONEY),
        promo=voucher.abs(),
        shipping_price=ship,
        fees=fee_total.cast(MONEY),
        returned_qty=src.ints("returned_quantity"),
        cancelled=src.text("status").str.to_lowercase().is_in(CANCELLED).fill_null(False),
    )
    for c in ("promo", "shipping_price", "fees"):
        df = allocate(df, c)
    return df.with_columns(
        marketplace=pl.when(pl.col("currency").is_not_null())
        .then(pl.lit("Shopee ") + pl.col("currency").replace(SHOPEE_SITES))
        .otherwise(pl.lit("Shopee"))
    )


SHOPEE_SITES = {
    "PHP": "PH",
    "MYR": "MY",
    "IDR": "ID",
    "THB": "TH",
    "VND": "VN",
    "SGD": "SG",
    "BRL": "BR",
    "TWD": "TW",
}


def _tiktok(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    before, c1 = src.money("item_price_before")
    after, c2 = src.money("item_price")
    seller_disc, _ = src.money("seller_discount")
    ship, _ = src.money("shipping_price")
    refund, _ = src.money("refund_amount")
    df = df.with_columns(
        marketplace=pl.lit("TikTok Shop"),
        currency=src.currency(c1, c2),
        item_price=pl.coalesce(before, after),
        promo=pl.when(before.is_not_null()).then(seller_disc.abs()).otherwise(None),
        shipping_price=ship,
        refund=refund,
        returned_qty=src.ints("returned_quantity"),
        cancelled=src.text("status").str.to_lowercase().is_in(CANCELLED).fill_null(False),
    )
    for c in ("shipping_price", "refund"):
        df = allocate(df, c)
    return df


def _lazada(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    unit, c1 = src.money("item_price")
    disc, _ = src.money("seller_discount")
    ship, _ = src.money("shipping_price")
    refund, _ = src.money("refund_amount")
    status = src.text("status").str.to_lowercase()
    return df.with_columns(
        marketplace=pl.lit("Lazada"),
        currency=src.currency(c1),
        qty=pl.lit(1, dtype=pl.Int64),  # one row per order item
        item_price=unit,
        promo=disc.abs(),
        shipping_price=ship,
        refund=refund,
        cancelled=status.is_in(CANCELLED).fill_null(False),
        returned_qty=pl.when(status.is_in(["returned"])).then(1).otherwise(0).cast(pl.Int64),
    )


def _ebay(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    """eBay: ``Sold For`` per unit x ``Quantity``; eBay-collected tax is pass-through."""
    unit, c1 = src.money("item_unit_price")
    ship, c2 = src.money("shipping_price")
    tax, _ = src.money("taxes")
    status = src.text("status").str.to_lowercase()
    return df.with_columns(
        marketplace=pl.lit("eBay"),
        currency=src.currency(c1, c2),
        item_price=pl.select(unit * df["qty"].cast(MONEY)).to_series().cast(MONEY),
        shipping_price=ship,
        tax=tax,
        cancelled=status.str.contains("cancel").fill_null(False),
    )


def _walmart(src: Src, df: pl.DataFrame) -> pl.DataFrame:
    """Walmart: ``Item Cost`` is the line's item revenue, ``Tax`` pass-through."""
    price, c1 = src.money("item_price")
    ship, c2 = src.money("shipping_price")
    tax, _ = src.money("taxes")
    return df.with_columns(
        marketplace=pl.lit("Walmart"),
        currency=src.currency(c1, c2),
        item_price=price,
        shipping_price=ship,
        tax=tax,
        cancelled=src.text("status").str.to_lowercase().is_in(CANCELLED).fill_null(False),
    )
