"""Bilibili: hot search words (B站热搜, ``bilibili``) and popular videos (B站热门,
``bilibili-video``, heat = views). A non-zero ``code`` (e.g. -352 risk control) is an error."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    check_status,
    dict_entries,
    dig,
    format_heat,
    heat_fields,
    load_json,
    numbered,
    parse_heat,
    position,
    text_of,
)

_RISK_CONTROL = (-352, -412)


def _check_code(data: Any) -> None:
    risky = dig(data, "code") in _RISK_CONTROL
    hint = "risk control: the platform wants a browser session; try later" if risky else ""
    check_status(data, "bilibili", "code", message=("message", "msg"), hint=hint)


def parse_hotword(source_id: str, body: bytes, content_type: str = "") -> list[HotItem]:
    data = load_json(body, content_type)
    _check_code(data)
    entries = sorted(dict_entries(data, "list", what="list"), key=lambda e: position(e.get("pos")))
    rows: list[dict[str, Any]] = []
    for entry in entries:
        keyword = text_of(entry.get("keyword"))
        score = entry.get("heat_score")
        rows.append(
            {
                "title": text_of(entry.get("show_name")) or keyword,
                "url": f"https://search.bilibili.com/all?keyword={quote(keyword)}",
                **heat_fields(score),
                "extra": {"keyword": keyword},
            }
        )
    return numbered(source_id, rows)


def parse_popular(source_id: str, body: bytes, content_type: str = "") -> list[HotItem]:
    data = load_json(body, content_type)
    _check_code(data)
    rows: list[dict[str, Any]] = []
    for video in dict_entries(data, "data", "list", what="data.list"):
        stat = video.get("stat")
        stat = stat if isinstance(stat, dict) else {}
        view = stat.get("view")
        heat = parse_heat(view)
        bvid = text_of(video.get("bvid"))
        extra: dict[str, Any] = {
            "bvid": bvid,
            "owner": text_of(dig(video, "owner", "name")),
            "stat": {
                k: stat[k]
                for k in ("view", "like", "coin", "favorite", "reply", "danmaku", "share")
                if k in stat
            },
        }
        if reason := text_of(dig(video, "rcmd_reason", "content")):
            extra["reason"] = reason
        if tname := text_of(video.get("tname")):
            extra["category"] = tname
        rows.append(
            {
                "title": text_of(video.get("title")),
                "url": f"https://www.bilibili.com/video/{bvid}" if bvid else None,
                "heat": heat,
                "heat_text": f"{format_heat(heat)}播放"
                if isinstance(view, int) and heat is not None
                else None,
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    if source_id.endswith("video"):
        return parse_popular(source_id, body, content_type)
    return parse_hotword(source_id, body, content_type)


_HEADERS = {"Referer": "https://www.bilibili.com/", "Accept": "application/json"}

SPECS = [
    SourceSpec(
        id="bilibili",
        name="B站热搜",
        url="https://s.search.bilibili.com/main/hotword?limit=30",
        parse=parse,
        domains=("bilibili.com", "b23.tv"),
        home="https://www.bilibili.com",
        headers=_HEADERS,
    ),
    SourceSpec(
        id="bilibili-video",
        name="B站热门视频",
        url="https://api.bilibili.com/x/web-interface/popular?ps=50&pn=1",
        parse=parse,
        domains=("bilibili.com", "b23.tv"),
        home="https://www.bilibili.com",
        headers=_HEADERS,
    ),
]
