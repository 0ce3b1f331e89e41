"""Counts and times as people and crawlers write them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from onelegion.skills.accounts.values import (
    CHINA,
    CountError,
    parse_count,
    parse_duration_s,
    parse_time,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234", 1234.0),
        ("1,234", 1234.0),
        ("1,234,567", 1234567.0),
        ("1.2万", 12000.0),
        ("3.4w", 34000.0),
        ("12.5K", 12500.0),
        ("1.5M", 1500000.0),
        ("2亿", 200000000.0),
        ("10万+", 100000.0),
        (" 999 ", 999.0),
        ("1.2k赞", 1200.0),
        (42, 42.0),
        (3.5, 3.5),
    ],
)
def test_counts_as_people_write_them(text: object, value: float) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text", [None, "", "-", "--", "暂无", "null"])
def test_empty_counts_are_none(text: object) -> None:
    assert parse_count(text) is None


@pytest.mark.parametrize("text", ["abc", "12 views of 30", "-5", "1.2.3万x"])
def test_text_that_is_no_count_is_refused(text: str) -> None:
    with pytest.raises(CountError):
        parse_count(text)


def test_times_epoch_seconds_millis_iso_and_chinese() -> None:
    want = datetime(2025, 11, 30, 12, 0, tzinfo=UTC)
    assert parse_time("1764504000") == want
    assert parse_time(1764504000000) == want
    assert parse_time("2025-11-30T12:00:00Z") == want
    assert parse_time("2025-11-30 20:00:00", CHINA) == want  # naive China time
    assert parse_time("2025年11月30日 20:00", CHINA) == want
    assert parse_time("2025/11/30 20:00:00", CHINA) == want
    assert parse_time("Sun Nov 30 20:00:00 +0800 2025") == want  # weibo
    assert parse_time("Nov 30, 2025") == datetime(2025, 11, 30, tzinfo=UTC)  # YouTube Studio
    assert parse_time("") is None
    with pytest.raises(ValueError):
        parse_time("yesterday")


def test_durations() -> None:
    assert parse_duration_s("2:03") == 123
    assert parse_duration_s("1:02:03") == 3723
    assert parse_duration_s("PT2M3S") == 123
    assert parse_duration_s("95") == 95
    assert parse_duration_s("") is None
