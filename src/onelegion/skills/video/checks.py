"""`legion doctor` checks for the studio (registered under ``onelegion.checks``): ffmpeg with
libass, a CJK font file, a voice for narration, and the optional image provider. Nothing is
contacted; these are local look-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onelegion.core.checks import Check
from onelegion.core.errors import UserError

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory


def checks(settings: Settings, http: HttpFactory, offline: bool) -> list[Check]:
    from onelegion.media.ffmpeg import EXTRA_HINT, find_ffmpeg, font_file
    from onelegion.skills.video.tts import espeak_exe

    out: list[Check] = []
    try:
        exe = find_ffmpeg("make videos")
        out.append(Check(name="Video ffmpeg", status="ok", detail=f"{exe} (with libass)"))
    except UserError as e:
        out.append(Check(name="Video ffmpeg", status="warn", detail=e.message, fix=EXTRA_HINT))
    try:
        font = font_file(None)
        out.append(Check(name="Video font", status="ok", detail=f"{font.family} ({font.origin})"))
    except UserError as e:
        out.append(Check(name="Video font", status="warn", detail=e.message, fix=EXTRA_HINT))
    tts = settings.section("video").get("tts_url")
    if tts:
        out.append(Check(name="Narration", status="ok", detail=f"TTS endpoint {tts}"))
    elif espeak_exe():
        out.append(Check(name="Narration", status="ok", detail="espeak-ng (offline)"))
    else:
        out.append(
            Check(
                name="Narration",
                status="warn",
                detail="no TTS: videos get captions but no voice",
                fix="apt install espeak-ng, or legion config set video.tts_url http://host:port/v1",
            )
        )
    img = settings.section("image").get("url")
    out.append(
        Check(
            name="Image provider",
            status="ok" if img else "skip",
            detail=str(img) if img else "not configured (image.gen only)",
            fix="" if img else "legion config set image.url http://host:port/v1",
        )
    )
    return out
