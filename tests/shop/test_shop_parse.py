"""Money and timestamps as marketplaces write them (exact values worked out by hand)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import polars as pl
import pytest

from onelegion.skills.shop.dates import parse_datetimes
from onelegion.skills.shop.money import decimal_comma_evidence, int_col, parse_money, pct_col


@pytest.mark.parametrize(
    ("raw", "amount", "currency"),
    [
        ("Rs.201.68", "201.68", "INR"),
        ("BRL 35,91", "35.91", "BRL"),
        ("(12.50)", "-12.50", None),
        ("-$3.00", "-3.00", "USD"),
        ("US$1,299.00", "1299.00", "USD"),
        ("RM 12.90", "12.90", "MYR"),
        ("1,204", "1204", None),
        ('="12"', "12", None),
        ("Rp 1.180.000", "1180000", "IDR"),
        ("12.30 €", "12.30", "EUR"),
        ("−7.5", "-7.5", None),
    ],
)
def test_money_point_column(raw: str, amount: str, currency: str | None) -> None:
    got = parse_money(pl.Series([raw]), decimal_comma=False).row(0, named=True)
    assert got["amount"] == Decimal(amount)
    assert got["currency"] == currency
    assert got["bad"] is False


def test_money_decimal_comma_column_is_decided_by_evidence() -> None:
    s = pl.Series(["1.049,00", "-157,35", "-5,40", "882,45"])
    assert decimal_comma_evidence(s) is True
    got = parse_money(s)["amount"].to_list()
    assert got == [Decimal("1049"), Decimal("-157.35"), Decimal("-5.40"), Decimal("882.45")]
    assert decimal_comma_evidence(pl.Series(["1,299.00", "3.50"])) is False
    assert decimal_comma_evidence(pl.Series(["12", "7"])) is None


def test_unreadable_money_is_flagged_not_zero() -> None:
    got = parse_money(pl.Series(["abc", "", None, "12 XYZ"]), decimal_comma=False)
    assert got["amount"].to_list() == [None, None, None, None]
    assert got["bad"].to_list() == [True, False, False, True]


def test_counts_and_percentages() -> None:
    assert int_col(pl.Series(["1", "1,204", "3.0", "", "x"])).to_list() == [1, 1204, 3, None, None]
    assert pct_col(pl.Series(["1.66%", "0.25"])).to_list() == [pytest.approx(0.0166), 0.25]


@pytest.mark.parametrize(
    ("raw", "utc", "zone"),
    [
        ("Jun 8, 2025 10:23:05 PM PDT", datetime(2025, 6, 9, 5, 23, 5), "PDT"),
        ("Nov 2, 2026 1:00:00 AM PST", datetime(2026, 11, 2, 9, 0, 0), "PST"),
        ("2025-06-08T22:23:05+00:00", datetime(2025, 6, 8, 22, 23, 5), "offset"),
        ("2025-06-08 22:23:05 UTC", datetime(2025, 6, 8, 22, 23, 5), "UTC"),
        ("08.06.2025 22:23:05 UTC", datetime(2025, 6, 8, 22, 23, 5), "UTC"),
        ("2025-06-08 22:23:05 -0400", datetime(2025, 6, 9, 2, 23, 5), "offset"),
        ("06-08-25", datetime(2025, 6, 8), "assumed UTC"),
        ("Feb 1, 2020", datetime(2020, 2, 1), "assumed UTC"),
    ],
)
def test_timestamps_to_utc(raw: str, utc: datetime, zone: str) -> None:
    got = parse_datetimes(pl.Series([raw])).row(0, named=True)
    assert got["ts"] == utc
    assert got["zone"] == zone


def test_local_time_layouts_use_the_shop_zone() -> None:
    got = parse_datetimes(pl.Series(["2026-10-08 22:23"]), default_tz="Asia/Manila").row(
        0, named=True
    )
    assert got["ts"] == datetime(2026, 10, 8, 14, 23)
    assert got["zone"] == "assumed Asia/Manila"
    # day-first decided from evidence in the column: 13/10 can only be 13 October
    both = parse_datetimes(pl.Series(["13/10/2026", "02/10/2026"]))["ts"].to_list()
    assert both == [datetime(2026, 10, 13), datetime(2026, 10, 2)]
    assert parse_datetimes(pl.Series(["not a date"]))["bad"].to_list() == [True]
