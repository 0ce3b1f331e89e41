"""The Paper (澎湃新闻) hot news: ``data.hotNews[].{contId, name, praiseTimes}``."""

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
    code = dig(data, "resultCode")
    if code not in (1, None):
        raise SourceError(f"thepaper answered resultCode {code} {text_of(dig(data, 'resultMsg'))}")
    rows: list[dict[str, Any]] = []
    for news in require_list(data, "data", "hotNews", what="data.hotNews"):
        if not isinstance(news, dict):
            continue
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
                "heat": parse_heat(praise),
                "heat_text": text_of(praise) or None,
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
