"""Captions from narration: cut at sentence ends, then at commas, then between words (jieba), never
inside a word and never starting a line with closing punctuation; each cue is one line, timed in
proportion to its characters over the scene's audio."""

from __future__ import annotations

import re

import pysubs2

from onelegion.media.ffmpeg import Font

_SENT = re.compile(r"(?<=[。！？!?；;…])")
_CLAUSE = re.compile(r"(?<=[，、,：:])")
_CLOSE = "，。！？、；：）》」』,.!?;:)…"


def _tokens(text: str) -> list[str]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [str(t) for t in jieba.lcut(text)]


def _width(s: str) -> float:
    """Display width: CJK characters 1, others about a half."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.55 for c in s)


def split_lines(text: str, max_chars: int) -> list[str]:
    out: list[str] = []
    for sent in filter(None, (s.strip() for s in _SENT.split(text))):
        if _width(sent) <= max_chars:
            out.append(sent)
            continue
        cur = ""
        for clause in filter(None, _CLAUSE.split(sent)):
            if _width(cur + clause) <= max_chars:
                cur += clause
                continue
            if cur:
                out.append(cur.strip())
                cur = ""
            if _width(clause) <= max_chars:
                cur = clause
                continue
            for tok in _tokens(clause):
                if cur and _width(cur + tok) > max_chars and tok not in _CLOSE:
                    out.append(cur.strip())
                    cur = ""
                cur += tok
        if cur.strip():
            out.append(cur.strip())
    # trailing sentence punctuation is dropped on screen (Chinese captions habit), commas too
    cleaned = [re.sub(r"[，。、；,;]+$", "", ln).strip() for ln in out]
    return [c for c in cleaned if c]


def chars_per_line(width: int, height: int) -> int:
    size = font_size(width, height)
    return max(8, int(width * 0.88 / size))


def font_size(width: int, height: int) -> float:
    """Vertical video: 7% of the width (short-video habit); horizontal: 5.5% of the height."""
    return round(width * 0.07 if height > width else height * 0.055, 1)


def scene_ass(
    lines: list[str], duration_s: float, width: int, height: int, font: Font
) -> pysubs2.SSAFile:
    subs = pysubs2.SSAFile()
    subs.info["PlayResX"] = str(width)
    subs.info["PlayResY"] = str(height)
    subs.info["WrapStyle"] = "2"  # no automatic wrapping: one cue = one line we cut
    subs.info["ScaledBorderAndShadow"] = "yes"
    size = font_size(width, height)
    vertical = height > width
    subs.styles["Default"] = pysubs2.SSAStyle(
        fontname=font.family,
        fontsize=size,
        primarycolor=pysubs2.Color(255, 255, 255),
        outlinecolor=pysubs2.Color(0, 0, 0),
        outline=max(1.0, size / 14),
        shadow=0,
        alignment=pysubs2.Alignment.BOTTOM_CENTER,
        marginl=round(width * 0.06),
        marginr=round(width * 0.06),
        marginv=round(height * (0.18 if vertical else 0.06)),
    )
    total = sum(_width(ln) for ln in lines) or 1.0
    t = 0.0
    for ln in lines:
        d = duration_s * _width(ln) / total
        subs.events.append(
            pysubs2.SSAEvent(start=int(t * 1000), end=int((t + d) * 1000) - 40, text=ln)
        )
        t += d
    return subs
