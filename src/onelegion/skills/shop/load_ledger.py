"""Settlement-like files -> ledger rows (one row per amount) and settlement summaries.

Categories (docs/shop.md §Money): sales, shipping_credit, giftwrap_credit, promotion, tax,
withheld_tax, referral_fee, fulfilment_fee, shipping_fee, storage_fee, subscription_fee,
advertising, other_fee, reserve, transfer, other. Refund rows keep their category and carry
``is_refund``.
"""

from __future__ import annotations

import polars as pl

from onelegion.skills.shop.layouts import Layout
from onelegion.skills.shop.money import MONEY
from onelegion.skills.shop.tables import Src, conform

REFUND_TYPES = ["refund", "chargeback refund", "a-to-z guarantee refund", "safe-t reimbursement"]


def categorise_frame(df: pl.DataFrame, atype: str, desc: str, txn: str) -> pl.Series:
    """``categorise`` evaluated once per distinct (amount-type, description, type) triple."""
    keys = df.select(atype, desc, txn).unique()
    keys = keys.with_columns(_cat=categorise(pl.col(atype), pl.col(desc), pl.col(txn)))
    return df.select(atype, desc, txn).join(
        keys, on=[atype, desc, txn], how="left", nulls_equal=True, maintain_order="left"
    )["_cat"]


def categorise(amount_type: pl.Expr, desc: pl.Expr, txn: pl.Expr) -> pl.Expr:
    """Category of one settlement amount from (amount-type, amount-description, transaction-type)."""
    d = desc.str.to_lowercase().fill_null("")
    t = amount_type.str.to_lowercase().fill_null("")
    x = txn.str.to_lowercase().fill_null("")
    both = d + " " + x
    return (
        pl.when(d.str.contains("marketplacefacilitator|withheld") | t.str.contains("withheldtax"))
        .then(pl.lit("withheld_tax"))
        .when(both.str.contains("cost of advertising|advertising"))
        .then(pl.lit("advertising"))
        .when(both.str.contains("reserve"))
        .then(pl.lit("reserve"))
        .when(both.str.contains(r"storage"))
        .then(pl.lit("storage_fee"))
        .when(both.str.contains("subscription"))
        .then(pl.lit("subscription_fee"))
        .when(both.str.contains(r"^transfer|successful charge|payable to amazon|disbursement"))
        .then(pl.lit("transfer"))
        .when(t.str.contains("promotion") | d.str.contains("promotion|promo"))
        .then(pl.lit("promotion"))
        .when(d.str.contains("tax"))
        .then(pl.lit("tax"))
        .when(d.is_in(["principal", "product sales", "itemprice"]))
        .then(pl.lit("sales"))
        .when(d.is_in(["shipping", "shippingprice", "shipping credits"]))
        .then(pl.lit("shipping_credit"))
        .when(d.is_in(["giftwrap", "giftwrapprice", "gift wrap credits"]))
        .then(pl.lit("giftwrap_credit"))
        .when(d.str.contains("commission|closingfee|referral|selling fee"))
        .then(pl.lit("referral_fee"))
        .when(d.str.contains(r"^fba|fulfil|pick|weight|fba fees"))
        .then(pl.lit("fulfilment_fee"))
        .when(d.str.contains("shippingchargeback|shippinghb|shipping label|shipping fee"))
        .then(pl.lit("shipping_fee"))
        .when(t.str.contains("fee") | d.str.contains("fee"))
        .then(pl.lit("other_fee"))
        .otherwise(pl.lit("other"))
    )


def convert(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    if lay.kind == "ledger_v2":
        return _amazon_v2(lay, src, fname)
    if lay.kind == "ledger_flat":
        return _amazon_flat(lay, src, fname)
    if lay.kind == "ledger_txn":
        return _amazon_txn(lay, src, fname)
    from onelegion.skills.shop import load_payouts

    if lay.kind == "ledger_tiktok":
        return load_payouts.tiktok(lay, src, fname)
    if lay.kind == "ledger_shopee":
        return load_payouts.shopee_income(lay, src, fname)
    raise ValueError(f"no ledger loader for {lay.kind}")  # pragma: no cover


def _base(lay: Layout, src: Src, fname: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": pl.repeat(fname, src.n, eager=True),
            "row": src.rows(),
            "source": pl.repeat(lay.id, src.n, eager=True),
            "platform": pl.repeat(lay.platform, src.n, eager=True),
            "marketplace": src.text("marketplace"),
            "settlement_id": src.text("settlement_id"),
            "order_id": src.text("order_id"),
            "sku": src.text("sku"),
            "qty": src.ints("quantity"),
            "txn_type": src.text("transaction_type")
            if src.has("transaction_type")
            else src.text("type"),
        }
    )


def _summaries(lay: Layout, src: Src, fname: str) -> tuple[pl.DataFrame, pl.Series]:
    """The settlement summary rows (total-amount filled) and a mask of them."""
    total, tcur = src.money("total_amount")
    is_summary = total.is_not_null()
    idx = is_summary.arg_true()
    sub = Src(
        src.df[idx],
        src.rec,
        src.rep,
        src.default_tz,
        src.assumed_currency,
    )
    df = pl.DataFrame(
        {
            "file": pl.repeat(fname, sub.n, eager=True),
            "row": src.rows().gather(idx),
            "source": pl.repeat(lay.id, sub.n, eager=True),
            "settlement_id": sub.text("settlement_id"),
            "start": sub.times("start"),
            "end": sub.times("end"),
            "deposit_date": sub.times("deposit_date"),
            "total": total.gather(idx),
            "currency": sub.currency(tcur.gather(idx)),
        }
    )
    return conform(df, "settlements"), is_summary


def _fill_currency(df: pl.DataFrame, summaries: pl.DataFrame) -> pl.DataFrame:
    """Data rows of a settlement often leave 'currency' empty: it is on the summary row."""
    if df["currency"].null_count() == 0:
        return df
    by_sid = dict(
        summaries.select("settlement_id", "currency")
        .unique("settlement_id")
        .drop_nulls()
        .iter_rows()
    )
    return df.with_columns(
        currency=pl.coalesce(
            "currency",
            pl.col("settlement_id").replace_strict(by_sid, default=None, return_dtype=pl.Utf8),
        )
    )


def refill(df: pl.DataFrame, summaries: pl.DataFrame | None) -> pl.DataFrame:
    """After a file converted in slices: fill marketplace and currency across the slices."""
    df = _fill_marketplace(df)
    return _fill_currency(df, summaries) if summaries is not None else df


def _fill_marketplace(df: pl.DataFrame) -> pl.DataFrame:
    """Rows with an empty marketplace-name take the settlement's most common one."""
    if df["marketplace"].null_count() == 0:
        return df
    mode = (
        df.filter(pl.col("marketplace").is_not_null())
        .group_by("settlement_id", "marketplace")
        .len()
        .sort("len", descending=True)
        .unique("settlement_id", keep="first")
        .select("settlement_id", "marketplace")
        .drop_nulls()
    )
    by_sid = dict(mode.iter_rows())
    return df.with_columns(
        marketplace=pl.coalesce(
            "marketplace",
            pl.col("settlement_id").replace_strict(by_sid, default=None, return_dtype=pl.Utf8),
        )
    )


def _amazon_v2(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    summaries, is_summary = _summaries(lay, src, fname)
    amount, cur = src.money("amount")
    ts = src.times("posted_datetime") if src.has("posted_datetime") else src.times("posted_date")
    df = _base(lay, src, fname).with_columns(
        amount=amount,
        currency=src.currency(cur),
        ts=ts,
        _atype=src.text("amount_type"),
        description=src.text("amount_description"),
    )
    df = df.filter(~is_summary & pl.col("amount").is_not_null())
    df = df.with_columns(
        category=categorise_frame(df, "_atype", "description", "txn_type"),
        is_refund=pl.col("txn_type").str.to_lowercase().is_in(REFUND_TYPES).fill_null(False),
    )
    df = _fill_currency(_fill_marketplace(df), summaries)
    return {"ledger": conform(df, "ledger"), "settlements": summaries}


# (type column or None, amount column, amount-type used for classification)
_FLAT_PAIRS = (
    ("price_type", "price_amount", "ItemPrice"),
    ("item_fee_type", "item_fee_amount", "ItemFees"),
    ("shipment_fee_type", "shipment_fee_amount", "ItemFees"),
    ("order_fee_type", "order_fee_amount", "ItemFees"),
    ("promotion_type", "promotion_amount", "Promotion"),
    (None, "misc_fee_amount", "MiscFee"),
    ("other_fee_reason", "other_fee_amount", "OtherFee"),
    ("direct_payment_type", "direct_payment_amount", "DirectPayment"),
    (None, "other_amount", "other-transaction"),
)


def _amazon_flat(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    summaries, is_summary = _summaries(lay, src, fname)
    base = _base(lay, src, fname).with_columns(ts=src.times("posted_date"))
    parts = []
    for type_col, amount_col, atype in _FLAT_PAIRS:
        if not src.has(amount_col):
            continue
        amount, cur = src.money(amount_col)
        desc = src.text(type_col) if type_col else pl.repeat(None, src.n, dtype=pl.Utf8, eager=True)
        part = base.with_columns(
            amount=amount,
            currency=src.currency(cur),
            _atype=pl.lit(atype),
            description=desc,
        ).filter(~is_summary & pl.col("amount").is_not_null())
        if atype == "other-transaction":  # the transaction type says what it is
            part = part.with_columns(description=pl.coalesce("description", "txn_type"))
        if atype in {"MiscFee", "OtherFee"}:
            part = part.with_columns(description=pl.coalesce("description", pl.lit(atype)))
        parts.append(part)
    df = pl.concat(parts, how="vertical_relaxed") if parts else base.head(0)
    df = df.with_columns(
        category=categorise_frame(df, "_atype", "description", "txn_type"),
        is_refund=pl.col("txn_type").str.to_lowercase().is_in(REFUND_TYPES).fill_null(False),
    ).sort("row", maintain_order=True)
    df = _fill_currency(_fill_marketplace(df), summaries)
    return {"ledger": conform(df, "ledger"), "settlements": summaries}


# Date Range report: money column -> category (fee columns on order-less rows are re-read
# from the description: "Cost of Advertising", "FBA storage fee", "Subscription")
_TXN_COLUMNS = {
    "product_sales": "sales",
    "product_sales_tax": "tax",
    "shipping_credits": "shipping_credit",
    "shipping_credits_tax": "tax",
    "gift_wrap_credits": "giftwrap_credit",
    "gift_wrap_tax": "tax",
    "regulatory_fee": "tax",
    "regulatory_fee_tax": "tax",
    "promotional_rebates": "promotion",
    "promotional_rebates_tax": "tax",
    "withheld_tax": "withheld_tax",
    "sales_tax_collected": "tax",
    "selling_fees": "referral_fee",
    "fba_fees": "fulfilment_fee",
    "other_transaction_fees": "other_fee",
    "other": "other",
}


def _amazon_txn(lay: Layout, src: Src, fname: str) -> dict[str, pl.DataFrame]:
    base = _base(lay, src, fname).with_columns(
        ts=src.times("datetime"), description=src.text("description")
    )
    total, _ = src.money("total")
    parts = []
    summed = pl.repeat(0, src.n, dtype=pl.Int64, eager=True).cast(MONEY)
    for col, cat in _TXN_COLUMNS.items():
        if not src.has(col):
            continue
        amount, cur = src.money(col)
        summed = pl.select(summed + amount.fill_null(0)).to_series().cast(MONEY)
        part = base.with_columns(
            amount=amount, currency=src.currency(cur), category=pl.lit(cat)
        ).filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))
        parts.append(part)
    bad_rows = (total.is_not_null() & (summed != total)).fill_null(False)
    if bad_rows.any():
        rows = [i + 1 for i in bad_rows.arg_true().head(5).to_list()]
        src.rep.problems.append(
            f"{int(bad_rows.sum())} row(s) whose amounts do not add up to 'total' "
            f"(rows {', '.join(map(str, rows))})"
        )
    df = pl.concat(parts, how="vertical_relaxed") if parts else base.head(0)
    txn = pl.col("txn_type").str.to_lowercase().fill_null("")
    re_read = categorise(pl.lit("fee"), pl.col("description"), pl.col("txn_type"))
    df = df.with_columns(
        category=pl.when(
            pl.col("order_id").is_null()
            & ~pl.col("category").is_in(["tax", "withheld_tax"])
            & re_read.is_in(
                ["advertising", "storage_fee", "subscription_fee", "transfer", "reserve"]
            )
        )
        .then(re_read)
        .when(txn.str.starts_with("transfer"))
        .then(pl.lit("transfer"))
        .otherwise(pl.col("category")),
        is_refund=txn.is_in(REFUND_TYPES),
        marketplace=_amazon_site(pl.col("marketplace")),
    ).sort("row", maintain_order=True)
    return {"ledger": conform(_fill_marketplace(df), "ledger")}


def _amazon_site(m: pl.Expr) -> pl.Expr:
    """'amazon.com' -> 'Amazon.com' (the settlement and orders reports capitalise it)."""
    return (
        pl.when(m.str.to_lowercase().str.starts_with("amazon."))
        .then(pl.lit("Amazon.") + m.str.slice(7).str.to_lowercase())
        .otherwise(m)
    )
