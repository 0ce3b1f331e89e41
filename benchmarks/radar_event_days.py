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


def load_day(day: str, data: Path = DATA) -> list[tuple[str, str]]:
    """(platform, title) of every distinct item of the day."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    if day.startswith("2024-01"):
        roots = [(data / "trending-in-one", "trending-in-one", None)]
    else:
        roots = [(data / "weibo", "justjavac", "weibo"), (data / "zhihu", "justjavac", "zhihu")]
    for root, fmt, src in roots:
        for snap in read_archive(root, fmt, src):  # type: ignore[arg-type]
            if snap.captured_at.astimezone().strftime("%Y-%m-%d") < "0":
                continue
            if _day_of(snap.captured_at) != day:
                continue
            plat = platform_of(snap.source)
            if fmt == "trending-in-one" and snap.source not in ("toutiao", "weibo", "zhihu"):
                continue
            for it in snap.items:
                key = (plat, normalize_title(it.title))
                if key[1] and key not in seen:
                    seen.add(key)
                    out.append((plat, it.title))
    return out


def _day_of(at: object) -> str:
    from datetime import timedelta

    return (at + timedelta(hours=8)).strftime("%Y-%m-%d")  # type: ignore[operator]
