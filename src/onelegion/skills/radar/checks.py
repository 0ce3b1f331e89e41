"""`legion doctor` checks for the radar: can each enabled source's host be reached?

Registered through the ``onelegion.checks`` entry points. One request per source, concurrent,
3 s each, no retries: a reachability check, not a scan (nothing is parsed or stored).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from onelegion.core.checks import Check
from onelegion.core.lang import tr

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory

TIMEOUT_S = 3.0


async def _probe(http: HttpFactory, urls: dict[str, str]) -> dict[str, str | None]:
    async with http.async_client(retries=0, timeout=TIMEOUT_S) as client:

        async def one(url: str) -> str | None:
            try:
                response = await client.get(url)
            except Exception as e:  # any failure is the answer here
                return type(e).__name__
            return None if response.status_code < 500 else f"HTTP {response.status_code}"

        results = await asyncio.gather(*(one(u) for u in urls.values()))
    return dict(zip(urls, results, strict=True))


def checks(settings: Settings, http: HttpFactory, offline: bool) -> list[Check]:
    from onelegion.skills.radar.fetch import resolve_sources

    sources = [s for s in resolve_sources(settings) if s.enabled]
    if offline:
        return [
            Check(
                name=tr("Radar sources", "热榜来源"),
                status="skip",
                detail=tr(
                    f"{len(sources)} enabled (not contacted)", f"已启用 {len(sources)} 个（未联系）"
                ),
            )
        ]
    errors = asyncio.run(_probe(http, {s.id: s.url for s in sources}))
    failed = {k: v for k, v in errors.items() if v}
    if not failed:
        return [
            Check(
                name=tr("Radar sources", "热榜来源"),
                status="ok",
                detail=tr(
                    f"all {len(sources)} enabled sources reachable",
                    f"已启用的 {len(sources)} 个来源都能访问",
                ),
            )
        ]
    hosts = ", ".join(
        f"{k} ({urlsplit(next(s.url for s in sources if s.id == k)).hostname}: {v})"
        for k, v in sorted(failed.items())[:6]
    )
    more = (
        tr(f" and {len(failed) - 6} more", f" 等另外 {len(failed) - 6} 个")
        if len(failed) > 6
        else ""
    )
    return [
        Check(
            name=tr("Radar sources", "热榜来源"),
            status="warn",
            detail=tr(
                f"{len(sources) - len(failed)}/{len(sources)} reachable; unreachable: {hosts}{more}",
                f"{len(sources) - len(failed)}/{len(sources)} 个可访问；无法访问：{hosts}{more}",
            ),
            fix=tr(
                "check the network or set http.proxy; point a source at a mirror with "
                "[radar.sources.<id>] url = ... or disable it with enabled = false",
                "检查网络或设置 http.proxy；用 [radar.sources.<id>] url = ... 指向镜像，"
                "或用 enabled = false 停用它",
            ),
        )
    ]
