"""Input and output models of the image skills."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from onelegion.core.lang import tr
from onelegion.core.skill import POSITIONAL, OutputFile


class ImageGenIn(BaseModel):
    prompt: str = Field(
        min_length=1,
        max_length=4000,
        description="What to draw.",
        json_schema_extra=POSITIONAL,  # legion image gen "prompt"
    )
    output: OutputFile | None = Field(
        default=None,
        description="The PNG to write (default: image.png in the run folder); several images get -1, -2… suffixes.",
    )
    size: str = Field(
        default="1024x1024",
        pattern=r"^\d{2,4}x\d{2,4}$",
        description="WIDTHxHEIGHT the provider supports, e.g. 1024x1024, 1024x1792.",
    )
    n: int = Field(default=1, ge=1, le=4, description="How many images.")


class ImageGenOut(BaseModel):
    files: list[Path] = Field(description="The images written.")
    model: str = Field(description="The image model used.")
    endpoint: str = Field(description="The images endpoint (scheme and host only).")
    revised_prompt: str | None = Field(
        default=None, description="The prompt as the provider rewrote it, if it says."
    )

    def __rich__(self) -> Any:
        from rich.text import Text

        return Text.assemble(
            (tr("◇ Image ", "◇ 图片 "), "bold"),
            ", ".join(str(f) for f in self.files),
            f"  ({self.model} @ {self.endpoint})",
        )
