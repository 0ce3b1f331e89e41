"""ffmpeg with libass and a CJK font, found offline.

ffmpeg: the system's when it has the ``subtitles`` filter (libass), else the one shipped by the
``imageio-ffmpeg`` package (extra ``burn``; its Linux build has libass). Font: a family the caller
names, else a CJK family fontconfig knows, else the Noto Sans CJK collection of the
``noto-cjk-sans-otc`` package (extra ``burn``). Subprocesses always get argument lists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.context import Context
from onelegion.core.errors import UserError

EXTRA_HINT = (
    "install the burn extra: pip install 'onelegion[burn]' (ffmpeg with libass + a CJK font)"
)
_VIDEO = re.compile(r"Stream #\d+:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})")
_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_ROTATE = re.compile(r"rotate\s*:\s*(-?\d+)|displaymatrix: rotation of (-?\d+(?:\.\d+)?)")
_PREFERRED = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")


@dataclass
class Probe:
    width: int
    height: int
    duration_s: float
    has_audio: bool
    has_video: bool = True


@dataclass
class Font:
    family: str
    directory: Path | None  # a folder to hand libass (fonts not installed system-wide)
    origin: str
    file: Path | None = None  # the font file itself, when known (Pillow needs it)


def _has_libass(exe: str) -> bool:
    try:
        out = subprocess.run(
            [exe, "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(re.search(r"^\s*\S+\s+subtitles\s", out.stdout, re.M))


def find_ffmpeg(purpose: str = "burn subtitles") -> str:
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
        raise UserError(f"cannot {purpose}: {why}", hint=EXTRA_HINT) from None
    exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    if not _has_libass(exe):
        raise UserError(
            "the ffmpeg from imageio-ffmpeg has no libass here",
            hint="install an ffmpeg built with --enable-libass",
        )
    return exe


def _fc_file(family: str) -> Path | None:
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run(
            [fc, "-f", "%{file}", f"{family}:lang=zh"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(out) if out and Path(out).is_file() else None


def find_font(family: str | None) -> Font:
    """The font to render with: the named family, a CJK family fontconfig knows, or the packaged Noto CJK."""
    if family:
        return Font(family, None, "--font", _fc_file(family))
    fc = shutil.which("fc-list")
    if fc:
        try:
            out = subprocess.run(
                [fc, ":lang=zh", "family"], capture_output=True, text=True, timeout=30
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        families = sorted({f.split(",")[0].strip() for f in out.splitlines() if f.strip()})
        for preferred in (*_PREFERRED, *families):
            if preferred in families:
                return Font(preferred, None, "system (fontconfig)", _fc_file(preferred))
    try:
        import noto_cjk_sans_otc
    except ImportError:
        raise UserError(
            "no CJK font on this machine: Chinese text would render as boxes", hint=EXTRA_HINT
        ) from None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return Font("Noto Sans CJK SC", path.parent, "noto-cjk-sans-otc package", path)


def font_file(family: str | None = None) -> Font:
    """Like :func:`find_font`, but the font file must be known (for Pillow); falls back to the package."""
    font = find_font(family)
    if font.file is not None:
        return font
    try:
        import noto_cjk_sans_otc
    except ImportError:
        raise UserError(
            f"cannot find the file of the font {font.family!r}", hint=EXTRA_HINT
        ) from None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return Font("Noto Sans CJK SC", path.parent, "noto-cjk-sans-otc package", path)


def probe(ffmpeg: str, media: Path, *, need_video: bool = True) -> Probe:
    """Size, duration and streams of a media file (ffmpeg's own report: no ffprobe needed)."""
    res = subprocess.run(
        [ffmpeg, "-hide_banner", "-i", str(media)], capture_output=True, text=True, timeout=60
    )
    err = res.stderr
    m = _VIDEO.search(err)
    if m is None and need_video:
        raise UserError(
            f"{media.name} has no video stream ffmpeg can read",
            hint="pass a video file (.mp4, .mkv, .mov…)",
        )
    w, h = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    rot = _ROTATE.search(err)
    if rot and abs(round(float(rot.group(1) or rot.group(2)))) % 180 == 90:
        w, h = h, w
    d = _DURATION.search(err)
    duration = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3)) if d else 0.0
    has_audio = bool(re.search(r"Stream #\d+:\d+.*?: Audio:", err))
    return Probe(w, h, duration, has_audio, m is not None)


def filter_path(p: Path) -> str:
    """A path escaped for an ffmpeg filter argument."""
    s = str(p)
    for ch in ("\\", ":", "'", ",", "[", "]", ";"):
        s = s.replace(ch, "\\" + ch)
    return s


def run_ffmpeg(
    ctx: Context | None,
    cmd: list[str],
    duration_s: float,
    *,
    message: str = "ffmpeg",
    what: str = "ffmpeg failed",
    offset: float = 0.0,
    total: float | None = None,
) -> None:
    """Run ffmpeg (``cmd`` should end with ``-progress pipe:1 -nostats <out>``), reporting progress
        through ``ctx`` (which raises Cancelled when asked) as ``offset`` + its own time out of ``total``
    (default ``duration_s``); a failure is a UserError with its last line."""
    whole = total if total is not None else duration_s
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        for line in proc.stdout:
            if ctx is not None and line.startswith("out_time_us=") and duration_s > 0:
                try:
                    done = int(line.split("=", 1)[1]) / 1e6
                except ValueError:
                    continue
                ctx.progress(max(0.0, min(offset + min(done, duration_s), whole)), whole, message)
        err = proc.stderr.read()
        code = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if code != 0:
        last = (err.strip().splitlines() or ["(no message)"])[-1]
        raise UserError(f"{what}: {last[:300]}")
