"""Week-over-week anomalies against each SKU's own noise (figures worked out by hand)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import polars as pl

from onelegion.skills.shop.anomalies import anomalies, weekly
from onelegion.skills.shop.profit import FACT_SCHEMA


def facts(series: dict[str, list[tuple[str, str, int]]]) -> pl.DataFrame:
    """sku -> weekly (revenue, contribution, units), weeks starting Monday 2026-09-07."""
    rows = []
    for sku, weeks in series.items():
        for i, (rev, contrib, units) in enumerate(weeks):
            ts = datetime(2026, 9, 8) + timedelta(weeks=i)  # a Tuesday
            base = {
                "file": "f",
                "row": i + 1,
                "platform": "Amazon",
                "marketplace": "Amazon.com",
                "currency": "USD",
                "sku": sku,
                "order_id": None,
                "ts": ts,
                "month": ts.strftime("%Y-%m"),
            }
            rows.append(
                {
                    **base,
                    "line": "revenue",
                    "amount": Decimal(rev),
                    "units": units,
                    "refunded_units": 0,
                }
            )
            rows.append(
                {
                    **base,
                    "line": "cogs",
                    "amount": Decimal(contrib) - Decimal(rev),
                    "units": 0,
                    "refunded_units": 0,
                }
            )
    return pl.DataFrame(rows, schema=FACT_SCHEMA)


def test_margin_drop_beyond_own_noise_is_flagged() -> None:
    f = facts(
        {
            # margins 30, 31, 29, 30, 10 %: changes +1, -2, +1, then -20
            "SKU-A": [
                ("100", "30", 10),
                ("100", "31", 10),
                ("100", "29", 10),
                ("100", "30", 10),
                ("100", "10", 10),
            ],
            # noisy but steady: 30, 20, 35, 25, 30 %
            "SKU-B": [
                ("100", "30", 10),
                ("100", "20", 10),
                ("100", "35", 10),
                ("100", "25", 10),
                ("100", "30", 10),
            ],
        }
    )
    w = weekly(f)
    assert w.filter(pl.col("sku") == "SKU-A")["margin_pct"].to_list() == [
        30.0,
        31.0,
        29.0,
        30.0,
        10.0,
    ]
    a = anomalies(f)
    assert a.select("sku", "metric", "value", "previous", "change").rows() == [
        ("SKU-A", "margin_pct", 10.0, 30.0, -20.0)
    ]
    # noise = sample std of +1, -2, +1 = sqrt(3) = 1.73; 20 / 1.73 = 11.5 times
    assert a["noise"].to_list() == [1.73] and a["times_noise"].to_list() == [11.5]


def test_units_jump_and_too_little_history() -> None:
    f = facts(
        {
            "SKU-C": [
                ("100", "30", 10),
                ("100", "30", 11),
                ("100", "30", 9),
                ("100", "30", 10),
                ("100", "30", 40),
            ]
        }
    )
    a = anomalies(f)
    assert a.select("metric", "value", "previous", "change").rows() == [("units", 40.0, 10.0, 30.0)]
    short = facts({"SKU-D": [("100", "30", 10), ("100", "30", 11), ("100", "5", 50)]})
    assert anomalies(short).is_empty()
