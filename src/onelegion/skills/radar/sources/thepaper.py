"""The Paper (澎湃新闻) hot news: ``data.hotNews[].{contId, name, praiseTimes}``."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    check_status,
    dict_entries,
    dig,
    heat_fields,
    load_json,
    numbered,
    parse_heat,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    check_status(data, "thepaper", "resultCode", ok=(1, None), message=("resultMsg",))
    rows: list[dict[str, Any]] = []
    for news in dict_entries(data, "data", "hotNews", what="data.hotNews"):
        cont = text_of(news.get("contId"))
        praise = news.get("praiseTimes")
        extra: dict[str, Any] = {"cont_id": cont}
        if node := text_of(dig(news, "nodeInfo", "name")):
            extra["channel"] = node
        if news.get("pubTimeLong"):
            extra["published_ms"] = news["pubTimeLong"]
        if (comments := parse_heat(news.get("interactionNum"))) is not None:
            extra["comments"] = int(comments)
        rows.append(
            {
                "title": text_of(news.get("name")),
                "url": f"https://www.thepaper.cn/newsDetail_forward_{cont}" if cont else None,
                **heat_fields(praise),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="thepaper",
        name="澎湃新闻热榜",
        url="https://cache.thepaper.cn/contentapi/wwwIndex/rightSidebar",
        parse=parse,
        domains=("thepaper.cn",),
        home="https://www.thepaper.cn",
    )
]
