"""The work behind video.cover (video.make lives in make.py)."""

from __future__ import annotations

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.core.files import atomic_path
from onelegion.media.ffmpeg import font_file
from onelegion.skills.video.cover import SIZES, render_cover
from onelegion.skills.video.models import VideoCoverIn, VideoCoverOut


def run_cover(ctx: Context, p: VideoCoverIn) -> VideoCoverOut:
    output = p.output or ctx.path("cover.png")
    fmt = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}.get(
        output.suffix.lower()
    )
    if fmt is None:
        raise UserError(
            f"cannot write a cover as {output.suffix or 'no extension'}",
            hint="-o cover.png (or .jpg, .webp)",
        )
    if p.image is not None and output.resolve() == p.image.resolve():
        raise UserError(
            f"the output {output.name} is the input image; inputs are never overwritten",
            hint="choose another -o",
        )
    font = font_file(p.font)
    w, h = SIZES[p.ratio]
    img, lay = render_cover(p.title, p.subtitle, p.image, w, h, font)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(output) as tmp:
        img.save(tmp, format=fmt, **({"quality": 92} if fmt == "JPEG" else {}))
    ctx.artifact("cover", output, description="The cover image")
    return VideoCoverOut(
        output=output,
        width=w,
        height=h,
        lines=lay.lines,
        font_size=lay.size,
        font=f"{font.family} ({font.origin})",
    )
