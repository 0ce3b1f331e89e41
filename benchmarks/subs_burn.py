"""Burn-in speed: a generated 10 s 1280x720 25 fps video with audio and 5 Chinese cues.

    .venv/bin/python benchmarks/subs_burn.py

Baseline in the same run: the same ffmpeg re-encoding the same video with the same x264 settings and
no subtitles (what burning costs on top of the unavoidable re-encode). Median of 3.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from onelegion.core.context import Context
from onelegion.skills.subs.burn import find_ffmpeg, run_burn
from onelegion.skills.subs.models import SubsBurnIn


def main() -> None:
    ffmpeg = find_ffmpeg()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        video = tmp / "in.mp4"
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
                "testsrc2=s=1280x720:r=25:d=10",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:duration=10",
                "-c:v",
                "libx264",
                "-preset",
                "veryfast",
                "-c:a",
                "aac",
                "-shortest",
                str(video),
            ],
            check=True,
        )
        srt = tmp / "s.zh.srt"
        srt.write_text(
            "\n".join(
                f"{i + 1}\n00:00:0{i * 2},000 --> 00:00:0{i * 2 + 1},800\n第{i + 1}条字幕：欢迎参加培训课程\n"
                for i in range(5)
            ),
            encoding="utf-8",
        )

        def baseline() -> None:
            subprocess.run(
                [
                    ffmpeg,
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-y",
                    "-i",
                    str(video),
                    "-c:v",
                    "libx264",
                    "-preset",
                    "veryfast",
                    "-crf",
                    "20",
                    "-pix_fmt",
                    "yuv420p",
                    "-c:a",
                    "copy",
                    str(tmp / "base.mp4"),
                ],
                check=True,
            )

        def burn() -> None:
            run_burn(
                Context.for_testing(tmp),
                SubsBurnIn(video=video, subtitles=srt, output=tmp / "out.mp4"),
            )

        def median(fn) -> float:  # type: ignore[no-untyped-def]
            ts = []
            for _ in range(3):
                t = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t)
            return statistics.median(ts)

        b, s = median(baseline), median(burn)
        print(
            f"ffmpeg: {ffmpeg}; Python {sys.version.split()[0]}; {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n"
        )
        print("| step (10 s, 1280x720, 25 fps) | median s | ratio |\n|---|---|---|")
        print(f"| baseline: x264 re-encode, no subtitles | {b:.2f} | 1.0 |")
        print(f"| subs burn (libass + Noto Sans CJK, same x264 settings) | {s:.2f} | {s / b:.2f} |")


if __name__ == "__main__":
    main()
