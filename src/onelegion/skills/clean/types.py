"""Per-column semantic type inference, decided from the column's own values.

Works on the column's distinct values weighted by their counts (at most ``SAMPLE`` distinct
values, the most frequent first), so a 1M-row column costs a few vectorised passes.
Types: integer, decimal, money, percent, date, datetime, time, phone, email, url, cn_id,
boolean, category, identifier, text, empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from onelegion.skills.clean import parse

SAMPLE = 5_000
# placeholder tokens (kept in sync with normalize.MISSING_TOKENS, which imports this module's users)
MISSING = [
    "",
    "n/a",
    "na",
    "#n/a",
    "null",
    "none",
    "nan",
    "nil",
    "-",
    "--",
    "---",
    "—",
    "–",
    "?",
    "？",
    "无",
    "空",
    "缺失",
    "暂无",
    "(空)",
    "（空）",
    "(blank)",
    "empty",
    "missing",
    "undefined",
    "#value!",
]
THRESHOLD = 0.8
TYPES = (
    "integer",
    "decimal",
    "money",
    "percent",
    "date",
    "datetime",
    "time",
    "phone",
    "email",
    "url",
    "cn_id",
    "boolean",
    "category",
    "identifier",
    "text",
    "empty",
)
NUMERIC = {"integer", "decimal", "money", "percent"}


@dataclass
class ColumnType:
    """What a column holds, how sure we are, and what the normaliser needs to know."""

    type: str
    confidence: float
    detail: dict[str, Any] = field(default_factory=dict)


def value_counts(s: pl.Series, limit: int | None = SAMPLE) -> tuple[pl.Series, pl.Series]:
    """(distinct non-null values, their counts), most frequent first, at most ``limit``."""
    vc = s.rename("v").drop_nulls().value_counts(sort=True, name="n")
    if limit is not None:
        vc = vc.head(limit)
    return vc.get_column("v").rename(s.name), vc.get_column("n").cast(pl.Float64)


def nfkc(s: pl.Series) -> pl.Series:
    return s.str.normalize("NFKC").str.strip_chars()


def _share(ok: pl.Series, w: pl.Series) -> float:
    total = float(w.sum())
    return float(w.filter(ok).sum()) / total if total else 0.0


def infer_types(df: pl.DataFrame) -> dict[str, ColumnType]:
    return {c: infer_column(df.get_column(c)) for c in df.columns}


def infer_column(col: pl.Series) -> ColumnType:
    n = col.len() - col.null_count()
    if n == 0:
        return ColumnType("empty", 1.0)
    raw, w = value_counts(col)
    placeholder = raw.str.to_lowercase().str.strip_chars().is_in(MISSING)
    if placeholder.any() and not placeholder.all():  # N/A and friends say nothing about the type
        raw, w = raw.filter(~placeholder), w.filter(~placeholder)
        n = int(w.sum())
    # long values (notes, pasted documents) are never typed values: keep regexes off them
    raw = pl.select(
        pl.when(raw.str.len_bytes() <= 256).then(raw).otherwise(pl.lit("\x00long"))
    ).to_series()
    vals = nfkc(raw)
    n_unique = col.n_unique() - (1 if col.null_count() else 0)

    # boolean: every value a yes/no token, and not just digits 0/1
    b = vals.to_frame("v").select(parse.bool_value(pl.col("v"))).to_series()
    bshare = _share(b.is_not_null(), w)
    if bshare >= 0.95 and not vals.filter(b.is_not_null()).is_in(["0", "1"]).all():
        return ColumnType(
            "boolean",
            bshare,
            {"pair": dominant_bool_pair(raw.filter(b.is_not_null()), w.filter(b.is_not_null()))},
        )

    for t, pat in (("email", parse.EMAIL_RE), ("url", parse.URL_RE), ("cn_id", parse.CN_ID_RE)):
        sh = _share(vals.str.contains(pat), w)
        if sh >= THRESHOLD:
            return ColumnType(t, sh)

    if _share(vals.str.contains(r"\d"), w) < THRESHOLD:  # dates, times, phones, numbers need digits
        return _text_type(vals, w, n, n_unique)

    dates = parse.parse_dates(vals)
    order, order_conf = decide_date_order(dates, w)
    if order != "auto":
        dates = parse.parse_dates(vals, order)
    dshare = _share(dates["ok"], w)
    if dshare >= THRESHOLD:
        okd = dates.filter(dates["ok"])
        only_compact = (okd["pattern"] == "compact").all()
        if not only_compact or n_unique > 1:
            with_time = _share(dates["time"].is_not_null(), w) / dshare
            t = "datetime" if with_time >= 0.5 else "date"
            return ColumnType(
                t, round(dshare * order_conf, 4), {"order": order, "order_confidence": order_conf}
            )

    times = parse.parse_times(vals)
    tshare = _share(times["ok"], w)
    if tshare >= THRESHOLD:
        return ColumnType(
            "time", tshare, {"seconds": bool(times.filter(times["ok"])["has_seconds"].any())}
        )

    if _share(_page_ranges(vals), w) >= 0.5:  # '1234-1245': page ranges, not phones
        return _text_type(vals, w, n, n_unique)
    digits = vals.str.replace_all(r"[^\d]", "").str.len_chars()
    phone_shape = (
        vals.str.contains(parse.PHONE_RE)
        & ~vals.str.contains(parse.PLAIN_NUMBER_RE)
        & digits.is_between(7, 15)
        & ~vals.str.contains(r"^\d{5}-\d{4}$")
    )  # (not US ZIP+4 codes)
    formatted = vals.str.contains(r"[\s\-().+]") | vals.str.contains(parse.CN_MOBILE_RE)
    pshare = _share(phone_shape & formatted, w)
    if pshare >= 0.5 and _share(phone_shape, w) >= THRESHOLD:
        return ColumnType("phone", _share(phone_shape, w), {"form": dominant_phone_form(vals, w)})

    nums = parse.parse_numbers(vals)
    nshare = _share(nums["ok"], w)
    if nshare >= THRESHOLD:
        ok = nums["ok"]
        if _share(ok & nums["leading_zero"], w) > 0:
            return ColumnType("identifier", nshare, {"reason": "numbers with leading zeros"})
        wok = w.filter(ok)
        units = (
            nums.filter(ok)
            .with_columns(w=wok)
            .group_by("unit")
            .agg(pl.col("w").sum())
            .sort("w", descending=True)
        )
        unit_w = {u: float(x) for u, x in units.iter_rows()}
        top_unit = next((u for u in unit_w if u is not None), None)
        dominant = max(unit_w, key=lambda u: unit_w[u])
        total = sum(unit_w.values())
        detail = {"unit": top_unit, "units": {str(k): int(v) for k, v in unit_w.items()}}
        if dominant == "%":
            okn = nums.filter(ok)
            pct = (
                okn.filter(pl.col("unit") == "%")["num"]
                .cast(pl.Float64, strict=False)
                .abs()
                .median()
            )
            bare = (
                okn.filter(pl.col("unit").is_null())["num"]
                .cast(pl.Float64, strict=False)
                .abs()
                .median()
            )
            # '0.09%' among fractions like 0.05: a stray sign on a fraction column, not percentages
            if not (
                isinstance(bare, int | float)
                and isinstance(pct, int | float)
                and float(pct) <= 1
                and float(bare) <= 1
            ):
                return ColumnType("percent", nshare, detail)
        cur_w = sum(v for u, v in unit_w.items() if u in parse.CURRENCIES)
        if cur_w >= 0.1 * total:
            return ColumnType("money", nshare, detail)
        integral = nums.filter(ok)["num"].str.contains(r"^-?\d+$").all()
        if integral and n_unique == n and n > 20 and top_unit is None:
            return ColumnType("identifier", nshare, {"reason": "unique integers"})
        return ColumnType("integer" if integral else "decimal", nshare, detail)

    return _text_type(vals, w, n, n_unique)


def _page_ranges(vals: pl.Series) -> pl.Series:
    """'1234-1245', '55–61': a first number and a larger one shortly after it."""
    g = vals.str.extract_groups(r"^(\d{1,6})\s*[-–]\s*(\d{1,6})$").struct.unnest()
    a = g[g.columns[0]].cast(pl.Int64, strict=False)
    b = g[g.columns[1]].cast(pl.Int64, strict=False)
    return ((b > a) & (b - a < 1000)).fill_null(False)


def _text_type(vals: pl.Series, w: pl.Series, n: int, n_unique: int) -> ColumnType:
    ratio = n_unique / n
    mean = vals.str.len_chars().cast(pl.Float64).mean()
    mean_len = float(mean) if isinstance(mean, int | float) else 0.0
    if ratio >= 0.95 and n > 20 and _share(~vals.str.contains(r"\s"), w) >= 0.95 and mean_len <= 40:
        return ColumnType("identifier", ratio)
    if n_unique <= max(2.0, 0.5 * n) and n_unique <= 5000 and mean_len <= 40:
        return ColumnType("category", round(1 - ratio, 4))
    return ColumnType("text", 1.0)


def decide_date_order(dates: pl.DataFrame, w: pl.Series) -> tuple[str, float]:
    """'dmy' / 'mdy' from values like 13/3/2024 (day first) or 3/13/2024 (month first); 'ymd'
    when a value such as 98/03/05 proves the column writes a two-digit year first."""
    amb = dates.with_columns(w=w).filter(pl.col("amb_a").is_not_null())
    if amb.height == 0:
        return "auto", 1.0
    # year first ('98/03/05'): a first field no day or month can be, and no value that says
    # otherwise (a two-digit last field above 31 is a year; a middle field above 12 no month)
    year_first = float(
        amb.filter((pl.col("amb_a") > 31) & (pl.col("amb_b") <= 12) & (pl.col("amb_c") <= 31))[
            "w"
        ].sum()
    )
    if year_first:
        against = float(
            amb.filter(pl.col("amb_c").is_null() | (pl.col("amb_c") > 31) | (pl.col("amb_b") > 12))[
                "w"
            ].sum()
        )
        if against == 0:
            return "ymd", 1.0
    day_first = float(amb.filter(pl.col("amb_a") > 12)["w"].sum())
    month_first = float(amb.filter(pl.col("amb_b") > 12)["w"].sum())
    if day_first > month_first:
        return "dmy", 1.0 if month_first == 0 else day_first / (day_first + month_first)
    if month_first > day_first:
        return "mdy", 1.0 if day_first == 0 else month_first / (day_first + month_first)
    # no value tells: day-first when the dot is used (European), else month-first, less sure
    dotted = float(amb.filter(pl.col("value").str.contains(r"^\d{1,2}\.\d"))["w"].sum())
    # (a guess: below the default --min-confidence, so --canonical proposes it without applying)
    return ("dmy" if dotted > float(amb["w"].sum()) / 2 else "mdy"), 0.75


def dominant_bool_pair(raw: pl.Series, w: pl.Series) -> list[str]:
    """The (true, false) spelling pair most used in the column, e.g. ['是', '否']."""
    counts = dict(zip(raw.to_list(), w.to_list(), strict=True))
    best, best_n = parse.BOOL_PAIRS[0], -1.0
    for pair in parse.BOOL_PAIRS:
        score = counts.get(pair[0], 0.0) + counts.get(pair[1], 0.0)
        if score > best_n:
            best, best_n = pair, score
    return list(best)


def dominant_phone_form(vals: pl.Series, w: pl.Series) -> str:
    """'digits' when most phones are bare digits, else the most used mask like 'DDD-DDDD-DDDD'."""
    masks = vals.str.replace_all(r"\d", "D")
    df = (
        pl.DataFrame({"m": masks, "w": w})
        .group_by("m")
        .agg(pl.col("w").sum())
        .sort("w", descending=True)
    )
    digits_w = float(df.filter(pl.col("m").str.contains(r"^\+?D+$"))["w"].sum())
    top_mask, top_w = df.row(0)
    if digits_w >= float(top_w) or not top_mask.replace("D", "").strip("+"):
        return "digits"
    return str(top_mask)


def log_distance(x: float, ref: float) -> float:
    if x <= 0 or ref <= 0:
        return math.inf
    return abs(math.log(x / ref))
