"""Reading one archive record: its title, rank and heat as an import takes them, and JSON parsed
with one clear refusal (importers.py and stream_import.py share these)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from onelegion.core import textsafe
from onelegion.core.errors import UserError

_BAND_RE = re.compile(r"[?&]band_rank=(\d+)")
MAX_RANK = 1_000_000  # a rank outside 0..MAX_RANK is ignored (the list position is used)


def band_rank(url: str | None) -> int | None:
    """Weibo's ``band_rank=N`` query value, if any."""
    if not url or "band_rank" not in url:
        return None
    m = _BAND_RE.search(url)
    return int(m.group(1)) if m else None


def title_of(rec: dict[str, Any]) -> str:
    for k in ("title", "word", "display_query", "query", "name"):
        v = rec.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return ""


def record_fields(source: str, pos: int, rec: Any) -> tuple[str, str | None, int | None] | None:
    """An archive record's title, URL and rank (``rank``, else ``band_rank``, else its position,
    except on Weibo, where an unranked entry stays None: pinned or new, it goes last); None for a
    record that is not an object or has no title."""
    if not isinstance(rec, dict):
        return None
    title = title_of(rec)
    if not title:
        return None
    url = rec.get("realurl") or rec.get("url")
    url = url if isinstance(url, str) else None
    rank = sane_rank(rec.get("rank"))
    rank = rank if rank is not None else band_rank(url)
    if rank is None and source != "weibo":
        rank = pos
    return title, url, rank


def sane_rank(v: Any) -> int | None:
    """An explicit rank, when it is a sane integer."""
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_RANK:
        return v
    return None


def finite_heat(v: Any) -> float | None:
    if not isinstance(v, int | float) or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except OverflowError:  # an integer beyond a float's range
        return None
    return f if math.isfinite(f) else None


def parse_json(data: str | bytes, where: str) -> Any:
    """JSON from an archive file or line: one UserError line for bad UTF-8, bad JSON or nesting
    too deep; integers too long to convert stay text (they are never a valid rank or heat)."""
    try:
        return textsafe.loads(data, where)
    except UnicodeDecodeError as e:
        raise UserError(
            f"{where}: not UTF-8 (invalid byte at {e.start})", hint="save the file as UTF-8"
        ) from None


def load_json(path: Path, data: bytes | None = None) -> Any:
    try:
        return parse_json(data if data is not None else path.read_bytes(), str(path))
    except json.JSONDecodeError as e:
        raise UserError(
            f"{path} is not valid JSON ({e})", hint="fix or remove the file, then re-run"
        ) from e
