"""Burn subtitles into a video with ffmpeg + libass, offline, with a CJK font.

ffmpeg: the system's when it has the ``subtitles`` filter (libass), else the one shipped by the
``imageio-ffmpeg`` package (extra ``burn``; its Linux build has libass). Font: ``--font`` (a family
installed on the machine), else a CJK family fontconfig knows, else the Noto Sans CJK collection of
the ``noto-cjk-sans-otc`` package (extra ``burn``). Subprocesses get argument lists; the output is
written to a temporary file beside it and renamed when ffmpeg succeeded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pysubs2

from onelegion.core.context import Context
from onelegion.core.errors import UserError
from onelegion.skills.subs.formats import load
from onelegion.skills.subs.models import SubsBurnIn, SubsBurnOut

EXTRA_HINT = (
    "install the burn extra: pip install 'onelegion[burn]' (ffmpeg with libass + a CJK font)"
)
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_ROTATE = re.compile(r"rotate\s*:\s*(-?\d+)|displaymatrix: rotation of (-?\d+(?:\.\d+)?)")


@dataclass
class Probe:
    width: int
    height: int
    duration_s: float
    has_audio: bool


@dataclass
class Font:
    family: str
    directory: Path | None  # a folder to hand libass (fonts not installed system-wide)
    origin: str


def _has_libass(exe: str) -> bool:
    try:
        out = subprocess.run(
            [exe, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(re.search(r"^\s*\S+\s+subtitles\s", out.stdout, re.M))


def find_ffmpeg() -> str:
    """An ffmpeg with libass, or UserError."""
    system = shutil.which("ffmpeg")
    if system and _has_libass(system):
        return system
    try:
        import imageio_ffmpeg
    except ImportError:
        why = (
            "the system's ffmpeg has no libass (subtitles filter)" if system else "no ffmpeg found"
        )
        raise UserError(f"cannot burn subtitles: {why}", hint=EXTRA_HINT) from None
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    if not _has_libass(exe):
        raise UserError(
            "the ffmpeg from imageio-ffmpeg has no libass here",
            hint="install an ffmpeg built with --enable-libass",
        )
    return exe


def find_font(family: str | None) -> Font:
    """The font to render with: the named family, a CJK family fontconfig knows, or the packaged Noto CJK."""
    if family:
        return Font(family, None, "--font")
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run(
                [fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
        for preferred in (
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "WenQuanYi Micro Hei",
            "WenQuanYi Zen Hei",
        ):
            if preferred in families:
                return Font(preferred, None, "system (fontconfig)")
        if families:
            return Font(families[0], None, "system (fontconfig)")
    try:
        import noto_cjk_sans_otc
    except ImportError:
        raise UserError(
            "no CJK font on this machine: Chinese subtitles would render as boxes", hint=EXTRA_HINT
        ) from None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return Font("Noto Sans CJK SC", path.parent, "noto-cjk-sans-otc package")


def probe(ffmpeg: str, video: Path) -> Probe:
    res = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(video)], capture_output=True, text=True, timeout=60
    )
    err = res.stderr
    m = _VIDEO.search(err)
    if m is None:
        raise UserError(
            f"{video.name} has no video stream ffmpeg can read",
            hint="pass a video file (.mp4, .mkv, .mov…)",
        )
    w, h = int(m.group(1)), int(m.group(2))
    rot = _ROTATE.search(err)
    if rot and abs(round(float(rot.group(1) or rot.group(2)))) % 180 == 90:
        w, h = h, w
    d = _DURATION.search(err)
    duration = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3)) if d else 0.0
    return Probe(w, h, duration, bool(re.search(r"Stream #\d+:\d+.*?: Audio:", err)))


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


def _filter_path(p: Path) -> str:
    s = str(p)
    for ch in ("\\", ":", "'", ",", "[", "]", ";"):
        s = s.replace(ch, "\\" + ch)
    return s


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
    vf = f"subtitles=filename={_filter_path(ass_path)}"
    if font.directory is not None:
        vf += f":fontsdir={_filter_path(font.directory)}"
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
        _run_ffmpeg(ctx, cmd, pr.duration_s)
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


def _run_ffmpeg(ctx: Context, cmd: list[str], duration_s: float) -> None:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        for line in proc.stdout:
            if line.startswith("out_time_us=") and duration_s > 0:
                try:
                    done = int(line.split("=", 1)[1]) / 1e6
                except ValueError:
                    continue
                ctx.progress(
                    min(done, duration_s), duration_s, "burning"
                )  # raises Cancelled when asked
        err = proc.stderr.read()
        code = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if code != 0:
        last = (err.strip().splitlines() or ["(no message)"])[-1]
        raise UserError(f"ffmpeg could not burn the subtitles: {last[:300]}")
