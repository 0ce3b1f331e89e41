from __future__ import annotations

from pathlib import Path

import httpx2

from onelegion.core.config import HttpSettings, Settings
from onelegion.core.http import HttpFactory
from onelegion.skills.radar.checks import checks
from onelegion.skills.radar.fetch import resolve_sources


def test_reachability_check_names_unreachable_sources(home: Path) -> None:
    settings = Settings.load(home)
    enabled = [s for s in resolve_sources(settings) if s.enabled]

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.host == "www.zhihu.com":
            raise httpx2.ConnectError("refused", request=request)
        if request.url.host == "top.baidu.com":
            return httpx2.Response(503)
        return httpx2.Response(200, text="ok")

    http = HttpFactory(HttpSettings(rate_per_host=1000), transport=httpx2.MockTransport(handler))
    [check] = checks(settings, http, offline=False)
    assert check.status == "warn"
    assert check.detail.startswith(f"{len(enabled) - 2}/{len(enabled)} reachable; unreachable: ")
    assert "baidu (top.baidu.com: HTTP 503)" in check.detail
    assert "zhihu (www.zhihu.com: ConnectError)" in check.detail
    assert "[radar.sources.<id>]" in check.fix


def test_all_reachable_and_offline(home: Path) -> None:
    settings = Settings.load(home)
    http = HttpFactory(
        HttpSettings(rate_per_host=1000),
        transport=httpx2.MockTransport(lambda r: httpx2.Response(200)),
    )
    assert checks(settings, http, offline=False)[0].status == "ok"
    assert checks(settings, http, offline=True)[0].status == "skip"
