"""video.make speed: a ~60 s 1080x1920 video from 8 scenes (4 stills with Ken Burns, 4 clips) with
espeak-ng narration (silent captions if espeak-ng is missing), burned captions and a title card.

    .venv/bin/python benchmarks/video_make.py [runs] [transition]

With a transition (e.g. ``fade``) each run also makes the video with ``--transition fade``
(0.5 s), which joins the scenes in one xfade/acrossfade pass (a second encode of the whole video).
The timed call includes the HTML report (one thumbnail per scene from the finished video).

Baseline in the same run: one plain ffmpeg command concatenating the same 8 media (scaled and
cropped to 1080x1920, each for the same duration as its scene) with the same x264 preset and fps,
with the narration audio — no Ken Burns, no captions, no title card. Median of ``runs`` (default 1:
a run is long on a loaded 2-core machine).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

from onelegion.core.context import Context
from onelegion.media.ffmpeg import find_ffmpeg, probe
from onelegion.skills.video.make import run_make
from onelegion.skills.video.models import VideoMakeIn

LINES = [  # about 7 s of espeak-ng Mandarin each: 8 scenes + the title card ≈ 60 s
    "春天的紫外线已经不弱，阴天也要记得防晒。",
    "出门前十五分钟涂好，用量大约一元硬币大小。",
    "户外每两小时补涂一次，出汗以后马上补上。",
    "日常通勤防晒指数三十左右就够用了。",
    "敏感肌可以先在耳后试一试再上脸。",
    "帽子墨镜和遮阳伞这些硬防晒也很可靠。",
    "晚上回家记得认真清洁，别让残留过夜。",
    "防晒是每天的习惯，坚持下去皮肤会感谢你。",
]


def make_media(ffmpeg: str, d: Path) -> list[Path]:
    out = []
    for i in range(8):
        if i % 2 == 0:
            p = d / f"still{i}.jpg"
            im = Image.new("RGB", (1600, 1200), (40 + i * 25, 90, 200 - i * 20))
            dr = ImageDraw.Draw(im)
            for k in range(30):
                dr.ellipse(
                    [k * 53 % 1600, k * 97 % 1200, k * 53 % 1600 + 120, k * 97 % 1200 + 120],
                    outline=(255, 255, 255),
                    width=5,
                )
            im.save(p, quality=90)
        else:
            p = d / f"clip{i}.mp4"
            subprocess.run(
                [
                    ffmpeg,
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-y",
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=s=1280x720:r=30:d=12",
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-pix_fmt",
                    "yuv420p",
                    str(p),
                ],
                check=True,
            )
        out.append(p)
    return out


def baseline(
    ffmpeg: str, media: list[Path], durs: list[float], wavs: list[Path | None], out: Path, fps: int
) -> float:
    cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    for m, dur in zip(media, durs, strict=True):
        cmd += (
            ["-loop", "1", "-framerate", str(fps)] if m.suffix == ".jpg" else ["-stream_loop", "-1"]
        ) + ["-t", f"{dur:.3f}", "-i", str(m)]
    audio = [w for w in wavs if w is not None]
    for w in audio:
        cmd += ["-i", str(w)]
    fc = "".join(
        f"[{i}:v]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1,fps={fps}[v{i}];"
        for i in range(len(media))
    )
    fc += "".join(f"[v{i}]" for i in range(len(media))) + f"concat=n={len(media)}:v=1:a=0[v]"
    if audio:
        fc += (
            ";"
            + "".join(f"[{len(media) + i}:a]" for i in range(len(audio)))
            + f"concat=n={len(audio)}:v=0:a=1[a]"
        )
    cmd += ["-filter_complex", fc, "-map", "[v]"] + (
        ["-map", "[a]", "-c:a", "aac"] if audio else []
    )
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", str(out)]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    transition = sys.argv[2] if len(sys.argv) > 2 else "none"
    ffmpeg = find_ffmpeg()
    ours, base, lengths, faded = [], [], [], []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        media = make_media(ffmpeg, tmp)
        script = "# 三分钟看懂春季防晒\n\n" + "\n\n".join(
            f"## 场景{i + 1}\n{LINES[i]}\n![]({m.name})" for i, m in enumerate(media)
        )
        (tmp / "script.md").write_text(script, encoding="utf-8")
        for r in range(runs):
            ctx = Context.for_testing(tmp / f"run{r}")
            t0 = time.perf_counter()
            out = run_make(
                ctx, VideoMakeIn(script=tmp / "script.md", output=tmp / f"out{r}.mp4", ratio="9:16")
            )
            ours.append(time.perf_counter() - t0)
            pr = probe(ffmpeg, out.output)
            lengths.append(pr.duration_s)
            scenes = [s for s in out.scenes if s.visual != "title card"]
            durs = [s.duration_s for s in scenes]
            wav_dir = ctx.run_dir / "scenes"
            wavs: list[Path | None] = [
                wav_dir / f"voice-{i + 1:03d}.wav"
                if (wav_dir / f"voice-{i + 1:03d}.wav").exists()
                else None
                for i in range(8)
            ]
            base.append(baseline(ffmpeg, media, durs, wavs, tmp / f"base{r}.mp4", 30))
            if transition != "none":
                t0 = time.perf_counter()
                run_make(
                    Context.for_testing(tmp / f"runx{r}"),
                    VideoMakeIn(
                        script=tmp / "script.md",
                        output=tmp / f"outx{r}.mp4",
                        ratio="9:16",
                        transition=transition,  # type: ignore[arg-type]
                    ),
                )
                faded.append(time.perf_counter() - t0)
                print(f"run {r + 1}: with --transition {transition}: {faded[-1]:.1f} s")
            print(
                f"run {r + 1}: video.make {ours[-1]:.1f} s for {pr.duration_s:.1f} s {pr.width}x{pr.height} (voice: {out.voice}); plain concat {base[-1]:.1f} s"
            )
    o, b = statistics.median(ours), statistics.median(base)
    print(
        f"median: video.make {o:.1f} s, plain concat {b:.1f} s, ratio {o / b:.2f}; video length {statistics.median(lengths):.1f} s"
    )
    if faded:
        f = statistics.median(faded)
        print(
            f"median with --transition {transition}: {f:.1f} s, ratio to plain concat {f / b:.2f}"
        )


if __name__ == "__main__":
    main()
