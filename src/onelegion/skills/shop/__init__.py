"""Cross-border shop analytics: marketplace exports to P&L, reconciliation, ads, stock. 跨境电商分析

- ``shop.report``  every export in a folder: recognise, load, reconcile, profit per SKU, ads,
  stock cover; writes report.html, report.xlsx and CSVs (facts.csv traces every figure)
- ``shop.inspect`` which layout a file is, what was understood and what was not
- ``shop.restock`` days of cover, reorder point and suggested order quantity per SKU
- ``shop.ads``     search terms to negate and to promote, with the evidence
- ``shop.fx``      the ECB reference-rate history into the workspace (through ctx.http)

Only pydantic and the core are imported here; the work happens in ``service.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from onelegion.core.context import Context
from onelegion.core.skill import Skill, skill
from onelegion.skills.shop.models import (
    ShopAdsIn,
    ShopAdsOut,
    ShopFxIn,
    ShopFxOut,
    ShopInspectIn,
    ShopInspectOut,
    ShopReportIn,
    ShopReportOut,
    ShopRestockIn,
    ShopRestockOut,
)


def _demo_report(demo_dir: Path) -> dict[str, Any]:
    """Generate one month of exports of eight marketplaces into the demo folder."""
    from onelegion.skills.shop.samples import generate

    folder = demo_dir / "shop-exports"
    generate(folder, seed=7, orders=150, variant=0)
    return {"path": str(folder), "currency_of": ["Lazada=PHP", "Walmart=USD"]}


@skill(
    "shop.report",
    title="Shop report",
    summary="Every marketplace export in a folder → P&L per SKU, reconciliation, ads, stock cover; report.html, report.xlsx, CSVs.",
    version="1",
    examples=(
        "legion shop report downloads/",
        "legion shop report downloads/ --cogs cogs.xlsx --currency USD --fx rates.csv --month 2026-10",
        "legion shop report downloads/ --currency-of Lazada=PHP --map 'Artikelnummer=sku'",
    ),
    demo=_demo_report,
    demo_order=30,
    llm_calls=1,
)
def shop_report(ctx: Context, params: ShopReportIn) -> ShopReportOut:
    """Recognises each file by its headers (Amazon settlements V2 / Flat File / Date Range, All
    Orders, Sponsored Products reports, FBA inventory, returns, restock; Shopify, Shopee, TikTok
    Shop, Lazada, eBay, Walmart orders; TikTok Shop settlements, Shopee income reports, eBay and
    Walmart ads), loads them into one model with exact decimals, counts every money row once,
    checks the invariants (settlement rows sum to the deposit, orders against settlements,
    payouts against orders, ad spend once), and computes revenue, refunds, fees, ads, COGS and contribution margin per
    SKU, marketplace and month. Files it cannot read are listed with their headers; nothing is
    dropped silently. Inputs are never modified."""
    from onelegion.skills.shop.service import run_report

    return run_report(ctx, params)


@skill(
    "shop.inspect",
    title="Inspect an export",
    summary="Which marketplace layout a file is, which columns were understood, which were not.",
    version="1",
    examples=("legion shop inspect settlement.txt", "legion shop inspect orders.csv --json"),
)
def shop_inspect(ctx: Context, params: ShopInspectIn) -> ShopInspectOut:
    """Reads the file as text, recognises its layout from the headers (trimmed, case-folded,
    7/14-day and ACOS/ACoS variants, currency inside headers), and shows the field each header
    maps to, the headers it does not know, the currencies, decimal mark and time zone found, and
    the first canonical rows."""
    from onelegion.skills.shop.service import run_inspect

    return run_inspect(ctx, params)


@skill(
    "shop.restock",
    title="Restock plan",
    summary="Days of cover, reorder point and suggested order quantity per SKU from inventory and orders.",
    version="1",
    examples=("legion shop restock downloads/ --lead-time 35 --safety-days 14",),
)
def shop_restock(ctx: Context, params: ShopRestockIn) -> ShopRestockOut:
    """Daily demand = units sold in the last --window days (up to the newest order); days of
    cover = available / daily demand; reorder point = daily demand x lead time + safety stock;
    suggested order = (lead time + safety days) x daily demand - (available + inbound)."""
    from onelegion.skills.shop.service import run_restock

    return run_restock(ctx, params)


@skill(
    "shop.ads",
    title="Search-term actions",
    summary="Search terms to negate (spend, no orders) and to promote (orders under the target ACoS), with the evidence.",
    version="1",
    examples=("legion shop ads downloads/ --target-acos 25%",),
)
def shop_ads(ctx: Context, params: ShopAdsIn) -> ShopAdsOut:
    """Reads the Sponsored Products search term reports in the folder (legacy 7/14-day layouts
    and the 2026 console layout) and lists each term's clicks, spend, orders, ACoS, CTR, CPC and
    CVR with the action and the rows behind it."""
    from onelegion.skills.shop.service import run_ads

    return run_ads(ctx, params)


@skill(
    "shop.fx",
    title="Update exchange rates",
    summary="Download the ECB reference-rate history into the workspace (used by `shop report --currency`).",
    version="1",
    cacheable=False,
    examples=("legion shop fx",),
)
def shop_fx(ctx: Context, params: ShopFxIn) -> ShopFxOut:
    """Downloads eurofxref-hist.zip from the ECB through the shared HTTP client and keeps it as
    <workspace>/shop/ecb-rates.csv (currency per EUR, one row per day and currency)."""
    from onelegion.skills.shop.service import run_fx

    return run_fx(ctx, params)


SKILLS: list[Skill[BaseModel, BaseModel]] = [
    shop_report,
    shop_inspect,
    shop_restock,
    shop_ads,
    shop_fx,
]
