"""Baidu Tieba hot topics (贴吧热议): ``data.bang_topic.topic_list[]``, heat = ``discuss_num``."""

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
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    check_status(data, "tieba", "errno", message=("errmsg",))
    rows: list[dict[str, Any]] = []
    for topic in dict_entries(data, "data", "bang_topic", "topic_list", what="topic_list"):
        discuss = topic.get("discuss_num")
        extra: dict[str, Any] = {"topic_id": topic.get("topic_id")}
        if desc := text_of(topic.get("topic_desc") or topic.get("abstract")):
            extra["desc"] = desc[:300]
        url = text_of(topic.get("topic_url"))
        if url.startswith("http://"):
            url = "https://" + url.removeprefix("http://")
        rows.append(
            {
                "title": text_of(topic.get("topic_name")),
                "url": url or None,
                **heat_fields(discuss),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="tieba",
        name="贴吧热议",
        url="https://tieba.baidu.com/hottopic/browse/topicList",
        parse=parse,
        domains=("tieba.baidu.com",),
        home="https://tieba.baidu.com",
    )
]
