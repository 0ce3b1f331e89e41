"""Push through Apprise to a real loopback webhook; split to size; never the same item twice a day."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from onelegion.core.config import Settings
from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.radar import DigestIn, ImportIn, radar_digest, radar_import
from onelegion.skills.radar.digest import DigestSection
from onelegion.skills.radar.push import channel_id, split_messages

SAMPLES = Path(__file__).parents[2] / "src" / "onelegion" / "skills" / "radar" / "samples"


class Receiver:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.paths: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.posts.append(json.loads(body))
                outer.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


def _ctx(tmp_path: Path, urls: list[str]) -> Context:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    quoted = ", ".join(json.dumps(u) for u in urls)
    (home / "legion.toml").write_text(f"[radar.push]\nurls = [{quoted}]\n", encoding="utf-8")
    c = Context.for_testing(tmp_path, config=Settings.load(home))
    radar_import(c, ImportIn(dir=SAMPLES / "weibo", format="justjavac"))
    radar_import(c, ImportIn(dir=SAMPLES / "zhihu", format="justjavac"))
    return c


def test_push_to_a_loopback_webhook_once_per_day(tmp_path: Path, receiver: Receiver) -> None:
    url = f"json://127.0.0.1:{receiver.port}/hook?token=s3cret"
    events: list[tuple[str, dict[str, Any]]] = []
    c = _ctx(tmp_path, [url])
    c._emit = lambda kind, data: events.append((kind, data))
    first = radar_digest(c, DigestIn(since="2d", push=True))
    assert [(p.ok, p.messages) for p in first.pushed] == [(True, len(receiver.posts))]
    assert receiver.posts and receiver.paths[0].startswith("/hook")
    body = "".join(p["message"] for p in receiver.posts)
    assert "## 上升 Rising" in body and "## 跨平台 Cross-platform" in body
    assert receiver.posts[0]["title"].startswith("热榜雷达")
    assert first.pushed[0].items > 0 and first.pushed[0].channel == channel_id(url)
    # the second push of the same day sends nothing: every item was already sent to this channel
    n = len(receiver.posts)
    second = radar_digest(c, DigestIn(since="2d", push=True))
    assert len(receiver.posts) == n
    assert (second.pushed[0].messages, second.pushed[0].items) == (0, 0)
    assert second.pushed[0].skipped_items == first.pushed[0].items
    # the URL (and its token) is never logged nor returned
    assert "s3cret" not in json.dumps([d for _, d in events], ensure_ascii=False)
    assert "s3cret" not in second.model_dump_json()


def test_a_failing_channel_does_not_stop_the_others(tmp_path: Path, receiver: Receiver) -> None:
    bad = "json://127.0.0.1:9/hook"  # nothing listens on the discard port
    good = f"json://127.0.0.1:{receiver.port}/ok"
    c = _ctx(tmp_path, [bad, good])
    out = radar_digest(c, DigestIn(since="2d", push=True))
    assert [p.ok for p in out.pushed] == [False, True]
    assert out.pushed[0].error and receiver.posts


def test_no_channel_configured_is_a_user_error(tmp_path: Path) -> None:
    c = _ctx(tmp_path, [])
    with pytest.raises(UserError, match="no push channel"):
        radar_digest(c, DigestIn(since="2d", push=True))


def test_split_respects_the_limit_and_keeps_every_line() -> None:
    secs = [
        DigestSection(
            "rising", "## 上升 Rising", [(i, f"- 第{i}条 " + "很长的标题" * 8) for i in range(40)]
        ),
        DigestSection("new", "## 新上榜 New", [(100 + i, f"- 新{i}") for i in range(5)]),
    ]
    chunks = split_messages("热榜雷达", secs, 500)
    assert len(chunks) > 3 and all(len(c) <= 500 for c in chunks)
    joined = "".join(chunks)
    assert all(f"- 第{i}条 " in joined for i in range(40)) and "- 新4" in joined
    assert chunks[1].startswith("热榜雷达 (续)\n\n## 上升 Rising\n")


def _free_port() -> int:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


def test_a_refused_connection_is_not_called_a_refusing_service() -> None:
    import pytest

    from onelegion.skills.radar.push import PushFailed, apprise_sender

    with pytest.raises(PushFailed) as e:
        apprise_sender(f"json://127.0.0.1:{_free_port()}/hook", "t", "body")
    assert str(e.value).startswith("could not connect to the service (connection failed: ")


def test_a_service_answering_500_is_named_as_such() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    import pytest

    from onelegion.skills.radar.push import PushFailed, apprise_sender

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    srv = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with pytest.raises(PushFailed) as e:
            apprise_sender(f"json://127.0.0.1:{srv.server_port}/hook", "t", "body")
    finally:
        srv.shutdown()
        srv.server_close()
    assert str(e.value).startswith("the service answered with an error (")
    assert "500" in str(e.value)
