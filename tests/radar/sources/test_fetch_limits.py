"""Fetching only where it should go, and never more than it should (issue 10): response size
caps, redirects limited to the source's own hosts, non-http(s) URLs refused at `config set`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from radar_loopback import Loopback, Reply, make_context, recorded

from onelegion.core.config import set_value
from onelegion.core.errors import UserError
from onelegion.skills.radar.bounded_get import redirect_allowed
from onelegion.skills.radar.fetch import fetch_sources
from onelegion.skills.radar.sources import BUILTIN


def _only(overrides: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {sid: {"enabled": False} for sid in BUILTIN}
    table.update(overrides)
    return table


def test_a_response_over_the_cap_is_refused(loopback: Loopback, tmp_path: Path) -> None:
    body = recorded("toutiao_hot_board.json")
    assert len(body) > 2048
    url = loopback.serve("/t", Reply(body))
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url, "max_mb": 0.001}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert (result.ok, result.items) == (False, [])
    assert result.error == (
        "the response is larger than 0.001 MB and was not read "
        "(raise radar.sources.toutiao.max_mb to allow it)"
    )


def test_a_streamed_response_without_length_stops_at_the_cap(
    loopback: Loopback, tmp_path: Path
) -> None:
    body = recorded("toutiao_hot_board.json")
    url = loopback.serve("/t", Reply(body, headers={"X-No-Length": "1"}))
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url, "max_mb": 0.001}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert result.error == (
        "the response is larger than 0.001 MB and was not read "
        "(raise radar.sources.toutiao.max_mb to allow it)"
    )


def test_under_the_default_cap_the_source_works(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve_file("/t", "toutiao_hot_board.json")
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert (result.ok, len(result.items)) == (True, 3)


def test_redirect_to_another_loopback_host_is_not_followed(
    loopback: Loopback, tmp_path: Path
) -> None:
    port = loopback.base.rsplit(":", 1)[1]
    loopback.serve_file("/secret", "toutiao_hot_board.json")
    url = loopback.serve(
        "/t", Reply(b"", status=302, headers={"Location": f"http://localhost:{port}/secret"})
    )
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert (result.ok, result.items) == (False, [])
    assert result.error == (
        f"redirected to http://localhost:{port}/secret, outside this source's hosts (not followed)"
    )
    assert loopback.hits.get("/secret") is None


def test_redirect_within_the_configured_host_is_followed(
    loopback: Loopback, tmp_path: Path
) -> None:
    loopback.serve_file("/real", "toutiao_hot_board.json")
    url = loopback.serve("/t", Reply(b"", status=302, headers={"Location": "/real"}))
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert (result.ok, len(result.items), loopback.hits["/real"]) == (True, 3, 1)


def test_redirect_loops_stop(loopback: Loopback, tmp_path: Path) -> None:
    url = loopback.serve("/t", Reply(b"", status=302, headers={"Location": "/t"}))
    ctx = make_context(tmp_path, _only({"toutiao": {"url": url}}))
    (result,) = fetch_sources(ctx, ["toutiao"])
    assert result.error == "more than 5 redirects (not followed)"
    assert loopback.hits["/t"] == 6


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        (
            "radar.sources.weibo.url",
            "file:///etc/passwd",
            "must be an http(s) URL, got file scheme",
        ),
        ("radar.sources.rss-x.url", "gopher://h/x", "must be an http(s) URL, got gopher scheme"),
        ("radar.sources.weibo.cookie_url", "ftp://h/", "must be an http(s) URL, got ftp scheme"),
        ("radar.sources.weibo.url", "http:///nohost", "has no host"),
        ("radar.sources.weibo.timeout", "1e308", "Input should be less than or equal to 600"),
        ("radar.sources.weibo.max_mb", "0", "Input should be greater than 0"),
    ],
)
def test_config_set_refuses_bad_source_values(
    home: Path, key: str, value: str, problem: str
) -> None:
    with pytest.raises(UserError) as e:
        set_value(home, key, value)
    assert e.value.one_line() == f"invalid value for {key}: {problem}"
    assert not (home / "legion.toml").exists()


@pytest.mark.parametrize(
    ("configured", "domains", "target", "allowed"),
    [
        ("https://www.zhihu.com/hot", ("zhihu.com",), "https://api.zhihu.com/x", True),
        ("https://www.zhihu.com/hot", ("zhihu.com",), "https://evil.com/x", False),
        ("https://www.zhihu.com/hot", ("zhihu.com",), "https://zhihu.com.evil.com/", False),
        ("https://www.zhihu.com/hot", ("zhihu.com",), "file:///etc/passwd", False),
        ("https://www.zhihu.com/hot", ("zhihu.com",), "http://169.254.169.254/latest", False),
        # a public source whose domains would match a private name or address: still refused
        ("https://feeds.example/rss", ("localhost",), "http://admin.localhost/", False),
        ("https://feeds.example/rss", ("10.0.0.7",), "http://10.0.0.7/", False),
        ("https://feeds.example/rss", ("fe80::1",), "http://[fe80::1]/", False),
        # configured on a private address itself: its own host and private domains are fine
        ("http://10.0.0.7/rss", (), "http://10.0.0.7/rss2", True),
        ("http://127.0.0.1:8080/a", ("localhost",), "http://localhost:9000/b", True),
    ],
)
def test_redirects_never_go_from_public_to_private_hosts(
    configured: str, domains: tuple[str, ...], target: str, allowed: bool
) -> None:
    assert redirect_allowed(configured, domains, target) is allowed
