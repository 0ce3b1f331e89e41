"""Radar scan benchmark: 15 sources served on 127.0.0.1 from the recorded responses.

Measures, in the same run:
  * concurrent scan  — one ``fetch_sources(ctx)`` call over the 15 sources;
  * sequential baseline — the same 15 fetches (same client, same per-source code: fetch,
    parse, link check) awaited one after another;
  * memory — RSS of the process before/after N repeated ``fetch_sources`` calls (psutil).

Each response is delayed by ``--latency`` seconds (default 0.2 s, a typical round trip to a
Chinese platform from a home connection) so the comparison reflects network waiting, not
loopback speed. All sources share the host 127.0.0.1, so the per-host rate limit is raised
for it (``[http.rate_limits]``), as a person would for a local mirror.

    /work/venv/bin/python benchmarks/radar_scan.py [--runs 5] [--latency 0.2] [--memory-calls 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psutil
import tomli_w

from onelegion.core.config import HttpSettings, Settings
from onelegion.core.context import Context
from onelegion.core.http import HttpFactory
from onelegion.core.llm import LLM
from onelegion.skills.radar.fetch import _fetch_one, fetch_sources, resolve_sources

RESPONSES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "radar" / "responses"
SOURCES = {
    "weibo": "weibo_hotsearch.json",
    "zhihu": "zhihu_hot_list_web.json",
    "baidu": "baidu_board.html",
    "bilibili": "bilibili_hotword.json",
    "bilibili-video": "bilibili_popular.json",
    "douyin": "douyin_hot_search.json",
    "toutiao": "toutiao_hot_board.json",
    "kuaishou": "kuaishou_home.html",
    "tieba": "tieba_topic_list.json",
    "thepaper": "thepaper_sidebar.json",
    "hackernews": "hackernews_front.html",
    "github": "github_trending.html",
    "reddit": "reddit_popular.json",
    "rss-weekly": "feed_rss.xml",
    "newsnow-weibo": "newsnow_weibo.json",
}
TYPES = {".json": "application/json", ".html": "text/html", ".xml": "application/xml"}


def serve(latency: float) -> tuple[ThreadingHTTPServer, str]:
    bodies = {f"/{sid}": (RESPONSES / name).read_bytes() for sid, name in SOURCES.items()}
    types = {f"/{sid}": TYPES[Path(name).suffix] for sid, name in SOURCES.items()}
    delay = [latency]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = bodies.get(self.path)
            if delay[0]:
                time.sleep(delay[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", types.get(self.path, "text/plain") + "; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # the default backlog (5) drops concurrent connects for 1 s

    server = Server(("127.0.0.1", 0), Handler)
    server.latency = delay  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def make_ctx(tmp: Path, base: str) -> Context:
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    table = {sid: {"url": f"{base}/{sid}"} for sid in SOURCES}
    (home / "legion.toml").write_text(tomli_w.dumps({"radar": {"sources": table}}), "utf-8")
    http = HttpFactory(HttpSettings(rate_limits={"127.0.0.1": 1000.0}))
    run_dir = home / "runs" / "bench"
    run_dir.mkdir(parents=True, exist_ok=True)
    # events go nowhere (a runner streams them out; a test context would keep them all)
    return Context(
        run_id="bench",
        run_dir=run_dir,
        workspace=home,
        config=Settings.load(home),
        http=http,
        llm=LLM.unconfigured(),
    )


async def sequential(ctx: Context) -> None:
    """The baseline: what fetch_sources does per source, one source at a time."""
    sources = resolve_sources(ctx.config)
    timeout = ctx.http.settings.timeout_s
    async with ctx.http.async_client() as client:
        for source in sources:
            result, _ = await _fetch_one(client, source, timeout, 60.0)
            assert result.ok, result.error


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--memory-calls", type=int, default=1000)
    args = parser.parse_args()

    server, base = serve(args.latency)
    with tempfile.TemporaryDirectory() as tmp_dir:
        ctx = make_ctx(Path(tmp_dir), base)
        ids = list(SOURCES)
        results = fetch_sources(ctx)  # warm-up (imports, parsers)
        failed = [r.source for r in results if not r.ok]
        assert not failed, f"sources failed in the benchmark: {failed}"
        items = sum(len(r.items) for r in results)

        conc = [timed(lambda: fetch_sources(ctx)) for _ in range(args.runs)]
        seq = [timed(lambda: asyncio.run(sequential(ctx))) for _ in range(args.runs)]
        c_med, s_med = statistics.median(conc), statistics.median(seq)

        server.latency[0] = 0.0  # type: ignore[attr-defined]
        proc = psutil.Process()
        gc.collect()
        fetch_sources(ctx)
        rss_first = proc.memory_info().rss
        mem_start = time.perf_counter()
        checkpoints: list[tuple[int, int]] = []
        for i in range(1, args.memory_calls + 1):
            fetch_sources(ctx)
            if i % max(1, args.memory_calls // 4) == 0:
                checkpoints.append((i, proc.memory_info().rss))
        mem_elapsed = time.perf_counter() - mem_start
        gc.collect()
        rss_last = proc.memory_info().rss
    server.shutdown()

    mib = 1024 * 1024
    print(f"## Scan ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)")
    print()
    print(
        f"Machine: {platform.machine()}, {psutil.cpu_count()} CPUs (shared), "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    print(
        f"{len(ids)} sources on 127.0.0.1 ({items} items per scan), "
        f"{args.latency * 1000:.0f} ms simulated latency per response, {args.runs} runs each."
    )
    print()
    print("| Measure | Median | All runs |")
    print("|---|---|---|")
    print(
        f"| Concurrent scan (`fetch_sources`) | {c_med:.3f} s | {', '.join(f'{x:.3f}' for x in conc)} |"
    )
    print(
        f"| Sequential baseline (same fetches one by one) | {s_med:.3f} s | {', '.join(f'{x:.3f}' for x in seq)} |"
    )
    print(f"| Speed-up (sequential / concurrent) | {s_med / c_med:.1f}x | |")
    print()
    print(
        f"Memory: {args.memory_calls} repeated `fetch_sources` calls (no latency, "
        f"{mem_elapsed:.1f} s, {mem_elapsed / args.memory_calls * 1000:.1f} ms per 15-source scan): "
        f"RSS {rss_first / mib:.1f} MiB after the first call, {rss_last / mib:.1f} MiB after "
        f"the last ({(rss_last - rss_first) / mib:+.1f} MiB); along the way: "
        + ", ".join(f"{n}: {rss / mib:.1f}" for n, rss in checkpoints)
        + " MiB."
    )


if __name__ == "__main__":
    main()
