"""Parsers of the other platforms, feeds and self-hosted aggregators on recorded responses."""

from __future__ import annotations

import pytest
from radar_loopback import recorded

from onelegion.skills.radar.sources import (
    SourceError,
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
)


def test_bilibili_hotword_sorted_by_pos() -> None:
    items = bilibili.parse("bilibili", recorded("bilibili_hotword.json"), "application/json")
    assert [(i.rank, i.title, i.heat) for i in items] == [
        (1, "年度动画盘点", 1203345),
        (2, "原神新版本前瞻", 987210),
        (3, "考研英语作文模板", 455019),
    ]
    assert items[0].url == (
        "https://search.bilibili.com/all?keyword=%E5%B9%B4%E5%BA%A6%E5%8A%A8%E7%94%BB%E7%9B%98%E7%82%B9"
    )


def test_bilibili_popular_videos() -> None:
    items = bilibili.parse("bilibili-video", recorded("bilibili_popular.json"), "")
    assert [(i.title, i.heat, i.heat_text) for i in items] == [
        ("【4K】一镜到底看完整座城市的冬天", 2345678, "234.6万播放"),
        ("我用一周时间做了一个机械键盘", 1020304, "102万播放"),
        ("十分钟讲清楚量子计算", 9876, "9876播放"),
    ]
    first = items[0]
    assert first.url == "https://www.bilibili.com/video/BV1xx411c7mD"
    assert first.extra["owner"] == "影视剪辑UP主"
    assert first.extra["stat"]["like"] == 198765
    assert first.extra["reason"] == "百万播放"
    assert "reason" not in items[1].extra


def test_bilibili_risk_control_code() -> None:
    body = b'{"code": -352, "message": "-352", "ttl": 1}'
    with pytest.raises(SourceError, match="code -352 -352 \\(risk control"):
        bilibili.parse("bilibili-video", body, "")


def test_douyin_hot_search() -> None:
    items = douyin.parse("douyin", recorded("douyin_hot_search.json"), "application/json")
    assert [(i.rank, i.title, i.heat, i.url) for i in items] == [
        (1, "初雪下的故宫美如画", 11843017, "https://www.douyin.com/hot/1900123"),
        (2, "一起看今年的双子座流星雨", 10254332, "https://www.douyin.com/hot/1900456"),
        (3, "冬日暖心早餐做法", 8011523, "https://www.douyin.com/hot/1900789"),
    ]
    assert items[0].extra == {
        "sentence_id": "1900123",
        "event_time": 1764040001,
        "video_count": 12,
        "label": 3,
    }


def test_douyin_error_status() -> None:
    with pytest.raises(SourceError, match="status_code 2483 参数错误"):
        douyin.parse("douyin", '{"status_code": 2483, "status_msg": "参数错误"}'.encode(), "")


def test_kuaishou_apollo_state_skips_pinned() -> None:
    items = kuaishou.parse("kuaishou", recorded("kuaishou_home.html"), "text/html")
    assert [(i.rank, i.title, i.heat, i.heat_text) for i in items] == [
        (1, "冬日雪景延时摄影", 12_345_000, "1234.5万"),
        (2, "家常红烧肉做法", 9_876_000, "987.6万"),
        (3, "猫咪第一次见到雪", 452_000, "45.2万"),
    ]
    assert items[0].url == "https://www.kuaishou.com/short-video/3xabcdef1234567"
    assert items[2].url == (
        "https://www.kuaishou.com/search/video?searchKey="
        "%E7%8C%AB%E5%92%AA%E7%AC%AC%E4%B8%80%E6%AC%A1%E8%A7%81%E5%88%B0%E9%9B%AA"
    )
    assert items[1].extra == {"photo_id": "3xbcdefa2345678", "tag": "热"}


def test_kuaishou_captcha_page() -> None:
    with pytest.raises(SourceError, match="login/captcha page instead of the page's embedded"):
        kuaishou.parse("kuaishou", recorded("captcha_page.html"), "text/html")


def test_tieba_topics_with_https_links() -> None:
    items = tieba.parse("tieba", recorded("tieba_topic_list.json"), "application/json")
    assert [(i.title, i.heat) for i in items] == [
        ("冬天最适合吃的家常菜", 2345678),
        ("年终总结怎么写才不敷衍", 1204055),
        ("你最喜欢的国产游戏", 988001),
    ]
    assert items[0].url is not None
    assert items[0].url.startswith(
        "https://tieba.baidu.com/hottopic/browse/hottopic?topic_id=12345&topic_name="
    )
    assert items[0].extra == {"topic_id": 12345, "desc": "晒出你家冬天的餐桌"}


def test_thepaper_hot_news() -> None:
    items = thepaper.parse("thepaper", recorded("thepaper_sidebar.json"), "application/json")
    assert [(i.title, i.heat, i.url) for i in items] == [
        (
            "多地出台政策支持新就业形态劳动者",
            356,
            "https://www.thepaper.cn/newsDetail_forward_29312345",
        ),
        (
            "冬季候鸟迁徙季：湿地里的“空中舞者”",
            1024,
            "https://www.thepaper.cn/newsDetail_forward_29312346",
        ),
        ("一图读懂明年起施行的新规", 87, "https://www.thepaper.cn/newsDetail_forward_29312347"),
    ]
    assert items[0].extra == {
        "cont_id": "29312345",
        "channel": "中国政库",
        "published_ms": 1764040000000,
        "comments": 12,
    }


def test_hackernews_points_and_discussion_links() -> None:
    items = hackernews.parse("hackernews", recorded("hackernews_front.html"), "text/html")
    assert [(i.rank, i.title, i.heat, i.url) for i in items] == [
        (
            1,
            "Running SQLite at scale on a single server",
            612,
            "https://news.ycombinator.com/item?id=42210001",
        ),
        (
            2,
            "Ask HN: What are you working on this winter?",
            1024,
            "https://news.ycombinator.com/item?id=42210002",
        ),
        (
            3,
            "Example (YC S24) is hiring engineers",
            None,
            "https://news.ycombinator.com/item?id=42210003",
        ),
    ]
    assert items[0].extra == {
        "id": "42210001",
        "by": "alice",
        "link": "https://example.com/posts/sqlite-at-scale",
        "site": "example.com",
        "comments": 248,
    }
    assert items[1].extra["comments"] == 1
    assert "comments" not in items[2].extra


def test_github_trending_stars_today() -> None:
    items = github.parse("github", recorded("github_trending.html"), "text/html")
    assert [(i.title, i.url, i.heat, i.heat_text) for i in items] == [
        (
            "example-org / fast-llm",
            "https://github.com/example-org/fast-llm",
            1024,
            "1,024 stars today",
        ),
        ("someone / notes-app", "https://github.com/someone/notes-app", 56, "56 stars today"),
    ]
    assert items[0].extra == {
        "repo": "example-org/fast-llm",
        "description": "A fast inference engine for small language models on CPUs.",
        "language": "Rust",
        "stars": 12345,
        "forks": 678,
    }


def test_reddit_listing_skips_stickied() -> None:
    items = reddit.parse("reddit", recorded("reddit_popular.json"), "application/json")
    assert [(i.rank, i.heat, i.extra["subreddit"]) for i in items] == [
        (1, 45210, "r/pics"),
        (2, 31877, "r/AskReddit"),
        (3, 18003, "r/technology"),
    ]
    assert items[0].url == "https://www.reddit.com/r/pics/comments/1h0abcd/a_photo_of_the/"
    assert items[0].extra["link"] == "https://i.redd.it/example1.jpeg"
    assert "link" not in items[1].extra  # a self post links to itself


def test_reddit_blocked_json() -> None:
    with pytest.raises(SourceError, match="reddit error: Forbidden 403"):
        reddit.parse("reddit", b'{"message": "Forbidden", "error": 403}', "application/json")


def test_rss_and_atom() -> None:
    items = rss.parse("rss-weekly", recorded("feed_rss.xml"), "application/rss+xml")
    assert [(i.rank, i.title, i.url, i.heat) for i in items] == [
        (
            1,
            "科技爱好者周刊（第 300 期）：示例标题",
            "https://blog.example.com/weekly/300.html",
            None,
        ),
        (2, "如何写好一份技术文档", "https://blog.example.com/2026/11/docs.html", None),
    ]
    assert items[0].extra == {
        "published": "2026-11-20T16:10:00+00:00",
        "author": "示例作者",
        "feed": "示例技术周刊",
    }
    (atom,) = rss.parse("rss-eng", recorded("feed_atom.xml"), "application/atom+xml")
    assert atom.url == "https://eng.example.org/posts/queue"
    assert atom.extra["author"] == "Jane Doe"


def test_rss_rejects_html_and_garbage() -> None:
    with pytest.raises(SourceError, match="login/captcha page instead of an RSS/Atom feed"):
        rss.parse("rss-x", recorded("captcha_page.html"), "text/html")
    with pytest.raises(SourceError, match="not an RSS/Atom feed"):
        rss.parse("rss-x", b"just some text", "text/plain")


def test_newsnow_keeps_heat_from_info() -> None:
    items = newsnow.parse("newsnow-weibo", recorded("newsnow_weibo.json"), "application/json")
    assert [(i.title, i.heat, i.heat_text) for i in items] == [
        ("国产大飞机C919新航线首航", 2_780_000, "社会 278万"),
        ("冬季流感高发期就医指南", None, None),
        ("脚本链接示例", None, None),
    ]
    assert items[0].extra == {"upstream": "weibo", "info": "社会 278万"}


def test_newsnow_error() -> None:
    body = b'{"statusCode": 500, "statusMessage": "Server Error", "message": "Invalid source id"}'
    with pytest.raises(SourceError, match="newsnow error: Invalid source id"):
        newsnow.parse("newsnow-x", body, "application/json")


def test_dailyhot_numbers_and_strings() -> None:
    items = dailyhot.parse("dailyhot-zhihu", recorded("dailyhot_zhihu.json"), "application/json")
    assert [(i.title, i.heat, i.heat_text, i.url) for i in items] == [
        (
            "如何看待2026年的就业市场变化？",
            14_820_000,
            "14820000",
            "https://www.zhihu.com/question/6120019231",
        ),
        (
            "为什么现在的年轻人越来越喜欢City Walk？",
            9_360_000,
            "936万",
            "https://www.zhihu.com/question/6120018810",
        ),
    ]
    assert items[0].extra == {"upstream": "zhihu", "desc": "示例摘要", "timestamp": 1764000000000}


def test_dailyhot_error() -> None:
    with pytest.raises(SourceError, match="DailyHotApi answered code 500 接口获取失败"):
        dailyhot.parse("dailyhot-x", '{"code": 500, "message": "接口获取失败"}'.encode(), "")
