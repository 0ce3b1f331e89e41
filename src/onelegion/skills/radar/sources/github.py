"""GitHub trending repositories: ``article.Box-row`` cards; heat = stars gained today."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceSpec,
    decode,
    heat_fields,
    html_instead,
    numbered,
    parse_heat,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    from selectolax.lexbor import LexborHTMLParser

    html = decode(body, content_type)
    tree = LexborHTMLParser(html)
    cards = tree.css("article.Box-row")
    if not cards:
        raise html_instead(html, "the trending repository list")
    rows: list[dict[str, Any]] = []
    for card in cards:
        link = card.css_first("h2 a") or card.css_first("h1 a")
        if link is None:
            continue
        path = (link.attributes.get("href") or "").strip()
        repo = path.strip("/")
        extra: dict[str, Any] = {"repo": repo}
        if (desc := card.css_first("p")) is not None and text_of(desc.text()):
            extra["description"] = text_of(desc.text())[:300]
        if (lang := card.css_first('[itemprop="programmingLanguage"]')) is not None:
            extra["language"] = text_of(lang.text())
        for a in card.css("a"):
            href = a.attributes.get("href") or ""
            count = parse_heat(text_of(a.text()))
            if count is None:
                continue
            if href.endswith("/stargazers"):
                extra["stars"] = int(count)
            elif href.endswith(("/forks", "/network/members")):
                extra["forks"] = int(count)
        today = ""
        for span in card.css("span"):
            text = text_of(span.text())
            if text.endswith(("stars today", "stars this week", "stars this month")):
                today = text
        rows.append(
            {
                "title": repo.replace("/", " / ", 1) if "/" in repo else text_of(link.text()),
                "url": f"https://github.com/{repo}" if repo else None,
                **heat_fields(today),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="github",
        name="GitHub Trending",
        url="https://github.com/trending",
        parse=parse,
        domains=("github.com",),
        home="https://github.com",
    )
]
