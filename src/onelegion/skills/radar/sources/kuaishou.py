"""Kuaishou hot list (快手热榜): the home page embeds its Apollo cache as
``window.__APOLLO_STATE__={...}``; ``visionHotRank`` items carry ``{name, hotValue: '1234.5万'}``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    decode,
    dig,
    heat_fields,
    html_instead,
    numbered,
    parse_json_at,
    text_of,
)

_MARKER = "window.__APOLLO_STATE__"
_RANK_KEY = 'visionHotRank({"page":"home"})'


def _apollo_state(html: str) -> dict[str, Any]:
    start = html.find(_MARKER)
    if start < 0:
        raise html_instead(html, "the page's embedded hot list (__APOLLO_STATE__)")
    state = parse_json_at(html, html.find("{", start), "the embedded __APOLLO_STATE__")
    client = state.get("defaultClient") if isinstance(state, dict) else None
    if not isinstance(client, dict):
        raise SourceError("unexpected __APOLLO_STATE__ shape: no defaultClient")
    return client


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    client = _apollo_state(decode(body, content_type))
    ref = dig(client, "ROOT_QUERY", _RANK_KEY, "id") or f"$ROOT_QUERY.{_RANK_KEY}"
    rank = client.get(ref)
    if not isinstance(rank, dict) or not isinstance(rank.get("items"), list):
        raise SourceError("no visionHotRank list in the page (the layout may have changed)")
    rows: list[dict[str, Any]] = []
    for ref_item in rank["items"]:
        item = client.get(dig(ref_item, "id") or "")
        if not isinstance(item, dict) or item.get("tagType") == "置顶":
            continue  # pinned entries are not ranked by heat
        name = text_of(item.get("name"))
        photo = dig(item, "photoIds", "json", 0)
        hot = item.get("hotValue")
        extra: dict[str, Any] = {}
        if photo:
            extra["photo_id"] = photo
        if tag := text_of(item.get("tagType")):
            extra["tag"] = tag
        rows.append(
            {
                "title": name,
                "url": f"https://www.kuaishou.com/short-video/{photo}"
                if photo
                else f"https://www.kuaishou.com/search/video?searchKey={quote(name)}",
                **heat_fields(hot),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="kuaishou",
        name="快手热榜",
        url="https://www.kuaishou.com/?isHome=1",
        parse=parse,
        domains=("kuaishou.com",),
        home="https://www.kuaishou.com",
    )
]
