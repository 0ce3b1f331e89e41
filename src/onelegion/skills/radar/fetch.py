"""Fetching hot lists: which sources exist (after ``[radar.sources.<id>]`` overrides in
legion.toml), and one concurrent scan of them where a failing source never fails the scan.

Config (all keys optional)::

    [radar.sources.weibo]
    url = "http://127.0.0.1:8080/weibo.json"   # a mirror or proxy
    enabled = false
    timeout = 5

    [radar.sources.rss-ruanyifeng]              # any RSS/Atom feed
    url = "https://www.ruanyifeng.com/blog/atom.xml"
    name = "阮一峰的网络日志"

    [radar.sources.newsnow-weibo]               # a self-hosted newsnow: /api/s?id=<source>
    url = "http://my-server:4444/api/s?id=weibo"

    [radar.sources.dailyhot-zhihu]              # a self-hosted DailyHotApi: /<route>
    url = "http://my-server:6688/zhihu"

Only public, anonymous endpoints are used: no login, no captcha solving. A login or captcha
page is reported as the source's error (``ok=False``), never worked around. Douyin's API needs
an anonymous cookie handed out by a public endpoint (``cookie_url``); a mirror ``url`` skips it
unless ``cookie_url`` is set too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpx2

from onelegion.core.errors import UserError
from onelegion.skills.radar.bounded_get import DEFAULT_MAX_MB, bounded_get
from onelegion.skills.radar.items import HotItem, SourceInfo, SourceResult
from onelegion.skills.radar.sources import BUILTIN, KINDS, SourceError, SourceSpec

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.context import Context

__all__ = ["ResolvedSource", "fetch_sources", "resolve_sources", "source_catalog"]

_KIND_NAMES = {"rss": "RSS", "newsnow": "newsnow", "dailyhot": "DailyHotApi"}
_KEYS = {"url", "enabled", "timeout", "name", "kind", "cookie_url", "max_mb"}


@dataclass(frozen=True)
class ResolvedSource:
    """A source after config overrides: what will actually be fetched."""

    spec: SourceSpec
    url: str
    enabled: bool
    timeout: float | None
    cookie_url: str | None
    max_mb: float = DEFAULT_MAX_MB

    @property
    def id(self) -> str:
        return self.spec.id


def _bad(source_id: str, problem: str) -> UserError:
    return UserError(
        f"[radar.sources.{source_id}] {problem}",
        hint="fix legion.toml (see `legion radar sources` for the known source ids)",
    )


def _check_url(source_id: str, url: Any) -> str:
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise _bad(source_id, f"url must be an http(s) URL, got {url!r}")
    if not urlsplit(url).hostname:
        raise _bad(source_id, f"url has no host: {url!r}")
    return url


def _custom_spec(source_id: str, table: dict[str, Any]) -> SourceSpec:
    kind = table.get("kind") or source_id.split("-", 1)[0]
    if kind not in KINDS or (kind == source_id and "kind" not in table):
        raise _bad(
            source_id,
            "is not a known source; custom sources are named rss-<name>, newsnow-<name> "
            'or dailyhot-<name> (or set kind = "rss" | "newsnow" | "dailyhot")',
        )
    if "url" not in table:
        raise _bad(source_id, "needs a url")
    url = _check_url(source_id, table["url"])
    name = table.get("name") or f"{_KIND_NAMES[kind]}: {source_id.split('-', 1)[-1]}"
    return SourceSpec(
        id=source_id,
        name=str(name),
        url=url,
        parse=KINDS[kind],
        domains=(),
        home=url,
        kind="rss" if kind == "rss" else "aggregator",
    )


def resolve_sources(config: Settings) -> list[ResolvedSource]:
    """Built-in sources plus configured feeds/aggregators, with overrides applied."""
    raw = config.section("radar").get("sources", {})
    if not isinstance(raw, dict):
        raise UserError("[radar.sources] must be a table of tables", hint="fix legion.toml")
    resolved: list[ResolvedSource] = []
    for source_id, spec in [*BUILTIN.items(), *((k, None) for k in raw if k not in BUILTIN)]:
        table = raw.get(source_id, {})
        if not isinstance(table, dict):
            raise _bad(source_id, "must be a table (url = ..., enabled = ...)")
        if unknown := set(table) - _KEYS:
            raise _bad(source_id, f"unknown key(s): {', '.join(sorted(unknown))}")
        if spec is None:
            spec = _custom_spec(source_id, table)
        url = _check_url(source_id, table["url"]) if "url" in table else spec.url
        timeout = table.get("timeout")
        if timeout is not None and (not isinstance(timeout, int | float) or not 0 < timeout <= 600):
            raise _bad(source_id, f"timeout must be 0 < seconds <= 600, got {timeout!r}")
        max_mb = table.get("max_mb", DEFAULT_MAX_MB)
        if not isinstance(max_mb, int | float) or not 0 < max_mb <= 1024:
            raise _bad(source_id, f"max_mb must be 0 < MB <= 1024, got {max_mb!r}")
        enabled = table.get("enabled", True)
        if not isinstance(enabled, bool):
            raise _bad(source_id, f"enabled must be true or false, got {enabled!r}")
        if "name" in table:
            spec = replace(spec, name=str(table["name"]))
        # a mirror serves the list directly: skip the platform's cookie handshake unless asked
        cookie_url = table.get("cookie_url", None if "url" in table else spec.cookie_url)
        if "cookie_url" in table:
            cookie_url = _check_url(source_id, table["cookie_url"])
        resolved.append(
            ResolvedSource(
                spec=spec,
                url=url,
                enabled=enabled,
                timeout=float(timeout) if timeout is not None else None,
                cookie_url=cookie_url,
                max_mb=float(max_mb),
            )
        )
    return resolved


def source_catalog(config: Settings) -> list[SourceInfo]:
    """Every known source with the URL actually fetched after overrides."""
    return [
        SourceInfo(id=s.id, name=s.spec.name, url=s.url, enabled=s.enabled, kind=s.spec.kind)
        for s in resolve_sources(config)
    ]


# --- link sanity -------------------------------------------------------------------------


def _host_ok(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _clean_links(items: list[HotItem], spec: SourceSpec) -> tuple[list[HotItem], int]:
    """Fix relative links; drop items whose link leaves the platform's own domains (or is not
    http(s) at all). Returns the kept items (re-ranked 1..n) and how many were dropped."""
    kept: list[HotItem] = []
    dropped = 0
    for item in items:
        url = item.url
        if url is not None:
            url = url.strip()
            if url.startswith("//"):
                url = "https:" + url
            elif spec.home and not urlsplit(url).scheme:
                url = urljoin(spec.home, url)
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
            if parts.scheme not in ("http", "https") or not host:
                dropped += 1
                continue
            if spec.domains and not _host_ok(host, spec.domains):
                dropped += 1
                continue
        kept.append(item.model_copy(update={"url": url, "rank": len(kept) + 1}))
    return kept, dropped


# --- fetching ----------------------------------------------------------------------------


def _http_error(response: httpx2.Response) -> SourceError:
    code = response.status_code
    hint = {
        403: " (forbidden: the platform is blocking this client; try later or use a mirror)",
        404: " (not found: the endpoint may have moved; check the source's url)",
        412: " (precondition failed: the platform's anti-bot check rejected the request)",
        429: " (too many requests: lower the rate in [http.rate_limits])",
    }.get(code, "")
    return SourceError(f"HTTP {code} {response.reason_phrase}{hint}".replace("  ", " "))


async def _fetch_one(
    client: httpx2.AsyncClient, source: ResolvedSource, default_timeout: float, deadline: float
) -> tuple[SourceResult, int]:
    captured = datetime.now(UTC)
    started = time.perf_counter()
    timeout = source.timeout or default_timeout
    items: list[HotItem] = []
    error: str | None = None
    dropped = 0
    try:
        async with asyncio.timeout(deadline):
            bounds: dict[str, Any] = {
                "source_id": source.id,
                "domains": source.spec.domains,
                "max_mb": source.max_mb,
                "timeout": timeout,
            }
            if source.cookie_url:
                # best effort: the list request itself reports the real failure
                with contextlib.suppress(httpx2.HTTPError, SourceError):
                    await bounded_get(client, source.cookie_url, **bounds)
            response, body = await bounded_get(
                client, source.url, headers=source.spec.headers, **bounds
            )
            if response.status_code >= 400:
                raise _http_error(response)
            content_type = response.headers.get("content-type", "")
            parsed = source.spec.parse(source.id, body, content_type)
        items, dropped = _clean_links(parsed, source.spec)
        if not items:
            if dropped:
                raise SourceError(
                    f"rejected: all {dropped} items linked outside {', '.join(source.spec.domains)}"
                )
            raise SourceError("no items in the response (the page layout may have changed)")
    except SourceError as e:
        error = str(e)
    except (TimeoutError, httpx2.TimeoutException):
        error = f"timed out (timeout {timeout:g}s per request)"
    except httpx2.HTTPError as e:
        error = f"network error: {type(e).__name__}: {e}".rstrip(": ")
    except Exception as e:  # a parser bug must not fail the whole scan
        error = f"internal error while parsing: {type(e).__name__}: {e}"
    if error is not None:
        items = []
    return (
        SourceResult(
            source=source.id,
            ok=error is None,
            captured_at=captured,
            items=items,
            error=error,
            url=source.url,
            elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
        ),
        dropped,
    )


def _select(config: Settings, source_ids: list[str] | None) -> list[ResolvedSource]:
    sources = resolve_sources(config)
    if source_ids is None:
        return [s for s in sources if s.enabled]
    by_id = {s.id: s for s in sources}
    unknown = [i for i in source_ids if i not in by_id]
    if unknown:
        raise UserError(
            f"unknown radar source(s): {', '.join(unknown)}",
            hint=f"known: {', '.join(by_id)} (or add rss-/newsnow-/dailyhot- sources in legion.toml)",
        )
    return [by_id[i] for i in dict.fromkeys(source_ids)]


async def _scan(ctx: Context, sources: list[ResolvedSource]) -> list[SourceResult]:
    settings = ctx.http.settings
    default_timeout = settings.timeout_s
    results: dict[str, SourceResult] = {}
    async with ctx.http.async_client() as client:
        tasks = {}
        for s in sources:
            per_try = s.timeout or default_timeout
            # the retry transport already bounds each try; this caps slow-drip bodies too
            deadline = (per_try + settings.backoff_s * 2**settings.retries) * (settings.retries + 2)
            tasks[asyncio.ensure_future(_fetch_one(client, s, default_timeout, deadline))] = s
        for done_count, future in enumerate(asyncio.as_completed(list(tasks)), 1):
            result, dropped = await future
            results[result.source] = result
            if dropped:
                ctx.log(
                    f"{result.source}: dropped {dropped} item(s) linking outside the platform",
                    level="warning",
                )
            ctx.event(
                "source",
                id=result.source,
                ok=result.ok,
                items=len(result.items),
                error=result.error,
                elapsed_ms=result.elapsed_ms,
            )
            ctx.progress(done_count, len(sources), result.source)
    return [results[s.id] for s in sources]


def fetch_sources(ctx: Context, source_ids: list[str] | None = None) -> list[SourceResult]:
    """Fetch sources concurrently (None: the enabled set); results in the order asked.

    Each failure (HTTP error, timeout, login/captcha page, unexpected shape) becomes
    ``ok=False`` with a one-line ``error``; the call itself only raises for unknown ids or
    invalid configuration."""
    sources = _select(ctx.config, source_ids)
    if not sources:
        return []
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_scan(ctx, sources))
    # called from inside an event loop (e.g. an async server): run the scan on its own loop
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _scan(ctx, sources)).result()
