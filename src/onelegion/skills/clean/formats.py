"""Each column's own representation of dates, times and numbers, read from its values.

By default Clean keeps the representation most of a column's values already use (m/d/yy dates,
12-hour times, two decimal places, thousands separators) and converts only the values that
deviate into it; ``canonical`` (ISO dates, 24-hour times, minimal plain numbers) is opt-in.

A date or time representation is a chrono/strftime format such as ``%-m/%-d/%y`` or
``%-I:%M %p``, decided from the distinct values weighted by their counts: each value's digit runs
are mapped to the fields its parse pattern gives (year, month, day, hour, minute, second), the
literal text between them is kept, and the padding of each field (``03`` or ``3``) is voted by the
values that show it (a value of 10 or more says nothing about padding). A value that already
matches the column's format (:func:`format_regex`) is never rewritten.
"""

from __future__ import annotations

import re
from collections import defaultdict

import polars as pl

_RUN = re.compile(r"\d+")
_AMPM = re.compile(r"(?<![A-Za-z])([AaPp])([Mm])(?![A-Za-z.])")
# am/pm words chrono cannot write: written through %p and rewritten (see :func:`write_datetimes`)
_STYLED = re.compile(r"(?<![A-Za-z])([AaPp])\.([Mm])\.|上午|下午|晚上|凌晨")
STYLE_TOKENS = {
    "%(a.m.)": ("a.m.", "p.m.", r"(?:a\.m\.|p\.m\.)"),
    "%(A.M.)": ("A.M.", "P.M.", r"(?:A\.M\.|P\.M\.)"),
    "%(上午)": ("上午", "下午", r"(?:上午|下午|晚上|凌晨)"),
}
_MARK = "\x01"
_FIELDS_BY_PATTERN = {
    "ymd": ["y", "m", "d", "H", "M", "S"],
    "mdy": ["m", "d", "y", "H", "M", "S"],
    "dmy": ["d", "m", "y", "H", "M", "S"],
    "time": ["H", "M", "S"],
}


def _skeleton(value: str, fields: list[str]) -> tuple[str, dict[str, bool]] | None:
    """('{m}/{d}/%y', {'m': False}) for '3/15/24' read month-first; None when the value does not
    map cleanly (month names, fractions of seconds, Chinese am/pm words)."""
    runs = list(_RUN.finditer(value))
    if not runs or len(runs) > len(fields):
        return None
    ampm = _AMPM.search(value) or _STYLED.search(value)
    if re.search(r"[AaPp]\.[Mm](?!\.)", value):
        return None  # 'a.m' without its last dot: a form we do not write
    out: list[str] = []
    pads: dict[str, bool] = {}
    pos = 0
    for run, f in zip(runs, fields, strict=False):
        lit = value[pos : run.start()]
        out.append(_literal(lit))
        text = run.group()
        if f == "y":
            if len(text) == 4:
                out.append("%Y")
            elif len(text) == 2:
                out.append("%y")
            else:
                return None
        else:
            if len(text) > 2:
                return None
            code = "I" if (f == "H" and ampm) else f
            out.append("{" + code + "}")
            if len(text) == 1:
                pads[code] = False
            elif int(text) < 10:
                pads[code] = True
        pos = run.end()
    out.append(_literal(value[pos:]))
    return "".join(out), pads


def _literal(text: str) -> str:
    text = text.replace("%", "%%").replace("{", "{{").replace("}", "}}")

    def ampm(m: re.Match[str]) -> str:
        return "%p" if m.group(1).isupper() else "%P"

    def styled(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return "%(上午)"
        return "%(A.M.)" if m.group(1).isupper() else "%(a.m.)"

    return _STYLED.sub(styled, _AMPM.sub(ampm, text))


def dominant_format(values: list[str], weights: list[float], pattern_of: list[str]) -> str | None:
    """The strftime format most of ``values`` are written in (``pattern_of[i]`` names the field
    order of value i: 'ymd', 'mdy', 'dmy' or 'time'); None when no value maps cleanly."""
    key_w: dict[str, float] = defaultdict(float)
    unmapped = 0.0
    pad_w: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    for v, w, pat in zip(values, weights, pattern_of, strict=True):
        fields = _FIELDS_BY_PATTERN.get(pat)
        sk = _skeleton(v, fields) if fields else None
        if sk is None:
            unmapped += w if pat else 0.0
            continue
        key, pads = sk
        key_w[key] += w
        for code, padded in pads.items():
            pad_w[key][code][0 if padded else 1] += w
    if not key_w:
        return None
    key = max(key_w, key=lambda k: (key_w[k], k))
    fmt = key
    if unmapped > key_w[key]:
        return None  # most values are in a form we cannot write (month names): leave the column
    for code in "ymdHIMS":
        with_zero, without = pad_w[key][code]
        token = f"%{code}" if with_zero >= without else f"%-{code}"
        fmt = fmt.replace("{" + code + "}", token)
    return fmt.replace("{{", "{").replace("}}", "}")


_TOKEN_RE = {
    "%Y": r"\d{4}",
    "%y": r"\d{2}",
    "%p": r"(?:AM|PM)",
    "%P": r"(?:am|pm)",
    "%%": "%",
}


def format_regex(fmt: str) -> str:
    """A regex matching exactly the texts ``fmt`` writes ('%-m' -> one or two digits, no leading
    zero; '%m' -> two digits)."""
    out = ["^"]
    i = 0
    while i < len(fmt):
        styled = next((t for t in STYLE_TOKENS if fmt.startswith(t, i)), None)
        if styled is not None:
            out.append(STYLE_TOKENS[styled][2])
            i += len(styled)
        elif fmt[i] == "%":
            tok = fmt[i : i + 3] if fmt[i + 1 : i + 2] == "-" else fmt[i : i + 2]
            if tok in _TOKEN_RE:
                out.append(_TOKEN_RE[tok])
            elif tok.startswith("%-"):
                out.append(r"(?:[1-9]\d|\d)" if tok[2] in "HM" else r"(?:[1-9]\d?)")
            else:
                out.append(r"\d{2}")
            i += len(tok)
        else:
            out.append(re.escape(fmt[i]))
            i += 1
    out.append("$")
    return "".join(out)


def already_written(values: pl.Series, fmt: str) -> pl.Series:
    """Values left as they are under ``fmt``: those it matches, and in a column written with
    am/pm words ('a.m.', 上午) every value that already says am or pm in some spelling of the same
    script (sources spell them their own way: 24-hour values are brought into the column's style)."""
    same = values.str.contains(format_regex(fmt))
    if "%(上午)" in fmt:
        same = same | values.str.contains("上午|下午|晚上|凌晨|中午")
    elif any(t in fmt for t in STYLE_TOKENS):
        same = same | values.str.contains(r"(?i)(?:^|[\d\s])[ap]\.?m\.?$")
    return same


def write_datetimes(date: pl.Series, time: pl.Series, fmt: str) -> pl.Series:
    """ISO date ('YYYY-MM-DD', may be null) + 'HH:MM:SS' time (may be null) in ``fmt``."""
    stamp = pl.select(
        pl.when(date.is_not_null())
        .then(date + " " + time.fill_null("00:00:00"))
        .otherwise(pl.lit("2000-01-01 ") + time)
    ).to_series()
    parsed = stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
    styles = [t for t in STYLE_TOKENS if t in fmt]
    for t in styles:
        fmt = fmt.replace(t, f"{_MARK}{t[2]}%p{_MARK}")
    out = parsed.dt.to_string(fmt)
    for t in styles:
        am, pm, _ = STYLE_TOKENS[t]
        out = out.str.replace_all(f"{_MARK}{t[2]}AM{_MARK}", am, literal=True)
        out = out.str.replace_all(f"{_MARK}{t[2]}PM{_MARK}", pm, literal=True)
    return out


def holds_time(fmt: str, time: pl.Series) -> pl.Series:
    """Whether writing each 'HH:MM:SS' (or null) in ``fmt`` keeps exactly what it says: a format
    without hours cannot hold a time, one with hours would invent one for a bare date, and one
    without seconds cannot hold 12:30:15."""
    has_h = any(t in fmt for t in ("%H", "%-H", "%I", "%-I"))
    has_s = "%S" in fmt or "%-S" in fmt
    present = time.is_not_null()
    ok = present if has_h else ~present
    if has_h and not has_s:
        ok = ok & time.str.ends_with(":00").fill_null(False)
    return ok


# --- numbers ------------------------------------------------------------------------------------


def mostly_whole(nums: list[str], weights: list[float]) -> bool:
    """At least 80% of the column's bare numbers are written without decimals."""
    total = sum(weights)
    whole = sum(w for v, w in zip(nums, weights, strict=True) if "." not in v)
    return bool(total) and whole >= 0.8 * total


def mostly_minimal(nums: list[str], weights: list[float]) -> bool:
    """Fewer than 10% of the column's bare numbers end in a padding zero (329.90, 649.00)."""
    total = sum(weights)
    padded = sum(w for v, w in zip(nums, weights, strict=True) if "." in v and v.endswith("0"))
    return bool(total) and padded < 0.1 * total


def number_style(nums: list[str], weights: list[float]) -> tuple[int | None, bool]:
    """(fixed decimal places, thousands separators) of a column's bare numbers.

    Fixed places: at least 80% of the values have the same number of decimals d > 0 and some of
    them end in 0 (1517.50, 5.00: the writer padded them). Thousands: most values of 1000 or more
    (two at least) carry a separator."""
    by_dec: dict[int, float] = defaultdict(float)
    padded = defaultdict(bool)
    big = sep = 0.0
    for v, w in zip(nums, weights, strict=True):
        t = v.lstrip("+-")
        intpart, _, frac = t.partition(".")
        by_dec[len(frac)] += w
        if frac.endswith("0"):
            padded[len(frac)] = True
        digits = intpart.replace(",", "")
        if len(digits) >= 4:
            big += w
            if "," in intpart:
                sep += w
    total = sum(by_dec.values())
    decimals = None
    if total:
        d = max(by_dec, key=lambda k: (by_dec[k], -k))
        if d > 0 and by_dec[d] >= 0.8 * total and padded[d]:
            decimals = d
    return decimals, bool(sep >= 2 and sep >= 0.5 * big)


def style_numbers(minimal: pl.Series, decimals: int | None, thousands: bool) -> pl.Series:
    """Minimal number texts written with ``decimals`` places (only when no digit is lost) and
    thousands separators."""
    out = minimal
    if decimals:
        # only plain decimals get places: '1E100' padded to '1E100.0' would no longer be a number
        plain = out.str.contains(r"^-?\d+(?:\.\d+)?$").fill_null(False)
        frac_len = out.str.extract(r"\.(\d+)$", 1).str.len_chars().fill_null(0)
        base = pl.select(
            pl.when(out.str.contains(r"\.")).then(out).otherwise(out + ".")
        ).to_series()
        pad = pl.select(
            pl.when(plain & (frac_len <= decimals))
            .then(base + pl.lit("0" * decimals).str.slice(0, decimals - frac_len))
            .otherwise(out)
        ).to_series()
        out = pad
    if thousands:
        out = pl.Series(out.name, [group_thousands(v) for v in out.to_list()], dtype=pl.Utf8)
    return out


def group_thousands(v: str | None) -> str | None:
    if v is None:
        return None
    sign = "-" if v.startswith("-") else ""
    intpart, dot, frac = v.lstrip("-").partition(".")
    if not intpart.isdigit():
        return v
    return f"{sign}{int(intpart):,}{dot}{frac}"


__all__ = [
    "already_written",
    "dominant_format",
    "format_regex",
    "group_thousands",
    "holds_time",
    "number_style",
    "style_numbers",
    "write_datetimes",
]
