"""The one HTTP client factory (``ctx.http``): timeouts, retries with backoff, user agent,
proxy and per-host rate limits in one place. Tests inject ``httpx2.MockTransport`` (or any
transport) through ``HttpFactory(transport=...)``, or point source URLs at a loopback server.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
import time
from typing import Any

import httpx2

from onelegion.core.config import HttpSettings

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class RateLimiter:
    """Per-host minimum interval between request starts (thread- and asyncio-safe)."""

    def __init__(self, default_rate: float, overrides: dict[str, float] | None = None) -> None:
        self._default = default_rate
        self._overrides = dict(overrides or {})
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def _reserve(self, host: str) -> float:
        """Reserve the next slot for ``host``; return how long to wait for it."""
        rate = self._overrides.get(host, self._default)
        interval = 1.0 / rate if rate > 0 else 0.0
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, 0.0))
            self._next[host] = slot + interval
            return slot - now

    def wait(self, host: str) -> None:
        delay = self._reserve(host)
        if delay > 0:
            time.sleep(delay)

    async def await_slot(self, host: str) -> None:
        delay = self._reserve(host)
        if delay > 0:
            await asyncio.sleep(delay)


def _retry_after(response: httpx2.Response, fallback: float) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return min(float(value), 30.0)
    except ValueError:
        return fallback


class _RetryTransport(httpx2.BaseTransport):
    def __init__(
        self, inner: httpx2.BaseTransport, limiter: RateLimiter, retries: int, backoff: float
    ) -> None:
        self._inner, self._limiter, self._retries, self._backoff = inner, limiter, retries, backoff

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        delay = self._backoff
        for attempt in range(self._retries + 1):
            self._limiter.wait(request.url.host)
            try:
                response = self._inner.handle_request(request)
            except (httpx2.TimeoutException, httpx2.NetworkError):
                if attempt == self._retries:
                    raise
            else:
                if response.status_code not in RETRY_STATUS or attempt == self._retries:
                    return response
                wait = _retry_after(response, delay)
                response.close()
                time.sleep(wait)
                delay *= 2
                continue
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._inner.close()


class _AsyncRetryTransport(httpx2.AsyncBaseTransport):
    def __init__(
        self, inner: httpx2.AsyncBaseTransport, limiter: RateLimiter, retries: int, backoff: float
    ) -> None:
        self._inner, self._limiter, self._retries, self._backoff = inner, limiter, retries, backoff

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        delay = self._backoff
        for attempt in range(self._retries + 1):
            await self._limiter.await_slot(request.url.host)
            try:
                response = await self._inner.handle_async_request(request)
            except (httpx2.TimeoutException, httpx2.NetworkError):
                if attempt == self._retries:
                    raise
            else:
                if response.status_code not in RETRY_STATUS or attempt == self._retries:
                    return response
                wait = _retry_after(response, delay)
                await response.aclose()
                await asyncio.sleep(wait)
                delay *= 2
                continue
            await asyncio.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        await self._inner.aclose()


class HttpFactory:
    """Builds configured ``httpx2`` clients. One per runner; ``ctx.http`` in a skill.

    ``transport`` / ``async_transport`` replace the network (tests). A ``MockTransport`` given
    as ``transport`` serves both sync and async clients.
    """

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        transport: httpx2.BaseTransport | httpx2.AsyncBaseTransport | None = None,
        async_transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings or HttpSettings()
        self._transport = transport
        self._async_transport = async_transport
        self.limiter = RateLimiter(self.settings.rate_per_host, self.settings.rate_limits)
        self._ssl: ssl.SSLContext | None = None
        self._ssl_lock = threading.Lock()

    def ssl_context(self) -> ssl.SSLContext:
        """One SSL context per factory: loading the CA bundle costs ~80 ms, so do it once."""
        with self._ssl_lock:
            if self._ssl is None:
                self._ssl = httpx2.create_ssl_context()
            return self._ssl

    def _common(self, **overrides: Any) -> dict[str, Any]:
        s = self.settings
        opts: dict[str, Any] = {
            "timeout": httpx2.Timeout(s.timeout_s),
            "headers": {"User-Agent": s.user_agent, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"},
            "follow_redirects": True,
        }
        opts.update(overrides)
        return opts

    def client(self, *, retries: int | None = None, **overrides: Any) -> httpx2.Client:
        """A synchronous client with retries, rate limits, UA, proxy and timeout applied."""
        s = self.settings
        inner: httpx2.BaseTransport
        if isinstance(self._transport, httpx2.BaseTransport):
            inner = self._transport
        else:
            inner = httpx2.HTTPTransport(proxy=s.proxy, trust_env=True, verify=self.ssl_context())
        transport = _RetryTransport(
            inner, self.limiter, s.retries if retries is None else retries, s.backoff_s
        )
        return httpx2.Client(transport=transport, **self._common(**overrides))

    def async_client(self, *, retries: int | None = None, **overrides: Any) -> httpx2.AsyncClient:
        """An asyncio client with the same behaviour, for concurrent fetching."""
        s = self.settings
        inner: httpx2.AsyncBaseTransport
        if self._async_transport is not None:
            inner = self._async_transport
        elif isinstance(self._transport, httpx2.AsyncBaseTransport):
            inner = self._transport
        else:
            inner = httpx2.AsyncHTTPTransport(
                proxy=s.proxy, trust_env=True, verify=self.ssl_context()
            )
        transport = _AsyncRetryTransport(
            inner, self.limiter, s.retries if retries is None else retries, s.backoff_s
        )
        return httpx2.AsyncClient(transport=transport, **self._common(**overrides))
