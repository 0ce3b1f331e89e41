"""A file a run produced (what skills return in their ``artifacts`` and the store records)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Artifact(BaseModel):
    """A file a run produced: in its run directory, or an export the person asked for."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="Short unique name within the run, e.g. 'report.html'.")
    path: Path = Field(description="Absolute path of the file.")
    media_type: str = Field(default="application/octet-stream", description="MIME type.")
    description: str = Field(default="", description="What the file holds, for people.")
    size: int = Field(default=0, description="Size in bytes when recorded.")
