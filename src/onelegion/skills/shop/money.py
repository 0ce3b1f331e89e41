"""Money as sellers' exports write it, into exact decimals (polars, vectorised).

"Rs.201.68", "BRL 35,91", "1.234,56 €", "(12.50)", "-$3.00", "US$1,299.00", "RM 12.90", "12,34"
(a German settlement) all become ``Decimal(18, 4)`` plus the currency written beside the number.
The decimal separator is decided per column from evidence (a value such as "35,91" or
"1.234,56" proves a decimal comma; "1,234.56" proves a decimal point); without evidence the
marketplace's convention (``decimal_comma``) is used. Values that cannot be read are counted and
reported, never turned into zero.
"""

from __future__ import annotations

import polars as pl

MONEY = pl.Decimal(18, 4)

# currency written beside a number -> ISO code
SYMBOLS = {
    "rs": "INR",
    "rs.": "INR",
    "₹": "INR",
    "inr": "INR",
    "r$": "BRL",
    "brl": "BRL",
    "rm": "MYR",
    "myr": "MYR",
    "₱": "PHP",
    "php": "PHP",
    "฿": "THB",
    "thb": "THB",
    "₫": "VND",
    "vnd": "VND",
    "rp": "IDR",
    "idr": "IDR",
    "us$": "USD",
    "usd": "USD",
    "$": "USD",
    "c$": "CAD",
    "ca$": "CAD",
    "cad": "CAD",
    "a$": "AUD",
    "aud": "AUD",
    "s$": "SGD",
    "sgd": "SGD",
    "€": "EUR",
    "eur": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "¥": "JPY",
    "jpy": "JPY",
    "￥": "CNY",
    "cny": "CNY",
    "rmb": "CNY",
    "元": "CNY",
    "mxn": "MXN",
    "zł": "PLN",
    "pln": "PLN",
    "sek": "SEK",
    "kr": "SEK",
    "chf": "CHF",
    "try": "TRY",
    "aed": "AED",
    "sar": "SAR",
}
ZERO_DECIMAL = {"IDR", "VND", "JPY", "KRW", "CLP", "HUF"}
_CUR_TOKEN = r"(?:[A-Za-z]{1,3}\$|R\$|[A-Za-z]{2,3}\.?|[₹₱฿₫€£¥￥$]|zł|元)"
_MONEY_RE = (
    r"^(?P<neg1>[-−–(])?\s*(?P<pre>" + _CUR_TOKEN + r")?\s*(?P<neg2>[-−–(])?\s*"
    r"(?P<num>\d[\d.,' \u00a0\u202f]*|[.,]\d+)\s*(?P<post>" + _CUR_TOKEN + r")?\s*(?P<neg3>[)-])?$"
)


def decimal_comma_evidence(values: pl.Series) -> bool | None:
    """True if the column writes a decimal comma, False if a decimal point, None if unknown."""
    s = values.drop_nulls().str.strip_chars().unique()
    if s.is_empty():
        return None
    comma = s.str.contains(r"\d,\d{1,2}(?:\D*)$") & ~s.str.contains(r",\d{3}(?:\D*)$")
    comma = comma | s.str.contains(r"\.\d{3},\d")
    point = s.str.contains(r"\d\.\d{1,2}(?:\D*)$") | s.str.contains(r",\d{3}\.\d")
    nc, np_ = int(comma.sum()), int(point.sum())
    if nc and not np_:
        return True
    if np_ and not nc:
        return False
    if nc or np_:
        return nc > np_
    return None


def parse_money(values: pl.Series, *, decimal_comma: bool | None = None) -> pl.DataFrame:
    """Columns: ``raw`` (text), ``amount`` (Decimal, null when empty or unreadable), ``currency``
    (ISO code written beside the number or null), ``bad`` (true when text was there but could not
    be read). ``decimal_comma`` None = decide from this column's evidence."""
    s = values.cast(pl.Utf8)
    if decimal_comma is None:
        decimal_comma = bool(decimal_comma_evidence(s))
    # work on the distinct values, unless nearly every value is distinct (then a join back costs
    # more than it saves)
    uniq = s.unique()
    direct = uniq.len() > 0.6 * s.len()
    if direct:
        uniq = s
    text = uniq.str.strip_chars()
    if text.str.starts_with('="').any():
        text = text.str.replace(r'^="(.*)"$', "$1")
    g = text.str.extract_groups(_MONEY_RE).struct.unnest()
    num = g["num"].str.replace_all(r"[' \u00a0\u202f]", "")
    if decimal_comma:
        # '.' groups thousands, ',' is the decimal mark
        num = num.str.replace_all(r"\.", "").str.replace(",", ".")
    else:
        # a lone ',' followed by 1-2 digits is a decimal mark (BRL 35,91 in a point column)
        lone = num.str.contains(r"^\d+,\d{1,2}$")
        num = pl.select(
            pl.when(lone).then(num.str.replace(",", ".")).otherwise(num.str.replace_all(",", ""))
        ).to_series()
    neg = (
        g["neg1"].is_in(["-", "−", "–", "("]).fill_null(False)
        | g["neg2"].is_in(["-", "−", "–", "("]).fill_null(False)
        | g["neg3"].eq("-").fill_null(False)
        | (g["neg1"].eq("(") & g["neg3"].eq(")")).fill_null(False)
    )
    cur_tok = pl.select(pl.coalesce(g["pre"], g["post"]).str.to_lowercase()).to_series()
    currency = cur_tok.replace_strict(SYMBOLS, default=None, return_dtype=pl.Utf8)
    # rupiah, dong, yen, won have no minor unit: "Rp 150.000" is 150000
    whole = currency.is_in(list(ZERO_DECIMAL)).fill_null(False) & g["num"].str.contains(
        r"^\d{1,3}(?:[.,]\d{3})+$"
    ).fill_null(False)
    num = pl.select(
        pl.when(whole).then(g["num"].str.replace_all(r"[.,]", "")).otherwise(num)
    ).to_series()
    ok_shape = num.str.contains(r"^\d*\.?\d+$|^\d+\.?\d*$").fill_null(False)
    dec_ok = ~num.str.contains(r"\.\d{5,}$").fill_null(False)
    signed = pl.select(pl.when(neg).then("-" + num).otherwise(num)).to_series()
    amount = signed.cast(MONEY, strict=False)
    unknown_cur = cur_tok.is_not_null() & currency.is_null()
    amount = pl.select(
        pl.when(ok_shape & dec_ok & ~unknown_cur.fill_null(False)).then(amount).otherwise(None)
    ).to_series()
    present = text.is_not_null() & (text != "")
    bad = present & (amount.is_null() | unknown_cur)
    table = pl.DataFrame(
        {"raw": uniq, "amount": amount, "currency": currency, "bad": bad.fill_null(False)}
    )
    if direct:
        return table
    return pl.DataFrame({"raw": s}).join(
        table, on="raw", how="left", nulls_equal=True, maintain_order="left"
    )


def money_col(df: pl.DataFrame, column: str, *, decimal_comma: bool | None) -> pl.DataFrame:
    """``parse_money`` of one column of ``df`` (same row order)."""
    return parse_money(df[column], decimal_comma=decimal_comma)


def int_col(values: pl.Series) -> pl.Series:
    """Quantities / counts: '1', '1,204', '3.0' -> Int64 (null when empty or not a whole number)."""
    s = values.cast(pl.Utf8).str.strip_chars().str.replace_all(r"[,\s]", "")
    s = s.str.replace(r"\.0+$", "")
    return s.cast(pl.Int64, strict=False)


def pct_col(values: pl.Series) -> pl.Series:
    """'1.66%', '0.0166', '' -> Float64 fraction."""
    s = values.cast(pl.Utf8).str.strip_chars()
    has_pct = s.str.ends_with("%")
    num = s.str.replace_all(r"[%\s,]", "").cast(pl.Float64, strict=False)
    return pl.select(pl.when(has_pct).then(num / 100).otherwise(num)).to_series()
