"""TikTok Shop settlement and Shopee income (released payout) report in the P&L and the money
reconciliation (hand figures in tests/fixtures/shop/SOURCE.md)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.shop.shop_helpers import D, cell, copy, load

from onelegion.skills.shop.reconcile import orders_vs_settlements, run_checks, settlement_sums


def test_tiktok_settlement_booked_and_reconciled(tmp_path: Path) -> None:
    ds, p = load(copy(tmp_path, "tiktok_my"))
    led = ds.t("ledger")
    # trailing spaces in 'Actual shipping fee ', 'Affiliate commission ': recognised, and the
    # actual/platform/customer shipping parts are not booked beside 'Seller shipping fee'
    assert sorted(set(led["description"].to_list())) == [
        "Affiliate commission",
        "Refund subtotal after seller discounts",
        "SFP service fee",
        "Seller shipping fee",
        "Subtotal after seller discounts",
        "TikTok Shop commission fee",
        "Transaction fee",
    ]
    [chk] = settlement_sums(ds)
    assert chk.status == "ok" and "10 rows sum to 80.76 MYR; total-amount 80.76" in chk.detail
    a = cell(p.pnl, "TikTok Shop", "TT-A", "2026-10")
    assert (a["revenue"], a["referral_fee"], a["other_fee"], a["shipping_fee"]) == (
        D("100.00"),
        D("5.00"),
        D("3.16"),  # transaction 2.16 + SFP 1.00
        D("3.00"),
    )
    # units from the orders export, only for the orders the settlement pays (not #…004)
    assert (a["ads"], a["units"], a["cogs"], a["contribution"]) == (
        D("4.00"),
        2,
        D("40.00"),
        D("44.84"),
    )
    b = cell(p.pnl, "TikTok Shop", "TT-B", "2026-10")
    assert (b["revenue"], b["refunds"], b["units"], b["refunded_units"], b["cogs"]) == (
        D("50.00"),
        D("50.00"),
        1,
        1,
        D("0.00"),
    )
    assert b["contribution"] == D("-4.08")
    # orders against the settlement: per order, net of the seller's discount (110 - 10 = 100)
    [ovs], diffs = orders_vs_settlements(ds)
    assert ovs.status == "ok" and ovs.detail == "matched: 2, not settled yet: 1"
    assert diffs["order_id"].to_list() == ["577100000000000004"]
    # every amount traceable to its file and row
    fee = p.facts.filter((pl.col("line") == "shipping_fee") & (pl.col("sku") == "TT-A"))
    assert fee.select("file", "row").rows() == [("tiktok_settlement_my.csv", 1)]


def test_tiktok_settlement_columns_that_do_not_explain_the_total(tmp_path: Path) -> None:
    folder = copy(tmp_path, "tiktok_my")
    f = folder / "tiktok_my" / "tiktok_settlement_my.csv"
    f.write_text(f.read_text().replace(",84.84,", ",83.84,"), encoding="utf-8")
    ds, _ = load(folder)
    [chk] = settlement_sums(ds)
    assert chk.status == "mismatch"
    assert "rows sum to 80.76 MYR; total-amount 79.76 — off by +1.00" in chk.detail


def test_shopee_income_fees_refunds_and_payout(tmp_path: Path) -> None:
    ds, p = load(copy(tmp_path, "shopee_my"))
    a = cell(p.pnl, "Shopee MY", "SP-A", "2026-10")
    # revenue from the orders export (50 + 4 shipping + 25); the income report adds logistics
    # 4.00 + SST 0.24, AMS commission 2.00 and Shopee's rebate 1.00
    assert (a["revenue"], a["promotions"], a["other_fee"], a["shipping_fee"]) == (
        D("79.00"),
        D("5.00"),
        D("7.50"),
        D("4.24"),
    )
    assert (a["ads"], a["other"], a["cogs"], a["contribution"]) == (
        D("2.00"),
        D("1.00"),
        D("30.00"),
        D("31.26"),
    )
    b = cell(p.pnl, "Shopee MY", "SP-B", "2026-10")
    assert (b["refunds"], b["shipping_fee"], b["contribution"]) == (
        D("10.00"),
        D("3.00"),
        D("2.00"),
    )
    # the released payout is a cash movement, not profit
    assert p.pnl["contribution"].sum() == D("33.26")
    checks, _ = run_checks(ds, p)
    [pay] = [c for c in checks if c.name.startswith("payout")]
    assert pay.name == "payout Shopee MY MYR" and pay.status == "info"
    assert pay.detail == (
        "released 64.76 MYR for 3 order(s); 2 of 2 equal the order's money in the P&L; "
        "1 released order(s) not in the orders export; 1 order(s) not released yet"
    )
    assert {r["order_id"] for r in pay.rows} == {"2609990009", "2610010003"}
    # Shopee keeps its revenue from the orders: no 'orders ↔ settlements' check for it
    assert not [c for c in checks if c.name == "orders ↔ settlements"]


def test_shopee_payout_that_differs(tmp_path: Path) -> None:
    folder = copy(tmp_path, "shopee_my")
    f = folder / "shopee_my" / "shopee_income_released_my.csv"
    f.write_text(f.read_text().replace(",14.00,", ",15.50,"), encoding="utf-8")
    ds, p = load(folder)
    checks, _ = run_checks(ds, p)
    [pay] = [c for c in checks if c.name.startswith("payout")]
    assert "1 of 2 equal the order's money in the P&L (difference +1.50:" in pay.detail
