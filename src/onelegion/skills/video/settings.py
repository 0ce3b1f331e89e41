"""The ``[video]`` table of legion.toml (registered under ``onelegion.settings``): the optional
text-to-speech endpoint (key in ``LEGION_TTS_API_KEY``) and the optional video-generation
endpoint for scenes marked ``generate:`` (key in ``LEGION_VIDEO_API_KEY``); keys are never stored here."""

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
    clip_url: str | None = Field(
        default=None,
        description="Base URL (…/v1) of a video-generation API in the OpenAI Videos shape (POST /videos, GET /videos/{id}, GET /videos/{id}/content) for scenes marked 'generate:'.",
    )
    clip_model: str = Field(default="sora-2", description="Video model name sent to the endpoint.")
    clip_size: str | None = Field(
        default=None,
        pattern=r"^\d{2,4}x\d{2,4}$",
        description="WIDTHxHEIGHT asked for (default 720x1280 for 9:16, 1280x720 for 16:9).",
    )
    clip_seconds: list[int] = Field(
        default=[4, 8, 12],
        min_length=1,
        description="Clip lengths the model accepts; the shortest that covers the scene is asked for.",
    )
    clip_timeout: float = Field(
        default=600,
        gt=0,
        description="Seconds to wait for one generated clip (submit to download).",
    )
    clip_poll: float = Field(
        default=5, gt=0, description="Seconds between two status checks of a generation job."
    )
