"""The marketplace export layouts we know (docs/shop.md, ../shared/design/ecom-formats.md §2).

Each :class:`Layout` maps canonical field names to the header spellings seen in real exports,
*after* :func:`norm_header` (trimmed, case-folded, NFKC, "7 Day"/"14 Day" -> "N day", a currency
in brackets removed, runs of spaces and underscores collapsed). ``required`` fields are the
evidence a file must show to be recognised as that layout; the others are used when present.
"""

from __future__ import annotations

from onelegion.skills.shop.headers import (
    HEADER_CURRENCY,
    Layout,
    header_currency,
    header_window,
    norm_header,
)
from onelegion.skills.shop.layouts_amazon import AMAZON
from onelegion.skills.shop.layouts_market import MARKETS
from onelegion.skills.shop.layouts_other import OTHER

LAYOUTS: tuple[Layout, ...] = (*AMAZON, *MARKETS, *OTHER)
BY_ID = {lay.id: lay for lay in LAYOUTS}

__all__ = [
    "BY_ID",
    "HEADER_CURRENCY",
    "LAYOUTS",
    "Layout",
    "header_currency",
    "header_window",
    "norm_header",
]
