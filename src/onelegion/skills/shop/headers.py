"""Header normalisation and the Layout type shared by the layout tables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# currency written inside a header, e.g. "14 Day Total Sales (₹)", "Total Discount(PHP)"
HEADER_CURRENCY = {
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "inr": "INR",
    "php": "PHP",
    "₱": "PHP",
    "rm": "MYR",
    "myr": "MYR",
    "idr": "IDR",
    "rp": "IDR",
    "thb": "THB",
    "฿": "THB",
    "vnd": "VND",
    "₫": "VND",
    "sgd": "SGD",
    "usd": "USD",
    "$": "USD",
    "eur": "EUR",
    "€": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "brl": "BRL",
    "r$": "BRL",
    "cad": "CAD",
    "jpy": "JPY",
    "¥": "JPY",
    "mxn": "MXN",
    "aud": "AUD",
    "cny": "CNY",
    "rmb": "CNY",
}
_CUR_IN_HEADER = re.compile(r"\s*\(\s*([^()#%\d]{1,4})\s*\)\s*")
_WINDOW = re.compile(r"\b(\d{1,2})[ -]?day\b")


def norm_header(raw: str) -> str:
    """The comparable form of a header (see the module docstring)."""
    s = unicodedata.normalize("NFKC", str(raw)).replace("\ufeff", "").strip().casefold()
    s = _CUR_IN_HEADER.sub(
        lambda m: " " if m.group(1).strip().casefold() in HEADER_CURRENCY else m.group(0), s
    )
    s = _WINDOW.sub("N day", s)
    s = re.sub(r"[\s_]+", " ", s).strip(" *")
    return s


def header_currency(raw: str) -> str | None:
    """'Total Discount(PHP)' -> 'PHP'; None when the header names no currency."""
    s = unicodedata.normalize("NFKC", str(raw)).strip().casefold()
    for m in _CUR_IN_HEADER.finditer(s):
        code = HEADER_CURRENCY.get(m.group(1).strip())
        if code:
            return code
    return None


def header_window(raw: str) -> int | None:
    """'7 Day Total Sales ' -> 7 (the attribution window of an ads column)."""
    m = _WINDOW.search(str(raw).casefold())
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Layout:
    id: str
    title: str
    kind: str  # ledger_v2 | ledger_flat | ledger_txn | orders | ads | inventory | returns | restock
    platform: str  # Amazon | Shopify | Shopee | TikTok Shop | Lazada | eBay | Walmart
    fields: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    source: str = ""
    default_tz: str = "UTC"  # zone of timestamps written without one
    notes: tuple[str, ...] = field(default_factory=tuple)
    ignored: tuple[str, ...] = ()  # documented headers that carry nothing the figures use

    def known(self) -> set[str]:
        return {norm_header(h) for h in self.ignored}

    def lookup(self) -> dict[str, str]:
        """Normalised header -> canonical field."""
        out: dict[str, str] = {}
        for canon, names in self.fields.items():
            for n in names:
                out.setdefault(n, canon)
        return out


def _f(*names: str) -> tuple[str, ...]:
    return tuple(names)
