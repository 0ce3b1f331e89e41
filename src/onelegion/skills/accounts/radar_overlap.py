"""Overlap with topics that were hot on the radar when a post was published.

Reads the radar's history **read-only**, by its documented tables only (docs/radar.md; the radar's
``store.py`` docstring): a DuckDB file, by default ``HOME/radar/history.duckdb`` or ``[radar] store``
in legion.toml, table ``items(item_key, source, norm_title, title, url, first_seen, last_seen,
peak_rank, peak_heat, appearances, tokens VARCHAR[])`` with naive-UTC times. No radar code is
imported. When the file is missing, locked by a writer or has another shape, the feature is
left out and a note says why.

A post "rode a hot topic" when, between 3 days before and 1 day after its publish time, a radar
item was on a list with at least two of its tokens in the post's title, or its only token (a
hashtag-like topic). Chinese tokens are looked for as substrings, Latin ones as whole words
(lower-cased).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from onelegion.skills.accounts.posts import Posts

BEFORE = timedelta(days=3)
AFTER = timedelta(days=1)
_STOP = {
    "the",
    "and",
    "for",
    "with",
    "you",
    "your",
    "this",
    "that",
    "what",
    "how",
    "why",
    "from",
    "are",
    "was",
    "not",
    "but",
    "all",
    "can",
    "video",
    "official",
    "一个",
    "我们",
    "你们",
    "他们",
    "什么",
    "怎么",
    "为什么",
    "这个",
    "那个",
    "就是",
    "还是",
    "没有",
    "可以",
    "自己",
}
_PUNCT = re.compile(r"^[\W_]+$")


def radar_store(config_home: Path, radar_section: dict[str, Any]) -> Path:
    path = radar_section.get("store")
    return Path(str(path)).expanduser() if path else config_home / "radar" / "history.duckdb"


def hot_items(
    path: Path, start: datetime, end: datetime
) -> tuple[list[tuple[set[str], datetime, datetime, str]], str | None]:
    """Items on the radar between start and end: (tokens, first_seen, last_seen, title); or a note."""
    if not path.exists():
        return [], None
    try:
        import duckdb

        con = duckdb.connect(str(path), read_only=True)
    except Exception as e:  # a writer holds the lock, or the file is not DuckDB
        return [], f"radar history not read ({type(e).__name__}): trending overlap left out"
    try:
        rows = con.execute(
            "SELECT tokens, first_seen, last_seen, title FROM items WHERE last_seen >= ? AND first_seen <= ?",
            [start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None)],
        ).fetchall()
    except Exception as e:
        return (
            [],
            f"radar history has another shape ({type(e).__name__}): trending overlap left out",
        )
    finally:
        con.close()
    out = []
    for tokens, first, last, title in rows:
        toks = {str(t).lower() for t in (tokens or []) if str(t).strip()}
        if toks:
            out.append((toks, first.replace(tzinfo=UTC), last.replace(tzinfo=UTC), str(title)))
    return out, None


_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z0-9]+")


def _key(token: str) -> str:
    """Index key of a radar token: its first two characters when Chinese, else the word."""
    return token[:2] if _CJK.match(token) else token


def _post_keys(title: str) -> tuple[set[str], set[str]]:
    """(keys to look up: Chinese character pairs and Latin words, the Latin words)."""
    words = set(_WORD.findall(title))
    pairs = {title[i : i + 2] for i in range(len(title) - 1) if _CJK.match(title[i])}
    return pairs | words, words


def _contains(title: str, words: set[str], token: str) -> bool:
    return token in title if _CJK.match(token) else token in words


def radar_overlap(posts: Posts, path: Path) -> tuple[np.ndarray | None, list[str], str | None]:
    """(bool per post or None when there is no usable history, matched radar titles per post, note).

    Chinese tokens are matched as substrings of the title (a word segmenter may cut the title
    differently from the radar's title), Latin tokens as whole words."""
    pubs = [
        p
        for p, est in zip(posts.published, posts.published_estimated, strict=True)
        if p is not None and not est
    ]
    if not pubs:
        return None, [], None
    items, note = hot_items(path, min(pubs) - BEFORE, max(pubs) + AFTER)
    if not items:
        return None, [], note
    index: dict[str, list[int]] = defaultdict(list)
    for k, (toks, _, _, _) in enumerate(items):
        for key in {_key(t) for t in toks}:
            index[key].append(k)
    hit = np.zeros(len(posts), dtype=bool)
    matched = [""] * len(posts)
    for i, (pub, est) in enumerate(zip(posts.published, posts.published_estimated, strict=True)):
        if pub is None or est:
            continue
        title = posts.title[i].lower()
        keys, words = _post_keys(title)
        cands = {k for key in keys for k in index.get(key, ())}
        for k in sorted(cands):
            toks, first, last, name = items[k]
            if not (first <= pub + AFTER and last >= pub - BEFORE):
                continue
            n = sum(1 for t in toks if t not in _STOP and _contains(title, words, t))
            if n >= 2 or (n >= 1 and n == len(toks)):
                hit[i] = True
                matched[i] = name
                break
    return hit, matched, None
