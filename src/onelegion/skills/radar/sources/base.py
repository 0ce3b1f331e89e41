"""What every source module shares: the source description, the error a source raises when
a response is not what the platform normally sends, and small parsing helpers (heat numbers
such as '123万热度' or '1.2亿', JSON that turned out to be a login or captcha page)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from onelegion.core import textsafe
from onelegion.core.errors import UserError
from onelegion.skills.radar.items import HotItem

Parser = Callable[[str, bytes, str], list[HotItem]]


class SourceError(Exception):
    """A response that cannot be turned into hot items; the message is shown to the person."""


@dataclass(frozen=True)
class SourceSpec:
    """A built-in source: where to fetch it, how to parse it, which link domains it may emit."""

    id: str
    name: str
    url: str
    parse: Parser
    domains: tuple[str, ...] = ()
    """Hosts (and their subdomains) item links may point to; empty: any http(s) link."""
    home: str = ""
    """Base for fixing relative item links."""
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "platform"
    cookie_url: str | None = None
    """Fetched first (same client) to receive anonymous cookies the API expects."""


_UNITS = {
    "万": 1e4,
    "w": 1e4,
    "W": 1e4,
    "亿": 1e8,
    "千": 1e3,
    "k": 1e3,
    "K": 1e3,
    "m": 1e6,
    "M": 1e6,
}
_HEAT_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万|亿|千)?(?:(?<=\d)([wWkKmM])(?![A-Za-z]))?")


def parse_heat(value: object) -> float | None:
    """A heat number from what a platform shows: 123, '1,234 points', '123万热度', '1.2亿',
    '12.3w', '4.5k stars today'. None when there is no number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an int of hundreds of digits (fuzzing)
            return None
        return number if math.isfinite(number) else None
    text = str(value).strip()
    m = _HEAT_RE.search(text)
    if m is None:
        return None
    number = float(m.group(1).replace(",", ""))  # hundreds of digits give inf: no heat
    unit = m.group(2) or m.group(3)
    number = number * _UNITS[unit] if unit else number
    return number if math.isfinite(number) else None


def position(value: object) -> float:
    """A list position a platform gives, as a sort key: a number (or numeric text), else 0 as
    if missing (a position of another type broke the sort under fuzzing)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    try:
        number = float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
    return 0.0 if math.isnan(number) else number


def format_heat(value: float) -> str:
    """A compact Chinese display of a count: 12345678 -> '1234.6万', 2.5e8 -> '2.5亿'."""
    if math.isnan(value):
        return "?"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if value >= 1e8:
        return f"{value / 1e8:.1f}".removesuffix(".0") + "亿"
    if value >= 1e4:
        return f"{value / 1e4:.1f}".removesuffix(".0") + "万"
    return str(int(value))


_BLOCK_WORDS = (
    "captcha",
    "验证码",
    "安全验证",
    "人机验证",
    "slider",
    "passport",
    "login",
    "登录",
    "visitor system",
    "access denied",
    "whoa there",
    "just a moment",
)


def looks_blocked(text: str) -> bool:
    """True when an HTML page looks like a login, captcha or bot-check page."""
    low = text[:20000].lower()
    return any(word in low for word in _BLOCK_WORDS)


def html_instead(text: str, expected: str) -> SourceError:
    """The error for an HTML page received where ``expected`` was due."""
    if looks_blocked(text):
        return SourceError(
            f"got a login/captcha page instead of {expected}: the platform is refusing "
            "anonymous access right now (try later, or point the source's url at a mirror)"
        )
    return SourceError(f"got an HTML page instead of {expected} (the endpoint may have moved)")


_CHARSET = re.compile(rb"""charset=["']?([A-Za-z0-9_-]+)""", re.I)


def decode(body: bytes, content_type: str = "") -> str:
    """Text of a response: the charset of the Content-Type header or of the page's own
    <meta> tag (GBK pages still exist), else UTF-8; undecodable bytes are replaced."""
    m = _CHARSET.search(content_type.encode("ascii", "ignore")) or _CHARSET.search(body[:2048])
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"  # the superset: GB2312/GBK labels often carry GB18030 bytes
    try:
        return body.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding, "replace")
    except LookupError:
        return body.decode("utf-8-sig", errors="replace")


def load_json(body: bytes, content_type: str = "") -> Any:
    """Parse a JSON response; an HTML page (login/captcha) or garbage becomes a SourceError."""
    text = decode(body, content_type).strip()
    if not text:
        raise SourceError("empty response instead of JSON")
    if text.startswith("<"):
        raise html_instead(text, "JSON")
    try:
        return parse_json(text)
    except json.JSONDecodeError as e:
        raise SourceError(f"response is not valid JSON ({e.msg} at char {e.pos})") from e


def parse_json(text: str) -> Any:
    """``json.loads`` for responses: integers too long for ``int()`` stay text, and JSON nested
    too deeply is a SourceError (both crashed the parsers under fuzzing)."""
    try:
        value = textsafe.loads(text, "the response")
    except UserError:
        raise SourceError("the response JSON is nested too deeply") from None
    return _whole_characters(value) if textsafe.may_hold_surrogates(text) else value


def _whole_characters(value: Any) -> Any:
    """Lone surrogates (half an emoji, from a ``"\\ud83d"`` escape) become U+FFFD in every string,
    so that one such title neither breaks a parser (``quote()`` raised UnicodeEncodeError) nor
    costs its source's list (issue 10)."""
    try:
        return textsafe.fix_tree(value, "the response")[0]
    except UserError:
        raise SourceError("the response JSON is nested too deeply") from None


def _int_or_digits(s: str) -> int | str:
    return int(s) if len(s) <= textsafe.MAX_INT_DIGITS else s


def parse_json_at(text: str, index: int, what: str) -> Any:
    """The JSON value that starts at ``text[index]`` (a page's embedded state; what follows it
    is ignored), with ``parse_json``'s guards: huge integers stay text, deep nesting and bad
    JSON are a SourceError naming ``what``."""
    if index < 0:
        raise SourceError(f"{what} is not valid JSON (no object after the marker)")
    try:
        value, _ = json.JSONDecoder(parse_int=_int_or_digits).raw_decode(text, index)
    except RecursionError:
        raise SourceError(f"{what} is nested too deeply") from None
    except json.JSONDecodeError as e:
        raise SourceError(f"{what} is not valid JSON ({e.msg})") from None
    return _whole_characters(value) if textsafe.may_hold_surrogates(text) else value


def dig(data: Any, *path: str | int) -> Any:
    """``data[p0][p1]...`` or None when any step is missing or of the wrong type."""
    node = data
    for key in path:
        if isinstance(key, int):
            if not isinstance(node, list) or not -len(node) <= key < len(node):
                return None
            node = node[key]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
    return node


def require_list(data: Any, *path: str | int, what: str) -> list[Any]:
    """The list at ``path``, or a SourceError naming what was expected."""
    value = dig(data, *path)
    if not isinstance(value, list):
        where = ".".join(str(p) for p in path)
        raise SourceError(f"unexpected response shape: no {what} list at '{where}'")
    return value


def text_of(value: Any) -> str:
    """A trimmed string (collapsed whitespace) from any scalar; '' for None."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def check_status(
    data: Any,
    platform: str,
    key: str,
    *,
    ok: tuple[object, ...] = (0, None),
    message: tuple[str, ...] = ("message",),
    hint: str = "",
) -> None:
    """Raise SourceError("<platform> answered <key> <value> <message> (<hint>)") when the status
    field ``key`` of a JSON answer is not one of ``ok`` (a missing field counts as ``None``).
    The message is the first non-empty field of ``message``."""
    value = dig(data, key)
    if value in ok:
        return
    text = next((t for k in message if (t := text_of(dig(data, k)))), "")
    parts = [f"{platform} answered {key} {value}", text, f"({hint})" if hint else ""]
    raise SourceError(" ".join(p for p in parts if p))


def dict_entries(data: Any, *path: str | int, what: str) -> list[dict[str, Any]]:
    """The dict entries of the list at ``path`` (other entries skipped); a SourceError naming
    what was expected when there is no list there."""
    return [e for e in require_list(data, *path, what=what) if isinstance(e, dict)]


def heat_fields(value: object) -> dict[str, Any]:
    """``heat`` and ``heat_text`` of a row from the heat a platform shows (a number or text)."""
    return {"heat": parse_heat(value), "heat_text": text_of(value) or None}


def numbered(source: str, rows: list[dict[str, Any]]) -> list[HotItem]:
    """HotItems from dicts of HotItem fields, ranked 1..n in order, rows without title dropped."""
    items: list[HotItem] = []
    for row in rows:
        if not row.get("title"):
            continue
        items.append(HotItem(source=source, rank=len(items) + 1, **row))
    return items
