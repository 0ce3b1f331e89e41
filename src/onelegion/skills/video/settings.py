"""The ``[video]`` table of legion.toml (registered under ``onelegion.settings``): the optional
text-to-speech endpoint. Its key is read from ``LEGION_TTS_API_KEY``, never stored here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class VideoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tts_url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL (…/v1) whose /audio/speech voices narration.",
    )
    tts_model: str = Field(default="tts-1", description="TTS model name sent to the endpoint.")
    tts_voice: str = Field(default="alloy", description="Voice name sent to the endpoint.")
    tts_timeout: float = Field(
        default=60, gt=0, description="Seconds to wait for one scene's audio before falling back."
    )
