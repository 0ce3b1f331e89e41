"""Baidu hot search (百度热搜): the board page carries its data as JSON inside an HTML comment
``<!--s-data:{...}-->``; ``data.cards[0].content`` is the list, ``hotScore`` the heat."""

from __future__ import annotations

import json
import re
from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    decode,
    dig,
    heat_fields,
    html_instead,
    numbered,
    parse_json,
    text_of,
)

_SDATA = re.compile(r"<!--s-data:(.*?)-->", re.S)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    text = decode(body, content_type)
    m = _SDATA.search(text)
    if m is None:
        if text.lstrip().startswith("{"):  # the board API (top.baidu.com/api/board) answers JSON
            payload = text
        else:
            raise html_instead(text, "the board data (<!--s-data:...-->)")
    else:
        payload = m.group(1)
    try:
        data = parse_json(payload)
    except json.JSONDecodeError as e:
        raise SourceError(f"the board data is not valid JSON ({e.msg})") from e
    cards = dig(data, "data", "cards")
    if not isinstance(cards, list) or not cards:
        raise SourceError("unexpected response shape: no data.cards")
    content = dig(cards, 0, "content")
    if content is None:
        content = []
    if not isinstance(content, list):
        raise SourceError("unexpected response shape: no data.cards[0].content list")
    if content and isinstance(dig(content, 0, "content"), list):  # wise layout nests one level
        content = [
            c
            for block in content
            if isinstance(block, dict) and isinstance(block.get("content"), list)
            for c in block["content"]
        ]
    rows: list[dict[str, Any]] = []
    for entry in content:
        if not isinstance(entry, dict) or entry.get("isTop"):
            continue  # the pinned entry is placed by the editors, not ranked by heat
        score = entry.get("hotScore")
        extra = {"desc": text_of(entry.get("desc"))[:300]}
        tag = text_of(entry.get("hotTag"))
        if tag and tag != "0":
            extra["tag"] = tag
        rows.append(
            {
                "title": text_of(entry.get("word") or entry.get("query")),
                "url": text_of(entry.get("rawUrl") or entry.get("url")) or None,
                **heat_fields(score),
                "extra": {k: v for k, v in extra.items() if v},
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="baidu",
        name="百度热搜",
        url="https://top.baidu.com/board?tab=realtime",
        parse=parse,
        domains=("baidu.com",),
        home="https://top.baidu.com",
    )
]
