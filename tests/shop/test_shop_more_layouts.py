"""eBay and Walmart orders and ads (ecom-formats.md "Bonus"); Temu/AliExpress said plainly."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from tests.shop.shop_helpers import FIX, D, cell, copy

from onelegion.skills.shop.dataset import load_paths
from onelegion.skills.shop.load import load_file
from onelegion.skills.shop.profit import ADS_NO_SKU, build_facts


def test_ebay_and_walmart_orders_and_ads(tmp_path: Path) -> None:
    folder = copy(tmp_path, "ebay_walmart")
    ds = load_paths([folder], currency_of={"walmart": "USD"})
    layouts = {f.file: f.layout for f in ds.files}
    assert layouts == {
        "eBay-OrdersReport-Oct-31-2026.csv": "ebay.orders",
        "eBay-promoted-listings-sales.csv": "ebay.ads",
        "walmart_orders.csv": "walmart.orders",
        "walmart_sp_campaign.csv": "walmart.ads",
    }
    assert all(not f.problems for f in ds.files), [f.problems for f in ds.files]
    o = ds.t("orders").sort("file", "row")
    # eBay 'Oct-05-26' read as 5 Oct 2026, Los Angeles time -> UTC
    assert o.filter(pl.col("sku") == "EB-MUG")["ts"].dt.strftime("%Y-%m-%d %H:%M").to_list() == [
        "2026-10-05 07:00"
    ]
    p = build_facts(ds, None)
    mug = cell(p.pnl, "eBay", "EB-MUG", "2026-10")
    # Sold For is per unit: 2 x 12.50 + 4.00 shipping; eBay-collected tax is not revenue
    assert (mug["revenue"], mug["units"]) == (D("29.00"), 2)
    assert cell(p.pnl, "eBay", "EB-LAMP", "2026-10")["revenue"] == D("40.00")
    assert cell(p.pnl, "eBay", ADS_NO_SKU, "2026-10")["ads"] == D("2.50")
    towel = cell(p.pnl, "Walmart", "WM-TOWEL", "2026-10")
    assert (towel["revenue"], towel["units"]) == (D("62.96"), 3)  # 18.99 + 37.98 + 5.99
    assert cell(p.pnl, "Walmart", ADS_NO_SKU, "2026-10")["ads"] == D("7.50")
    assert p.ads_source == {
        "eBay USD 2026-10": "promoted_listings",
        "Walmart USD 2026-10": "campaign",
    }


def test_walmart_without_a_currency_asks_for_one(tmp_path: Path) -> None:
    rep = load_file(FIX / "ebay_walmart" / "walmart_orders.csv").report
    assert rep.problems == [
        "some amounts have no currency (none in the file): give --currency-of 'Walmart=XXX'"
    ]


def test_temu_and_aliexpress_are_said_plainly() -> None:
    seller = load_file(FIX / "temu" / "temu_seller_orders.csv").report
    assert seller.layout is None
    assert seller.problems[0].startswith(
        "layout not recognised; Temu/AliExpress seller exports are not supported yet — send a "
        "sample (headers: '订单号'"
    )
    buyer = load_file(FIX / "temu" / "temu_data_export.csv").report
    assert buyer.problems[0].startswith(
        "layout not recognised: this is a Temu *buyer* data export (your purchases), not a seller "
        "export; Temu/AliExpress seller exports are not supported yet — send a sample"
    )
