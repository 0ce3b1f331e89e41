"""radar.scan and radar.watch over a mock transport serving a recorded Weibo response."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from onelegion.core.context import Context
from onelegion.core.errors import RunError
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


def _ctx(
    tmp_path: Path, fail: bool = False, events: list[tuple[str, dict[str, object]]] | None = None
) -> tuple[Context, list[str]]:
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
    return Context.for_testing(tmp_path, http=http, config=base.config, events=events), seen


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


def test_watch_where_nothing_could_be_fetched_fails_and_logs_each_scan(tmp_path: Path) -> None:
    events: list[tuple[str, dict[str, object]]] = []
    c, _ = _ctx(tmp_path, fail=True, events=events)
    with pytest.raises(RunError, match="no source could be fetched in any of 3 scans"):
        radar_watch(c, WatchIn(every="0", sources=["weibo"], max_scans=3, push=False))
    logs = [str(d["message"]) for k, d in events if k == "log"]
    scan_lines = [m for m in logs if m.startswith("scan ")]
    assert [m.split(" at ")[0] for m in scan_lines] == ["scan 1", "scan 2", "scan 3"]
    assert all("0/1 sources, 0 rows stored; failed: weibo (" in m for m in scan_lines)
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


def test_watch_logs_each_scan_and_survives_a_failing_source(tmp_path: Path) -> None:
    events: list[tuple[str, dict[str, object]]] = []
    c, _ = _ctx(tmp_path, events=events)
    out = radar_watch(c, WatchIn(every="0", sources=["weibo,zhihu"], max_scans=2, push=False))
    assert (out.scans, out.failed_sources, out.stopped) == (2, 2, "max_scans")
    scan_lines = [str(d["message"]) for k, d in events if k == "log" and d["level"] == "warning"]
    assert len(scan_lines) == 2
    assert all("1/2 sources" in m and "failed: zhihu (" in m for m in scan_lines)


def test_scan_where_every_source_failed_is_a_failed_run(tmp_path: Path) -> None:
    c, _ = _ctx(tmp_path, fail=True)
    with pytest.raises(RunError, match=r"no source could be fetched: weibo \(.*503"):
        radar_scan(c, ScanIn(sources=["weibo"]))
    status = {s.id: s for s in radar_sources(c, SourcesIn()).sources}
    assert status["weibo"].last_error is not None  # the failure is still recorded


def test_scan_where_every_source_failed_exits_1_on_the_cli(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there: connection refused
    home = tmp_path / "home"
    home.mkdir()
    (home / "legion.toml").write_text(
        f'[radar.sources.weibo]\nurl = "http://127.0.0.1:{port}/hot"\n', encoding="utf-8"
    )
    env = {**__import__("os").environ, "LEGION_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-m", "onelegion", "radar", "scan", "--sources", "weibo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "no source could be fetched: weibo (" in proc.stdout + proc.stderr
