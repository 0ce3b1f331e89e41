"""The ``[image]`` table of legion.toml (registered under ``onelegion.settings``): the images
provider. Its key is read from ``LEGION_IMAGE_API_KEY``, never stored here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ImageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(
        default=None,
        description="OpenAI-compatible base URL (…/v1) whose /images/generations draws.",
    )
    model: str = Field(default="dall-e-3", description="Image model name sent to the endpoint.")
    timeout: float = Field(default=120, gt=0, description="Seconds to wait for an image.")
