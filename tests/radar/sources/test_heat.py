"""Heat numbers as platforms display them."""

from __future__ import annotations

import pytest

from onelegion.skills.radar.sources.base import format_heat, parse_heat


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("123万热度", 1_230_000),
        ("1482 万热度", 14_820_000),
        ("1.2亿", 120_000_000),
        ("12.3w", 123_000),
        ("1,234 points", 1234),
        ("2,345 stars today", 2345),
        ("4.5k", 4500),
        ("5 min ago", 5),
        ("综艺 850468", 850468),
        (850468, 850468),
        ("热", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_heat(text: object, value: float | None) -> None:
    assert parse_heat(text) == value


def test_format_heat() -> None:
    assert format_heat(12_345_678) == "1234.6万"
    assert format_heat(250_000_000) == "2.5亿"
    assert format_heat(9_999) == "9999"
    assert format_heat(30_000) == "3万"
