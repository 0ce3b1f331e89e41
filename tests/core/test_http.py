from __future__ import annotations

import asyncio

import httpx2

from onelegion.core.config import HttpSettings
from onelegion.core.http import HttpFactory, RateLimiter


def test_retries_on_503_then_succeeds() -> None:
    calls: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request.headers["user-agent"])
        return httpx2.Response(503 if len(calls) < 3 else 200, json={"n": len(calls)})

    f = HttpFactory(HttpSettings(retries=2, backoff_s=0.0), transport=httpx2.MockTransport(handler))
    with f.client() as c:
        r = c.get("https://example.test/a")
    assert r.status_code == 200 and r.json() == {"n": 3}
    assert "OneLegion" in calls[0]


def test_gives_up_after_retries_and_returns_last_response() -> None:
    n = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal n
        n += 1
        return httpx2.Response(500)

    f = HttpFactory(HttpSettings(retries=1, backoff_s=0.0), transport=httpx2.MockTransport(handler))
    with f.client() as c:
        assert c.get("https://example.test/").status_code == 500
    assert n == 2


def test_network_errors_retry_then_raise() -> None:
    n = 0

    def handler(request: httpx2.Request) -> httpx2.Response:
        nonlocal n
        n += 1
        raise httpx2.ConnectError("refused", request=request)

    f = HttpFactory(HttpSettings(retries=2, backoff_s=0.0), transport=httpx2.MockTransport(handler))
    with f.client() as c:
        try:
            c.get("https://example.test/")
        except httpx2.ConnectError:
            pass
        else:  # pragma: no cover
            raise AssertionError("expected ConnectError")
    assert n == 3


def test_async_client_uses_the_same_transport() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, text=request.url.host)

    f = HttpFactory(HttpSettings(), transport=httpx2.MockTransport(handler))

    async def go() -> list[str]:
        async with f.async_client() as c:
            rs = await asyncio.gather(*(c.get(f"https://h{i}.test/") for i in range(3)))
        return [r.text for r in rs]

    assert asyncio.run(go()) == ["h0.test", "h1.test", "h2.test"]


def test_rate_limiter_spaces_requests_per_host() -> None:
    lim = RateLimiter(default_rate=1000.0, overrides={"slow.test": 10.0})
    assert lim._reserve("slow.test") == 0.0
    second = lim._reserve("slow.test")
    third = lim._reserve("slow.test")
    assert 0 < second <= 0.1 and second < third <= 0.2
    assert lim._reserve("fast.test") == 0.0
