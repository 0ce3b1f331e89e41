"""One module per platform: each has ``SPECS`` (its sources) and ``parse(source_id, body,
content_type) -> list[HotItem]``. User-configured feeds and self-hosted aggregators are
built from the ``KINDS`` parsers (``rss``, ``newsnow``, ``dailyhot``)."""

from __future__ import annotations

from onelegion.skills.radar.sources import (
    baidu,
    bilibili,
    dailyhot,
    douyin,
    github,
    hackernews,
    kuaishou,
    newsnow,
    reddit,
    rss,
    thepaper,
    tieba,
    toutiao,
    weibo,
    zhihu,
)
from onelegion.skills.radar.sources.base import Parser, SourceError, SourceSpec, parse_heat

BUILTIN: dict[str, SourceSpec] = {
    spec.id: spec
    for module in (
        weibo,
        zhihu,
        baidu,
        bilibili,
        douyin,
        toutiao,
        kuaishou,
        tieba,
        thepaper,
        hackernews,
        github,
        reddit,
    )
    for spec in module.SPECS
}

KINDS: dict[str, Parser] = {"rss": rss.parse, "newsnow": newsnow.parse, "dailyhot": dailyhot.parse}

__all__ = ["BUILTIN", "KINDS", "Parser", "SourceError", "SourceSpec", "parse_heat"]
