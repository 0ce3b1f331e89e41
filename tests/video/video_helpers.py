"""Shared helpers of the video tests: generated media and decoded frames."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image

from onelegion.media.ffmpeg import find_ffmpeg


def ffmpeg() -> str:
    return find_ffmpeg()


def solid_png(path: Path, rgb: tuple[int, int, int], size: tuple[int, int] = (400, 300)) -> Path:
    Image.new("RGB", size, rgb).save(path)
    return path


def colour_clip(path: Path, colour: str, seconds: float = 1.0, size: str = "320x240") -> Path:
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
            f"color=c={colour}:s={size}:r=15:d={seconds}",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path


def frame(video: Path, t: float) -> Image.Image:
    """The frame at ``t`` seconds, as RGB."""
    png = video.with_name(f"{video.stem}-{t:.2f}.png")
    subprocess.run(
        [
            ffmpeg(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-ss",
            str(t),
            "-i",
            str(video),
            "-frames:v",
            "1",
            str(png),
        ],
        check=True,
        capture_output=True,
    )
    with Image.open(png) as im:
        return im.convert("RGB")


def mean(im: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, float, float]:
    px = list(im.crop(box).getdata())
    n = len(px)
    return (sum(p[0] for p in px) / n, sum(p[1] for p in px) / n, sum(p[2] for p in px) / n)


def white_rows(im: Image.Image) -> list[int]:
    """Rows holding at least 3 near-white pixels (caption or title text)."""
    g = im.convert("L")
    w, h = g.size
    data = g.load()
    assert data is not None
    return [y for y in range(h) if sum(1 for x in range(w) if data[x, y] > 200) >= 2]
