"""Invariants checked and reported, never assumed (docs/shop.md §Reconciliation).

1. A settlement's rows add up to its total-amount (the bank deposit), to the cent.
2. Orders against settlements: each shipped order line of a marketplace that has settlements is
   paid (principal in a settlement); paid order lines match the order's item price; settled
   orders missing from the orders report are listed.
3. Ad spend counted once: the ads reports against the settlement's "Cost of Advertising".
4. Returns whose order is unknown are listed (and not used in the return rate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl

from onelegion.skills.shop.dataset import Dataset
from onelegion.skills.shop.profit import NOT_PNL, Profit

PER_ORDER = {"TikTok Shop"}  # platforms whose settlement rows name the order, not the SKU


@dataclass
class Check:
    name: str
    status: str  # ok | mismatch | info
    detail: str
    rows: list[dict[str, object]] = field(default_factory=list)


def settlement_sums(ds: Dataset) -> list[Check]:
    out: list[Check] = []
    st = ds.t("settlements")
    led = ds.t("ledger")
    if st.is_empty():
        return out
    sums = led.group_by("settlement_id").agg(
        pl.col("amount").sum().alias("rows_sum"), pl.len().alias("n")
    )
    j = st.join(sums, on="settlement_id", how="left")
    for r in j.sort("settlement_id").iter_rows(named=True):
        total = r["total"] or Decimal(0)
        got = r["rows_sum"] or Decimal(0)
        diff = (got - total).quantize(Decimal("0.01"))
        ok = diff == 0
        out.append(
            Check(
                name=f"settlement {r['settlement_id']}",
                status="ok" if ok else "mismatch",
                detail=(
                    f"{r['n'] or 0} rows sum to {got:.2f} {r['currency'] or ''}; total-amount "
                    f"{total:.2f}"
                    + ("" if ok else f" — off by {diff:+.2f}: rows are missing or extra")
                ),
                rows=[
                    {
                        "file": r["file"],
                        "row": r["row"],
                        "total": f"{total:.2f}",
                        "rows_sum": f"{got:.2f}",
                        "difference": f"{diff:.2f}",
                    }
                ],
            )
        )
    return out


def orders_vs_settlements(ds: Dataset) -> tuple[list[Check], pl.DataFrame]:
    """Per (order, sku): ordered item price vs settled principal, for marketplaces that have
    settlement rows."""
    # lazy, streaming: the filters, group-bys and the full join run over the million order lines
    # without copying them, and only the lines that need a look are collected
    ledger, all_orders = ds.t("ledger"), ds.t("orders")
    if ledger.is_empty() or all_orders.is_empty():
        return [], pl.DataFrame()
    markets = (
        ledger.lazy()
        .filter((pl.col("category") == "sales") & ~pl.col("is_refund"))
        .select(pl.col("marketplace").drop_nulls().unique())
        .collect(engine="streaming")["marketplace"]
        .to_list()
    )
    orders = all_orders.lazy().filter(~pl.col("cancelled") & pl.col("marketplace").is_in(markets))
    if not markets or orders.select(pl.len()).collect(engine="streaming").item() == 0:
        return [], pl.DataFrame()
    # a settlement that pays per order (TikTok Shop) is compared per order, net of the seller's
    # discount (its 'Subtotal after seller discounts')
    per_order = pl.col("platform").is_in(list(PER_ORDER))
    paid = (
        ledger.lazy()
        .filter((pl.col("category") == "sales") & ~pl.col("is_refund"))
        .with_columns(sku=pl.when(per_order).then(None).otherwise(pl.col("sku")))
        .group_by("order_id", "sku")
        .agg(pl.col("amount").sum().alias("settled"), pl.col("file").min().alias("settlement_file"))
    )
    ordered = (
        orders.with_columns(
            sku=pl.when(per_order).then(None).otherwise(pl.col("sku")),
            item_price=pl.when(per_order)
            .then(pl.col("item_price") - pl.col("promo").fill_null(0))
            .otherwise(pl.col("item_price")),
        )
        .group_by("marketplace", "order_id", "sku")
        .agg(pl.col("item_price").sum().alias("ordered"), pl.col("file").min().alias("orders_file"))
    )
    j = (
        ordered.join(paid, on=["order_id", "sku"], how="full", coalesce=True, nulls_equal=True)
        .select(
            "marketplace", "order_id", "sku", "ordered", "orders_file", "settled", "settlement_file"
        )
        .with_columns(
            status=pl.when(pl.col("settled").is_null())
            .then(pl.lit("not settled yet"))
            .when(pl.col("ordered").is_null())
            .then(pl.lit("settled, not in orders report"))
            .when(pl.col("ordered") != pl.col("settled"))
            .then(pl.lit("amount differs"))
            .otherwise(pl.lit("matched"))
        )
    )
    count_frame, diffs = pl.collect_all(
        [
            j.group_by("status").len(),
            j.filter(pl.col("status") != "matched").sort("status", "order_id", "sku"),
        ],
        engine="streaming",
    )
    counts = {str(k): int(v) for k, v in count_frame.iter_rows()}
    checks = [
        Check(
            "orders ↔ settlements",
            "ok" if counts.get("amount differs", 0) == 0 else "mismatch",
            ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())),
        )
    ]
    return checks, diffs


def ads_once(ds: Dataset, profit: Profit) -> list[Check]:
    f = profit.facts
    dup = f.filter(pl.col("line") == "ads_duplicate")
    if dup.is_empty():
        return []
    rep = f.filter(  # (only Amazon settlements carry a Cost of Advertising)
        (pl.col("line") == "ads")
        & (pl.col("platform") == "Amazon")
        & ~pl.col("file").is_in(ds.t("ledger")["file"].unique().to_list())
    )
    out = []
    a = rep.group_by("marketplace", "month").agg(pl.col("amount").sum().alias("ads"))
    b = dup.group_by("marketplace", "month").agg(pl.col("amount").sum().alias("settled"))
    for r in (
        a.join(b, on=["marketplace", "month"], how="full", coalesce=True)
        .sort("marketplace", "month")
        .iter_rows(named=True)
    ):
        ads = -(r["ads"] or Decimal(0))
        st = -(r["settled"] or Decimal(0))
        diff = (st - ads).quantize(Decimal("0.01"))
        out.append(
            Check(
                f"ad spend {r['marketplace']} {r['month']}",
                "ok" if diff == 0 else "info",
                f"ads reports {ads:.2f}; settlement 'Cost of Advertising' {st:.2f}; counted once "
                f"(from the ads reports)"
                + (
                    ""
                    if diff == 0
                    else f" — they differ by {diff:+.2f} (billing dates vs click dates)"
                ),
            )
        )
    return out


def payouts(ds: Dataset, profit: Profit) -> list[Check]:
    """Shopee income report: each order's released payout against the P&L money of the same
    order (orders export + the income report's fees, rebates and refunds; before COGS)."""
    led = ds.t("ledger")
    rel = (
        led.lazy()
        .filter((pl.col("source") == "shopee.income") & (pl.col("category") == "transfer"))
        .group_by("marketplace", "currency", "order_id")
        .agg(pl.col("amount").sum().alias("released"))
        .collect()
    )
    if rel.is_empty():
        return []
    markets = sorted(set(rel["marketplace"].drop_nulls().to_list()))
    earned = (
        profit.facts.lazy()
        .filter(
            pl.col("marketplace").is_in(markets)
            & pl.col("order_id").is_not_null()
            & ~pl.col("line").is_in(["cogs", *NOT_PNL])
        )
        .group_by("marketplace", "currency", "order_id")
        .agg(pl.col("amount").sum().alias("earned"))
        .collect()
    )
    j = rel.join(earned, on=["marketplace", "currency", "order_id"], how="full", coalesce=True)
    out = []
    for (market, cur), g in j.sort("marketplace", "currency", "order_id").group_by(
        "marketplace", "currency", maintain_order=True
    ):
        both = g.filter(pl.col("released").is_not_null() & pl.col("earned").is_not_null())
        same = both.filter(pl.col("released") == pl.col("earned"))
        only_rel = g.filter(pl.col("earned").is_null()).height
        unpaid = g.filter(pl.col("released").is_null()).height
        total = g["released"].sum()
        diff = Decimal(str(both["released"].sum() or 0)) - Decimal(str(both["earned"].sum() or 0))
        ok = same.height == both.height and not only_rel
        out.append(
            Check(
                f"payout {market} {cur}",
                "ok" if ok else "info",
                f"released {Decimal(total):.2f} {cur} for {g['released'].count()} order(s); "
                f"{same.height} of {both.height} equal the order's money in the P&L"
                + (
                    ""
                    if same.height == both.height
                    else f" (difference {Decimal(diff):+.2f}: fees or rebates the report "
                    "does not itemise)"
                )
                + (f"; {only_rel} released order(s) not in the orders export" if only_rel else "")
                + (f"; {unpaid} order(s) not released yet" if unpaid else ""),
                rows=g.filter(
                    pl.col("released").is_null()
                    | pl.col("earned").is_null()
                    | (pl.col("released") != pl.col("earned"))
                )
                .head(20)
                .with_columns(pl.col("released", "earned").cast(pl.Utf8))
                .to_dicts(),
            )
        )
    return out


def orphan_returns(ds: Dataset) -> list[Check]:
    ret = ds.t("returns")
    if ret.is_empty():
        return []
    known = (
        pl.concat([ds.t("orders").select("order_id"), ds.t("ledger").select("order_id")])
        .drop_nulls()
        .unique()
    )
    orphan = ret.join(known, on="order_id", how="anti")
    if orphan.is_empty():
        return [Check("returns ↔ orders", "ok", f"all {ret.height} return rows match an order")]
    return [
        Check(
            "returns ↔ orders",
            "info",
            f"{orphan.height} of {ret.height} return rows have no matching order in these files "
            "(returns are dated by return request and can belong to earlier months): not used in "
            "the return rate",
            rows=orphan.head(20).select("file", "row", "order_id", "sku").to_dicts(),
        )
    ]


def run_checks(
    ds: Dataset, profit: Profit, matched: tuple[list[Check], pl.DataFrame] | None = None
) -> tuple[list[Check], pl.DataFrame]:
    """All the checks. ``matched`` = ``orders_vs_settlements(ds)`` when the caller ran it
    already (before the facts exist, so its peak memory does not add to theirs)."""
    checks = settlement_sums(ds)
    ovs, diffs = matched if matched is not None else orders_vs_settlements(ds)
    checks += ovs + payouts(ds, profit) + ads_once(ds, profit) + orphan_returns(ds)
    if profit.missing_cost:
        checks.append(
            Check(
                "cost of goods",
                "mismatch",
                f"{len(profit.missing_cost)} SKU(s) sold without a cost: "
                + ", ".join(profit.missing_cost[:10])
                + (" …" if len(profit.missing_cost) > 10 else "")
                + " — their contribution excludes COGS (give --cogs)",
            )
        )
    for n in ds.notes + profit.notes:
        checks.append(Check("counted once", "info", n))
    return checks, diffs
