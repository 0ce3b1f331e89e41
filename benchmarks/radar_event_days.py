"""Whole days of real hot lists for the event-clustering evaluation (shared by sampling and scoring).

A day is every title of the platforms archived that day, deduplicated per platform by normalised
title, as `legion radar trends` sees them: trending-in-one (January 2024: Toutiao, Weibo, Zhihu) or
the justjavac archives (February–March 2024: Weibo, Zhihu).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.skills.radar.importers import read_archive  # noqa: E402
from onelegion.skills.radar.normalize import normalize_title, platform_of  # noqa: E402

DATA = Path("/work/shared/data/radar")
TIO_KINDS = ("toutiao-search", "weibo-search", "zhihu-questions")


_CACHE: dict[str, dict[str, list[tuple[str, str]]]] = {}


def _archive(name: str, data: Path) -> dict[str, list[tuple[str, str]]]:
    """day -> (platform, title) of one archive, read once."""
    if name not in _CACHE:
        if name == "trending-in-one":
            roots = [(data / "trending-in-one", "trending-in-one", None)]
        else:
            roots = [(data / "weibo", "justjavac", "weibo"), (data / "zhihu", "justjavac", "zhihu")]
        days: dict[str, list[tuple[str, str]]] = {}
        seen: set[tuple[str, str, str]] = set()
        for root, fmt, src in roots:
            for snap in read_archive(root, fmt, src):  # type: ignore[arg-type]
                if fmt == "trending-in-one" and snap.source not in ("toutiao", "weibo", "zhihu"):
                    continue
                day = _day_of(snap.captured_at)
                plat = platform_of(snap.source)
                for it in snap.items:
                    key = (day, plat, normalize_title(it.title))
                    if key[2] and key not in seen:
                        seen.add(key)
                        days.setdefault(day, []).append((plat, it.title))
        _CACHE[name] = days
    return _CACHE[name]


def load_day(day: str, data: Path = DATA) -> list[tuple[str, str]]:
    """(platform, title) of every distinct item of the day."""
    name = "trending-in-one" if day.startswith("2024-01") else "justjavac"
    return list(_archive(name, data).get(day, []))


def history_before(day: str, days: int = 14, data: Path = DATA) -> list[str]:
    """Titles of the `days` days before `day` (Weibo and Zhihu, justjavac archives): the history a
    user's store would hold, used as the background of term rarity."""
    from datetime import date, timedelta

    d0 = date.fromisoformat(day)
    arch = _archive("justjavac", data)
    out: list[str] = []
    for k in range(1, days + 1):
        out.extend(t for _p, t in arch.get((d0 - timedelta(days=k)).isoformat(), []))
    return out


def _day_of(at: object) -> str:
    from datetime import timedelta

    return (at + timedelta(hours=8)).strftime("%Y-%m-%d")  # type: ignore[operator]
