"""Weibo hot search (微博热搜): the desktop side-bar JSON API, or the s.weibo.com summary page
when the URL is pointed at it (both shapes are recognised from the body)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    check_status,
    decode,
    dict_entries,
    heat_fields,
    html_instead,
    load_json,
    numbered,
    text_of,
)

SEARCH = "https://s.weibo.com/weibo?q="


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    text = decode(body, content_type).lstrip()
    if text.startswith("<"):
        return _parse_summary_html(source_id, text)
    return _parse_json(source_id, body, content_type)


def _parse_json(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    check_status(
        data, "weibo", "ok", ok=(1, None), message=(), hint="login required or rate limited"
    )
    rows: list[dict[str, Any]] = []
    for entry in dict_entries(data, "data", "realtime", what="data.realtime"):
        if entry.get("is_ad") or entry.get("icon_desc") == "荐":
            continue  # promoted entries (is_ad / 荐) are not hot searches
        word = text_of(entry.get("word") or entry.get("note"))
        num = entry.get("num")
        scheme = text_of(entry.get("word_scheme")) or f"#{word}#"
        rows.append(
            {
                "title": word,
                "url": SEARCH + quote(scheme),
                **heat_fields(num),
                "extra": {
                    k: v
                    for k, v in {
                        "label": text_of(entry.get("label_name")) or None,
                        "category": text_of(entry.get("category")) or None,
                        "onboard_time": entry.get("onboard_time"),
                    }.items()
                    if v
                },
            }
        )
    return numbered(source_id, rows)


def _parse_summary_html(source_id: str, html: str) -> list[HotItem]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    table = tree.css_first("#pl_top_realtimehot table")
    if table is None:
        raise html_instead(html, "the hot search table")
    rows: list[dict[str, Any]] = []
    for tr in table.css("tbody tr"):
        rank_cell = tr.css_first("td.td-01")
        if rank_cell is None or not rank_cell.text(strip=True).isdigit():
            continue  # the pinned top row and ads carry no rank number
        link = tr.css_first("td.td-02 a")
        if link is None:
            continue
        href = link.attributes.get("href") or ""
        if href.startswith("javascript"):
            href = link.attributes.get("href_to") or ""
        span = tr.css_first("td.td-02 span")
        raw = text_of(span.text()) if span is not None else ""
        category, _, number = raw.rpartition(" ")
        flag = tr.css_first("td.td-03")
        extra = {"label": text_of(flag.text()) if flag is not None else ""}
        if category:
            extra["category"] = category
        rows.append(
            {
                "title": text_of(link.text()),
                "url": "https://s.weibo.com" + href if href.startswith("/") else href or None,
                **heat_fields(number),
                "extra": {k: v for k, v in extra.items() if v},
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="weibo",
        name="微博热搜",
        url="https://weibo.com/ajax/side/hotSearch",
        parse=parse,
        domains=("weibo.com", "weibo.cn"),
        home="https://s.weibo.com",
        headers={"Referer": "https://weibo.com/", "Accept": "application/json, text/plain, */*"},
    )
]
