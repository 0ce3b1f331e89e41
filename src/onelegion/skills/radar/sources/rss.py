"""Any RSS or Atom feed (``[radar.sources.rss-<name>] url = ...``), read with feedparser.
Feeds carry no heat; the order of the feed is the rank."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    decode,
    html_instead,
    numbered,
    text_of,
)


def _when(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    import feedparser

    try:
        feed = feedparser.parse(body)
    except UnicodeDecodeError as e:  # feedparser decodes a broken <?xml encoding=...?> (fuzzing)
        raise SourceError(f"the feed's XML declaration is not readable ({e.reason})") from None
    except ValueError as e:  # feedparser on other hostile bytes (fuzzing): a NUL in the declared
        # encoding, bad UTF-8 inside a namespace URI
        reason = " ".join(str(e).split())[:200]
        raise SourceError(f"the feed cannot be read ({reason})") from None
    if not feed.get("version") and not feed.entries:
        text = decode(body, content_type).lstrip()
        if text[:200].lower().startswith(("<!doctype html", "<html")):
            raise html_instead(text, "an RSS/Atom feed")
        raise SourceError("not an RSS/Atom feed")
    rows: list[dict[str, Any]] = []
    for entry in feed.entries:
        extra: dict[str, Any] = {}
        if published := _when(entry):
            extra["published"] = published
        if author := text_of(entry.get("author")):
            extra["author"] = author
        if feed_title := text_of(feed.feed.get("title")):
            extra["feed"] = feed_title
        rows.append(
            {
                "title": text_of(entry.get("title")),
                "url": text_of(entry.get("link")) or None,
                "extra": extra,
            }
        )
    return numbered(source_id, rows)
