"""The self-contained HTML report of video.make (onelegion.reports): scene by scene with a
thumbnail taken from the finished video (embedded as a data URI), its length, captions, voice and
where its picture came from (given, generated, or made here), the audio sources, and the notes."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

from onelegion.reports import cards, esc, page, section, table
from onelegion.skills.video.models import SceneOut, VideoMakeOut

THUMB_W = 160


def scene_starts(scenes: list[SceneOut]) -> list[float]:
    """Where each scene starts in the output (transitions start where their scene ends, so the
    starts are the running sums of the durations either way)."""
    out, t = [], 0.0
    for s in scenes:
        out.append(round(t, 3))
        t += s.duration_s
    return out


def thumbnail(ffmpeg: str, video: Path, at: float) -> bytes | None:
    """One JPEG frame of ``video`` at ``at`` seconds, THUMB_W wide (None if ffmpeg gives none)."""
    try:
        res = subprocess.run(
            [
                ffmpeg,
                "-hide_banner",
                "-nostdin",
                "-loglevel",
                "error",
                "-ss",
                f"{at:.3f}",
                "-i",
                str(video),
                "-frames:v",
                "1",
                "-vf",
                f"scale={THUMB_W}:-2",
                "-f",
                "image2pipe",
                "-c:v",
                "mjpeg",
                "-q:v",
                "5",
                "pipe:1",
            ],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout if res.returncode == 0 and res.stdout.startswith(b"\xff\xd8") else None


def thumbnails(ffmpeg: str, out: VideoMakeOut) -> list[bytes | None]:
    """A frame from the middle of each scene."""
    starts = scene_starts(out.scenes)
    return [
        thumbnail(ffmpeg, out.output, t + s.duration_s / 2)
        for t, s in zip(starts, out.scenes, strict=True)
    ]


def _source(s: SceneOut) -> str:
    if s.generated_by:
        return f"生成 generated · {s.generated_by}"
    if s.visual == "title card":
        return "本机制作 made here (title)"
    if s.visual == "colour":
        return "本机制作 made here (colour field)" + (
            " — 生成失败 generation failed" if s.prompt else ""
        )
    return f"给定 given · {Path(s.media).name}" if s.media else "给定 given"


def _img(data: bytes | None) -> str:
    if data is None:
        return '<span class="muted">—</span>'
    b64 = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/jpeg;base64,{b64}" width="{THUMB_W}" alt="">'


def video_report(
    out: VideoMakeOut, thumbs: list[bytes | None], music: Path | None, music_volume: float
) -> str:
    starts = scene_starts(out.scenes)
    rows: list[list[object]] = []
    for s, t0, th in zip(out.scenes, starts, thumbs, strict=True):
        captions = "<br>".join(esc(x) for x in s.caption_lines) or '<span class="muted">—</span>'
        prompt = f"<br><small>「{esc(s.prompt)}」</small>" if s.prompt else ""
        rows.append(
            [
                s.index,
                _img(th),
                s.name,
                f"{t0:.1f}–{t0 + s.duration_s:.1f} s ({s.duration_s:.1f})",
                esc(s.visual) + prompt,
                _source(s),
                s.voice,
                captions,
            ]
        )
    generated = sum(1 for s in out.scenes if s.generated_by)
    given = sum(1 for s in out.scenes if s.media and not s.generated_by)
    audio = [
        ["配音 Narration", out.voice],
        [
            "音乐 Music",
            f"{music.name} (volume {music_volume:g}, ducked under the voice)" if music else "—",
        ],
    ]
    body = [
        cards(
            [
                ("时长 Duration", f"{out.duration_s:.1f} s"),
                ("画面 Frame", f"{out.width}x{out.height}"),
                ("场景 Scenes", len(out.scenes)),
                ("生成 Generated", generated),
                ("给定 Given", given),
                ("转场 Transition", out.transition),
                ("渲染 Rendered in", f"{out.seconds_to_render:.1f} s"),
            ]
        ),
        section(
            "场景 Scenes",
            table(
                [
                    "#",
                    "画面 Frame",
                    "场景 Scene",
                    "时间 Time",
                    "画面来源 Visual",
                    "来源 Source",
                    "配音 Voice",
                    "字幕 Captions",
                ],
                rows,
                raw=(1, 4, 7),
                scroll=False,
            ),
        ),
        section("音频 Audio", table(["音轨 Track", "来源 Source"], audio, scroll=False)),
        section("字体 Font", f"<p>{esc(out.font)}</p>"),
    ]
    if out.notes:
        body.append(
            section(
                "说明 Notes",
                "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in out.notes) + "</ul>",
            )
        )
    return page(
        f"视频 Video · {out.output.name}",
        body,
        subtitle="scene by scene: what was shown, said and generated",
    )
