"""A generator of marketplace exports in the documented layouts, with their ground-truth P&L.

It simulates a seller's month (orders, fees, refunds, promotions, ad spend, storage and
subscription fees) and writes what the marketplaces would export: Amazon.com All Orders (TSV),
Settlement Flat File V2 (TSV, one file per settlement), the Date Range transaction CSV of the
same period (a deliberate duplicate), Sponsored Products advertised-product and search-term
reports, FBA inventory and returns; Amazon.de All Orders and Settlement Flat File (36 or 33
columns, decimal commas, dd.mm.yyyy dates); Shopify, Shopee (English or Indonesian headers,
optionally .xlsx), TikTok Shop and Lazada orders; and cogs.csv. ``variant`` changes column
order, header case / trailing spaces, the ads layout (legacy 7-day or the 2026 console) and the
settlement layout. The truth is computed from the simulated events, not from the files.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from onelegion.skills.shop.samples_write import (
    AMZ_ORDERS_HEADER,
    V2_HEADER,
    flat_header,
    write_table,
)

C = Decimal("0.01")
LINES = (
    "revenue",
    "refunds",
    "promotions",
    "referral_fee",
    "fulfilment_fee",
    "shipping_fee",
    "storage_fee",
    "subscription_fee",
    "other_fee",
    "ads",
    "cogs",
    "other",
)


def d(x: float | str | Decimal) -> Decimal:
    return Decimal(str(x)).quantize(C, rounding=ROUND_HALF_UP)


@dataclass
class Truth:
    """Ground truth keyed by (marketplace, sku, month): line -> Decimal, plus units."""

    cells: dict[tuple[str, str, str], dict[str, Decimal]] = field(default_factory=dict)
    settlements: dict[str, Decimal] = field(default_factory=dict)
    currencies: dict[str, str] = field(default_factory=dict)

    def add(self, market: str, sku: str, when: datetime, line: str, amount: Decimal) -> None:
        key = (market, sku, when.strftime("%Y-%m"))
        cell = self.cells.setdefault(key, {})
        cell[line] = cell.get(line, Decimal(0)) + amount

    def total(self, market: str, line: str) -> Decimal:
        return sum(
            (c.get(line, Decimal(0)) for k, c in self.cells.items() if k[0] == market), Decimal(0)
        )


@dataclass
class Sku:
    sku: str
    asin: str
    name: str
    price: Decimal
    fba: Decimal
    cost: Decimal


def _skus(rng: random.Random, n: int, prefix: str) -> list[Sku]:
    names = [
        "蓝牙耳机",
        "Yoga Mat",
        "手机支架",
        "LED Lamp",
        "保温杯",
        "Phone Case",
        "Desk Fan",
        "充电线",
    ]
    out = []
    for i in range(n):
        price = d(rng.choice([9.99, 12.5, 19.99, 24.95, 29.99, 34.5, 49.99, 59.0]))
        out.append(
            Sku(
                f"{prefix}-{i + 1:03d}",
                f"B0{rng.randrange(10**8):08d}",
                f"{names[i % len(names)]} {i + 1}",
                price,
                d(rng.choice([3.22, 4.75, 5.4, 6.1])),
                d(float(price) * rng.choice([0.22, 0.3, 0.35])),
            )
        )
    return out


@dataclass
class Gen:
    out: Path
    rng: random.Random
    variant: int
    month: tuple[int, int]
    truth: Truth = field(default_factory=Truth)
    cogs: list[tuple[str, Decimal, str, str]] = field(default_factory=list)

    def when(self, minutes: bool = False) -> datetime:
        y, m = self.month
        start = datetime(y, m, 1, tzinfo=UTC)
        nxt = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
        span = int((nxt - start).total_seconds()) - 4 * 86400
        t = start + timedelta(seconds=self.rng.randrange(span))
        return t.replace(second=0) if minutes else t

    def drift(self, header: list[str]) -> list[str]:
        """Header drift of this variant: case changes, a trailing space (as in real exports)."""
        if self.variant % 3 == 1:
            return [h.upper() if self.rng.random() < 0.3 else h for h in header]
        if self.variant % 3 == 2:
            return [h + " " if self.rng.random() < 0.3 else h for h in header]
        return header

    def order(self, header: list[str]) -> list[str]:
        if self.variant % 2 == 1:
            header = header[:]
            self.rng.shuffle(header)
        return header


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


def local(t: datetime, tz: str) -> datetime:
    return t.astimezone(ZoneInfo(tz))


def tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


__all__ = [
    "AMZ_ORDERS_HEADER",
    "LINES",
    "V2_HEADER",
    "Gen",
    "Sku",
    "Truth",
    "d",
    "flat_header",
    "generate",
    "local",
    "tsv",
]
