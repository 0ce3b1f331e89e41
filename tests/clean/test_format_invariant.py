"""The safety invariant of format steps, checked by property over many generated values: a
format step changes only the representation. Parsing a cell before and after the step gives the
same value (number, date and time, phone digits); a value the step cannot carry over is left
exactly as it was.

Seeded random generation (a few thousand values per normaliser and configuration) stands in for
a property-testing library, so the suite needs nothing beyond its own dependencies.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest

from onelegion.skills.clean import normalize, parse

N = 1500


def _number_texts(rng: random.Random) -> list[str]:
    out = []
    for _ in range(N):
        x = Decimal(rng.randint(-99_999_999, 99_999_999)) / (10 ** rng.randint(0, 4))
        text = f"{x:,f}" if rng.random() < 0.3 else f"{x:f}"
        r = rng.random()
        if r < 0.1:
            text = "¥" + text
        elif r < 0.2:
            text = text + "元"
        elif r < 0.25:
            text = text + "万"
        elif r < 0.3:
            text = text + " oz"
        out.append(text)
    return [*out, "", "abc", "12-34", "1.2.3", "0012", "-0", ".5", "5."]


def _nums(values: list[str]) -> list[Decimal | None]:
    p = parse.parse_numbers(pl.Series(values).str.strip_chars())
    return [
        Decimal(n) if ok and n is not None else None
        for ok, n in zip(p["ok"].to_list(), p["num"].to_list(), strict=True)
    ]


def _changed(before: pl.Series, after: pl.Series) -> tuple[list[str], list[str]]:
    mask = before.ne_missing(after)
    return before.filter(mask).to_list(), after.filter(mask).to_list()


@pytest.mark.parametrize("decimals", [None, 1, 2, 3])
@pytest.mark.parametrize("thousands", [False, True])
def test_number_steps_keep_the_value(decimals: int | None, thousands: bool) -> None:
    vals = pl.Series("x", _number_texts(random.Random(11)))
    step = normalize.NormalizeNumber(
        column="x",
        unit="CNY",
        accepted_units=["CNY"],
        ref_median=1000.0,
        ref_lo=1.0,
        ref_hi=1e8,
        decimals=decimals,
        thousands=thousands,
    )
    b, a = _changed(vals, step.transform(vals))
    assert b
    for before, after, nb, na in zip(b, a, _nums(b), _nums(a), strict=True):
        assert nb == na, (before, after)


DATE_FORMATS = [
    ("%-m/%-d/%y", "mdy"),
    ("%m/%d/%Y", "mdy"),
    ("%-d/%-m/%Y", "dmy"),
    ("%d.%m.%Y", "dmy"),
    ("%Y-%m-%d", "mdy"),
    ("%Y年%-m月%-d日", "mdy"),
    ("%Y/%-m/%-d %H:%M", "mdy"),
    ("%Y-%m-%d %H:%M:%S", "mdy"),
    ("%-m/%-d/%Y %-I:%M %p", "mdy"),
    ("%y/%m/%d", "ymd"),
    ("%Y/%-m/%-d %(上午)%-I:%M", "mdy"),
]


def _strf(d: datetime, fmt: str) -> str:
    """strftime with the am/pm words chrono cannot write ('%(上午)', '%(a.m.)')."""
    text = d.strftime(fmt.replace("%-", "%").replace("%(上午)", "@%p@").replace("%(a.m.)", "#%p#"))
    for am, pm, mark in (("上午", "下午", "@"), ("a.m.", "p.m.", "#")):
        text = text.replace(f"{mark}AM{mark}", am).replace(f"{mark}PM{mark}", pm)
    return text


def _date_texts(rng: random.Random, order: str) -> list[str]:
    out = []
    for _ in range(N):
        d = datetime(1930, 1, 1) + timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 120))
        fmt, o = rng.choice(DATE_FORMATS)
        if o != order and "%Y-" not in fmt and "年" not in fmt:
            fmt = "%Y-%m-%d"
        out.append(_strf(d, fmt))
    return [*out, "", "13/13/2024", "2024-02-30", "yesterday", "1/1/65", "3/5/24 25:00"]


def _whens(values: list[str], order: str) -> list[tuple[str | None, str | None] | None]:
    d = parse.parse_dates(pl.Series(values, dtype=pl.Utf8), order)
    return [
        (dt, tm) if ok else None
        for ok, dt, tm in zip(
            d["ok"].to_list(), d["date"].to_list(), d["time"].to_list(), strict=True
        )
    ]


@pytest.mark.parametrize(("fmt", "order"), DATE_FORMATS)
def test_date_steps_keep_the_value(fmt: str, order: str) -> None:
    vals = pl.Series("d", _date_texts(random.Random(fmt), order))
    step = normalize.NormalizeDate(column="d", order=order, format=fmt)  # type: ignore[arg-type]
    b, a = _changed(vals, step.transform(vals))
    assert b
    for before, after, wb, wa in zip(b, a, _whens(b, order), _whens(a, order), strict=True):
        assert wb == wa and wb is not None, (before, after)


TIME_FORMATS = [
    "%-I:%M %p",
    "%I:%M %p",
    "%H:%M",
    "%H:%M:%S",
    "%-H:%M",
    "%-I:%M:%S %P",
    "%-I:%M %(a.m.)",
    "%-I:%M %(A.M.)",
    "%(上午)%-I:%M",
]


@pytest.mark.parametrize("fmt", TIME_FORMATS)
def test_time_steps_keep_the_value(fmt: str) -> None:
    rng = random.Random(5)
    texts = []
    for _ in range(N):
        t = datetime(2000, 1, 1, rng.randint(0, 23), rng.randint(0, 59), rng.choice([0, 0, 17]))
        texts.append(t.strftime(rng.choice(["%H:%M", "%I:%M %p", "%H:%M:%S", "%I:%M %p"])))
    vals = pl.Series("t", [*texts, "", "25:00", "noon", "7:5"])
    b, a = _changed(vals, normalize.NormalizeTime(column="t", format=fmt).transform(vals))
    assert b
    tb = parse.parse_times(pl.Series(b, dtype=pl.Utf8))["time"].to_list()
    ta = parse.parse_times(pl.Series(a, dtype=pl.Utf8))["time"].to_list()
    for before, after, x, y in zip(b, a, tb, ta, strict=True):
        assert x == y and x is not None, (before, after)


@pytest.mark.parametrize("form", ["digits", "DDD-DDDD-DDDD", "(DDD) DDD-DDDD"])
def test_phone_steps_keep_the_digits(form: str) -> None:
    rng = random.Random(9)
    vals = []
    for _ in range(N):
        digits = "1" + "".join(rng.choice("0123456789") for _ in range(10))
        shape = rng.choice(["{}", "+86 {}", "{}-{}-{}", "({}) {}-{}", "{}.{}", "{} {}"])
        if shape.count("{}") == 3:
            vals.append(shape.format(digits[:3], digits[3:7], digits[7:]))
        elif shape.count("{}") == 2:
            vals.append(shape.format(digits[:5], digits[5:]))
        else:
            vals.append(shape.format(digits))
    vals += ["61828.26", "1,234.50", "-3.5", "12345"]
    s = pl.Series("p", vals)
    new = normalize.NormalizePhone(column="p", form=form).transform(s)
    for before, after in zip(s.to_list(), new.to_list(), strict=True):
        if before == after:
            continue
        db = "".join(c for c in before if c.isdigit()).removeprefix("86")
        da = "".join(c for c in after if c.isdigit()).removeprefix("86")
        assert db == da, (before, after)
        assert "." not in before or before.count(".") != 1 or not before.replace(".", "").isdigit()


def test_two_digit_years_are_never_written_into_another_century() -> None:
    vals = pl.Series("d", ["2030-01-05", "1965-01-01", "2023-02-01"])
    step = normalize.NormalizeDate(column="d", order="mdy", format="%-m/%-d/%y")
    # 2030 would read back as 1930 (no future dates): left as it is
    assert step.transform(vals).to_list() == ["2030-01-05", "1/1/65", "2/1/23"]
    assert date.today().year < 2065
