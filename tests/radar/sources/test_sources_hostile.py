"""Source parsers on hostile responses (issue 10; kinds found by the radar.sources fuzz target).

A response that cannot be read is a SourceError on one line; where only one item or one number
is bad, that one is dropped or repaired and the rest of the list kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from radar_loopback import Loopback, Reply, make_context, recorded

from onelegion.skills.radar.fetch import fetch_sources
from onelegion.skills.radar.sources import (
    BUILTIN,
    SourceError,
    baidu,
    bilibili,
    douyin,
    github,
    hackernews,
    kuaishou,
    rss,
    toutiao,
    zhihu,
)
from onelegion.skills.radar.sources.base import format_heat, parse_heat
from onelegion.skills.radar.store import HistoryStore, Snapshot

BIG = "9" * 5509  # more digits than int() takes, and far beyond float range


@pytest.mark.parametrize(
    "value",
    [BIG, "9" * 400 + " stars today", float("inf"), float("-inf"), float("nan"), 10**400],
    ids=["5509-digits", "400-digits-text", "inf", "-inf", "nan", "int-10**400"],
)
def test_parse_heat_is_none_for_numbers_no_float_can_hold(value: object) -> None:
    assert parse_heat(value) is None


@pytest.mark.parametrize(
    ("value", "text"), [(float("inf"), "∞"), (float("-inf"), "-∞"), (float("nan"), "?"), (-5, "-5")]
)
def test_format_heat_never_raises(value: float, text: str) -> None:
    assert format_heat(value) == text


def test_github_star_count_beyond_float_range_drops_that_count_only() -> None:
    page = recorded("github_trending.html").replace(b"12,345", BIG.encode(), 1)
    items = github.parse("github", page, "text/html")
    assert [i.title for i in items] == ["example-org / fast-llm", "someone / notes-app"]
    assert items[0].extra == {
        "repo": "example-org/fast-llm",
        "description": "A fast inference engine for small language models on CPUs.",
        "language": "Rust",
        "forks": 678,
    }
    assert items[0].heat == 1024


def test_hackernews_story_id_that_is_not_a_css_name_keeps_the_row() -> None:
    page = recorded("hackernews_front.html").replace(b'"42210002"', b'"4 class=[x"')
    page = page.replace(b'"score_42210002"', b'"score_4 class=[x"')
    items = hackernews.parse("hackernews", page, "text/html")
    assert [(i.rank, i.heat, i.url) for i in items] == [
        (1, 612, "https://news.ycombinator.com/item?id=42210001"),
        (2, 1024, "https://news.ycombinator.com/item?id=4 class=[x"),
        (3, None, "https://news.ycombinator.com/item?id=42210003"),
    ]


def test_hackernews_comment_count_beyond_float_range_is_dropped() -> None:
    page = recorded("hackernews_front.html").replace(
        b">248&nbsp;comments", f">{BIG} comments".encode()
    )
    items = hackernews.parse("hackernews", page, "text/html")
    assert len(items) == 3
    assert "comments" not in items[0].extra


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            b"<script>window.__APOLLO_STATE__",
            "the embedded __APOLLO_STATE__ is not valid JSON (no object after the marker)",
        ),
        (
            b"<script>window.__APOLLO_STATE__=</script>",
            "the embedded __APOLLO_STATE__ is not valid JSON (no object after the marker)",
        ),
        (
            b'window.__APOLLO_STATE__={"defaultClient":' + BIG.encode() + b"}",
            "unexpected __APOLLO_STATE__ shape: no defaultClient",
        ),
        (
            b'window.__APOLLO_STATE__={"a":' + b"[" * 50000,
            "the embedded __APOLLO_STATE__ is nested too deeply",
        ),
    ],
)
def test_kuaishou_broken_apollo_state_is_one_source_error(page: bytes, message: str) -> None:
    with pytest.raises(SourceError) as e:
        kuaishou.parse("kuaishou", page, "text/html")
    assert str(e.value) == message


def test_kuaishou_huge_number_in_one_item_keeps_the_list() -> None:
    page = recorded("kuaishou_home.html").replace(b'"1234.5\xe4\xb8\x87"', BIG.encode())
    items = kuaishou.parse("kuaishou", page, "text/html")
    assert [(i.title, i.heat) for i in items] == [
        ("冬日雪景延时摄影", None),
        ("家常红烧肉做法", 9_876_000),
        ("猫咪第一次见到雪", 452_000),
    ]


@pytest.mark.parametrize(
    "feed",
    [
        # a NUL in the declared encoding: feedparser's bytes.decode raised ValueError
        b'<?xml version="1.0" encoding="\x00UTF-8"?>\n<rss version="2.0"><channel>'
        b"<item><title>a</title></item></channel></rss>",
        # bad UTF-8 inside a namespace URI: feedparser's strict parser failed to unpack it
        b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        b'xmlns:dc="http://purl.org/dc/e\xed\xa0\xbdlements/1.1/"><channel>'
        b"<item><title>a</title><dc:creator>b</dc:creator></item></channel></rss>",
    ],
)
def test_rss_feed_feedparser_cannot_read_is_one_source_error(feed: bytes) -> None:
    with pytest.raises(SourceError) as e:
        rss.parse("rss-x", feed, "application/rss+xml")
    assert str(e.value).startswith("the feed cannot be read (")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": 0, "list": [{"pos": "2", "show_name": "b"}, {"pos": 1, "show_name": "a"}]}',
        b'{"code": 0, "list": [{"pos": [1], "show_name": "b"}, {"pos": 1, "show_name": "a"}]}',
    ],
)
def test_bilibili_position_of_another_type_does_not_break_the_sort(body: bytes) -> None:
    items = bilibili.parse_hotword("bilibili", body, "application/json")
    assert sorted(i.title for i in items) == ["a", "b"]


def test_bilibili_view_count_beyond_float_range_is_no_heat() -> None:
    body = (
        b'{"code": 0, "data": {"list": [{"title": "t", "bvid": "BV1", "stat": {"view": '
        + b"9" * 400
        + b"}}]}}"
    )
    (item,) = bilibili.parse("bilibili-video", body, "application/json")
    assert (item.title, item.heat, item.heat_text) == ("t", None, None)


def test_bilibili_stat_of_another_type_keeps_the_video() -> None:
    body = b'{"code": 0, "data": {"list": [{"title": "t", "bvid": "BV1", "stat": [1]}]}}'
    (item,) = bilibili.parse("bilibili-video", body, "application/json")
    assert (item.title, item.heat, item.extra["stat"]) == ("t", None, {})


def test_douyin_position_of_another_type_does_not_break_the_sort() -> None:
    body = (
        b'{"status_code": 0, "data": {"word_list": [{"word": "b", "position": "x"},'
        b' {"word": "a", "position": 2}, {"word": "c", "position": 1e999}]}}'
    )
    items = douyin.parse("douyin", body, "application/json")
    assert [i.title for i in items] == ["b", "a", "c"]


@pytest.mark.parametrize("target", [[1], 5, "t", None])
def test_zhihu_target_of_another_type_drops_that_entry(target: object) -> None:
    body = json.dumps(
        {"data": [{"target": target}, {"target": {"title": "ok", "url": "https://x/1"}}]}
    ).encode()
    items = zhihu.parse("zhihu", body, "application/json")
    assert [(i.rank, i.title) for i in items] == [(1, "ok")]


@pytest.mark.parametrize(
    ("content", "titles"),
    [
        (
            [{"content": [{"word": "a"}]}, 5, {"content": 7}, {"content": [{"word": "b"}]}],
            ["a", "b"],
        ),
        ([{"word": "a"}, 5, [1], {"word": "b"}], ["a", "b"]),
    ],
)
def test_baidu_blocks_of_another_type_are_skipped(content: object, titles: list[str]) -> None:
    body = json.dumps({"data": {"cards": [{"content": content}]}}).encode()
    assert [i.title for i in baidu.parse("baidu", body, "application/json")] == titles


def test_baidu_content_that_is_not_a_list_is_one_source_error() -> None:
    body = json.dumps({"data": {"cards": [{"content": 5}]}}).encode()
    with pytest.raises(SourceError) as e:
        baidu.parse("baidu", body, "application/json")
    assert str(e.value) == "unexpected response shape: no data.cards[0].content list"


def test_toutiao_categories_of_another_type_are_dropped() -> None:
    body = json.dumps(
        {"data": [{"Title": "a", "InterestCategory": 5}, {"Title": "b", "InterestCategory": ["x"]}]}
    ).encode()
    items = toutiao.parse("toutiao", body, "application/json")
    assert [(i.title, i.extra.get("categories")) for i in items] == [("a", None), ("b", ["x"])]


def test_half_an_emoji_in_a_live_scan_keeps_the_list(loopback: Loopback, tmp_path: Path) -> None:
    """Issue 10: a title with half an emoji dropped its source's whole list in a live scan.
    Here one weibo title holds an escaped lone surrogate and one zhihu title a cut UTF-8 emoji:
    both lists are kept whole, the two titles repaired (U+FFFD), and the scan stores them."""
    weibo = recorded("weibo_hotsearch.json").replace(
        "冬季流感高发期就医指南".encode(), "冬季流感\\ud83d高发期就医指南".encode()
    )
    zhihu_body = recorded("zhihu_hot_list_web.json")
    first = json.loads(zhihu_body)["data"][0]["target"]["title_area"]["text"]
    zhihu_body = zhihu_body.replace(first.encode(), first.encode() + "😀".encode()[:2], 1)
    table = {sid: {"enabled": False} for sid in BUILTIN}
    table["weibo"] = {"url": loopback.serve("/weibo", Reply(weibo))}
    table["zhihu"] = {"url": loopback.serve("/zhihu", Reply(zhihu_body))}
    results = {r.source: r for r in fetch_sources(make_context(tmp_path, table))}
    assert [(r.ok, len(r.items), r.error) for r in results.values()] == [
        (True, 5, None),
        (True, 4, None),
    ]
    assert results["weibo"].items[1].title == "冬季流感\ufffd高发期就医指南"
    assert results["zhihu"].items[0].title == f"{first}\ufffd"
    store = HistoryStore(tmp_path / "h.duckdb")
    snaps = [Snapshot(r.source, r.captured_at, r.items) for r in results.values()]
    assert store.add(snaps).rows_added == 9


def test_half_an_emoji_in_an_embedded_page_state_keeps_the_list() -> None:
    page = recorded("kuaishou_home.html").replace("家常红烧肉".encode(), b"\\ud83d")
    items = kuaishou.parse("kuaishou", page, "text/html")
    assert [i.title for i in items] == ["冬日雪景延时摄影", "\ufffd做法", "猫咪第一次见到雪"]
