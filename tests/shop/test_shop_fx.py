"""Exchange rates: ECB layout, ASOF days, refunds at the original sale's rate, `shop fx` offline."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import httpx2
import polars as pl
import pytest
from tests.shop.shop_helpers import FIX

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.http import HttpFactory
from onelegion.skills.shop import shop_fx
from onelegion.skills.shop.fx import convert_facts, read_rates, store_path
from onelegion.skills.shop.models import ShopFxIn
from onelegion.skills.shop.profit import FACT_COLUMNS

ECB = FIX / "eurofxref-hist-excerpt.csv"


def facts(rows: list[tuple[str, str, datetime, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "file": ["f"] * len(rows),
            "row": list(range(1, len(rows) + 1)),
            "platform": ["Amazon"] * len(rows),
            "marketplace": ["Amazon.com"] * len(rows),
            "currency": [r[4] for r in rows],
            "sku": ["A"] * len(rows),
            "order_id": [r[0] for r in rows],
            "ts": [r[2] for r in rows],
            "month": ["2026-10"] * len(rows),
            "line": [r[1] for r in rows],
            "amount": [Decimal(r[3]) for r in rows],
            "units": [0] * len(rows),
            "refunded_units": [0] * len(rows),
        },
        schema_overrides={"amount": pl.Decimal(18, 4)},
    ).select(FACT_COLUMNS)


def test_ecb_layout_newest_first_with_gaps() -> None:
    r = read_rates(ECB)
    assert r.filter((pl.col("currency") == "USD") & (pl.col("date") == date(2026, 10, 2)))[
        "rate"
    ].to_list() == [1.1]
    assert r.filter(pl.col("currency") == "ISK").height == 2  # N/A days are gaps, not zeros
    assert r.filter(pl.col("currency") == "EUR")["rate"].unique().to_list() == [1.0]


def test_refund_uses_the_sale_rate_and_weekends_the_last_rate() -> None:
    f = facts(
        [
            ("O1", "revenue", datetime(2026, 10, 2, 12), "110.00", "USD"),
            ("O1", "refunds", datetime(2026, 10, 5, 12), "-110.00", "USD"),
            ("O2", "revenue", datetime(2026, 10, 4, 12), "87.00", "GBP"),  # a Sunday: Friday's rate
            ("O3", "revenue", datetime(2026, 10, 6, 12), "50.00", "EUR"),
        ]
    )
    out, gaps = convert_facts(f, read_rates(ECB), "EUR")
    assert gaps == []
    assert out["amount_rc"].to_list() == [
        Decimal("100.00"),
        Decimal("-100.00"),
        Decimal("101.16"),
        Decimal("50.00"),
    ]
    usd, _ = convert_facts(f, read_rates(ECB), "USD")
    # 87 GBP -> EUR at 0.86 -> USD at 1.10 (both of Friday 2 October)
    assert usd["amount_rc"].to_list()[2] == Decimal("111.28")


def test_missing_rates_are_gaps_not_guesses() -> None:
    f = facts([("O1", "revenue", datetime(2026, 9, 1), "10.00", "USD")])  # before the first rate
    out, gaps = convert_facts(f, read_rates(ECB), "EUR")
    assert out["amount_rc"].to_list() == [None]
    assert gaps and "no USD->EUR rate" in gaps[0]
    with pytest.raises(UserError, match="no exchange rates for XYZ"):
        convert_facts(f, read_rates(ECB), "XYZ")


def test_shop_fx_downloads_through_ctx_http(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("eurofxref-hist.csv", ECB.read_text())
    seen: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        return httpx2.Response(200, content=buf.getvalue())

    base = Context.for_testing(tmp_path)
    http = HttpFactory(base.config.http, transport=httpx2.MockTransport(handler))
    ctx = Context.for_testing(tmp_path, http=http)
    out = shop_fx(ctx, ShopFxIn())
    assert seen == ["https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip"]
    assert out.path == store_path(ctx.workspace)
    assert (out.first, out.last) == ("2026-10-01", "2026-10-06")
    # 4 days x 7 currencies + ISK on 2 days (N/A on the others) + EUR = 1 on 4 days
    assert "CNY" in out.currencies and out.rows == 34
    assert read_rates(out.path).height == 34
