"""Bilibili: hot search words (B站热搜, ``bilibili``) and popular videos (B站热门,
``bilibili-video``, heat = views). A non-zero ``code`` (e.g. -352 risk control) is an error."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from onelegion.skills.radar.models import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    dig,
    format_heat,
    load_json,
    numbered,
    parse_heat,
    require_list,
    text_of,
)


def _check_code(data: Any) -> None:
    code = dig(data, "code")
    if code not in (0, None):
        message = text_of(dig(data, "message") or dig(data, "msg"))
        hint = (
            " (risk control: the platform wants a browser session; try later)"
            if code
            in (
                -352,
                -412,
            )
            else ""
        )
        raise SourceError(f"bilibili answered code {code} {message}{hint}".replace("  ", " "))


def parse_hotword(source_id: str, body: bytes, content_type: str = "") -> list[HotItem]:
    data = load_json(body, content_type)
    _check_code(data)
    entries = sorted(
        (e for e in require_list(data, "list", what="list") if isinstance(e, dict)),
        key=lambda e: e.get("pos") or 0,
    )
    rows: list[dict[str, Any]] = []
    for entry in entries:
        keyword = text_of(entry.get("keyword"))
        score = entry.get("heat_score")
        rows.append(
            {
                "title": text_of(entry.get("show_name")) or keyword,
                "url": f"https://search.bilibili.com/all?keyword={quote(keyword)}",
                "heat": parse_heat(score),
                "heat_text": text_of(score) or None,
                "extra": {"keyword": keyword},
            }
        )
    return numbered(source_id, rows)


def parse_popular(source_id: str, body: bytes, content_type: str = "") -> list[HotItem]:
    data = load_json(body, content_type)
    _check_code(data)
    rows: list[dict[str, Any]] = []
    for video in require_list(data, "data", "list", what="data.list"):
        if not isinstance(video, dict):
            continue
        stat = video.get("stat") or {}
        view = stat.get("view")
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
                "heat": parse_heat(view),
                "heat_text": f"{format_heat(float(view))}播放" if isinstance(view, int) else None,
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
