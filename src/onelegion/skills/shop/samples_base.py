"""The generator's building blocks: ground truth, SKUs, the generator state, file helpers."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

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


def local(t: datetime, tz: str) -> datetime:
    return t.astimezone(ZoneInfo(tz))


def tsv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)
