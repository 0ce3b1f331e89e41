"""Format steps: text hygiene, missing tokens, and each semantic type's canonical form.

Every step is typed, JSON-serialisable and re-appliable: it stores the parameters it decided
from the data (date order, unit, boolean pair, reference range...), never a per-row list, so
``clean.apply`` on next month's file re-derives the same mapping from that file's values.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Literal

import polars as pl
from pydantic import Field

from onelegion.skills.clean import formats, parse
from onelegion.skills.clean.step import ValueStep
from onelegion.skills.clean.types import MISSING

ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff\u00ad]"
# horizontal whitespace only: line breaks inside a cell (multi-line notes) are kept
SPACES = "[ \\t\u00a0\u3000\u2000-\u200a\u202f\u205f]+"
LINE_EDGES = "[ \\t]*(\\r\\n|\\r|\\n)[ \\t]*"
MOJIBAKE = (
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# full-width letters and digits -> ASCII (safe in any column; punctuation is left for typed steps)
_FW = {chr(0xFF10 + i): str(i) for i in range(10)}
_FW.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FW.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
MISSING_TOKENS = MISSING


def fullwidth_alnum(s: pl.Series) -> pl.Series:
    return s.str.replace_many(list(_FW), list(_FW.values()))


class CleanText(ValueStep):
    """Trim, drop zero-width characters, collapse runs of spaces, fix mojibake, and turn
    full-width letters and digits into ASCII."""

    kind: Literal["clean_text"] = "clean_text"
    fix_mojibake: bool = True

    def transform(self, values: pl.Series) -> pl.Series:
        s = (
            values.str.replace_all(ZERO_WIDTH, "")
            .str.replace_all(SPACES, " ")
            .str.replace_all(LINE_EDGES, "\n")
            .str.strip_chars(" \n")
        )
        s = fullwidth_alnum(s)
        if self.fix_mojibake:
            bad = s.str.contains(MOJIBAKE)
            if bad.any():
                import ftfy

                fixed = {v: ftfy.fix_text(v) for v in s.filter(bad).to_list()}
                s = s.replace(list(fixed), list(fixed.values()))
        return s.replace("", None)


class MissingToEmpty(ValueStep):
    """Placeholder tokens such as N/A, null, -, 无 become empty cells."""

    kind: Literal["missing_to_empty"] = "missing_to_empty"
    tokens: list[str] = Field(default_factory=list)

    def transform(self, values: pl.Series) -> pl.Series:
        low = values.str.to_lowercase().str.strip_chars()
        return pl.select(pl.when(low.is_in(self.tokens)).then(None).otherwise(values)).to_series()


class NormalizeNumber(ValueStep):
    """Numbers to plain minimal text: '12.0 oz' -> '12', '¥1,299' -> '1299', '3.5万' -> '35000'.

    ``mode='plain'`` strips the column's unit (recorded in ``unit``); ``mode='percent'`` keeps a
    trailing '%'; ``mode='keep_unit'`` writes every value as number + ``unit_text`` (a column
    that spells one unit almost everywhere, e.g. '4 patients', keeps it; misspelt units are fixed). Values with another unit keep their number only if it fits the column's range
    (``ref_lo``..``ref_hi``; a '%' value also tries /100); other currencies are never converted.
    """

    kind: Literal["normalize_number"] = "normalize_number"
    mode: Literal["plain", "percent", "keep_unit"] = "plain"
    unit: str | None = None
    unit_text: str = ""
    accepted_units: list[str] = Field(default_factory=list)
    ref_median: float | None = None
    ref_lo: float | None = None
    ref_hi: float | None = None
    decimals: int | None = Field(
        default=None, description="The column's fixed decimal places (None: minimal form)."
    )
    thousands: bool = Field(default=False, description="The column writes 1,234 separators.")
    scientific: bool = Field(default=False, description="The column writes 6.79e+00.")
    integral: bool = Field(default=False, description="The column writes whole numbers.")
    trim_zeros: bool = Field(
        default=False, description="The column writes numbers minimal (329.9, not 329.90)."
    )
    keep_plain: bool = Field(
        default=False,
        description="Leave bare numbers as written (3.10, 6.79e+00) when the column has no "
        "fixed decimal places or separators: only deviating values are converted.",
    )
    header_unit: str | None = Field(
        default=None,
        description="The unit the column's header names (金额(万元), 重量kg): values written "
        "with another unit of the same kind are brought to it.",
    )

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.strip_chars()
        # a decimal comma among decimal points: '12,5' -> 12.5 (never '1,234': thousands)
        v = pl.select(
            pl.when(v.str.contains(r"^[-+]?\d+,\d{1,2}$"))
            .then(v.str.replace(",", ".", literal=True))
            .otherwise(v)
        ).to_series()
        p = parse.parse_numbers(v)
        ok = p["ok"] & ~p["leading_zero"]
        unit = p["unit"]
        accepted = ok & (unit.is_null() | unit.is_in(self.accepted_units))
        num = p["num"]
        if self.mode == "percent" and self.ref_median is not None and self.ref_median > 1:
            # a bare fraction in a column of percentages: 0.05 -> 5%
            frac = accepted & unit.is_null() & num.cast(pl.Float64, strict=False).abs().le(1)
            if frac.any():
                scaled = {
                    n: parse.minimal_decimal(Decimal(n) * 100)
                    for n in num.filter(frac).unique().to_list()
                }
                num = pl.select(
                    pl.when(frac)
                    .then(num.replace(list(scaled), list(scaled.values())))
                    .otherwise(num)
                ).to_series()
        if self.header_unit in HEADER_UNITS:
            num, accepted = self._to_header_unit(num, unit, p["has_mult"], ok, accepted)
        stray = ok & ~accepted
        if stray.any():  # few values: decide each one against the column's range
            idx = stray.arg_true().to_list()
            fixed = {i: self._stray(num[i], unit[i]) for i in idx}
            keep = [i for i, v in fixed.items() if v is not None]
            if keep:
                num = num.scatter(keep, [fixed[i] for i in keep])
                accepted = accepted.scatter(keep, True)
        if self.decimals or self.thousands:
            num = formats.style_numbers(num, self.decimals, self.thousands)
        if self.mode == "percent":
            new = num + "%"
        elif self.mode == "keep_unit":
            new = num + self.unit_text
        else:
            new = num
        if self.keep_plain and self.mode == "plain" and not self.decimals and not self.thousands:
            # a bare number is already in the column's form (float noise is not; scientific
            # notation only in a column mostly written that way)
            orig = values.str.normalize("NFKC").str.strip_chars()
            exp = r"(?:[eE][-+]?\d+)?" if self.scientific else ""
            bare = orig.str.contains(r"^-?(?:\d+\.?\d*|\.\d+)" + exp + "$") & ~orig.str.contains(
                r"\.\d{14,}"
            )
            if self.integral:  # '459.0' among whole numbers deviates: written as 459
                bare = bare & ~orig.str.contains(r"\.0+$")
            if self.trim_zeros:  # '649.00' where numbers are written minimal: 649
                bare = bare & ~orig.str.contains(r"\.\d*0$")
            accepted = accepted & ~bare
        return pl.select(pl.when(accepted).then(new).otherwise(values)).to_series()

    def _to_header_unit(
        self,
        num: pl.Series,
        unit: pl.Series,
        has_mult: pl.Series,
        ok: pl.Series,
        accepted: pl.Series,
    ) -> tuple[pl.Series, pl.Series]:
        """Values written with a unit or multiplier ('2.3万', '12,000元', '500 g') brought to the
        unit the header names (营业额（万元）: 2.3, 1.2); bare values are already in it."""
        family, factor = HEADER_UNITS[self.header_unit or ""]
        idx = (ok & (unit.is_not_null() | has_mult)).arg_true().to_list()
        keep, vals = [], []
        for i in idx:
            u = unit[i]
            if u is not None and UNIT_FAMILY.get(u, ("", Decimal(0)))[0] != family:
                continue
            base = Decimal(num[i]) * (UNIT_FAMILY[u][1] if u is not None else Decimal(1))
            keep.append(i)
            vals.append(parse.minimal_decimal(base / factor))
        if keep:
            num = num.scatter(keep, vals)
            accepted = accepted.scatter(keep, True)
        return num, accepted

    def _stray(self, num: str, unit: str | None) -> str | None:
        if unit in parse.CURRENCIES or self.ref_median is None:
            return None
        if self.mode == "keep_unit":
            from rapidfuzz import fuzz

            known = set(parse.UNIT_SYNONYMS.values())
            if unit is None or unit in known or fuzz.ratio(unit, self.unit or "") < 70:
                return None
        cands = [num] + ([parse.minimal_decimal(Decimal(num) / 100)] if unit == "%" else [])
        best = min(cands, key=lambda c: _logdist(float(c), self.ref_median or 0.0))
        if unit == "%" and self.mode == "plain":
            return best  # a '%' on a plain-number column: the closer reading, even if unusual
        x = abs(float(best))
        lo, hi = self.ref_lo or 0.0, self.ref_hi or math.inf
        return best if lo / 2 <= x <= hi * 2 else None


# the unit a header names -> (kind, size in the kind's base unit)
HEADER_UNITS: dict[str, tuple[str, Decimal]] = {
    "元": ("CNY", Decimal(1)),
    "千元": ("CNY", Decimal(1000)),
    "万元": ("CNY", Decimal(10_000)),
    "亿元": ("CNY", Decimal(100_000_000)),
    "g": ("g", Decimal(1)),
    "克": ("g", Decimal(1)),
    "kg": ("g", Decimal(1000)),
    "公斤": ("g", Decimal(1000)),
    "千克": ("g", Decimal(1000)),
    "斤": ("g", Decimal(500)),
    "吨": ("g", Decimal(1_000_000)),
}
# a value's canonical unit -> (kind, size in the kind's base unit)
UNIT_FAMILY: dict[str | None, tuple[str, Decimal]] = {
    "CNY": ("CNY", Decimal(1)),
    "g": ("g", Decimal(1)),
    "kg": ("g", Decimal(1000)),
    "斤": ("g", Decimal(500)),
}
_HEADER_UNIT_RE = re.compile(
    r"(?:[（(]\s*(?P<a>[^()（）]{1,4}?)\s*[)）]|(?<=[^\W\d_])(?P<b>kg|g|公斤|千克|万元|千元|元))\s*$"
)


def header_unit(name: str) -> str | None:
    """The unit a column header names: '营业额（万元）' -> '万元', '重量kg' -> 'kg'."""
    m = _HEADER_UNIT_RE.search(name.strip())
    if m is None:
        return None
    u = (m.group("a") or m.group("b") or "").strip()
    u = u.lower() if u.isascii() else u
    return u if u in HEADER_UNITS else None


def _logdist(x: float, ref: float) -> float:
    if x == 0 or ref == 0:
        return math.inf
    return abs(math.log(abs(x) / abs(ref)))


class NormalizeDate(ValueStep):
    """Dates to ISO 8601 'YYYY-MM-DD' (with ' HH:MM:SS' when the value has a time)."""

    kind: Literal["normalize_date"] = "normalize_date"
    order: Literal["auto", "mdy", "dmy", "ymd"] = "auto"
    excel_serials: bool = False
    format: str | None = Field(
        default=None,
        description="The column's own date format (strftime); None: ISO 8601 (--canonical).",
    )

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.strip_chars()
        d = parse.parse_dates(v, self.order)
        if self.format is not None:
            written = formats.write_datetimes(d["date"], d["time"], self.format)
            same = formats.already_written(values, self.format)
            # a time the format cannot hold (or one it would invent) is left for review
            fits = formats.holds_time(self.format, d["time"])
            # the invariant: the written text reads back as the same date and time
            back = parse.parse_dates(written.fill_null(""), self.order)
            fits = fits & (back["date"].eq_missing(d["date"]) & back["time"].eq_missing(d["time"]))
            new = pl.select(
                pl.when(same | ~d["ok"] | written.is_null() | ~fits).then(values).otherwise(written)
            ).to_series()
        else:
            new = pl.select(
                pl.when(d["ok"] & d["time"].is_not_null())
                .then(d["date"] + " " + d["time"])
                .when(d["ok"])
                .then(d["date"])
                .otherwise(values)
            ).to_series()
        if self.excel_serials:
            serial = v.str.contains(r"^\d{5}$") & ~d["ok"]
            num = v.cast(pl.Int64, strict=False)
            conv = pl.select(
                pl.when(serial & num.is_between(20000, 80000))
                .then(
                    (pl.date(1899, 12, 30) + pl.duration(days=pl.lit(num))).dt.to_string(
                        self.format or "%Y-%m-%d"
                    )
                )
                .otherwise(new)
            ).to_series()
            new = conv
        return new


class NormalizeTime(ValueStep):
    """Times to 24-hour 'HH:MM' (or 'HH:MM:SS' when the column uses seconds)."""

    kind: Literal["normalize_time"] = "normalize_time"
    seconds: bool = False
    format: str | None = Field(
        default=None,
        description="The column's own time format (strftime); None: 24-hour (--canonical).",
    )

    def transform(self, values: pl.Series) -> pl.Series:
        t = parse.parse_times(values.str.normalize("NFKC").str.strip_chars(), notes=True)
        if self.format is not None:
            written = formats.write_datetimes(
                pl.Series([None] * t.height, dtype=pl.Utf8), t["time"], self.format
            )
            same = formats.already_written(values, self.format)
            fits = formats.holds_time(self.format, t["time"])
            back = parse.parse_times(written.fill_null(""))
            fits = fits & back["time"].eq_missing(t["time"])
            return pl.select(
                pl.when(same | ~t["ok"] | written.is_null() | ~fits).then(values).otherwise(written)
            ).to_series()
        txt = t["time"] if self.seconds else t["time"].str.slice(0, 5)
        return pl.select(pl.when(t["ok"]).then(txt).otherwise(values)).to_series()


class NormalizePhone(ValueStep):
    """Phones to the column's dominant form: bare digits ('+86 138-0013-8000' -> '13800138000')
    or a mask such as 'DDD-DDDD-DDDD' for values with that many digits."""

    kind: Literal["normalize_phone"] = "normalize_phone"
    form: str = "digits"
    lengths: list[int] = Field(
        default_factory=list,
        description="Digit counts the column's phones have (others are left as they are).",
    )

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.strip_chars()
        shape = v.str.contains(parse.PHONE_RE) & ~v.str.contains(parse.PLAIN_NUMBER_RE)
        digits = v.str.replace_all(r"[^\d]", "")
        plus = v.str.starts_with("+")
        cn = digits.str.contains(r"^(?:0086|86)1[3-9]\d{9}$")
        local = pl.select(
            pl.when(cn).then(digits.str.replace(r"^(?:0086|86)", "")).otherwise(digits)
        ).to_series()
        bare = pl.select(pl.when(plus & ~cn).then("+" + local).otherwise(local)).to_series()
        if self.form == "digits":
            res = bare
        else:
            n = self.form.count("D")
            groups = _mask_groups(self.form)
            pat = "^" + "".join(f"(\\d{{{g}}})" for g in groups) + "$"
            repl = _mask_replacement(self.form)
            fits = local.str.len_chars() == n
            res = pl.select(
                pl.when(fits).then(local.str.replace(pat, repl)).otherwise(bare)
            ).to_series()
        if self.lengths:
            shape = shape & local.str.len_chars().is_in(self.lengths)
        return pl.select(pl.when(shape).then(res).otherwise(values)).to_series()


def _mask_groups(mask: str) -> list[int]:
    import re

    return [len(g) for g in re.findall(r"D+", mask)]


def _mask_replacement(mask: str) -> str:
    import re

    out, i = [], 0
    for tok in re.findall(r"D+|[^D]+", mask):
        if tok.startswith("D"):
            i += 1
            out.append(f"${{{i}}}")
        else:
            out.append(tok.replace("$", "$$"))
    return "".join(out)


class NormalizeEmail(ValueStep):
    """E-mail addresses trimmed, full-width characters folded, lower-cased."""

    kind: Literal["normalize_email"] = "normalize_email"
    lowercase: bool = True

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.replace_all(r"\s+", "")
        out = v.str.to_lowercase() if self.lowercase else v
        return pl.select(
            pl.when(v.str.contains(parse.EMAIL_RE)).then(out).otherwise(values)
        ).to_series()


class NormalizeBoolean(ValueStep):
    """Yes/no tokens (是/否, Y/N, yes/no, 1/0, true/false ...) to the column's dominant pair."""

    kind: Literal["normalize_boolean"] = "normalize_boolean"
    true_value: str = "是"
    false_value: str = "否"

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.strip_chars()
        b = v.to_frame("v").select(parse.bool_value(pl.col("v"))).to_series()
        return pl.select(
            pl.when(b.fill_null(False))
            .then(pl.lit(self.true_value))
            .when(b.not_().fill_null(False))
            .then(pl.lit(self.false_value))
            .otherwise(values)
        ).to_series()


class NormalizeCnId(ValueStep):
    """Chinese resident ID numbers: full-width folded, spaces removed, check letter upper-case."""

    kind: Literal["normalize_cn_id"] = "normalize_cn_id"

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.replace_all(r"[\s-]", "").str.to_uppercase()
        return pl.select(
            pl.when(v.str.contains(parse.CN_ID_RE)).then(v).otherwise(values)
        ).to_series()


class NormalizeUrl(ValueStep):
    """URLs: full-width folded, spaces removed, scheme and host lower-cased."""

    kind: Literal["normalize_url"] = "normalize_url"
    lowercase: bool = True

    def transform(self, values: pl.Series) -> pl.Series:
        v = values.str.normalize("NFKC").str.replace_all(r"\s+", "")
        if not self.lowercase:
            return pl.select(
                pl.when(v.str.contains(parse.URL_RE)).then(v).otherwise(values)
            ).to_series()
        host = v.str.extract(r"^((?i)(?:https?://)?[^/?#]+)", 1)
        low = pl.select(
            pl.when(host.is_not_null())
            .then(host.str.to_lowercase() + v.str.slice(host.str.len_chars()))
            .otherwise(v)
        ).to_series()
        return pl.select(
            pl.when(v.str.contains(parse.URL_RE)).then(low).otherwise(values)
        ).to_series()
