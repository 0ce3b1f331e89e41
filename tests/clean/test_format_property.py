"""The format-step safety invariant as hypothesis properties (beside the seeded sweeps of
test_format_invariant.py): whatever value hypothesis finds, a number, date or time step changes only
its representation — parsing before and after gives the same value — or leaves it exactly alone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.clean.test_format_invariant import DATE_FORMATS, TIME_FORMATS, _nums, _whens

from onelegion.skills.clean import normalize, parse

PROPERTY = settings(max_examples=150, deadline=None, derandomize=True)

number_texts = st.builds(
    lambda x, places, thousands, affix: affix.format(
        f"{(Decimal(x) / (10**places)):,f}" if thousands else f"{(Decimal(x) / (10**places)):f}"
    ),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
    st.sampled_from(["{}", "¥{}", "{}元", "{} oz", " {} "]),
)


@PROPERTY
@example(["0", "1E100"], 1, False)  # found by hypothesis: '1E100' was written '1E100.0'
@given(
    st.lists(number_texts | st.text(max_size=8), min_size=1, max_size=20),
    st.sampled_from([None, 0, 1, 2, 3]),
    st.booleans(),
)
def test_number_step_keeps_every_value(
    texts: list[str], decimals: int | None, thousands: bool
) -> None:
    vals = pl.Series("x", texts, dtype=pl.Utf8)
    step = normalize.NormalizeNumber(
        column="x",
        unit="CNY",
        accepted_units=["CNY"],
        ref_median=1000.0,
        ref_lo=1.0,
        ref_hi=1e13,
        decimals=decimals,
        thousands=thousands,
    )
    after = step.transform(vals)
    mask = vals.ne_missing(after)
    b, a = vals.filter(mask).to_list(), after.filter(mask).to_list()
    if b:  # nothing rewritten: nothing to compare
        assert _nums(b) == _nums(a), list(zip(b, a, strict=True))


@PROPERTY
@given(
    st.lists(
        st.datetimes(min_value=datetime(1930, 1, 1), max_value=datetime(2049, 12, 31)),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(DATE_FORMATS),
    st.sampled_from(DATE_FORMATS),
)
def test_date_step_keeps_every_value(
    moments: list[datetime], written: tuple[str, str], target: tuple[str, str]
) -> None:
    fmt, order = target
    wfmt = written[0] if written[1] == order or "%Y" in written[0][:2] else "%Y-%m-%d"
    texts = [m.strftime(wfmt.replace("%-", "%")) for m in moments]
    vals = pl.Series("d", texts, dtype=pl.Utf8)
    after = normalize.NormalizeDate(column="d", order=order, format=fmt).transform(vals)  # type: ignore[arg-type]
    mask = vals.ne_missing(after)
    b, a = vals.filter(mask).to_list(), after.filter(mask).to_list()
    if b:  # nothing rewritten: nothing to compare
        assert _whens(b, order) == _whens(a, order), list(zip(b, a, strict=True))


@PROPERTY
@given(st.lists(st.times(), min_size=1, max_size=20), st.sampled_from(TIME_FORMATS))
def test_time_step_keeps_every_value(times: list[object], fmt: str) -> None:
    texts = [
        t.strftime("%I:%M %p") if i % 2 else t.strftime("%H:%M:%S") for i, t in enumerate(times)
    ]  # type: ignore[attr-defined]
    vals = pl.Series("t", texts, dtype=pl.Utf8)
    after = normalize.NormalizeTime(column="t", format=fmt).transform(vals)
    mask = vals.ne_missing(after)
    b, a = vals.filter(mask).to_list(), after.filter(mask).to_list()
    if not b:
        return
    tb = parse.parse_times(pl.Series(b, dtype=pl.Utf8))["time"].to_list()
    ta = parse.parse_times(pl.Series(a, dtype=pl.Utf8))["time"].to_list()
    assert tb == ta, list(zip(b, a, strict=True))
