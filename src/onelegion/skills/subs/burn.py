"""Burn subtitles into a video with ffmpeg + libass, offline, with a CJK font.

ffmpeg and font discovery live in ``onelegion.media`` (shared with ``video``).

ffmpeg: the system's when it has the ``subtitles`` filter (libass), else the one shipped by the
``imageio-ffmpeg`` package (extra ``burn``; its Linux build has libass). Font: ``--font`` (a family
installed on the machine), else a CJK family fontconfig knows, else the Noto Sans CJK collection of
the ``noto-cjk-sans-otc`` package (extra ``burn``). Subprocesses get argument lists; the output is
written to a temporary file beside it and renamed when ffmpeg succeeded.
"""

from __future__ import annotations

import os

import pysubs2

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.media.ffmpeg import (
    EXTRA_HINT,
    Font,
    Probe,
    filter_path,
    find_ffmpeg,
    find_font,
    probe,
    run_ffmpeg,
)
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.models import SubsBurnIn, SubsBurnOut

__all__ = [
    "EXTRA_HINT",
    "Font",
    "Probe",
    "find_ffmpeg",
    "find_font",
    "probe",
    "run_burn",
    "styled_ass",
]


def styled_ass(
    subs: pysubs2.SSAFile, pr: Probe, font: Font, size: float | None, position: str
) -> pysubs2.SSAFile:
    """The subtitles as ASS sized for this video: horizontal or vertical layout, CJK font, outline."""
    vertical = pr.height > pr.width
    out = pysubs2.SSAFile()
    out.info["PlayResX"] = str(pr.width)
    out.info["PlayResY"] = str(pr.height)
    out.info["WrapStyle"] = "0"
    out.info["ScaledBorderAndShadow"] = "yes"
    base = size or round((pr.width * 0.055) if vertical else (pr.height * 0.055), 1)
    style = pysubs2.SSAStyle(
        fontname=font.family,
        fontsize=max(base, 10),
        primarycolor=pysubs2.Color(255, 255, 255),
        outlinecolor=pysubs2.Color(0, 0, 0),
        outline=max(1.0, base / 14),
        shadow=0,
        alignment=pysubs2.Alignment.TOP_CENTER
        if position == "top"
        else pysubs2.Alignment.BOTTOM_CENTER,
        marginl=round(pr.width * 0.06),
        marginr=round(pr.width * 0.06),
        # vertical videos keep subtitles above the platform's bottom controls
        marginv=round(pr.height * (0.18 if vertical and position == "bottom" else 0.05)),
    )
    out.styles = {"Default": style}
    for name, st in subs.styles.items():
        if name != "Default":
            s = st.copy()
            s.fontname = font.family
            out.styles[name] = s
    for e in subs.events:
        if not e.is_comment:
            out.events.append(e.copy())
    return out


def run_burn(ctx: Context, p: SubsBurnIn) -> SubsBurnOut:
    output = p.output or p.video.with_name(f"{p.video.stem}.subs{p.video.suffix or '.mp4'}")
    if output.resolve() in (p.video.resolve(), p.subtitles.resolve()):
        raise UserError(
            f"the output {output.name} is an input file; inputs are never overwritten",
            hint="choose another -o",
        )
    loaded = load(p.subtitles, encoding=p.encoding)
    ffmpeg = find_ffmpeg()
    font = find_font(p.font)
    pr = probe(ffmpeg, p.video)
    if not pr.has_audio and not p.allow_silent:
        raise UserError(
            f"{p.video.name} has no audio stream: is it the right file?",
            hint="pass --allow-silent to burn subtitles into a silent video",
        )
    ass = styled_ass(loaded.subs, pr, font, p.font_size, p.position)
    late = sum(1 for e in ass.events if pr.duration_s and e.start >= pr.duration_s * 1000)
    if late:
        ctx.log(f"{late} cue(s) start after the video ends and will not be shown", level="warning")
    ass_path = ctx.path("burn.ass")
    ass.save(str(ass_path))
    ctx.artifact("burn.ass", description="The styled subtitles rendered into the video")
    vf = f"subtitles=filename={filter_path(ass_path)}"
    if font.directory is not None:
        vf += f":fontsdir={filter_path(font.directory)}"
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.stem}.part{output.suffix or '.mp4'}")
    cmd = [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-loglevel",
        "error",
        "-i",
        str(p.video),
        "-vf",
        vf,
    ]
    cmd += ["-c:v", "libx264", "-preset", p.preset, "-crf", str(p.crf), "-pix_fmt", "yuv420p"]
    cmd += ["-c:a", "copy"] if pr.has_audio else ["-an"]
    cmd += ["-progress", "pipe:1", "-nostats", str(tmp)]
    ctx.log(f"ffmpeg: {ffmpeg}; font: {font.family} ({font.origin})")
    try:
        run_ffmpeg(
            ctx, cmd, pr.duration_s, message="burning", what="ffmpeg could not burn the subtitles"
        )
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    ctx.artifact("video", output, description="The video with subtitles burned in")
    return SubsBurnOut(
        output=output,
        width=pr.width,
        height=pr.height,
        layout="vertical" if pr.height > pr.width else "horizontal",
        cues=len(ass.events),
        cues_after_end=late,
        font=f"{font.family} ({font.origin})",
        ffmpeg=ffmpeg,
    )
