"""A self-hosted DailyHotApi server: ``GET /<route>`` answers
``{code: 200, name, title, type, total, updateTime, fromCache, data: [{id, title, desc, hot,
url, mobileUrl, timestamp}]}``; ``hot`` is a number or a display string."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    check_status,
    dict_entries,
    dig,
    heat_fields,
    load_json,
    numbered,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    check_status(data, "DailyHotApi", "code", ok=(200, None))
    if not isinstance(dig(data, "data"), list):
        raise SourceError("not a DailyHotApi response (no data list)")
    rows: list[dict[str, Any]] = []
    for entry in dict_entries(data, "data", what="data"):
        hot = entry.get("hot")
        extra: dict[str, Any] = {"upstream": text_of(data.get("name"))}
        if desc := text_of(entry.get("desc")):
            extra["desc"] = desc[:300]
        if author := text_of(entry.get("author")):
            extra["author"] = author
        if entry.get("timestamp"):
            extra["timestamp"] = entry["timestamp"]
        rows.append(
            {
                "title": text_of(entry.get("title")),
                "url": text_of(entry.get("url") or entry.get("mobileUrl")) or None,
                **heat_fields(hot),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)
