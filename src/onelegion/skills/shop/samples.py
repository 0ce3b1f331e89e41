"""A generator of marketplace exports in the documented layouts, with their ground-truth P&L.

It simulates a seller's month (orders, fees, refunds, promotions, ad spend, storage and
subscription fees) and writes what the marketplaces would export: Amazon.com All Orders (TSV),
Settlement Flat File V2 (TSV, one file per settlement), the Date Range transaction CSV of the
same period (a deliberate duplicate), Sponsored Products advertised-product and search-term
reports, FBA inventory and returns; Amazon.de All Orders and Settlement Flat File (36 or 33
columns, decimal commas, dd.mm.yyyy dates); Shopify, Shopee (English or Indonesian headers,
optionally .xlsx), TikTok Shop and Lazada orders, the TikTok Shop settlement and the Shopee income
report (even variants), eBay and Walmart orders and ads (samples_more.py); and cogs.csv. ``variant`` changes column
order, header case / trailing spaces, the ads layout (legacy 7-day or the 2026 console) and the
settlement layout. The truth is computed from the simulated events, not from the files.
"""

from __future__ import annotations

import random
from pathlib import Path

from onelegion.skills.shop.samples_base import Gen, Truth
from onelegion.skills.shop.samples_write import (
    write_table,
)


def generate(
    out: Path,
    *,
    seed: int = 7,
    orders: int = 120,
    variant: int = 0,
    month: str = "2026-10",
    bad: tuple[str, ...] = (),
) -> Truth:
    """Write one month of exports for every marketplace into ``out``; return the truth."""
    from onelegion.skills.shop import samples_market as mk
    from onelegion.skills.shop import samples_more as mm
    from onelegion.skills.shop import samples_other as mo

    out.mkdir(parents=True, exist_ok=True)
    y, m = (int(x) for x in month.split("-"))
    g = Gen(out=out, rng=random.Random(seed * 1000 + variant), variant=variant, month=(y, m))
    mk.amazon_us(g, orders, bad)
    mo.amazon_de(g, max(10, orders // 3))
    mo.shopify(g, max(10, orders // 4))
    mo.shopee(g, max(10, orders // 4))
    mo.tiktok(g, max(10, orders // 5))
    mo.lazada(g, max(10, orders // 5))
    mm.ebay(g, max(10, orders // 5))
    mm.walmart(g, max(10, orders // 5))
    rows = [["sku", "unit_cost", "currency", "effective_from"]]
    rows += [[s, f"{c}", cur, frm] for s, c, cur, frm in g.cogs]
    write_table(out / "cogs.csv", rows[0], rows[1:])
    if "unknown" in bad:
        write_table(
            out / "mystery_export.csv",
            ["Kundennummer", "Betrag", "Buchungstag"],
            [["K-1", "12,00", "01.10.2026"]],
        )
    return g.truth


__all__ = ["Truth", "generate"]
