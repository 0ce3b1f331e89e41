"""Timestamps as marketplaces write them, converted once to UTC.

"Jun 8, 2025 10:23:05 PM PDT" (zone abbreviation), "2025-06-08T22:23:05+00:00", "2025-06-08
22:23:05 UTC", "08.06.2025 22:23:05 UTC" (Amazon.de), "2025-06-08 22:23:05 -0400" (Shopify),
"06/08/2025 10:23:05 PM" (TikTok), "2025-06-08 22:23" (Shopee), "08 Jun 2025 22:23" (Lazada),
"06-08-25" (Kaggle Amazon.in). A value with no zone is read in the layout's zone (``default_tz``)
and the report says so. Month/day order is decided per column from evidence (a first field above
12 proves day-first).
"""

from __future__ import annotations

import polars as pl

# zone abbreviations used by the exports -> offset from UTC in minutes
TZ_ABBR = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "PST": -480,
    "PDT": -420,
    "MST": -420,
    "MDT": -360,
    "CST": -360,
    "CDT": -300,
    "EST": -300,
    "EDT": -240,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "MEZ": 60,
    "MESZ": 120,
    "IST": 330,
    "JST": 540,
    "SGT": 480,
    "AEST": 600,
    "AEDT": 660,
    "BRT": -180,
}

_FORMATS_MDY = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%b %d, %Y %I:%M:%S %p",
    "%b %d, %Y %H:%M:%S",
    "%b %d, %Y",
    "%b-%d-%y",  # eBay: Oct-05-26
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
]
_US = ["%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m-%d-%y"]
_EU = ["%d/%m/%Y %I:%M:%S %p", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%y"]


def parse_datetimes(values: pl.Series, *, default_tz: str = "UTC") -> pl.DataFrame:
    """Columns ``raw``, ``ts`` (Datetime UTC, naive-UTC values), ``zone`` (how the zone was known:
    'offset', an abbreviation, or 'assumed <tz>'), ``bad`` (text present but unreadable)."""
    s = values.cast(pl.Utf8)
    # work on the distinct values, unless nearly every value is distinct (then a join back costs
    # more than it saves)
    uniq = s.unique()
    direct = uniq.len() > 0.6 * s.len()
    if direct:
        uniq = s
    text = uniq.str.strip_chars()
    if text.str.starts_with('="').any():
        text = text.str.replace(r'^="(.*)"$', "$1")
    fast = _iso_utc(text)
    if fast is not None:  # the common machine-written case, in one pass
        ts, label = fast
        table = pl.DataFrame(
            {"raw": uniq, "ts": ts, "zone": pl.Series([label] * uniq.len(), dtype=pl.Utf8)}
        ).with_columns(bad=pl.lit(False))
        if direct:
            return table
        return pl.DataFrame({"raw": s}).join(
            table, on="raw", how="left", nulls_equal=True, maintain_order="left"
        )
    abbr = text.str.extract(r"\s([A-Z]{1,5})$", 1)
    off_abbr = abbr.replace_strict(TZ_ABBR, default=None, return_dtype=pl.Int64)
    body = pl.select(
        pl.when(off_abbr.is_not_null()).then(text.str.replace(r"\s[A-Z]{1,5}$", "")).otherwise(text)
    ).to_series()
    off_txt = body.str.extract(r"(?:\s|\d)([+-]\d{2}:?\d{2}|Z)$", 1)
    off_num = pl.select(
        pl.when(off_txt == "Z")
        .then(pl.lit(0, dtype=pl.Int64))
        .otherwise(
            (
                off_txt.str.slice(1, 2).cast(pl.Int64, strict=False) * 60
                + off_txt.str.slice(-2, 2).cast(pl.Int64, strict=False)
            )
            * pl.when(off_txt.str.starts_with("-")).then(-1).otherwise(1)
        )
    ).to_series()
    body = pl.select(
        pl.when(off_txt.is_not_null())
        .then(body.str.replace(r"\s*([+-]\d{2}:?\d{2}|Z)$", ""))
        .otherwise(body)
    ).to_series()
    body = body.str.replace_all(r"\s+", " ").str.strip_chars()
    first = body.str.extract(r"^(\d{1,2})[/-]\d{1,2}[/-]\d{2,4}", 1).cast(pl.Int64, strict=False)
    day_first = bool((first > 12).any())
    fmts = _FORMATS_MDY + (_EU + _US if day_first else _US + _EU)
    sample = body.drop_nulls().gather_every(max(1, body.len() // 5000))
    used = [f for f in fmts if sample.str.to_datetime(f, strict=False).is_not_null().any()]
    naive = _coalesce_formats(body, used)
    rest = [f for f in fmts if f not in used]
    missing = naive.is_null() & body.is_not_null()
    if rest and missing.any():  # values the spread sample did not show: try the other formats
        idx = missing.arg_true()
        naive = naive.scatter(idx, _coalesce_formats(body.gather(idx), rest))
    offset = pl.select(pl.coalesce(off_abbr, off_num)).to_series()
    zone = pl.select(
        pl.when(off_abbr.is_not_null())
        .then(abbr)
        .when(off_num.is_not_null())
        .then(pl.lit("offset"))
        .otherwise(pl.lit(f"assumed {default_tz}"))
    ).to_series()
    with_off = (
        pl.DataFrame({"n": naive, "o": offset.fill_null(0)})
        .select(pl.col("n") - pl.duration(minutes=pl.col("o")))
        .to_series()
    )
    if default_tz == "UTC":
        assumed = naive
    else:
        assumed = (
            naive.dt.replace_time_zone(default_tz, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
            .dt.replace_time_zone(None)
        )
    ts = pl.select(pl.when(offset.is_not_null()).then(with_off).otherwise(assumed)).to_series()
    present = text.is_not_null() & (text != "")
    table = pl.DataFrame(
        {
            "raw": uniq,
            "ts": ts,
            "zone": zone,
            "bad": (present & ts.is_null()).fill_null(False),
        }
    )
    if direct:
        return table
    return pl.DataFrame({"raw": s}).join(
        table, on="raw", how="left", nulls_equal=True, maintain_order="left"
    )


def _coalesce_formats(body: pl.Series, fmts: list[str]) -> pl.Series:
    if not fmts:
        return pl.Series(body.name, [None] * body.len(), dtype=pl.Datetime("us"))
    parsed = [body.str.to_datetime(f, strict=False, time_unit="us") for f in fmts]
    plausible = [pl.when(p.dt.year().is_between(1990, 2100)).then(p) for p in parsed]
    return pl.select(pl.coalesce(plausible)).to_series()


def _iso_utc(text: pl.Series) -> tuple[pl.Series, str] | None:
    """'2026-10-03 10:00:00 UTC' / '2026-10-03T10:00:00+00:00' / '...Z' columns: parsed at once
    when every value has that exact shape; None sends the column through the general path."""
    nn = text.drop_nulls()
    if nn.is_empty():
        return None
    tail = nn.head(2000).str.extract(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(.*)$", 1)
    if tail.null_count() > 0 or tail.n_unique() != 1:
        return None
    suffix = str(tail[0])
    labels = {" UTC": "UTC", " GMT": "GMT", "Z": "offset", "+00:00": "offset", "+0000": "offset"}
    if suffix not in labels:
        return None
    body = text.str.slice(0, 19).str.replace("T", " ", literal=True)
    ts = body.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
    shape = (text.str.len_bytes() == 19 + len(suffix)) & text.str.ends_with(suffix)
    if not bool((text.is_null() | (shape & ts.is_not_null())).all()):
        return None
    return ts, labels[suffix]
