"""Counts and times as people and crawlers write them.

Counts: ``1234``, ``1,234``, ``1.2万``, ``3.4w``, ``12.5K``, ``1.5M``, ``2亿``, ``10万+``, ``1.2k赞``.
Times: epoch seconds or milliseconds, ISO dates and times, ``2024-03-01 12:00:00``, ``2024/3/1``,
``2024年3月1日``, relative-free. Naive times are taken as UTC+8 for Chinese platforms and UTC
otherwise (the caller passes the zone).
"""

from __future__ import annotations

import functools
import math
import re
from datetime import UTC, datetime, timedelta, timezone

_COUNT_RE = re.compile(
    r"^\s*([+-]?\d+(?:[.,]\d+)*)\s*(万|w|W|亿|k|K|千|m|M|b|B|百万|千万)?\s*\+?\s*[^\d]{0,3}\s*$"
)
_MULT = {
    "万": 1e4,
    "w": 1e4,
    "W": 1e4,
    "亿": 1e8,
    "k": 1e3,
    "K": 1e3,
    "千": 1e3,
    "m": 1e6,
    "M": 1e6,
    "百万": 1e6,
    "千万": 1e7,
    "b": 1e9,
    "B": 1e9,
}
_EMPTY = {"", "-", "--", "—", "null", "none", "nan", "n/a", "na", "暂无", "无"}


class CountError(ValueError):
    """A value that should be a count but is not one."""


def parse_count(value: object) -> float | None:
    """A count as a float; None for an empty cell; CountError for text that is not a count."""
    if type(value) is str and value.isascii() and value.isdigit():  # the common case, fast
        return float(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise CountError(f"{value!r} is not a count")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = str(value).strip()
    if text.lower() in _EMPTY:
        return None
    m = _COUNT_RE.match(text)
    if not m:
        raise CountError(f"{text!r} is not a count")
    num, unit = m.group(1), m.group(2)
    if "," in num:
        # 1,234,567 groups thousands; 1,5 (a decimal comma) is rare in counts: treat as 1.5
        parts = num.split(",")
        num = "".join(parts) if all(len(p) == 3 for p in parts[1:]) else num.replace(",", ".")
    try:
        n = float(num)
    except ValueError as e:
        raise CountError(f"{text!r} is not a count") from e
    if unit:
        n *= _MULT[unit]
    if n < 0:
        raise CountError(f"{text!r} is negative")
    return n


_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_SLASH_DATE = re.compile(
    r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_WEIBO = re.compile(r"^\w{3} (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
CHINA = timezone(timedelta(hours=8))


def parse_time(value: object, tz: timezone = UTC) -> datetime | None:
    """An aware UTC datetime; None for empty; ValueError for text that is no time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        return _epoch(float(value))
    else:
        return _parse_time_text(str(value).strip(), tz)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(UTC)


_EPOCH_TEXT = re.compile(r"\d{9,13}(\.\d+)?")


@functools.lru_cache(maxsize=4096)  # capture times repeat on every row of a file
def _parse_time_text(text: str, tz: timezone) -> datetime | None:
    if text.lower() in _EMPTY:
        return None
    if _EPOCH_TEXT.fullmatch(text):
        return _epoch(float(text))
    dt = _parse_text(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.astimezone(UTC)


def _epoch(x: float) -> datetime:
    if x > 1e11:  # milliseconds (xhs `time`, `last_modify_ts`)
        x /= 1000.0
    if not 0 < x < 4.2e9:
        raise ValueError(f"{x} is not a plausible epoch time")
    return datetime.fromtimestamp(x, UTC)


def _parse_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for rx in (_CN_DATE, _SLASH_DATE):
        m = rx.match(text)
        if m:
            y, mo, d, hh, mm, ss = m.groups()
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0))
    m = _WEIBO.match(text)  # 'Sat Mar 02 12:00:00 +0800 2024'
    if m and m.group(1) in _MONTHS:
        mon, d, hh, mm, ss, off, y = m.groups()
        sign = 1 if off[0] == "+" else -1
        zone = timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:])))
        return datetime(int(y), _MONTHS[mon], int(d), int(hh), int(mm), int(ss), tzinfo=zone)
    for fmt in ("%b %d, %Y", "%d %b %Y", "%B %d, %Y"):  # YouTube Studio: 'Mar 1, 2024'
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date or time")


_DUR_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")
_DUR_ISO = re.compile(r"^P(?:T)?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", re.I)


def parse_duration_s(value: object) -> float | None:
    """Seconds from ``123``, ``2:03``, ``1:02:03``, ``PT2M3S`` (YouTube API); None if empty/unknown."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if not text or text.lower() in _EMPTY:
        return None
    m = _DUR_HMS.match(text)
    if m:
        h, mi, s = m.groups()
        return int(h or 0) * 3600 + int(mi) * 60 + int(s)
    m = _DUR_ISO.match(text)
    if m and any(m.groups()):
        h, mi, s = m.groups()
        return int(h or 0) * 3600 + int(mi or 0) * 60 + int(s or 0)
    try:
        return float(text)
    except ValueError:
        return None
