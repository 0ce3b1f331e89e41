"""Small real-layout files whose figures were worked out by hand (tests/fixtures/shop/SOURCE.md)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from tests.shop.shop_helpers import FIX, D, cell, copy, load

from onelegion.skills.shop.ads import search_terms
from onelegion.skills.shop.reconcile import settlement_sums
from onelegion.skills.shop.stock import restock


def test_settlement_v2_by_hand(tmp_path: Path) -> None:
    folder = copy(tmp_path, "settlement_v2_small.txt", "cogs_small.csv")
    ds, p = load(folder)
    # the settlement's 14 rows add up to its total-amount 0.98 (hand sum in SOURCE.md)
    [chk] = settlement_sums(ds)
    assert chk.status == "ok" and "sum to 0.98" in chk.detail
    a = cell(p.pnl, "Amazon.com", "SKU-A", "2026-10")
    assert (a["units"], a["refunded_units"]) == (2, 1)
    assert a["revenue"] == D("40.00") and a["refunds"] == D("20.00")
    assert a["promotions"] == D("4.00")
    assert a["referral_fee"] == D("3.60")  # 6.00 - 3.00 refunded + 0.60 refund commission
    assert a["fulfilment_fee"] == D("8.44")
    assert a["cogs"] == D("5.00")  # (2 sold - 1 refunded) x 5.00
    assert a["contribution"] == D("-1.04")
    assert a["margin_pct"] == -5.2  # -1.04 / 20.00
    b = cell(p.pnl, "Amazon.com", "SKU-B", "2026-10")
    assert (b["revenue"], b["fees"], b["cogs"], b["contribution"]) == (
        D("25.50"),
        D("9.23"),
        D("8.00"),
        D("8.27"),
    )
    acct = cell(p.pnl, "Amazon.com", "(account)", "2026-10")
    # storage fee and, with no ads report, the settlement's Cost of Advertising
    assert (acct["storage_fee"], acct["ads"], acct["contribution"]) == (
        D("7.25"),
        D("12.00"),
        D("-19.25"),
    )
    # tax collected and withheld is pass-through: not in the P&L
    assert p.pnl["contribution"].sum() == D("-12.02")
    # every figure traceable: SKU-A's revenue is row 2 of the file
    rev = p.facts.filter((pl.col("sku") == "SKU-A") & (pl.col("line") == "revenue"))
    assert rev.select("file", "row").rows() == [("settlement_v2_small.txt", 2)]


def test_flat_file_33_columns_decimal_comma(tmp_path: Path) -> None:
    ds, p = load(copy(tmp_path, "flat_file_de_33.txt"))
    [chk] = settlement_sums(ds)
    assert chk.status == "ok" and "882.45" in chk.detail
    d = cell(p.pnl, "Amazon.de", "SKU-D", "2026-10")
    assert (d["revenue"], d["referral_fee"], d["fulfilment_fee"]) == (
        D("1049.00"),
        D("157.35"),
        D("5.40"),
    )
    # the storage row has no marketplace name: it takes its settlement's
    assert cell(p.pnl, "Amazon.de", "(account)", "2026-10")["storage_fee"] == D("3.80")
    assert set(ds.t("ledger")["currency"].to_list()) == {"EUR"}


def test_date_range_time_zones_and_row_sums(tmp_path: Path) -> None:
    ds, p = load(copy(tmp_path, "date_range_small.csv"))
    [rep] = ds.files
    assert rep.layout == "amazon.transactions" and rep.currencies == ["USD"]
    # row 4's parts add up to 8.50, not its total 8.00
    assert any("do not add up to 'total' (rows 4)" in x for x in rep.problems)
    # 11:30 PM PDT on 31 October is 06:30 UTC on 1 November
    first = ds.t("ledger").filter(pl.col("row") == 1)["ts"].unique().to_list()
    assert first == [datetime(2026, 11, 1, 6, 30)]
    t = cell(p.pnl, "Amazon.com", "SKU-T", "2026-11")
    assert (t["revenue"], t["refunds"], t["referral_fee"], t["fulfilment_fee"]) == (
        D("29.99"),
        D("19.99"),
        D("2.10"),
        D("4.75"),
    )
    assert cell(p.pnl, "Amazon.com", "(account)", "2026-11")["ads"] == D("15.00")


def test_shopify_order_level_amounts_allocated_to_the_cent(tmp_path: Path) -> None:
    ds, p = load(copy(tmp_path, "shopify_orders_small.csv"))
    o = ds.t("orders").filter(pl.col("order_id") == "#2001").sort("row")
    # discount 10.01 over lines of 30.00 and 20.00: 6.006 -> 6.01 and 4.004 -> 4.00
    assert o["promo"].to_list() == [D("6.01"), D("4.00")]
    assert o["shipping_price"].to_list() == [D("3.00"), D("2.00")]
    assert o["ts"].to_list() == [datetime(2026, 10, 5, 14, 0)] * 2  # -0400 carried to line 2
    x = cell(p.pnl, "Shopify", "SKU-X", "2026-10")
    assert (x["units"], x["revenue"], x["promotions"]) == (1, D("33.00"), D("6.01"))
    # #2003 was created 21:30 -0400 on 31 October = 01:30 UTC on 1 November
    y10 = cell(p.pnl, "Shopify", "SKU-Y", "2026-10")
    y11 = cell(p.pnl, "Shopify", "SKU-Y", "2026-11")
    assert (y10["units"], y10["revenue"], y10["promotions"]) == (2, D("22.00"), D("4.00"))
    assert (y11["units"], y11["revenue"], y11["refunds"]) == (1, D("10.00"), D("10.00"))
    assert ds.t("orders").filter(pl.col("order_id") == "#2002")["cancelled"].to_list() == [True]


def test_search_terms_negate_and_promote(tmp_path: Path) -> None:
    ds, _ = load(copy(tmp_path, "sp_search_term_in_14day.csv"))
    [rep] = ds.files
    assert (rep.layout, rep.variant) == ("amazon.ads.search_term", "14-day attribution")
    terms = search_terms(ds, target_acos=25, negate_spend=10, negate_clicks=15, promote_orders=2)
    by = {r["search_term"]: r for r in terms.iter_rows(named=True)}
    cheap = by["cheap mat"]
    assert cheap["action"] == "negate"
    assert (cheap["spend"], cheap["ctr_pct"], cheap["cpc"]) == (Decimal("250.00"), 2.0, 12.5)
    assert by["mat"]["action"] == "negate"  # 16 clicks >= 15, spend only 8.00
    six = by["yoga mat 6mm"]  # two days summed: 300 spend, 2400 sales, 4 orders, 25 clicks
    assert six["action"] == "promote"
    assert (six["spend"], six["sales"], six["orders"], six["acos_pct"], six["roas"]) == (
        Decimal("300.00"),
        Decimal("2400.00"),
        4,
        12.5,
        8.0,
    )
    assert six["cvr_pct"] == 16.0
    assert by["yoga mat"]["action"] == ""  # exact match, ACoS 33.33% > 25%
    assert by["yoga mat"]["acos_pct"] == 33.33
    assert set(ds.t("ads")["currency"].to_list()) == {"INR"}


def test_restock_by_hand(tmp_path: Path) -> None:
    ds, _ = load(copy(tmp_path, "restock"))
    table, as_of = restock(ds, lead_time=35, safety_days=14)
    assert as_of == datetime(2026, 10, 30, 10, 0)
    r = {x["sku"]: x for x in table.iter_rows(named=True)}
    # SKU-A: 60 units in the 30 days (the 99 on 1 September is older): 2.0 a day
    assert (r["SKU-A"]["daily"], r["SKU-A"]["days_cover"], r["SKU-A"]["band"]) == (
        2.0,
        15.0,
        "warning",
    )
    assert (r["SKU-A"]["reorder_point"], r["SKU-A"]["suggested_qty"]) == (98, 58)
    assert r["SKU-A"]["amazon_at_risk"] is False
    assert (r["SKU-B"]["days_cover"], r["SKU-B"]["band"], r["SKU-B"]["suggested_qty"]) == (
        0.0,
        "critical",
        25,
    )
    assert (r["SKU-C"]["band"], r["SKU-C"]["suggested_qty"]) == ("no demand", 0)
    assert table["sku"].to_list()[0] == "SKU-B"  # most urgent first


def test_large_files_converted_in_slices_give_the_same_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onelegion.skills.shop import load as load_mod

    whole = load_mod.load_file(FIX / "settlement_v2_small.txt")
    orders_whole = load_mod.load_file(FIX / "restock" / "All_Orders.txt")
    monkeypatch.setattr(load_mod, "CHUNK_ROWS", 4)  # 15 rows -> 4 slices
    sliced = load_mod.load_file(FIX / "settlement_v2_small.txt")
    for name in ("ledger", "settlements"):
        assert sliced.tables[name].equals(whole.tables[name]), name
    monkeypatch.setattr(load_mod, "CHUNK_ROWS", 2)
    orders_sliced = load_mod.load_file(FIX / "restock" / "All_Orders.txt")
    assert orders_sliced.tables["orders"].equals(orders_whole.tables["orders"])


def test_large_files_streamed_in_batches_give_the_same_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onelegion.skills.shop import load as load_mod

    names = ("settlement_v2_small.txt", "flat_file_de_33.txt", "date_range_small.csv")
    whole = {n: load_mod.load_file(FIX / n) for n in names}
    orders_whole = load_mod.load_file(FIX / "restock" / "All_Orders.txt")
    monkeypatch.setattr(load_mod, "LARGE_BYTES", 0)
    monkeypatch.setattr(load_mod, "CHUNK_ROWS", 3)
    for n in names:
        got = load_mod.load_file(FIX / n)
        for t in whole[n].tables:
            assert got.tables[t].equals(whole[n].tables[t]), (n, t)
        assert got.report.layout == whole[n].report.layout
    streamed = load_mod.load_file(FIX / "restock" / "All_Orders.txt")
    assert streamed.tables["orders"].equals(orders_whole.tables["orders"])
    assert streamed.report.rows == 5
