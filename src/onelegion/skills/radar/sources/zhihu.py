"""Zhihu hot list (知乎热榜): the web hot-list API (``hot-list-web``) and the older
``hot-lists/total`` shape, both keeping the '1234 万热度' heat."""

from __future__ import annotations

import re
from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    dig,
    heat_fields,
    load_json,
    numbered,
    require_list,
    text_of,
)

_QUESTION = re.compile(r"/questions?/(\d+)")


def _web_url(url: str) -> str:
    """api.zhihu.com/questions/123 -> www.zhihu.com/question/123 (the page people open)."""
    m = _QUESTION.search(url)
    if m and "api.zhihu.com" in url:
        return f"https://www.zhihu.com/question/{m.group(1)}"
    return url


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        raise SourceError(f"zhihu error: {text_of(data['error'].get('message'))}")
    rows: list[dict[str, Any]] = []
    for entry in require_list(data, "data", what="data"):
        target = dig(entry, "target")
        if not isinstance(target, dict):
            continue  # no question in this entry (fuzzing: a list, a number)
        if "title_area" in target:  # hot-list-web
            title = text_of(dig(target, "title_area", "text"))
            heat_text = text_of(dig(target, "metrics_area", "text"))
            url = text_of(dig(target, "link", "url"))
            excerpt = text_of(dig(target, "excerpt_area", "text"))
        else:  # hot-lists/total
            title = text_of(target.get("title"))
            heat_text = text_of(dig(entry, "detail_text"))
            url = _web_url(text_of(target.get("url")))
            excerpt = text_of(target.get("excerpt"))
        extra: dict[str, Any] = {}
        if excerpt:
            extra["excerpt"] = excerpt[:300]
        answers = dig(entry, "feed_specific", "answer_count") or target.get("answer_count")
        if answers is not None:
            extra["answer_count"] = answers
        rows.append(
            {
                "title": title,
                "url": url or None,
                **heat_fields(heat_text),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="zhihu",
        name="知乎热榜",
        url="https://www.zhihu.com/api/v3/feed/topstory/hot-list-web?limit=50&desktop=true",
        parse=parse,
        domains=("zhihu.com",),
        home="https://www.zhihu.com",
        headers={"Referer": "https://www.zhihu.com/hot", "Accept": "application/json"},
    )
]
