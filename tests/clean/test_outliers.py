"""Outliers are flagged, never changed."""

from __future__ import annotations

import polars as pl

from onelegion.skills.clean.outliers import find_outliers


def test_flags_far_values_only() -> None:
    values = [str(100 + (i % 7)) for i in range(40)]
    values[5] = "100000"
    values[6] = "abc"
    df = pl.DataFrame({"price": values, "zip": [str(310000 + i * 1000) for i in range(40)]})
    issues = find_outliers(df, {"price": "money", "zip": "integer"})
    assert [(i.row, i.column, i.value, i.kind) for i in issues] == [
        (5, "price", "100000", "outlier")
    ]
    assert issues[0].detail.startswith("robust z")


def test_log_scale_for_wide_positive_columns() -> None:
    values = [str(v) for v in (1, 3, 10, 30, 100, 300, 1000, 3000) * 4] + ["1e12"]
    issues = find_outliers(pl.DataFrame({"amount": values}), {"amount": "decimal"})
    assert [(i.row, i.value) for i in issues] == [(32, "1e12")]
    assert "log10" in issues[0].detail


def test_code_like_and_text_columns_are_skipped() -> None:
    df = pl.DataFrame({"phone": [f"1380000{i:04d}" for i in range(30)] + ["1"], "name": ["a"] * 31})
    assert find_outliers(df, {"phone": "integer", "name": "text"}) == []


def test_a_common_value_is_never_an_outlier() -> None:
    qty = [str(1 + i % 5) for i in range(90)] + ["20"] * 5 + ["500"]
    issues = find_outliers(pl.DataFrame({"qty": qty}), {"qty": "integer"})
    assert [(i.row, i.value) for i in issues] == [(95, "500")]
