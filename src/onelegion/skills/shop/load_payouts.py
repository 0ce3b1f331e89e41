"""Marketplace payout files -> ledger rows: the TikTok Shop settlement and the Shopee income
(released payout) report (ecom-formats.md §2.8, §2.9; docs/shop.md §Money).

TikTok Shop settlement: one row per order (or adjustment) with its revenue, each fee and the
``Total settlement amount``. Each amount column becomes one ledger row, signed as the file
writes it (fees negative). The file's rows make one settlement whose total is the sum of
``Total settlement amount``, so the usual invariant (the rows add up to the total, to the cent)
checks that the columns read explain the payout; a column we do not read shows up there as a
difference, never silently. ``Seller shipping fee`` is TikTok's net of the actual shipping fee,
the platform's shipping discount and the customer's shipping fee: it is booked instead of those
three (they are read only when it is absent), so shipping is counted once.

Shopee income report: the known column subset has no product price, so Shopee's revenue keeps
coming from its orders export; the report adds what the orders export lacks: logistics and
return fees, affiliate (AMS) commission, programme fees, Shopee's rebates and refunds. Its
``Total Released Amount`` is the payout per order: kept as a pass-through row (not profit) and
reconciled against the orders (reconcile.py, "payout").
"""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.load_orders import SHOPEE_SITES
from onelegion.skills.shop.money import MONEY
from onelegion.skills.shop.tables import Src, conform

# field -> (category, is_refund)
_TIKTOK = {
    "subtotal_after_discount": ("sales", False),
    "refund_subtotal": ("sales", True),
    "commission_fee": ("referral_fee", False),
    "transaction_fee": ("other_fee", False),
    "sfp_fee": ("other_fee", False),
    "seller_shipping": ("shipping_fee", False),
    "affiliate_ads_commission": ("advertising", False),
    "affiliate_commission": ("advertising", False),
    "affiliate_partner_commission": ("advertising", False),
}
_TIKTOK_SHIPPING_PARTS = ("actual_shipping", "platform_shipping_discount", "customer_shipping")

# field -> (category, sign: -1 = a cost whatever the file's sign, +1 = money to the seller)
_SHOPEE = {
    "refund_amount": ("sales", -1),  # booked as a refund
    "return_to_seller_fee": ("shipping_fee", -1),
    "logistic_fee": ("shipping_fee", -1),
    "seller_shipping_sst": ("shipping_fee", -1),
    "reverse_shipping": ("shipping_fee", -1),
    "reverse_shipping_sst": ("shipping_fee", -1),
    "ams_commission": ("advertising", -1),
    "saver_fee": ("other_fee", -1),
    "shopee_rebate": ("other", 1),
}


def _base(lay: Layout, src: Src, fname: str, marketplace: pl.Series | str) -> pl.DataFrame:
    df = pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "source": pl.repeat(lay.id, src.n, eager=True),
            "platform": pl.repeat(lay.platform, src.n, eager=True),
            "order_id": src.text("order_id"),
            "ts": src.times("datetime"),
            "txn_type": src.text("type"),
        }
    )
    m = marketplace if isinstance(marketplace, pl.Series) else pl.lit(marketplace)
    return df.with_columns(marketplace=m)


def _part(
    base: pl.DataFrame, src: Src, field: str, category: str, refund: bool, sign: int = 0
) -> pl.DataFrame:
    amount, cur = src.money(field)
    if sign:
        amount = pl.select(amount.abs() * sign).to_series().cast(MONEY)
    return base.with_columns(
        amount=amount,
        currency=src.currency(cur),
        category=pl.lit(category),
        is_refund=pl.lit(refund),
        description=pl.lit(src.rec.columns[field].strip()),
    ).filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))


def tiktok(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    sid = f"{fname} (TikTok Shop statement)"
    base = _base(lay, src, fname, "TikTok Shop").with_columns(settlement_id=pl.lit(sid))
    fields = dict(_TIKTOK)
    if not src.has("subtotal_after_discount") and not src.has("refund_subtotal"):
        fields["total_revenue"] = ("sales", False)
    if not src.has("seller_shipping"):
        fields.update({f: ("shipping_fee", False) for f in _TIKTOK_SHIPPING_PARTS})
    parts = [_part(base, src, f, cat, ref) for f, (cat, ref) in fields.items() if src.has(f)]
    led = pl.concat(parts, how="vertical_relaxed") if parts else base.head(0)
    # a refund line is negative; a file that writes it positive is read as money given back
    led = led.with_columns(
        amount=pl.when(pl.col("is_refund")).then(-pl.col("amount").abs()).otherwise("amount")
    ).sort("row", maintain_order=True)
    total, tcur = src.money("total_settlement")
    currency = src.currency(tcur)
    ts = base["ts"]
    summary = pl.DataFrame(
        {
            "file": [fname],
            "row": [None],
            "source": [lay.id],
            "settlement_id": [sid],
            "start": [ts.min()],
            "end": [ts.max()],
            "deposit_date": [None],
            "total": [total.sum()],
            "currency": [next(iter(currency.drop_nulls().mode().sort().to_list()), None)],
        },
        schema_overrides={"row": pl.Int64, "deposit_date": pl.Datetime("us"), "total": MONEY},
    )
    return {"ledger": conform(led, "ledger"), "settlements": conform(summary, "settlements")}


def shopee_income(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    released, rcur = src.money("released")
    currency = src.currency(rcur)
    site = currency.replace_strict(SHOPEE_SITES, default=None, return_dtype=pl.Utf8)
    market = pl.select(
        pl.when(site.is_not_null()).then(pl.lit("Shopee ") + site).otherwise(pl.lit("Shopee"))
    ).to_series()
    base = _base(lay, src, fname, market)
    parts = [
        _part(base, src, f, cat, f == "refund_amount", sign)
        for f, (cat, sign) in _SHOPEE.items()
        if src.has(f)
    ]
    payout = base.with_columns(
        amount=released,
        currency=currency,
        category=pl.lit("transfer"),
        is_refund=pl.lit(False),
        description=pl.lit("payout: " + src.rec.columns["released"].strip()),
    ).filter(pl.col("amount").is_not_null())
    led = pl.concat([*parts, payout], how="vertical_relaxed").sort("row", maintain_order=True)
    return {"ledger": conform(led, "ledger")}
