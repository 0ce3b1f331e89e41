"""Reddit hot posts (``/r/popular/hot.json`` or any subreddit's): a Listing of ``t3`` posts,
heat = score. The item link is the discussion (permalink); the post's own link is in ``extra``."""

from __future__ import annotations

from typing import Any

from onelegion.skills.radar.items import HotItem
from onelegion.skills.radar.sources.base import (
    SourceError,
    SourceSpec,
    dig,
    load_json,
    numbered,
    parse_heat,
    text_of,
)


def parse(source_id: str, body: bytes, content_type: str) -> list[HotItem]:
    data = load_json(body, content_type)
    children = dig(data, "data", "children")
    if not isinstance(children, list):
        message = text_of(dig(data, "message") or dig(data, "reason"))
        raise SourceError(
            f"reddit error: {message} {text_of(dig(data, 'error'))}".strip()
            if message
            else "not a reddit Listing (no data.children)"
        )
    rows: list[dict[str, Any]] = []
    for child in children:
        post = dig(child, "data")
        if dig(child, "kind") != "t3" or not isinstance(post, dict) or post.get("stickied"):
            continue
        score = post.get("score")
        extra: dict[str, Any] = {
            "subreddit": text_of(post.get("subreddit_name_prefixed")),
            "comments": post.get("num_comments"),
            "nsfw": bool(post.get("over_18")),
        }
        if (link := text_of(post.get("url"))) and not post.get("is_self"):
            extra["link"] = link
        permalink = text_of(post.get("permalink"))
        rows.append(
            {
                "title": text_of(post.get("title")),
                "url": f"https://www.reddit.com{permalink}" if permalink.startswith("/") else None,
                "heat": parse_heat(score),
                "heat_text": f"{score} points" if isinstance(score, int) else None,
                "extra": extra,
            }
        )
    return numbered(source_id, rows)


SPECS = [
    SourceSpec(
        id="reddit",
        name="Reddit r/popular",
        url="https://www.reddit.com/r/popular/hot.json?limit=50&raw_json=1",
        parse=parse,
        domains=("reddit.com", "redd.it"),
        home="https://www.reddit.com",
        headers={"Accept": "application/json"},
    )
]
