"""`radar watch` memory over 1,000 scans: resident memory must stay flat.

Runs the real radar.watch skill (every=0, max_scans=N) against a mock transport serving the recorded
Weibo response, storing every scan in a fresh history, analysing the last hour and pushing new
findings to a loopback JSON webhook (Apprise json://127.0.0.1) after every scan (a watchlist that
matches every title, so each scan checks the sent-log and new titles are pushed). Scans in the same
second share a timestamp and are stored once. RSS is sampled
(psutil) after each 100 scans; reported: RSS after the warm-up (scan 100) and at the end, and the growth.
Run: python benchmarks/radar_watch_memory.py [SCANS]
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx2
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from onelegion.core.config import Settings  # noqa: E402
from onelegion.core.context import Context  # noqa: E402
from onelegion.core.http import HttpFactory  # noqa: E402
from onelegion.skills.radar import WatchIn, radar_watch  # noqa: E402

SCANS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
BODY = (ROOT / "tests" / "fixtures" / "radar" / "responses" / "weibo_hotsearch.json").read_bytes()


class Sink(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Sink.posts += 1
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proc = psutil.Process()
    samples: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        url = f"json://127.0.0.1:{server.server_address[1]}/hook"
        (home / "legion.toml").write_text(
            f"[radar.push]\nurls = [{json.dumps(url)}]\n", encoding="utf-8"
        )
        watchlist = home / "watch.txt"
        watchlist.write_text("[all]\n/./\n@20\n", encoding="utf-8")  # every title is "watched"
        cfg = Settings.load(home)

        def handler(request: httpx2.Request) -> httpx2.Response:
            return httpx2.Response(200, content=BODY, headers={"Content-Type": "application/json"})

        http = HttpFactory(cfg.http, transport=httpx2.MockTransport(handler))
        ctx = Context.for_testing(Path(tmp), http=http, config=cfg)
        emit = ctx._emit

        def on_event(kind: str, data: dict[str, Any]) -> None:
            emit(kind, data)
            if kind == "scan" and int(data["n"]) % 100 == 0:
                samples.append((int(data["n"]), proc.memory_info().rss / 2**20))

        ctx._emit = on_event
        t0 = time.perf_counter()
        out = radar_watch(
            ctx,
            WatchIn(
                every="0",
                sources=["weibo"],
                watch=watchlist,
                since="1h",
                push=True,
                max_scans=SCANS,
            ),
        )
        elapsed = time.perf_counter() - t0
    server.shutdown()
    print(
        f"scans: {out.scans}, rows stored: {out.rows_added}, webhook posts: {Sink.posts}, {elapsed:.0f} s"
    )
    print("RSS (MiB) by scan: " + ", ".join(f"{n}: {m:.0f}" for n, m in samples))
    if len(samples) >= 2:
        first, last = samples[0][1], samples[-1][1]
        print(
            f"growth from scan {samples[0][0]} to {samples[-1][0]}: {last - first:+.1f} MiB ({(last / first - 1) * 100:+.1f}%)"
        )


if __name__ == "__main__":
    main()
