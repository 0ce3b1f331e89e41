"""Douyin hot search (抖音热榜): the web API wants the anonymous ``passport_csrf_token``
cookie a public passport endpoint hands out (no login); ``data.word_list[].hot_value``."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    check_status,
    dict_entries,
    heat_fields,
    load_json,
    numbered,
    position,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    check_status(data, "douyin", "status_code", message=("status_msg",))
    entries = sorted(
        dict_entries(data, "data", "word_list", what="data.word_list"),
        key=lambda e: position(e.get("position")),
    )
    rows: list[dict[str, Any]] = []
    for entry in entries:
        sentence = text_of(entry.get("sentence_id"))
        hot = entry.get("hot_value")
        extra: dict[str, Any] = {"sentence_id": sentence}
        for key in ("event_time", "video_count", "label"):
            if entry.get(key) is not None:
                extra[key] = entry[key]
        rows.append(
            {
                "title": text_of(entry.get("word")),
                "url": f"https://www.douyin.com/hot/{sentence}" if sentence else None,
                **heat_fields(hot),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="douyin",
        name="抖音热榜",
        url="https://www.douyin.com/aweme/v1/web/hot/search/list/?device_platform=webapp"
        "&aid=6383&channel=channel_pc_web&detail_list=1",
        parse=parse,
        domains=("douyin.com",),
        home="https://www.douyin.com",
        headers={"Referer": "https://www.douyin.com/", "Accept": "application/json"},
        cookie_url="https://www.douyin.com/passport/general/login_guiding_strategy/?aid=6383",
    )
]
