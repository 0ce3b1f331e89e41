"""Baidu Tieba hot topics (贴吧热议): ``data.bang_topic.topic_list[]``, heat = ``discuss_num``."""

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
    errno = dig(data, "errno")
    if errno not in (0, None):
        raise SourceError(f"tieba answered errno {errno} {text_of(dig(data, 'errmsg'))}".strip())
    rows: list[dict[str, Any]] = []
    for topic in require_list(data, "data", "bang_topic", "topic_list", what="topic_list"):
        if not isinstance(topic, dict):
            continue
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
                "heat": parse_heat(discuss),
                "heat_text": text_of(discuss) or None,
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
