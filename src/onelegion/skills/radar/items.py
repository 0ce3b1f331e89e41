"""Data shapes shared by the radar's sources, history and analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from onelegion.core import textsafe

MAX_TITLE_CHARS = 500  # longer titles are cut (with "…"); the full length goes in extra


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

    @field_validator("source", "title", "url", "heat_text", mode="before")
    @classmethod
    def _whole_characters(cls, v: Any) -> Any:
        """Half an emoji (a lone surrogate) becomes U+FFFD: the item stays and can be stored."""
        return textsafe.fix_surrogates(v) if isinstance(v, str) else v

    @field_validator("extra", mode="before")
    @classmethod
    def _whole_characters_extra(cls, v: Any) -> Any:
        return textsafe.fix_tree(v, "an item's extra")[0] if isinstance(v, dict) else v

    def model_post_init(self, context: Any, /) -> None:
        if len(self.title) > MAX_TITLE_CHARS:
            self.extra["title_chars"] = len(self.title)
            self.title = self.title[: MAX_TITLE_CHARS - 1] + "…"


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
