"""Vectorised parsers over a column's unique values (polars expressions, no per-cell Python).

Each ``parse_*`` takes a ``pl.Series`` of text (already NFKC-normalised where the type calls
for it) and returns a frame with one row per input value: whether it parsed and the parts.
Type inference (types.py) and the normalisation steps (normalize.py) share them, so a recipe
applied to another table re-parses exactly as the original run did.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import polars as pl

# --- numbers ------------------------------------------------------------------------------------
_CUR = r"[¥$€£]|RMB|CNY|USD|EUR|US\$|HK\$|人民币"
NUM_RE = (
    r"^(?P<pre>" + _CUR + r")?\s*(?P<sign>[-+])?\s*(?P<pre2>" + _CUR + r")?\s*"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[eE][-+]?\d{1,3})?|\.\d+)\s*"
    r"(?P<mult>百万|千万|万|亿|千)?\s*(?P<tail>.*?)\s*$"
)
MULTIPLIERS = {"千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000}
# canonical unit for each spelling (lower-cased, trailing dot removed)
UNIT_SYNONYMS = {
    "oz": "oz",
    "ounce": "oz",
    "ounces": "oz",
    "fl oz": "oz",
    "floz": "oz",
    "元": "CNY",
    "块": "CNY",
    "块钱": "CNY",
    "rmb": "CNY",
    "cny": "CNY",
    "¥": "CNY",
    "人民币": "CNY",
    "$": "USD",
    "usd": "USD",
    "us$": "USD",
    "美元": "USD",
    "€": "EUR",
    "eur": "EUR",
    "欧元": "EUR",
    "£": "GBP",
    "hk$": "HKD",
    "港元": "HKD",
    "港币": "HKD",
    "%": "%",
    "pct": "%",
    "percent": "%",
    "％": "%",
    "kg": "kg",
    "kgs": "kg",
    "公斤": "kg",
    "千克": "kg",
    "g": "g",
    "克": "g",
    "斤": "斤",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "ml": "ml",
    "毫升": "ml",
    "l": "l",
    "升": "l",
    "件": "件",
    "个": "个",
    "pcs": "pcs",
    "pc": "pcs",
    "pieces": "pcs",
}
CURRENCIES = {"CNY", "USD", "EUR", "GBP", "HKD"}


def unit_key(raw: pl.Expr) -> pl.Expr:
    """The canonical unit of a unit spelling: 'oz.' 'OZ' 'ounce' -> 'oz'; unknown -> lower-cased."""
    key = raw.str.to_lowercase().str.strip_chars().str.strip_chars_end(".").str.strip_chars()
    return key.replace_strict(UNIT_SYNONYMS, default=key, return_dtype=pl.Utf8)


def parse_numbers(values: pl.Series) -> pl.DataFrame:
    """Columns: value, ok, num (minimal decimal text, sign and multiplier applied), unit (canonical
    or null), unit_raw, extra (text after the unit's first word), currency, has_mult."""
    s = values.cast(pl.Utf8)
    g = s.str.extract_groups(NUM_RE).struct.unnest()
    df = pl.DataFrame({"value": s}).hstack(g)
    tail = pl.col("tail")
    first_word = tail.str.extract(r"^(\S+)", 1)
    unit_raw = (
        pl.when(pl.col("pre").is_not_null())
        .then(pl.col("pre"))
        .when(pl.col("pre2").is_not_null())
        .then(pl.col("pre2"))
        .when(tail == "")
        .then(pl.lit(None, dtype=pl.Utf8))
        .when(unit_key(tail).is_in(list(set(UNIT_SYNONYMS.values()))))
        .then(tail)
        .otherwise(first_word)
    )
    digits = pl.col("num").str.replace_all(",", "")
    minimal = (
        pl.when(digits.str.contains(r"\.") & ~digits.str.contains(r"[eE]"))
        .then(digits.str.replace(r"0+$", "").str.replace(r"\.$", ""))
        .otherwise(digits)
        .str.replace(r"^\.", "0.")
        .str.replace(r"^0+(\d)", "$1")
    )
    signed = (
        pl.when((pl.col("sign") == "-") & (minimal != "0")).then("-" + minimal).otherwise(minimal)
    )
    unit_like = (
        (tail == "")
        | unit_key(tail).is_in(list(UNIT_SYNONYMS.values()))
        | unit_key(first_word).is_in(list(UNIT_SYNONYMS.values()))
        | tail.str.contains(r"^(?:[A-Za-z]{2,}|[\p{Han}]{1,4})\.?$")
        | pl.col("pre").is_not_null()
        | pl.col("pre2").is_not_null()
    )
    out = df.select(
        "value",
        ok=pl.col("num").is_not_null() & unit_like.fill_null(False),
        num=signed,
        unit_raw=unit_raw,
        mult=pl.col("mult"),
        tail=tail,
        leading_zero=pl.col("num").str.contains(r"^0\d"),
    ).with_columns(
        unit=unit_key(pl.col("unit_raw")),
        # the text left after the unit (e.g. 'Alumi-Tek' in '12.0 oz. Alumi-Tek')
        extra=pl.when(pl.col("unit_raw").is_not_null() & (pl.col("tail") != ""))
        .then(pl.col("tail").str.strip_prefix(pl.col("unit_raw")).str.strip_chars())
        .otherwise(pl.lit(None, dtype=pl.Utf8)),
    )
    out = out.with_columns(
        extra=pl.when(pl.col("extra") == "")
        .then(pl.lit(None, dtype=pl.Utf8))
        .otherwise(pl.col("extra")),
        currency=pl.when(pl.col("unit").is_in(list(CURRENCIES)))
        .then(pl.col("unit"))
        .otherwise(None),
        has_mult=pl.col("mult").is_not_null(),
    )
    noisy = out["num"].str.contains(r"\.\d{14,}$|[eE]").fill_null(False)
    if noisy.any():  # float artefacts such as 0.052000000000000005 -> 0.052
        fixed_noise = [
            _denoise(n) if bad else n
            for n, bad in zip(out["num"].to_list(), noisy.to_list(), strict=True)
        ]
        out = out.with_columns(num=pl.Series(fixed_noise, dtype=pl.Utf8))
    if out["has_mult"].any():  # rare (万 / 亿): exact decimal arithmetic in Python on those few
        fixed = [
            _apply_mult(n, m) if m is not None and n is not None else n
            for n, m in zip(out["num"].to_list(), out["mult"].to_list(), strict=True)
        ]
        out = out.with_columns(num=pl.Series(fixed, dtype=pl.Utf8))
    return out


def _denoise(num: str | None) -> str | None:
    if num is None:
        return None
    if "e" in num.lower():  # scientific notation: exact, never scientific in the output
        try:
            return minimal_decimal(Decimal(num))
        except InvalidOperation:
            return num
    return minimal_decimal(Decimal(repr(float(f"{float(num):.12g}"))))


def _apply_mult(num: str, mult: str) -> str:
    return minimal_decimal(Decimal(num) * MULTIPLIERS[mult])


def minimal_decimal(d: Decimal) -> str:
    """12.0 -> '12', 0.0900 -> '0.09', 1.5E+4 -> '15000' (never scientific)."""
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    s = format(d.normalize(), "f")
    return s


def scale_text(num: str, factor: Decimal) -> str | None:
    try:
        return minimal_decimal(Decimal(num) * factor)
    except (InvalidOperation, ValueError):
        return None


# --- dates and times ----------------------------------------------------------------------------
_TIME = r"(?:[T\s]+(?P<ampm0>上午|下午|晚上|凌晨)?\s*(?P<H>\d{1,2})[:时](?P<M>\d{2})(?:[:分](?P<S>\d{2})(?:\.\d+)?)?秒?\s*(?P<ampm>[AaPp][Mm])?)?"
_TZ = r"\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?"
DATE_PATTERNS: dict[str, str] = {
    # (a time may be glued to the day: '2024-03-0514:30')
    "ymd": r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    + _TIME.replace("[T\\s]+", "[T\\s]*", 1)
    + _TZ
    + "$",
    "compact": r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)$",
    "abY": r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4}|\d{2})" + _TIME + _TZ + "$",
    "mon_d_y": r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    + _TIME
    + "$",
    "d_mon_y": r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-]+(?P<mon>[A-Za-z]{3,9})\.?,?[\s-]+(?P<y>\d{4})"
    + _TIME
    + "$",
}
TIME_RE = r"^(?P<ampm1>上午|下午|晚上|凌晨)?\s*(?P<H>\d{1,2})[:：时](?P<M>\d{2})(?:[:：分](?P<S>\d{2})秒?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?$"
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_PARTS = ("y", "m", "d", "H", "M", "S")
# two-digit years: the latest century that does not put the date in the future (1/1/65 -> 1965)
_THIS_YEAR = date.today().year


def parse_dates(values: pl.Series, order: str = "auto") -> pl.DataFrame:
    """Columns: value, ok, date ('YYYY-MM-DD'), time ('HH:MM:SS' or null), pattern, ambiguous_a,
    ambiguous_b (the two leading numbers of d/m/y-style values, for deciding the order).

    ``order``: 'mdy' or 'dmy' for values like 3/5/2024, 'ymd' for 24/03/05 (two-digit year first); 'auto' decides from the values themselves
    (a value with a first number above 12 is day-first) and leaves undecidable ones unparsed.
    """
    s = values.cast(pl.Utf8)
    frames = []
    for name, pat in DATE_PATTERNS.items():
        g = s.str.extract_groups(pat).struct.unnest()
        cols: dict[str, pl.Expr] = {}
        if name == "abY":
            a, b = pl.col("a").cast(pl.Int32), pl.col("b").cast(pl.Int32)
            c = pl.col("y").cast(pl.Int32)
            yf = pl.col("y").str.len_chars() <= 2
            if order == "ymd":  # '24/03/05' read year-first; a four-digit year last is not
                cols["d"] = pl.when(yf).then(c).when(a > 12).then(a).when(b > 12).then(b)
                cols["m"] = pl.when(yf).then(b).when(a > 12).then(b).when(b > 12).then(a)
            elif order == "dmy":
                cols["d"], cols["m"] = a, b
            elif order == "mdy":
                cols["m"], cols["d"] = a, b
            else:
                cols["d"] = pl.when(a > 12).then(a).when(b > 12).then(b).otherwise(None)
                cols["m"] = pl.when(a > 12).then(b).when(b > 12).then(a).otherwise(None)
            y = pl.when(yf).then(a).otherwise(c) if order == "ymd" else c
            cols["y"] = (
                pl.when(y < 100)
                .then(pl.when(y + 2000 <= _THIS_YEAR).then(y + 2000).otherwise(y + 1900))
                .otherwise(y)
            )
        elif name in ("mon_d_y", "d_mon_y"):
            cols["m"] = (
                pl.col("mon")
                .str.to_lowercase()
                .replace_strict(MONTHS, default=None, return_dtype=pl.Int32)
            )
            cols["d"] = pl.col("d").cast(pl.Int32)
            cols["y"] = pl.col("y").cast(pl.Int32)
        else:
            for p in ("y", "m", "d"):
                cols[p] = pl.col(p).cast(pl.Int32)
        for p in ("H", "M", "S"):
            cols[p] = pl.col(p).cast(pl.Int32) if p in g.columns else pl.lit(None, dtype=pl.Int32)
        if "ampm" in g.columns:
            pm = pl.col("ampm").str.to_lowercase().str.starts_with("p").fill_null(False) | pl.col(
                "ampm0"
            ).is_in(["下午", "晚上"]).fill_null(False)
            am = pl.col("ampm").str.to_lowercase().str.starts_with("a").fill_null(False) | pl.col(
                "ampm0"
            ).is_in(["上午", "凌晨"]).fill_null(False)
            cols["H"] = (
                pl.when(pm & (cols["H"] < 12))
                .then(cols["H"] + 12)
                .when(am & (cols["H"] == 12))
                .then(0)
                .otherwise(cols["H"])
            )
        matched = pl.col(g.columns[0]).is_not_null() if name != "abY" else pl.col("a").is_not_null()
        extra = {
            "amb_a": pl.col("a").cast(pl.Int32) if name == "abY" else pl.lit(None, dtype=pl.Int32),
            "amb_b": pl.col("b").cast(pl.Int32) if name == "abY" else pl.lit(None, dtype=pl.Int32),
            # the last field when it has two digits (a year, or a day in a year-first column)
            "amb_c": pl.when(pl.col("y").str.len_chars() <= 2).then(pl.col("y").cast(pl.Int32))
            if name == "abY"
            else pl.lit(None, dtype=pl.Int32),
        }
        frames.append(
            g.select(
                matched.alias("matched"),
                *(cols[p].alias(p) for p in _PARTS),
                pl.lit(name).alias("pattern"),
                *(e.alias(k) for k, e in extra.items()),
            )
        )
    # first pattern that matched wins (they are mutually exclusive by shape)
    parts = {}
    for p in (*_PARTS, "pattern", "amb_a", "amb_b", "amb_c"):
        parts[p] = pl.coalesce([pl.when(f["matched"]).then(f[p]).otherwise(None) for f in frames])
    base = pl.DataFrame({"value": s}).with_columns(**parts)
    base = base.with_columns(
        pattern=pl.coalesce([pl.when(f["matched"]).then(pl.lit(f["pattern"][0])) for f in frames])
        if frames
        else None,
    )
    iso = pl.format(
        "{}-{}-{}",
        pl.col("y").cast(pl.Utf8).str.zfill(4),
        pl.col("m").cast(pl.Utf8).str.zfill(2),
        pl.col("d").cast(pl.Utf8).str.zfill(2),
    )
    valid = iso.str.to_date("%Y-%m-%d", strict=False).is_not_null() & pl.col("y").is_between(
        1000, 2999
    )
    t_ok = (
        pl.col("H").is_between(0, 23)
        & pl.col("M").is_between(0, 59)
        & pl.col("S").fill_null(0).is_between(0, 60)
    )
    tm = pl.format(
        "{}:{}:{}",
        pl.col("H").cast(pl.Utf8).str.zfill(2),
        pl.col("M").cast(pl.Utf8).str.zfill(2),
        pl.col("S").fill_null(0).cast(pl.Utf8).str.zfill(2),
    )
    return base.select(
        "value",
        ok=valid.fill_null(False) & (pl.col("H").is_null() | t_ok.fill_null(False)),
        date=pl.when(valid).then(iso),
        time=pl.when(pl.col("H").is_not_null() & t_ok).then(tm),
        pattern="pattern",
        amb_a="amb_a",
        amb_b="amb_b",
        amb_c="amb_c",
    )


# a time followed by words or a note in brackets ('7:10 PM (estimated)', '14:30 左右')
_TIME_NOTE = (
    r"^(?P<t>(?:上午|下午|晚上|凌晨)?\s*\d{1,2}[:：时]\d{2}(?:[:：分]\d{2}秒?)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?)(?:\s+[^\d:：]+|\s*[(（][^\d:：]*)$"
)


def parse_times(values: pl.Series, notes: bool = False) -> pl.DataFrame:
    """Columns: value, ok, time ('HH:MM:SS'), has_seconds. ``notes``: also read a time followed
    by words ('7:10 PM delayed' -> 19:10), for normalising a column already typed as times."""
    s = values.cast(pl.Utf8)
    if notes:
        strict = s.str.contains(TIME_RE)
        bare = s.str.extract(_TIME_NOTE, 1)
        s = pl.select(pl.when(~strict & bare.is_not_null()).then(bare).otherwise(s)).to_series()
    g = s.str.extract_groups(TIME_RE).struct.unnest()
    h, m, sec = (pl.col(c).cast(pl.Int32) for c in ("H", "M", "S"))
    pm = pl.col("ampm").str.to_lowercase().str.starts_with("p") | pl.col("ampm1").is_in(
        ["下午", "晚上"]
    )
    am = pl.col("ampm").str.to_lowercase().str.starts_with("a") | pl.col("ampm1").is_in(
        ["上午", "凌晨"]
    )
    h = (
        pl.when(pm.fill_null(False) & (h < 12))
        .then(h + 12)
        .when(am.fill_null(False) & (h == 12))
        .then(0)
        .otherwise(h)
    )
    ok = h.is_between(0, 23) & m.is_between(0, 59) & sec.fill_null(0).is_between(0, 59)
    txt = pl.format(
        "{}:{}:{}",
        h.cast(pl.Utf8).str.zfill(2),
        m.cast(pl.Utf8).str.zfill(2),
        sec.fill_null(0).cast(pl.Utf8).str.zfill(2),
    )
    return (
        pl.DataFrame({"value": s})
        .hstack(g)
        .select(
            "value",
            ok=ok.fill_null(False),
            time=pl.when(ok).then(txt),
            has_seconds=pl.col("S").is_not_null(),
        )
    )


# --- simple shapes ------------------------------------------------------------------------------
EMAIL_RE = r"^[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$"
URL_RE = r"^(?i)(?:https?://|www\.)[^\s]+$"
PHONE_RE = r"^\+?[\d\s\-().]{7,24}$"
# a plain decimal or grouped number (61828.26, -3.5, 1,234,567.00) is a number, never a phone
PLAIN_NUMBER_RE = r"^[-+]?(?:\d+\.\d+|\d{1,3}(?:,\d{3})+(?:\.\d+)?)$"
CN_MOBILE_RE = r"^(?:\+?86)?1[3-9]\d{9}$"
CN_ID_RE = r"^\d{17}[\dXx]$"
TRUE_TOKENS = {"是", "对", "真", "y", "yes", "true", "t", "1", "√", "✓", "✔", "有", "on"}
FALSE_TOKENS = {"否", "错", "假", "n", "no", "false", "f", "0", "×", "✗", "✘", "无", "off"}
BOOL_PAIRS: list[tuple[str, str]] = [
    ("是", "否"),
    ("对", "错"),
    ("真", "假"),
    ("有", "无"),
    ("Y", "N"),
    ("y", "n"),
    ("Yes", "No"),
    ("yes", "no"),
    ("YES", "NO"),
    ("true", "false"),
    ("True", "False"),
    ("TRUE", "FALSE"),
    ("T", "F"),
    ("t", "f"),
    ("1", "0"),
    ("√", "×"),
    ("✓", "✗"),
    ("on", "off"),
]


def bool_value(s: pl.Expr) -> pl.Expr:
    """True / False / null for each token."""
    low = s.str.to_lowercase()
    return (
        pl.when(low.is_in(list(TRUE_TOKENS)))
        .then(True)
        .when(low.is_in(list(FALSE_TOKENS)))
        .then(False)
    )


def phone_digits(s: pl.Expr) -> pl.Expr:
    return s.str.replace_all(r"[^\d]", "")


_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def cn_id_valid(value: str) -> bool:
    """GB 11643 checksum of an 18-character Chinese resident ID number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17].upper()
