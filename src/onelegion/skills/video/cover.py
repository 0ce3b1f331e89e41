"""Cover images with Pillow: the title laid out in CJK (never breaking a word), white with a dark
stroke, inside the safe area of the ratio (platform buttons and captions cover the bottom of a
vertical video, the status bar its top)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from onelegion.core.errors import UserError
from onelegion.media.ffmpeg import Font

SIZES = {"9:16": (1080, 1920), "16:9": (1920, 1080), "3:4": (1080, 1440), "1:1": (1080, 1080)}


@dataclass
class Layout:
    lines: list[str]
    size: int


def load_font(font: Font, size: int) -> ImageFont.FreeTypeFont:
    assert font.file is not None
    path = str(font.file)
    if path.lower().endswith((".ttc", ".otc")):
        for i in range(16):
            try:
                f = ImageFont.truetype(path, size, index=i)
            except OSError:
                break
            if f.getname()[0] == font.family:
                return f
    return ImageFont.truetype(path, size)


def tokens(text: str) -> list[str]:
    """Units a line may break between: jieba words for Chinese, words for the rest."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [t for t in jieba.lcut(text) if t]


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for tok in tokens(text):
        cand = cur + tok
        if cur and font.getlength(cand.strip()) > width:
            lines.append(cur.strip())
            cur = tok.lstrip()
        else:
            cur = cand
        while font.getlength(cur) > width and len(cur) > 1:  # one token wider than the line
            cut = len(cur) - 1
            while cut > 1 and font.getlength(cur[:cut]) > width:
                cut -= 1
            lines.append(cur[:cut])
            cur = cur[cut:]
    if cur.strip():
        lines.append(cur.strip())
    # 避头: a line must not start with closing punctuation
    for i in range(1, len(lines)):
        while lines[i] and lines[i][0] in "，。！？、；：）》」』,.!?;:)" and len(lines[i]) > 1:
            lines[i - 1] += lines[i][0]
            lines[i] = lines[i][1:]
    return [ln for ln in lines if ln]


def layout(text: str, font: Font, box_w: int, box_h: int, start: int) -> Layout:
    size = start
    while size > 12:
        f = load_font(font, size)
        lines = wrap(text, f, box_w)
        if len(lines) * size * 1.25 <= box_h and len(lines) <= 4:
            return Layout(lines, size)
        size = int(size * 0.9)
    f = load_font(font, 12)
    return Layout(wrap(text, f, box_w), 12)


def open_background(image: Path | None, w: int, h: int) -> Image.Image:
    if image is None:
        bg = Image.new("RGB", (w, h), (20, 30, 48))
        grad = Image.linear_gradient("L").resize((w, h))
        tint = Image.new("RGB", (w, h), (120, 40, 90))
        return Image.composite(tint, bg, grad)
    try:
        with Image.open(image) as im:
            im.load()
            pic = ImageOps.exif_transpose(im).convert("RGB")
    except (UnidentifiedImageError, OSError):
        raise UserError(
            f"{image.name} is not an image Pillow can read", hint="pass a PNG, JPEG or WebP"
        ) from None
    return ImageOps.fit(pic, (w, h), Image.Resampling.LANCZOS)


def render_cover(
    title: str, subtitle: str, image: Path | None, w: int, h: int, font: Font
) -> tuple[Image.Image, Layout]:
    canvas = open_background(image, w, h)
    vertical = h > w
    margin_x = int(w * 0.08)
    top = int(h * (0.14 if vertical else 0.10))
    bottom = int(h * (0.24 if vertical else 0.12))
    box_w, box_h = w - 2 * margin_x, int((h - top - bottom) * 0.5)
    lay = layout(title, font, box_w, box_h, int(min(w, h) * (0.11 if vertical else 0.09)))
    f = load_font(font, lay.size)
    line_h = int(lay.size * 1.25)
    sub_size = max(12, int(lay.size * 0.45))
    sub_font = load_font(font, sub_size)
    block_h = line_h * len(lay.lines) + (int(sub_size * 1.8) if subtitle else 0)
    y0 = (
        top + (h - top - bottom - block_h) // 2
        if not vertical
        else top + int((h - top - bottom) * 0.18)
    )
    # a translucent band behind the text keeps it readable on any picture
    shade = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(shade).rectangle(
        [0, y0 - lay.size // 2, w, y0 + block_h + lay.size // 2], fill=(0, 0, 0, 110)
    )
    canvas = Image.alpha_composite(canvas.convert("RGBA"), shade).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    stroke = max(2, lay.size // 12)
    for i, line in enumerate(lay.lines):
        lw = f.getlength(line)
        draw.text(
            ((w - lw) / 2, y0 + i * line_h),
            line,
            font=f,
            fill=(255, 255, 255),
            stroke_width=stroke,
            stroke_fill=(0, 0, 0),
        )
    if subtitle:
        sw = sub_font.getlength(subtitle)
        draw.text(
            ((w - sw) / 2, y0 + len(lay.lines) * line_h + sub_size // 2),
            subtitle,
            font=sub_font,
            fill=(255, 214, 102),
            stroke_width=max(1, sub_size // 12),
            stroke_fill=(0, 0, 0),
        )
    return canvas, lay
