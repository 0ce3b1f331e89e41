"""Helpers for the radar source tests: recorded responses and a real HTTP server on
127.0.0.1 that serves them (status codes, delays and response sequences scripted per path)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import tomli_w

from onelegion.core.config import HttpSettings, Settings
from onelegion.core.context import Context
from onelegion.core.http import HttpFactory

RESPONSES = Path(__file__).parents[2] / "fixtures" / "radar" / "responses"

CONTENT_TYPES = {
    ".json": "application/json; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}


def recorded(name: str) -> bytes:
    return (RESPONSES / name).read_bytes()


def content_type_of(name: str) -> str:
    return CONTENT_TYPES[Path(name).suffix]


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Loopback:
    """Routes: path -> list of replies (the last one repeats)."""

    base: str = ""
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    request_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def serve_file(self, path: str, name: str) -> str:
        return self.serve(path, Reply(recorded(name), content_type=content_type_of(name)))

    def next_reply(self, path: str, headers: dict[str, str]) -> Reply | None:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            self.request_headers[path] = headers
            replies = self.routes.get(path)
            if not replies:
                return None
            return replies.pop(0) if len(replies) > 1 else replies[0]


def _handler(state: Loopback) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            reply = state.next_reply(self.path, {k.lower(): v for k, v in self.headers.items()})
            if reply is None:
                reply = Reply(b'{"error": "no route"}', status=404)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if "X-No-Length" in reply.headers:  # a streamed body that ends at close
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog (5) delays concurrent connects by 1 s


def loopback_server() -> Iterator[Loopback]:
    state = Loopback()
    server = _Server(("127.0.0.1", 0), _handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def make_context(
    tmp_path: Path,
    sources: dict[str, dict[str, Any]],
    *,
    timeout_s: float = 2.0,
    retries: int = 1,
    events: list[tuple[str, dict[str, Any]]] | None = None,
) -> Context:
    """A test context whose legion.toml holds ``[radar.sources.*]`` overrides."""
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "legion.toml").write_text(
        tomli_w.dumps({"radar": {"sources": sources}}), encoding="utf-8"
    )
    config = Settings.load(home)
    http = HttpFactory(
        HttpSettings(timeout_s=timeout_s, retries=retries, backoff_s=0.01, rate_per_host=1000.0)
    )
    return Context.for_testing(tmp_path, http=http, config=config, events=events)
