"""Douyin hot search (抖音热榜): the web API wants the anonymous ``passport_csrf_token``
cookie a public passport endpoint hands out (no login); ``data.word_list[].hot_value``."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.models import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    dig,
    load_json,
    numbered,
    parse_heat,
    require_list,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    status = dig(data, "status_code")
    if status not in (0, None):
        raise SourceError(
            f"douyin answered status_code {status} {text_of(dig(data, 'status_msg'))}".strip()
        )
    entries = sorted(
        (
            e
            for e in require_list(data, "data", "word_list", what="data.word_list")
            if isinstance(e, dict)
        ),
        key=lambda e: e.get("position") or 0,
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
                "heat": parse_heat(hot),
                "heat_text": text_of(hot) or None,
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
