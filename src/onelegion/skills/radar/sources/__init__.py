"""One module per platform: each has ``SPECS`` (its sources) and ``parse(source_id, body,
content_type) -> list[HotItem]``. User-configured feeds and self-hosted aggregators are
built from the ``KINDS`` parsers (``rss``, ``newsnow``, ``dailyhot``).

A new platform is one module here and one name in ``PLATFORMS``."""

from __future__ import annotations

from importlib import import_module

from onelegion.skills.radar.sources.base import Parser, SourceError, SourceSpec, parse_heat

PLATFORMS = (
    "weibo",
    "zhihu",
    "baidu",
    "bilibili",
    "douyin",
    "toutiao",
    "kuaishou",
    "tieba",
    "thepaper",
    "hackernews",
    "github",
    "reddit",
)
"""The built-in platform modules, in the order ``legion radar sources`` lists their sources."""

KIND_MODULES = ("rss", "newsnow", "dailyhot")
"""The modules whose ``parse`` reads user-configured sources of that kind."""

BUILTIN: dict[str, SourceSpec] = {
    spec.id: spec for name in PLATFORMS for spec in import_module(f"{__name__}.{name}").SPECS
}

KINDS: dict[str, Parser] = {
    name: import_module(f"{__name__}.{name}").parse for name in KIND_MODULES
}

__all__ = ["BUILTIN", "KINDS", "PLATFORMS", "Parser", "SourceError", "SourceSpec", "parse_heat"]
