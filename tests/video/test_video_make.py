"""video.make with the real ffmpeg (libass) and font: a short generated 9:16 video decoded frame by
frame (picture, captions, title card), streams and duration probed; bad media and a failing TTS
still give a video; inputs are never modified."""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from video_helpers import colour_clip, ffmpeg, frame, mean, solid_png, white_rows

from onelegion.core.config import Settings
from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.media.ffmpeg import probe
from onelegion.skills.video import video_make
from onelegion.skills.video.captions import chars_per_line, split_lines
from onelegion.skills.video.make import frame_size
from onelegion.skills.video.models import VideoMakeIn, VideoMakeOut
from onelegion.skills.video.script import parse_script

SCRIPT = """# 春季防晒

## 红色
春天的紫外线已经不弱。
![](red.png)

## 蓝色
出门前涂防晒。
media: blue.mp4

## 缺失
这一段的素材不存在。
![](missing.png)
"""


def _files(tmp_path: Path) -> Path:
    solid_png(tmp_path / "red.png", (220, 20, 20))
    colour_clip(tmp_path / "blue.mp4", "blue", 1.0)
    s = tmp_path / "script.md"
    s.write_text(SCRIPT, encoding="utf-8")
    return s


def test_a_short_vertical_video_has_the_right_pictures_captions_and_streams(tmp_path: Path) -> None:
    script = _files(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    out = video_make(
        Context.for_testing(tmp_path),
        VideoMakeIn(
            script=script,
            voice="none",
            height=480,
            fps=10,
            title_card=True,
            output=tmp_path / "out.mp4",
        ),
    )
    assert {
        p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and p.name in before
    } == before
    assert (out.width, out.height) == (270, 480)
    pr = probe(ffmpeg(), out.output)
    assert pr.has_video and pr.has_audio and (pr.width, pr.height) == (270, 480)
    expected = sum(s.duration_s for s in out.scenes)
    assert abs(pr.duration_s - expected) < 0.3 and out.duration_s == pytest.approx(
        pr.duration_s, abs=0.01
    )
    title, red, blue, _missing = out.scenes
    assert [s.visual for s in out.scenes] == ["title card", "image", "clip", "colour"]
    assert all(s.voice == "silent" for s in out.scenes) and red.captions == 1
    assert any("missing.png not found" in n for n in out.notes)
    # title card: white title text in the upper part of the frame
    f0 = frame(out.output, 1.0)
    rows = white_rows(f0)
    assert rows and min(rows) > 480 * 0.1 and max(rows) < 480 * 0.6
    # the red still fills the frame; its caption sits in the lower part, above the 18% margin
    t_red = title.duration_s + red.duration_s / 2
    f1 = frame(out.output, t_red)
    r, g, b = mean(f1, (60, 60, 120, 120))
    assert r > 150 and g < 80 and b < 80
    cap = white_rows(f1)
    assert cap and min(cap) > 480 * 0.6 and max(cap) < 480 * 0.85
    f2 = frame(out.output, title.duration_s + red.duration_s + blue.duration_s / 2)
    r, g, b = mean(f2, (60, 60, 120, 120))
    assert b > 150 and r < 80
    # the scene whose media is missing is a dark colour field, still captioned
    f3 = frame(out.output, expected - _missing.duration_s / 2)
    r, g, b = mean(f3, (60, 60, 120, 120))
    assert max(r, g, b) < 80 and white_rows(f3)
    # the report: one thumbnail per scene taken from the video itself, sources, captions; no links out
    _report_shows_the_scenes(out)


def _report_shows_the_scenes(out: VideoMakeOut) -> None:
    import base64
    import io
    import re

    from PIL import Image

    assert out.report is not None
    html = out.report.read_text(encoding="utf-8")
    thumbs = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert len(thumbs) == len(out.scenes) == 4
    with Image.open(io.BytesIO(base64.b64decode(thumbs[1]))) as im:
        r, g, b = mean(im.convert("RGB"), (10, 10, 40, 40))
    assert r > 150 and g < 80 and b < 80  # the red scene's thumbnail is red
    for text in (
        "春天的紫外线已经不弱",
        "给定 given · red.png",
        "本机制作 made here (colour field)",
    ):
        assert text in html
    assert "http://" not in html and "https://" not in html and "<script" not in html


def test_sixteen_nine_with_espeak_narration(tmp_path: Path) -> None:
    import shutil

    if not (shutil.which("espeak-ng") or shutil.which("espeak")):
        pytest.skip("espeak-ng not installed (apt install espeak-ng)")
    s = tmp_path / "s.md"
    s.write_text("## 一\n大家好，今天聊聊防晒。\n", encoding="utf-8")
    out = video_make(
        Context.for_testing(tmp_path),
        VideoMakeIn(script=s, ratio="16:9", height=360, fps=10, voice="auto"),
    )
    assert out.output == tmp_path / "s.mp4" and (out.width, out.height) == (640, 360)
    assert out.voice == "espeak-ng" and out.scenes[0].voice == "espeak"
    assert out.scenes[0].duration_s > 1.5 and probe(ffmpeg(), out.output).has_audio


class _TTS(BaseHTTPRequestHandler):
    delay = 0.0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        time.sleep(self.delay)
        path = Path(self.server.wav_path)  # type: ignore[attr-defined]
        data = path.read_bytes()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            return
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *a: object) -> None:
        pass


@pytest.fixture
def tts_server(tmp_path: Path) -> Iterator[ThreadingHTTPServer]:
    wav = tmp_path / "tone.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\x10\x00\xf0\xff" * 16000)  # 2 s
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _TTS)
    srv.wav_path = str(wav)  # type: ignore[attr-defined]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


def _ctx_with_tts(tmp_path: Path, url: str, timeout: float) -> Context:
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "legion.toml").write_text(
        f'[video]\ntts_url = "{url}"\ntts_timeout = "{timeout}"\n', encoding="utf-8"
    )
    return Context.for_testing(tmp_path, config=Settings.load(home))


def test_openai_compatible_tts_sets_the_scene_length_and_a_slow_one_falls_back(
    tmp_path: Path, tts_server: ThreadingHTTPServer
) -> None:
    s = tmp_path / "s.md"
    s.write_text("## 一\n你好。\n", encoding="utf-8")
    url = f"http://127.0.0.1:{tts_server.server_address[1]}/v1"
    _TTS.delay = 0.0
    out = video_make(
        _ctx_with_tts(tmp_path, url, 10),
        VideoMakeIn(script=s, voice="openai", height=240, fps=10, title_card=False),
    )
    assert out.scenes[0].voice == "openai" and out.scenes[0].duration_s == pytest.approx(
        2.35, abs=0.01
    )
    _TTS.delay = 2.0
    try:
        slow = video_make(
            _ctx_with_tts(tmp_path, url, 0.3),
            VideoMakeIn(
                script=s,
                voice="openai",
                height=240,
                fps=10,
                title_card=False,
                output=tmp_path / "slow.mp4",
            ),
        )
    finally:
        _TTS.delay = 0.0
    assert slow.scenes[0].voice in ("espeak", "silent") and slow.output.exists()
    assert any("OpenAI-compatible TTS failed" in n for n in slow.notes)


def test_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = Context.for_testing(tmp_path)
    empty = tmp_path / "empty.md"
    empty.write_text("# 只有标题\n", encoding="utf-8")
    with pytest.raises(UserError, match="no scenes"):
        video_make(ctx, VideoMakeIn(script=empty, voice="none"))
    with pytest.raises(UserError, match="inputs are never overwritten"):
        video_make(ctx, VideoMakeIn(script=empty, voice="none", output=empty))
    monkeypatch.setattr("onelegion.skills.video.tts.shutil.which", lambda name: None)
    s = tmp_path / "s.md"
    s.write_text("## 一\n文字\n![](fake.png)\n", encoding="utf-8")
    (tmp_path / "fake.png").write_text("not an image", encoding="utf-8")
    with pytest.raises(UserError, match="espeak-ng is not installed"):
        video_make(ctx, VideoMakeIn(script=s, voice="espeak"))
    out = video_make(ctx, VideoMakeIn(script=s, voice="auto", height=240, fps=10, title_card=False))
    assert out.voice == "silent" and any("espeak-ng not installed" in n for n in out.notes)
    assert (
        any("fake.png is not an image" in n for n in out.notes) and out.scenes[0].visual == "colour"
    )


def test_captions_break_between_words_within_the_width() -> None:
    w, h = frame_size("9:16", 1920)
    assert (w, h) == (1080, 1920) and frame_size("16:9", 1080) == (1920, 1080)
    n = chars_per_line(w, h)
    text = (
        "春天的紫外线已经不弱，阴天也能穿过云层，所以出门前十五分钟涂防晒，户外每两小时补涂一次。"
    )
    lines = split_lines(text, n)
    assert "".join(lines) == text.replace("，", "").replace("。", "")
    assert all(len(x) <= n for x in lines) and len(lines) >= 3
    assert not any(x[0] in "，。！？" for x in lines)
    assert not any(a.endswith("紫外") or a.endswith("紫") for a in lines)
    sc = parse_script("第一段。\n\n第二段\n![](a.png)\n")
    assert [(x.narration, x.media) for x in sc.scenes] == [("第一段。", None), ("第二段", "a.png")]


def test_newcomer_flow_on_the_cli(tmp_path: Path) -> None:
    """post for two platforms → check → 9:16 video with captions → cover, all offline."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    legion = str(Path(sys.executable).with_name("legion"))
    fix = Path(__file__).resolve().parents[1] / "fixtures" / "video"
    for f in fix.iterdir():
        shutil.copy(f, tmp_path / f.name)
    env = {**os.environ, "LEGION_HOME": str(tmp_path / "h")}

    def run(*args: str) -> dict[str, object]:
        r = subprocess.run(
            [legion, *args, "--json"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
        )
        assert r.returncode == 0, r.stderr
        out: dict[str, object] = json.loads(r.stdout)["output"]
        return out

    posts = run(
        "write",
        "post",
        "--topic",
        "春季防晒",
        "--platform",
        "xiaohongshu",
        "--platform",
        "douyin",
        "-o",
        "posts/post.md",
    )
    assert len(posts["posts"]) == 2  # type: ignore[arg-type]
    checked = run("write", "check", "posts/post.douyin.md", "--platform", "douyin")
    assert checked["errors"] == 0
    video = run(
        "video",
        "make",
        "script.md",
        "--height",
        "320",
        "--fps",
        "10",
        "--voice",
        "none",
        "-o",
        "out.mp4",
    )
    assert video["width"] == 180 and video["height"] == 320 and len(video["scenes"]) == 4  # type: ignore[arg-type]
    cover = run(
        "video", "cover", "--title", "三分钟看懂春季防晒", "--image", "sky.png", "-o", "cover.png"
    )
    assert (tmp_path / "cover.png").exists() and cover["width"] == 1080


def test_music_is_mixed_under_silent_scenes(tmp_path: Path) -> None:
    import re
    import subprocess

    music = tmp_path / "bgm.wav"
    subprocess.run(
        [
            ffmpeg(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=1",
            str(music),
        ],
        check=True,
    )
    s = tmp_path / "s.md"
    s.write_text("## 一\n有音乐的一段。\n", encoding="utf-8")
    before = music.read_bytes()
    out = video_make(
        Context.for_testing(tmp_path),
        VideoMakeIn(script=s, voice="none", music=music, height=240, fps=10, title_card=False),
    )
    assert music.read_bytes() == before
    pr = probe(ffmpeg(), out.output)
    assert (
        pr.has_audio and abs(pr.duration_s - out.scenes[0].duration_s) < 0.3
    )  # the 1 s music loops
    r = subprocess.run(
        [ffmpeg(), "-hide_banner", "-i", str(out.output), "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    m = re.search(r"mean_volume: (-?\d+(?:\.\d+)?) dB", r.stderr)
    assert m and float(m.group(1)) > -40  # music is heard (silence is about -91 dB)


@pytest.mark.parametrize("kind", ["fade", "wipeleft"])
def test_a_transition_blends_one_scene_into_the_next(tmp_path: Path, kind: str) -> None:
    solid_png(tmp_path / "red.png", (230, 0, 0))
    solid_png(tmp_path / "blue.png", (0, 0, 230))
    script = tmp_path / "t.md"
    script.write_text("## 一\n红。\n![](red.png)\n\n## 二\n蓝。\n![](blue.png)\n", encoding="utf-8")
    out = video_make(
        Context.for_testing(tmp_path),
        VideoMakeIn(
            script=script,
            voice="none",
            height=320,
            fps=10,
            title_card=False,
            captions=False,
            transition=kind,
            transition_s=1.0,
            output=tmp_path / "x.mp4",
        ),
    )
    first, second = out.scenes
    assert (first.duration_s, second.duration_s) == (2.0, 2.0) and out.transition == kind
    pr = probe(ffmpeg(), out.output)
    assert pr.has_audio and abs(pr.duration_s - 4.0) < 0.15  # the overlap keeps the total
    w, h = out.width, out.height
    whole = (0, 0, w, h)
    r0, _, b0 = mean(frame(out.output, 1.0), whole)
    r1, _, b1 = mean(frame(out.output, 3.5), whole)
    assert r0 > 200 and b0 < 30 and r1 < 30 and b1 > 200
    mid = frame(out.output, 2.5)  # halfway through the transition (2.0 → 3.0 s)
    if kind == "fade":  # every pixel a blend of both scenes
        r, _, b = mean(mid, whole)
        assert 70 < r < 160 and 70 < b < 160
        r, _, b = mean(mid, (w // 2 - 4, h // 2 - 4, w // 2 + 4, h // 2 + 4))
        assert 70 < r < 160 and 70 < b < 160
    else:  # a wipe: one side still red, the other already blue
        left = mean(mid, (0, 0, w // 5, h))
        right = mean(mid, (w - w // 5, 0, w, h))
        assert {"red" if c[0] > 200 else "blue" if c[2] > 200 else "?" for c in (left, right)} == {
            "red",
            "blue",
        }


def test_xfade_offsets_put_each_transition_at_the_end_of_its_scene() -> None:
    from onelegion.skills.video.make import xfade_offsets

    assert xfade_offsets([2.0, 3.5, 1.25, 4.0]) == [2.0, 5.5, 6.75]
    assert xfade_offsets([3.0]) == []
