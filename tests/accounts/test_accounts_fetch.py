"""Connectors against a mock transport answering in the APIs' response shapes (tests/fixtures/accounts/http)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.http import HttpFactory
from onelegion.skills.accounts import fetch_account as fetch
from onelegion.skills.accounts import find_hits as hits
from onelegion.skills.accounts.models import FetchIn, HitsIn
from onelegion.skills.accounts.store import AccountsStore

HTTP = Path(__file__).parents[1] / "fixtures" / "accounts" / "http"


def load(name: str) -> Any:
    return json.loads((HTTP / name).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import onelegion.skills.accounts.connectors as f

    monkeypatch.setattr(f, "_now", lambda: datetime(2025, 11, 30, 12, tzinfo=UTC))


def make_ctx(tmp_path: Path, handler: Any, seen: list[httpx2.Request]) -> Context:
    def wrapped(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return handler(request)  # type: ignore[no-any-return]

    factory = HttpFactory(transport=httpx2.MockTransport(wrapped))
    return Context.for_testing(tmp_path, http=factory)


def bili(request: httpx2.Request) -> httpx2.Response:
    path = request.url.path
    if path.endswith("/x/space/wbi/arc/search"):
        return httpx2.Response(200, json=load("bili_space_p1.json"))
    if path.endswith("/x/web-interface/view"):
        bvid = request.url.params["bvid"]
        f = HTTP / f"bili_view_{bvid}.json"
        return httpx2.Response(
            200, json=load(f.name) if f.exists() else load("bili_view_gone.json")
        )
    if path.endswith("/x/relation/stat"):
        return httpx2.Response(200, json=load("bili_relation.json"))
    return httpx2.Response(404, json={"code": -404, "message": "啥都木有"})


def test_bilibili_space_list_stats_and_followers(tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, bili, seen)
    out = fetch(ctx, FetchIn(platform="bilibili", account="250858633", since=None))
    assert (out.videos, out.followers, out.posts_new, out.snapshots_new, out.requests) == (
        3,
        5120000,
        3,
        3,
        5,
    )
    assert seen[0].url.params["mid"] == "250858633"
    assert seen[0].headers["Referer"] == "https://space.bilibili.com/250858633/video"
    store = AccountsStore.for_home(ctx.config.home)
    rows = store.query(
        "SELECT p.post_id, s.views, s.coins, s.danmaku, p.category, p.duration_s FROM snapshots s JOIN posts p USING (post_key) ORDER BY p.post_id"
    )
    assert rows[2] == ("BV1aa411c7m3", 9000000.0, 112500.0, 302.0, "美食", 490.0)
    assert store.query("SELECT name, followers FROM accounts") == [("华农兄弟", 5120000.0)]


def test_bilibili_since_stops_at_older_videos(tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, bili, seen)
    out = fetch(
        ctx, FetchIn(platform="bilibili", account="250858633", since="8d")
    )  # newest first: 4, 7, 10 days old
    assert out.videos == 2
    assert [r.url.params.get("bvid") for r in seen[1:3]] == ["BV1aa411c7m3", "BV1aa411c7m2"]


def test_bilibili_direct_videos_and_an_invisible_one(tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, bili, seen)
    out = fetch(ctx, FetchIn(platform="bilibili", videos=["BV1aa411c7m1,BVgone"]))
    assert out.videos == 1
    assert out.notes == ["BVgone: not read (code 62002: 稿件不可见)"]
    assert not any(r.url.path.endswith("/arc/search") for r in seen)


def test_bilibili_risk_control_is_reported_not_worked_around(tmp_path: Path) -> None:
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, lambda r: httpx2.Response(200, json=load("bili_refused.json")), seen)
    with pytest.raises(UserError) as e:
        fetch(ctx, FetchIn(platform="bilibili", account="250858633"))
    assert (
        e.value.message
        == "bilibili refused the space's video list: code -352, risk control (风控校验失败) — 风控校验失败"
    )
    assert "does not work around" in (e.value.hint or "")
    assert len(seen) == 1  # no retry with tricks
    assert "w_rid" not in str(seen[0].url)
    with pytest.raises(UserError, match="is not a space id"):
        fetch(ctx, FetchIn(platform="bilibili", account="华农兄弟"))


def youtube(request: httpx2.Request) -> httpx2.Response:
    name = request.url.path.rsplit("/", 1)[-1]
    if name == "playlistItems" and "pageToken" in request.url.params:
        return httpx2.Response(200, json={"kind": "youtube#playlistItemListResponse", "items": []})
    return httpx2.Response(200, json=load(f"yt_{name}.json"))


def test_youtube_channel_uploads_within_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YOUTUBE_API_KEY", "test-key")
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, youtube, seen)
    out = fetch(ctx, FetchIn(platform="youtube", account="@vox", since="3y"))
    # the first uploads page ends with a 2024 video, inside 3y: the next page is asked for (empty)
    assert (out.videos, out.followers, out.requests) == (3, 12300000, 4)
    assert seen[2].url.params["pageToken"] == "CAUQAA"
    assert seen[3].url.params["id"] == "vidA1234567,vidB1234567,vidC1234567,vidOLD123456"
    assert seen[0].url.params["forHandle"] == "@vox"
    assert seen[1].url.params["playlistId"] == "UULXo7UDZvByw2ixzpQCufnA"
    store = AccountsStore.for_home(ctx.config.home)
    assert store.query("SELECT duration_s, tags FROM posts WHERE post_id='vidC1234567'") == [
        (723.0, '["maps", "explained"]')
    ]
    # the key is sent to the API only, never stored
    assert b"test-key" not in (ctx.config.home / "accounts" / "accounts.db").read_bytes()
    out2 = hits(ctx, HitsIn())
    assert out2.accounts[0].verdict is False  # 3 videos: too few for a verdict, said so


def test_youtube_since_stops_paging_and_errors_are_clear(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx2.Request] = []
    ctx = make_ctx(tmp_path, youtube, seen)
    with pytest.raises(UserError, match="YOUTUBE_API_KEY is not set"):
        fetch(ctx, FetchIn(platform="youtube", account="UCLXo7UDZvByw2ixzpQCufnA"))
    monkeypatch.setenv("YOUTUBE_API_KEY", "k")
    out = fetch(ctx, FetchIn(platform="youtube", account="UCLXo7UDZvByw2ixzpQCufnA", since="1y"))
    assert out.videos == 3
    assert [r.url.path.rsplit("/", 1)[-1] for r in seen] == ["channels", "playlistItems", "videos"]
    quota: list[httpx2.Request] = []
    ctx2 = make_ctx(
        tmp_path / "q", lambda r: httpx2.Response(403, json=load("yt_quota.json")), quota
    )
    with pytest.raises(UserError, match=r"the API key's daily quota is used up \(quotaExceeded\)"):
        fetch(ctx2, FetchIn(platform="youtube", account="@vox"))
