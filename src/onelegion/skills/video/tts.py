"""Text to speech behind one interface: an OpenAI-compatible ``/audio/speech`` endpoint when
configured (``[video] tts_url``, ``tts_model``, ``tts_voice``; key in ``LEGION_TTS_API_KEY``), else
espeak-ng when installed (offline, robotic but clear Mandarin ``cmn`` and English), else silence.
Every provider writes a WAV; a failing provider falls back to the next for that scene."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from onelegion.core.context import Context
from onelegion.core.errors import UserError


@dataclass
class Voice:
    name: str  # openai | espeak | silent

    def describe(self) -> str:
        return {
            "openai": "OpenAI-compatible TTS",
            "espeak": "espeak-ng (offline)",
            "silent": "silent",
        }[self.name]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate() or 1)


def espeak_exe() -> str | None:
    return shutil.which("espeak-ng") or shutil.which("espeak")


def settings(ctx: Context) -> dict[str, str]:
    sec = ctx.config.section("video")
    return {k: str(v) for k, v in sec.items() if isinstance(v, str | int | float)}


def choose(ctx: Context, wanted: str) -> tuple[list[Voice], str | None]:
    """The providers to try, best first, and a note when the result will be silent."""
    has_url = bool(settings(ctx).get("tts_url"))
    has_espeak = espeak_exe() is not None
    if wanted == "openai":
        if not has_url:
            raise UserError(
                "no TTS endpoint configured",
                hint="legion config set video.tts_url http://host:port/v1 (and video.tts_model, video.tts_voice)",
            )
        return [Voice("openai"), *([Voice("espeak")] if has_espeak else []), Voice("silent")], None
    if wanted == "espeak":
        if not has_espeak:
            raise UserError(
                "espeak-ng is not installed",
                hint="apt install espeak-ng (or --voice none for captions only)",
            )
        return [Voice("espeak"), Voice("silent")], None
    if wanted == "none":
        return [Voice("silent")], None
    chain = (
        ([Voice("openai")] if has_url else [])
        + ([Voice("espeak")] if has_espeak else [])
        + [Voice("silent")]
    )
    note = (
        None
        if len(chain) > 1
        else "no TTS available (no [video] tts_url, espeak-ng not installed): silent scenes with captions"
    )
    return chain, note


def _lang_voice(text: str) -> str:
    return "cmn" if re.search(r"[\u4e00-\u9fff]", text) else "en-us"


def speak_espeak(text: str, out: Path) -> None:
    exe = espeak_exe()
    assert exe is not None
    res = subprocess.run(
        [exe, "-v", _lang_voice(text), "-s", "175", "-w", str(out), text],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if res.returncode != 0 or not out.exists():
        raise RuntimeError(f"espeak-ng failed: {res.stderr.strip()[:200]}")


def speak_openai(ctx: Context, text: str, out: Path) -> None:
    s = settings(ctx)
    url = s["tts_url"].rstrip("/") + "/audio/speech"
    headers = {}
    key = os.environ.get("LEGION_TTS_API_KEY")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = {
        "model": s.get("tts_model", "tts-1"),
        "voice": s.get("tts_voice", "alloy"),
        "input": text,
        "response_format": "wav",
    }
    timeout = float(s.get("tts_timeout", "60"))
    with ctx.http.client(retries=0, timeout=timeout) as c:
        r = c.post(url, json=body, headers=headers)
    if r.status_code != 200:
        raise RuntimeError(f"TTS endpoint answered HTTP {r.status_code}")
    data = r.content
    if not data.startswith(b"RIFF"):
        raise RuntimeError("TTS endpoint did not return WAV audio")
    out.write_bytes(data)


def speak(ctx: Context, chain: list[Voice], text: str, out: Path) -> tuple[str, float, str | None]:
    """Voice ``text`` into ``out`` with the first provider that works: (provider, seconds, failure note)."""
    failure = None
    for v in chain:
        if v.name == "silent" or not text.strip():
            return "silent", 0.0, failure
        try:
            if v.name == "openai":
                speak_openai(ctx, text, out)
            else:
                speak_espeak(text, out)
            return v.name, wav_seconds(out), failure
        except Exception as e:  # a provider that fails must not stop the video: next one
            failure = f"{v.describe()} failed ({str(e)[:120] or type(e).__name__})"
            ctx.log(failure, level="warning")
    return "silent", 0.0, failure
