"""Hacker News front page: ``tr.athing`` rows, points in ``span#score_<id>``. The item link
is the HN discussion page (news.ycombinator.com); the story's own link goes in ``extra``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

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

BASE = "https://news.ycombinator.com/"


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    from selectolax.lexbor import LexborHTMLParser

    html = decode(body, content_type)
    tree = LexborHTMLParser(html)
    rows_html = tree.css("tr.athing")
    if not rows_html:
        raise html_instead(html, "the Hacker News story table")
    # points by element id, read once (a CSS selector built from a page's id broke on ids
    # such as '4 class=', found by fuzzing)
    scores = {s.attributes.get("id") or "": text_of(s.text()) for s in tree.css("span.score")}
    rows: list[dict[str, Any]] = []
    for tr in rows_html:
        story_id = tr.attributes.get("id") or ""
        link = tr.css_first(".titleline > a")
        if link is None or not story_id:
            continue
        points = scores.get(f"score_{story_id}", "")
        subtext = tr.next
        while subtext is not None and subtext.tag != "tr":
            subtext = subtext.next
        comments: float | None = None
        extra: dict[str, Any] = {"id": story_id}
        if subtext is not None:
            for a in subtext.css("a"):
                label = text_of(a.text()).replace("\xa0", " ")
                if label.endswith(("comments", "comment")):
                    comments = parse_heat(label)
            if (by := subtext.css_first("a.hnuser")) is not None:
                extra["by"] = text_of(by.text())
        href = link.attributes.get("href") or ""
        extra["link"] = urljoin(BASE, href)
        if (site := tr.css_first(".sitestr")) is not None:
            extra["site"] = text_of(site.text())
        if comments is not None:
            extra["comments"] = int(comments)
        rows.append(
            {
                "title": text_of(link.text()),
                "url": f"{BASE}item?id={story_id}",
                **heat_fields(points),
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="hackernews",
        name="Hacker News",
        url=BASE,
        parse=parse,
        domains=("news.ycombinator.com",),
        home=BASE,
    )
]
