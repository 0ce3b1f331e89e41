"""`legion doctor` checks for the studio (registered under ``onelegion.checks``): ffmpeg with
libass, a CJK font file, a voice for narration, and the optional image provider. Nothing is
contacted; these are local look-ups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onelegion.core.checks import Check
from onelegion.core.lang import tr

if TYPE_CHECKING:
    from onelegion.core.config import Settings
    from onelegion.core.http import HttpFactory


def checks(settings: Settings, http: HttpFactory, offline: bool) -> list[Check]:
    from onelegion.skills.video.tts import espeak_exe

    out: list[Check] = []
    # ffmpeg (with libass) and the CJK font are checked once for subs and video: subs/checks.py
    tts = settings.section("video").get("tts_url")
    if tts:
        out.append(Check(name=tr("Narration", "配音"), status="ok", detail=f"TTS endpoint {tts}"))
    elif espeak_exe():
        out.append(
            Check(
                name=tr("Narration", "配音"),
                status="ok",
                detail=tr("espeak-ng (offline)", "espeak-ng（离线）"),
            )
        )
    else:
        out.append(
            Check(
                name=tr("Narration", "配音"),
                status="warn",
                detail=tr(
                    "no TTS: videos get captions but no voice",
                    "没有语音合成：视频只有字幕、没有配音",
                ),
                fix="apt install espeak-ng, or legion config set video.tts_url http://host:port/v1",
            )
        )
    clip = settings.section("video").get("clip_url")
    out.append(
        Check(
            name=tr("Video provider", "视频生成服务"),
            status="ok" if clip else "skip",
            detail=str(clip)
            if clip
            else tr(
                "not configured (only scenes marked 'generate:' need it)",
                "未配置（仅标注 generate: 的场景需要）",
            ),
            fix="" if clip else "legion config set video.clip_url http://host:port/v1",
        )
    )
    img = settings.section("image").get("url")
    out.append(
        Check(
            name=tr("Image provider", "图片服务"),
            status="ok" if img else "skip",
            detail=str(img)
            if img
            else tr("not configured (image.gen only)", "未配置（仅 image.gen 需要）"),
            fix="" if img else "legion config set image.url http://host:port/v1",
        )
    )
    return out
