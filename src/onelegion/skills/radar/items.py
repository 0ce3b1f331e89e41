"""Data shapes shared by the radar's sources, history and analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class HotItem(BaseModel):
    """One entry of a platform's hot list at one moment."""

    source: str = Field(description="Source id, e.g. 'weibo', 'zhihu', 'hackernews'.")
    rank: int = Field(ge=1, description="1-based position in the list.")
    title: str
    url: str | None = None
    heat: float | None = Field(
        default=None, description="Numeric heat when the platform gives one."
    )
    heat_text: str | None = Field(default=None, description="Heat as displayed ('1234万热度').")
    extra: dict[str, Any] = Field(default_factory=dict, description="Platform-specific fields.")


class SourceResult(BaseModel):
    """The outcome of fetching one source once."""

    source: str
    ok: bool
    captured_at: datetime = Field(description="UTC time of the fetch.")
    items: list[HotItem] = Field(default_factory=list)
    error: str | None = None
    url: str = ""
    elapsed_ms: float = 0.0


class SourceInfo(BaseModel):
    """A source as listed by `legion radar sources`."""

    id: str
    name: str = Field(description="Display name, e.g. '微博热搜'.")
    url: str = Field(description="The URL fetched (after config overrides).")
    enabled: bool = True
    kind: str = Field(default="platform", description="platform | rss | aggregator")
