"""fetch_sources end to end: recorded responses served by a real HTTP server on 127.0.0.1,
source URLs overridden through legion.toml, as a person pointing at a mirror would."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from radar_loopback import Loopback, Reply, make_context, recorded

from onelegion.core.errors import UserError
from onelegion.skills.radar.fetch import fetch_sources, source_catalog
from onelegion.skills.radar.items import SourceResult
from onelegion.skills.radar.sources import BUILTIN

MAIN = {
    "weibo": "weibo_hotsearch.json",
    "zhihu": "zhihu_hot_list_web.json",
    "baidu": "baidu_board.html",
    "toutiao": "toutiao_hot_board.json",
}


def _only(overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Overrides plus enabled=false for every other built-in (no real network in tests)."""
    table = {sid: {"enabled": False} for sid in BUILTIN}
    table.update(overrides)
    return table


def test_scan_of_main_sources(loopback: Loopback, tmp_path: Path) -> None:
    overrides = {sid: {"url": loopback.serve_file(f"/{sid}", name)} for sid, name in MAIN.items()}
    events: list[tuple[str, dict[str, Any]]] = []
    ctx = make_context(tmp_path, _only(overrides), events=events)
    results = fetch_sources(ctx)
    assert [r.source for r in results] == ["weibo", "zhihu", "baidu", "toutiao"]
    assert [(r.ok, len(r.items), r.error) for r in results] == [
        (True, 5, None),
        (True, 4, None),
        (True, 3, None),
        (True, 3, None),
    ]
    assert results[0].url == loopback.url("/weibo")
    assert results[0].items[0].heat == 2779657
    assert results[1].items[0].url == "https://www.zhihu.com/question/6120019231"
    source_events = sorted((d["id"], d["ok"], d["items"]) for k, d in events if k == "source")
    assert source_events == [
        ("baidu", True, 3),
        ("toutiao", True, 3),
        ("weibo", True, 5),
        ("zhihu", True, 4),
    ]


def test_failures_are_isolated(loopback: Loopback, tmp_path: Path) -> None:
    overrides = {
        "weibo": {"url": loopback.serve("/weibo", Reply(b"oops", status=500))},
        "zhihu": {
            "url": loopback.serve("/zhihu", Reply(recorded("zhihu_hot_list_web.json"), delay=2.0))
        },
        "baidu": {
            "url": loopback.serve(
                "/baidu", Reply(recorded("captcha_page.html"), content_type="text/html")
            )
        },
        "toutiao": {"url": loopback.serve_file("/toutiao", "toutiao_hot_board.json")},
    }
    ctx = make_context(tmp_path, _only(overrides), timeout_s=0.3, retries=1)
    results = {r.source: r for r in fetch_sources(ctx)}
    assert results["toutiao"].ok and len(results["toutiao"].items) == 3
    assert not results["weibo"].ok
    assert results["weibo"].error == "HTTP 500 Internal Server Error"
    assert loopback.hits["/weibo"] == 2  # one retry, then given up
    assert not results["zhihu"].ok
    assert results["zhihu"].error == "timed out (timeout 0.3s per request)"
    assert not results["baidu"].ok
    assert results["baidu"].error is not None
    assert results["baidu"].error.startswith("got a login/captcha page instead of the board data")
    assert all(r.items == [] for r in results.values() if not r.ok)


def test_captcha_page_instead_of_json(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve("/z", Reply(recorded("captcha_page.html"), content_type="text/html"))
    ctx = make_context(tmp_path, _only({"zhihu": {"url": url}}))
    (result,) = fetch_sources(ctx, ["zhihu"])
    assert not result.ok
    assert result.error is not None and result.error.startswith(
        "got a login/captcha page instead of JSON"
    )


def test_retry_after_503(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve(
        "/toutiao",
        Reply(b"busy", status=503),
        Reply(recorded("toutiao_hot_board.json")),
    )
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}), retries=2)
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert result.ok and [i.rank for i in result.items] == [1, 2, 3]
    assert loopback.hits["/toutiao"] == 2


def _zhihu_with_links(*links: str) -> bytes:
    data = json.loads(recorded("zhihu_hot_list_web.json"))
    for entry, link in zip(data["data"], links, strict=False):
        entry["target"]["link"]["url"] = link
    return json.dumps(data).encode()


def test_links_outside_the_platform_are_dropped(loopback: Loopback, tmp_path: Path) -> None:
    body = _zhihu_with_links(
        "https://evil.example.com/phish",
        "/question/6120018810",
        "javascript:alert(1)",
        "https://zhuanlan.zhihu.com/p/123",
    )
    ctx = make_context(tmp_path, _only({"zhihu": {"url": loopback.serve("/z", Reply(body))}}))
    (result,) = fetch_sources(ctx, ["zhihu"])
    assert result.ok
    assert [(i.rank, i.url) for i in result.items] == [
        (1, "https://www.zhihu.com/question/6120018810"),
        (2, "https://zhuanlan.zhihu.com/p/123"),
    ]


def test_all_links_foreign_rejects_the_response(loopback: Loopback, tmp_path: Path) -> None:
    body = _zhihu_with_links(*["https://zhihu.com.evil.example/x"] * 4)
    ctx = make_context(tmp_path, _only({"zhihu": {"url": loopback.serve("/z", Reply(body))}}))
    (result,) = fetch_sources(ctx, ["zhihu"])
    assert not result.ok
    assert result.error == "rejected: all 4 items linked outside zhihu.com"


def test_unreachable_host_is_a_network_error(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, _only({"weibo": {"url": "http://127.0.0.1:9/x"}}), retries=0)
    (result,) = fetch_sources(ctx, ["weibo"])
    assert not result.ok
    assert result.error is not None and result.error.startswith("network error: ConnectError")


def test_catalog_applies_overrides(tmp_path: Path) -> None:
    ctx = make_context(
        tmp_path,
        {
            "weibo": {"url": "http://mirror.local/weibo"},
            "zhihu": {"enabled": False},
            "rss-ruanyifeng": {"url": "https://www.ruanyifeng.com/blog/atom.xml", "name": "阮一峰"},
        },
    )
    catalog = {s.id: s for s in source_catalog(ctx.config)}
    assert catalog["weibo"].url == "http://mirror.local/weibo"
    assert catalog["weibo"].name == "微博热搜"
    assert catalog["zhihu"].enabled is False
    assert catalog["baidu"].url == "https://top.baidu.com/board?tab=realtime"
    assert catalog["rss-ruanyifeng"].kind == "rss"
    assert catalog["rss-ruanyifeng"].name == "阮一峰"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"weibo": {"url": "ftp://x"}}, "url must be an http(s) URL"),
        ({"weibo": {"urll": "http://x"}}, "unknown key(s): urll"),
        ({"weibo": {"enabled": "no"}}, "enabled must be true or false"),
        ({"myblog": {"url": "http://x/feed"}}, "is not a known source"),
        ({"rss-x": {"name": "x"}}, "needs a url"),
    ],
)
def test_bad_config_is_a_user_error(tmp_path: Path, table: dict[str, Any], message: str) -> None:
    ctx = make_context(tmp_path, table)
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        source_catalog(ctx.config)


def test_unknown_source_id(tmp_path: Path) -> None:
    ctx = make_context(tmp_path, {})
    with pytest.raises(UserError, match="unknown radar source"):
        fetch_sources(ctx, ["weibo", "myspace"])


ALL = {
    **MAIN,
    "bilibili": "bilibili_hotword.json",
    "bilibili-video": "bilibili_popular.json",
    "douyin": "douyin_hot_search.json",
    "kuaishou": "kuaishou_home.html",
    "tieba": "tieba_topic_list.json",
    "thepaper": "thepaper_sidebar.json",
    "hackernews": "hackernews_front.html",
    "github": "github_trending.html",
    "reddit": "reddit_popular.json",
    "rss-weekly": "feed_rss.xml",
    "newsnow-weibo": "newsnow_weibo.json",
    "dailyhot-zhihu": "dailyhot_zhihu.json",
}


def test_full_default_scan_of_every_source(loopback: Loopback, tmp_path: Path) -> None:
    overrides = {sid: {"url": loopback.serve_file(f"/{sid}", name)} for sid, name in ALL.items()}
    assert set(BUILTIN) <= set(overrides)  # every built-in is exercised
    ctx = make_context(tmp_path, overrides)
    results = fetch_sources(ctx)
    assert [r.source for r in results] == [
        *BUILTIN,
        "rss-weekly",
        "newsnow-weibo",
        "dailyhot-zhihu",
    ]
    counts = {r.source: (r.ok, len(r.items)) for r in results}
    assert counts == {
        "weibo": (True, 5),
        "zhihu": (True, 4),
        "baidu": (True, 3),
        "bilibili": (True, 3),
        "bilibili-video": (True, 3),
        "douyin": (True, 3),
        "toutiao": (True, 3),
        "kuaishou": (True, 3),
        "tieba": (True, 3),
        "thepaper": (True, 3),
        "hackernews": (True, 3),
        "github": (True, 2),
        "reddit": (True, 3),
        "rss-weekly": (True, 2),
        "newsnow-weibo": (True, 2),  # the javascript: link was dropped
        "dailyhot-zhihu": (True, 2),
    }
    for result in results:
        for item in result.items:
            assert item.source == result.source
            assert item.url is not None and item.url.startswith("https://")


def test_douyin_cookie_handshake(loopback: Loopback, tmp_path: Path) -> None:
    cookie_url = loopback.serve(
        "/passport",
        Reply(b"{}", headers={"Set-Cookie": "passport_csrf_token=abc123; Path=/"}),
    )
    url = loopback.serve_file("/douyin", "douyin_hot_search.json")
    ctx = make_context(tmp_path, _only({"douyin": {"url": url, "cookie_url": cookie_url}}))
    (result,) = fetch_sources(ctx, ["douyin"])
    assert result.ok and len(result.items) == 3
    assert loopback.request_headers["/douyin"]["cookie"] == "passport_csrf_token=abc123"
    assert loopback.request_headers["/douyin"]["referer"] == "https://www.douyin.com/"


def test_mirror_url_skips_the_cookie_handshake(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve_file("/douyin", "douyin_hot_search.json")
    ctx = make_context(tmp_path, _only({"douyin": {"url": url}}))
    (result,) = fetch_sources(ctx, ["douyin"])
    assert result.ok
    assert set(loopback.hits) == {"/douyin"}


def test_a_parser_crash_is_isolated(
    loopback: Loopback, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(source_id: str, body: bytes, content_type: str) -> list[Any]:
        raise KeyError("realtime")

    monkeypatch.setitem(BUILTIN, "weibo", replace(BUILTIN["weibo"], parse=broken))
    overrides = {
        "weibo": {"url": loopback.serve_file("/weibo", "weibo_hotsearch.json")},
        "toutiao": {"url": loopback.serve_file("/toutiao", "toutiao_hot_board.json")},
    }
    ctx = make_context(tmp_path, _only(overrides))
    weibo, toutiao = fetch_sources(ctx, ["weibo", "toutiao"])
    assert (weibo.ok, weibo.error) == (False, "internal error while parsing: KeyError: 'realtime'")
    assert toutiao.ok and len(toutiao.items) == 3


def test_explicit_kind_for_a_custom_id(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve_file("/api/s?id=weibo", "newsnow_weibo.json")
    ctx = make_context(tmp_path, _only({"my-mirror": {"url": url, "kind": "newsnow"}}))
    (info,) = [s for s in source_catalog(ctx.config) if s.id == "my-mirror"]
    assert (info.kind, info.name, info.enabled) == ("aggregator", "newsnow: mirror", True)
    (result,) = fetch_sources(ctx)
    assert result.source == "my-mirror" and result.ok
    assert [i.title for i in result.items] == ["国产大飞机C919新航线首航", "冬季流感高发期就医指南"]


def test_callable_from_inside_an_event_loop(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve_file("/toutiao", "toutiao_hot_board.json")
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}))

    async def inside() -> list[SourceResult]:
        return fetch_sources(ctx, ["toutiao"])

    (result,) = asyncio.run(inside())
    assert result.ok and len(result.items) == 3
