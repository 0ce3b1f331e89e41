"""Toutiao hot board (今日头条热榜): ``data[].{ClusterIdStr, Title, HotValue}``."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    dict_entries,
    heat_fields,
    load_json,
    numbered,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    rows: list[dict[str, Any]] = []
    for entry in dict_entries(data, "data", what="data"):
        cluster = text_of(entry.get("ClusterIdStr") or entry.get("ClusterId"))
        hot = entry.get("HotValue")
        extra: dict[str, Any] = {"cluster_id": cluster}
        if label := text_of(entry.get("LabelDesc") or entry.get("Label")):
            extra["label"] = label
        if (cats := entry.get("InterestCategory")) and isinstance(cats, list):
            extra["categories"] = list(cats)
        rows.append(
            {
                "title": text_of(entry.get("Title")),
                "url": f"https://www.toutiao.com/trending/{cluster}/" if cluster else None,
                **heat_fields(hot),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="toutiao",
        name="今日头条热榜",
        url="https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc",
        parse=parse,
        domains=("toutiao.com",),
        home="https://www.toutiao.com",
    )
]
