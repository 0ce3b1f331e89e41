"""A self-hosted newsnow server: ``GET /api/s?id=<source>`` answers
``{status, id, updatedTime, items: [{id, title, url, extra: {info, hover}}]}``.
newsnow keeps no numeric heat; when ``extra.info`` shows one ('123万', '✰ 1,234') it is kept."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    dict_entries,
    dig,
    heat_fields,
    load_json,
    numbered,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    items = dig(data, "items")
    if not isinstance(items, list):
        message = text_of(dig(data, "message") or dig(data, "statusMessage"))
        raise SourceError(
            f"newsnow error: {message}" if message else "not a newsnow /api/s response (no items)"
        )
    rows: list[dict[str, Any]] = []
    for entry in dict_entries(data, "items", what="items"):
        info = dig(entry, "extra", "info")
        info_text = (
            text_of(info)
            if isinstance(info, str | int | float) and not isinstance(info, bool)
            else ""
        )
        extra: dict[str, Any] = {"upstream": text_of(data.get("id"))}
        if hover := text_of(dig(entry, "extra", "hover")):
            extra["hover"] = hover[:300]
        if info_text:
            extra["info"] = info_text
        rows.append(
            {
                "title": text_of(entry.get("title")),
                "url": text_of(entry.get("url")) or None,
                **heat_fields(info_text),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)
