"""Generated clips (scenes marked 'generate:') against a loopback fake of the OpenAI Videos API
(POST /v1/videos multipart → job; GET /v1/videos/{id} → queued/in_progress/completed/failed;
GET /v1/videos/{id}/content → MP4): submit, poll, download, check; image to video sends the image
as input_reference; no provider configured is a one-line refusal; a failed or slow job leaves
the scene to its fallback and says so."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from video_helpers import colour_clip, frame, mean, solid_png

from onelegion.core.config import Settings
from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.video import video_make
from onelegion.skills.video.genclip import seconds_for
from onelegion.skills.video.models import VideoMakeIn


class _Videos(BaseHTTPRequestHandler):
    submitted: ClassVar[list[dict[str, Any]]] = []
    polls: ClassVar[list[str]] = []
    auth: ClassVar[list[str | None]] = []
    mode = "ok"  # ok | fail | slow | garbage | big
    clip: ClassVar[bytes] = b""

    def do_POST(self) -> None:
        assert self.path == "/v1/videos"
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        msg = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, Any] = {}
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True)
            fn = part.get_filename()
            fields[str(name)] = (fn, data) if fn else data.decode()
        _Videos.submitted.append(fields)
        _Videos.auth.append(self.headers.get("Authorization"))
        vid = f"video_{len(_Videos.submitted):04d}"
        self._json(200, self._job(vid, "queued", 0))

    def _job(self, vid: str, status: str, progress: int) -> dict[str, Any]:
        sub = _Videos.submitted[int(vid.split("_")[1]) - 1]
        job: dict[str, Any] = {
            "id": vid,
            "object": "video",
            "model": sub["model"],
            "status": status,
            "progress": progress,
            "created_at": 1758941485,
            "size": sub["size"],
            "seconds": sub["seconds"],
            "quality": "standard",
        }
        if status == "failed":
            job["error"] = {"code": "moderation_blocked", "message": "prompt blocked by moderation"}
        return job

    def do_GET(self) -> None:
        parts = self.path.split("/")  # '', 'v1', 'videos', id[, 'content']
        vid = parts[3]
        if len(parts) == 5 and parts[4] == "content":
            if _Videos.mode == "garbage":
                _Videos.clip = b"<html>not a video</html>"
            self.send_response(200)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Content-Length", str(len(_Videos.clip)))
            self.end_headers()
            self.wfile.write(_Videos.clip)
            return
        _Videos.polls.append(vid)
        n = _Videos.polls.count(vid)
        if _Videos.mode == "slow" or n == 1:
            self._json(200, self._job(vid, "in_progress", 40))
        elif _Videos.mode == "fail":
            self._json(200, self._job(vid, "failed", 40))
        else:
            self._json(200, self._job(vid, "completed", 100))

    def _json(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a: object) -> None:
        pass


@pytest.fixture(scope="module")
def green_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    p = colour_clip(tmp_path_factory.mktemp("clip") / "g.mp4", "0x00c000", 2.0, "360x640")
    return p.read_bytes()


@pytest.fixture
def server(green_clip: bytes) -> Iterator[str]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Videos)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    _Videos.submitted, _Videos.polls, _Videos.auth = [], [], []
    _Videos.mode, _Videos.clip = "ok", green_clip
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()


def _ctx(tmp_path: Path, url: str | None, timeout: float = 60) -> Context:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    if url:
        (home / "legion.toml").write_text(
            f'[video]\nclip_url = "{url}"\nclip_model = "sora-2"\n'
            f"clip_poll = 0.05\nclip_timeout = {timeout}\n",
            encoding="utf-8",
        )
    return Context.for_testing(tmp_path, config=Settings.load(home))


SCRIPT = """# 海边

## 清晨
generate: 清晨的海边，海浪慢慢拍岸，竖屏
海边的清晨很安静。

## 照片动起来
![](red.png)
生成: 让照片里的画面缓缓推近
"""


def _params(tmp_path: Path, **kw: Any) -> VideoMakeIn:
    solid_png(tmp_path / "red.png", (220, 20, 20))
    (tmp_path / "s.md").write_text(SCRIPT, encoding="utf-8")
    base: dict[str, Any] = {
        "script": tmp_path / "s.md",
        "voice": "none",
        "height": 320,
        "fps": 10,
        "title_card": False,
        "captions": False,
        "output": tmp_path / "out.mp4",
    }
    return VideoMakeIn(**{**base, **kw})


def test_generated_clips_are_submitted_polled_downloaded_and_used(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEGION_VIDEO_API_KEY", "sk-video")
    p = _params(tmp_path)
    red_bytes_before = (tmp_path / "red.png").read_bytes()
    out = video_make(_ctx(tmp_path, server), p)
    first, second = out.scenes
    assert [s.visual for s in out.scenes] == ["generated clip", "generated clip"]
    assert first.prompt == "清晨的海边，海浪慢慢拍岸，竖屏"
    assert first.generated_by is not None and "sora-2" in first.generated_by
    assert "job video_0001" in first.generated_by and "from red.png" in str(second.generated_by)
    t2v, i2v = _Videos.submitted
    assert t2v == {
        "model": "sora-2",
        "prompt": "清晨的海边，海浪慢慢拍岸，竖屏",
        "seconds": "4",
        "size": "720x1280",
    }
    assert i2v["prompt"] == "让照片里的画面缓缓推近"
    assert i2v["input_reference"] == ("red.png", red_bytes_before)
    assert _Videos.auth == ["Bearer sk-video", "Bearer sk-video"]
    assert _Videos.polls == ["video_0001", "video_0001", "video_0002", "video_0002"]
    # the downloaded (green) clip is what the scenes show
    r, g, b = mean(frame(out.output, 1.0), (0, 0, out.width, out.height))
    assert g > 150 and r < 40 and b < 40
    assert (tmp_path / "red.png").read_bytes() == red_bytes_before and not out.notes
    assert out.report is not None
    html = out.report.read_text(encoding="utf-8")
    assert html.count("生成 generated · sora-2 @ http://127.0.0.1:") == 2
    assert "「清晨的海边，海浪慢慢拍岸，竖屏」" in html


def test_without_a_provider_the_run_refuses_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(UserError) as e:
        video_make(_ctx(tmp_path, None), _params(tmp_path))
    line = e.value.one_line()
    assert (
        "'清晨', '照片动起来' asks for a generated clip but no video provider is configured" in line
    )
    assert "video.clip_url" in line and "\n" not in e.value.message
    assert not (tmp_path / "out.mp4").exists()


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("fail", "job video_0001 failed: prompt blocked by moderation"),
        ("slow", "job video_0001 was not done after 0.3 s (video.clip_timeout)"),
        ("garbage", "the video provider's download is not a video ffmpeg can read"),
        ("big", "the generated clip is larger than 1,000 bytes; not used"),
    ],
)
def test_a_failed_or_slow_job_leaves_the_scene_to_its_fallback(
    tmp_path: Path, server: str, mode: str, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _Videos.mode = mode
    if mode == "big":
        monkeypatch.setattr("onelegion.skills.video.genclip.MAX_CLIP_BYTES", 1000)
    # the slow job never completes, so its short timeout decides; the failing one has time to fail
    out = video_make(_ctx(tmp_path, server, 0.3 if mode == "slow" else 60), _params(tmp_path))
    first, second = out.scenes
    assert (first.visual, second.visual) == ("colour", "image")
    assert first.generated_by is None and second.generated_by is None
    assert any(said in n and n.endswith("shown as a colour field") for n in out.notes), out.notes
    assert any(
        said.replace("0001", "0002") in n and n.endswith("the given image") for n in out.notes
    )
    assert not list(tmp_path.rglob("generated-*.mp4"))  # nothing half-downloaded is kept
    r, g, _ = mean(frame(out.output, 3.0), (0, 0, out.width, out.height))
    assert r > 180 and g < 60  # the given red image, not a made-up clip


def test_the_shortest_accepted_length_covering_the_scene_is_asked_for() -> None:
    assert seconds_for([4, 8, 12], 2.0) == 4
    assert seconds_for([4, 8, 12], 4.0) == 4
    assert seconds_for([4, 8, 12], 4.2) == 8
    assert seconds_for([4, 8, 12], 30.0) == 12
