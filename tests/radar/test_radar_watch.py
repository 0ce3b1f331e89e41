"""radar.scan and radar.watch over a mock transport serving a recorded Weibo response."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2

from onelegion.core.context import Context
from onelegion.core.http import HttpFactory
from onelegion.skills.radar import (
    ScanIn,
    SourcesIn,
    WatchIn,
    radar_scan,
    radar_sources,
    radar_watch,
)
from onelegion.skills.radar.service import store_for

RESPONSES = Path(__file__).parents[1] / "fixtures" / "radar" / "responses"


def _ctx(tmp_path: Path, fail: bool = False) -> tuple[Context, list[str]]:
    body = (RESPONSES / "weibo_hotsearch.json").read_bytes()
    seen: list[str] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(str(request.url))
        if fail or "weibo" not in request.url.host:
            return httpx2.Response(503, content=b"down")
        return httpx2.Response(200, content=body, headers={"Content-Type": "application/json"})

    base = Context.for_testing(tmp_path)
    http = HttpFactory(
        base.config.http.model_copy(update={"retries": 0}), transport=httpx2.MockTransport(handler)
    )
    return Context.for_testing(tmp_path, http=http, config=base.config), seen


def test_scan_stores_and_prints_a_digest(tmp_path: Path) -> None:
    c, seen = _ctx(tmp_path)
    out = radar_scan(c, ScanIn(sources=["weibo"]))
    expected = len(
        json.loads((RESPONSES / "weibo_hotsearch.json").read_text(encoding="utf-8"))["data"][
            "realtime"
        ]
    )
    assert [(r.source, r.ok) for r in out.results] == [("weibo", True)]
    assert 0 < out.rows_added <= expected and seen
    assert {a.name for a in out.artifacts} == {"digest.md", "digest.html"}
    status = store_for(c).source_status()
    assert status["weibo"]["captures"] == 1


def test_watch_runs_max_scans_and_survives_failures(tmp_path: Path) -> None:
    c, _ = _ctx(tmp_path, fail=True)
    out = radar_watch(c, WatchIn(every="0", sources=["weibo"], max_scans=3, push=False))
    assert (out.scans, out.rows_added, out.failed_sources, out.stopped) == (3, 0, 3, "max_scans")
    status = {s.id: s for s in radar_sources(c, SourcesIn()).sources}
    assert status["weibo"].last_error is not None and "503" in status["weibo"].last_error
    assert status["weibo"].last_success is None and status["weibo"].snapshots == 0


def test_watch_stops_cleanly_when_cancelled(tmp_path: Path) -> None:
    c, _ = _ctx(tmp_path)
    emit = c._emit

    def on_event(kind: str, data: dict[str, object]) -> None:
        emit(kind, data)
        if kind == "scan":
            c.cancel()

    c._emit = on_event
    out = radar_watch(c, WatchIn(every="1h", sources=["weibo,zhihu"], push=False))
    assert (out.scans, out.stopped) == (1, "cancelled")
    assert out.failed_sources == 1  # zhihu answered 503
    status = {s.id: s for s in radar_sources(c, SourcesIn()).sources}
    assert status["weibo"].last_error is None and status["weibo"].snapshots == 1
    assert status["zhihu"].last_error is not None
