"""Burn-in with the real ffmpeg (imageio-ffmpeg, libass) and the packaged CJK font: a generated
black video, frames decoded and checked for subtitle pixels where and when the cue is."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from subs_helpers import write_srt

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs import subs_burn
from onelegion.skills.subs.burn import find_ffmpeg
from onelegion.skills.subs.models import SubsBurnIn


@pytest.fixture(scope="module")
def ffmpeg() -> str:
    return find_ffmpeg()


def make_video(ffmpeg: str, path: Path, w: int, h: int, audio: bool = True) -> Path:
    cmd = [
        ffmpeg,
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"color=c=black:s={w}x{h}:r=10:d=3",
    ]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac", "-shortest"]
    cmd += ["-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(cmd, check=True, capture_output=True)
    return path


def bright_rows(ffmpeg: str, video: Path, t: float, w: int, h: int) -> list[int]:
    """Per pixel row of the frame at ``t`` s: how many pixels are near white."""
    raw = subprocess.run(
        [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-ss",
            str(t),
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "pipe:1",
        ],
        check=True,
        capture_output=True,
    ).stdout
    assert len(raw) == w * h
    return [sum(1 for b in raw[y * w : (y + 1) * w] if b > 180) for y in range(h)]


def _subs(tmp_path: Path, text: str = "字幕测试") -> Path:
    return write_srt(tmp_path / "s.zh.srt", [("00:00:00,500", "00:00:02,000", text)])


def test_horizontal_burn_puts_pixels_at_the_bottom_only_while_the_cue_shows(
    tmp_path: Path, ffmpeg: str
) -> None:
    video = make_video(ffmpeg, tmp_path / "in.mp4", 320, 240)
    before = video.read_bytes()
    out = subs_burn(
        Context.for_testing(tmp_path),
        SubsBurnIn(video=video, subtitles=_subs(tmp_path), font_size=40),
    )
    assert out.output == tmp_path / "in.subs.mp4" and (out.width, out.height, out.layout) == (
        320,
        240,
        "horizontal",
    )
    assert out.font.startswith("Noto Sans CJK SC") or "fontconfig" in out.font
    rows = bright_rows(ffmpeg, out.output, 1.0, 320, 240)
    assert sum(rows[:120]) == 0  # nothing in the top half
    assert sum(rows[180:]) > 150  # the text, in the bottom quarter
    assert sum(bright_rows(ffmpeg, out.output, 2.6, 320, 240)) == 0  # after the cue: nothing
    assert sum(bright_rows(ffmpeg, video, 1.0, 320, 240)) == 0 and video.read_bytes() == before
    assert not list(tmp_path.glob(".*.part*"))


def test_vertical_layout_sits_above_the_bottom_controls(tmp_path: Path, ffmpeg: str) -> None:
    video = make_video(ffmpeg, tmp_path / "v.mp4", 240, 426)
    out = subs_burn(
        Context.for_testing(tmp_path),
        SubsBurnIn(video=video, subtitles=_subs(tmp_path), output=tmp_path / "o.mp4"),
    )
    assert out.layout == "vertical"
    rows = bright_rows(ffmpeg, out.output, 1.0, 240, 426)
    lit = [y for y, n in enumerate(rows) if n]
    assert lit and min(lit) > 426 * 0.6 and max(lit) < 426 * 0.85  # 18 % bottom margin


def test_cjk_glyphs_are_real_not_boxes(tmp_path: Path, ffmpeg: str) -> None:
    video = make_video(ffmpeg, tmp_path / "in.mp4", 320, 240)
    a = subs_burn(
        Context.for_testing(tmp_path),
        SubsBurnIn(
            video=video,
            subtitles=_subs(tmp_path, "字"),
            output=tmp_path / "a.mp4",
            font_size=60,
        ),
    )
    b = subs_burn(
        Context.for_testing(tmp_path),
        SubsBurnIn(
            video=video,
            subtitles=_subs(tmp_path, "幕"),
            output=tmp_path / "b.mp4",
            font_size=60,
        ),
    )
    ra, rb = (
        bright_rows(ffmpeg, a.output, 1.0, 320, 240),
        bright_rows(ffmpeg, b.output, 1.0, 320, 240),
    )
    assert sum(ra) > 20 and sum(rb) > 20 and ra != rb  # missing glyphs would draw identical boxes


def test_cues_past_the_end_of_the_video_are_counted(tmp_path: Path, ffmpeg: str) -> None:
    video = make_video(ffmpeg, tmp_path / "in.mp4", 160, 120)
    subs = write_srt(
        tmp_path / "s.srt",
        [("00:00:00,500", "00:00:01,500", "甲"), ("00:00:05,000", "00:00:06,000", "乙")],
    )
    out = subs_burn(Context.for_testing(tmp_path), SubsBurnIn(video=video, subtitles=subs))
    assert (out.cues, out.cues_after_end) == (2, 1)


def test_silent_video_refused_unless_allowed(tmp_path: Path, ffmpeg: str) -> None:
    video = make_video(ffmpeg, tmp_path / "silent.mp4", 160, 120, audio=False)
    ctx = Context.for_testing(tmp_path)
    with pytest.raises(UserError, match="has no audio stream"):
        subs_burn(ctx, SubsBurnIn(video=video, subtitles=_subs(tmp_path)))
    assert not (tmp_path / "silent.subs.mp4").exists()
    out = subs_burn(ctx, SubsBurnIn(video=video, subtitles=_subs(tmp_path), allow_silent=True))
    assert out.output.exists()


def test_not_a_video_and_no_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bogus = tmp_path / "x.mp4"
    bogus.write_bytes(b"not a video at all")
    with pytest.raises(UserError, match="no video stream"):
        subs_burn(Context.for_testing(tmp_path), SubsBurnIn(video=bogus, subtitles=_subs(tmp_path)))
    import builtins

    real_import = builtins.__import__

    def no_font(name: str, *a: object, **k: object) -> object:
        if name == "noto_cjk_sans_otc":
            raise ImportError(name)
        return real_import(name, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_font)
    monkeypatch.setattr("onelegion.media.ffmpeg.shutil.which", lambda name: None)
    from onelegion.skills.subs.burn import find_font

    with pytest.raises(UserError, match="no CJK font on this machine"):
        find_font(None)


def test_doctor_says_what_is_missing_for_burning_and_how_to_fix_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory
    from onelegion.core.lang import set_language
    from onelegion.skills.subs.checks import checks

    def no_ffmpeg(purpose: str = "") -> str:
        raise UserError("no ffmpeg found", hint="pip install imageio-ffmpeg")

    def no_font(family: str | None) -> object:
        raise UserError("no CJK font on this machine", hint="apt install fonts-noto-cjk")

    monkeypatch.setattr("onelegion.media.ffmpeg.find_ffmpeg", no_ffmpeg)
    monkeypatch.setattr("onelegion.media.ffmpeg.find_font", no_font)
    s = Settings.load(tmp_path)
    set_language("en")
    try:
        got = [(c.name, c.status, c.detail, c.fix) for c in checks(s, HttpFactory(s.http), True)]
    finally:
        set_language(None)
    assert got == [
        ("ffmpeg", "warn", "no ffmpeg found", "pip install imageio-ffmpeg"),
        ("CJK font", "warn", "no CJK font on this machine", "apt install fonts-noto-cjk"),
    ]
