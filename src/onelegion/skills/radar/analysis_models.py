"""Result shapes of the radar's analysis (what trends, digest and watch report)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

# a 64-bit hash: in JSON a string, since jq and JavaScript round integers beyond 2**53
ItemKey = Annotated[int, PlainSerializer(str, return_type=str, when_used="json")]


class Point(BaseModel):
    at: datetime
    rank: int
    heat: float | None = None


class TrendItem(BaseModel):
    """One item (a title on one source) over the analysed window."""

    item_key: ItemKey = Field(description="The item's 64-bit id (a string in JSON).")
    source: str
    title: str
    url: str | None = None
    first_seen: datetime = Field(description="First time ever seen (UTC).")
    last_seen: datetime = Field(description="Last time seen in the window (UTC).")
    best_rank: int
    first_rank: int = Field(description="Rank at its first sighting in the window.")
    last_rank: int = Field(description="Rank at its last sighting in the window.")
    peak_heat: float | None = None
    last_heat: float | None = None
    sightings: int = Field(description="Snapshots of the window it was on.")
    captures: int = Field(description="Snapshots its source took in the window.")
    velocity: float | None = Field(
        default=None, description="Places climbed per hour (+ = rising)."
    )
    score: float = 0.0
    is_new: bool = False
    reasons: list[str] = Field(default_factory=list, description="Why it is rising.")
    platforms: list[str] = Field(default_factory=list, description="Platforms of its event.")
    event_id: int | None = None
    trajectory: list[Point] = Field(default_factory=list)
    watch_group: str | None = None


class KeywordTrend(BaseModel):
    keyword: str
    count: int = Field(description="Titles containing it, summed over the time bins of the window.")
    baseline: float = Field(description="The same count per window-length in the time before.")
    ratio: float
    bursting: bool = False
    burst_since: datetime | None = None


class Event(BaseModel):
    """A story seen on several platforms."""

    id: int
    title: str
    platforms: list[str]
    first_seen: datetime
    best_rank: int
    score: float
    items: list[TrendItem]
    name: str | None = Field(default=None, description="The model's name for it (with --llm).")
    judged: str | None = Field(
        default=None, description="With --llm: 'confirmed', 'split' or 'split off' by the model."
    )


class WatchGroupHits(BaseModel):
    group: str
    items: list[TrendItem]


class Analysis(BaseModel):
    since: datetime
    until: datetime
    sources: list[str] = Field(default_factory=list)
    items_seen: int = 0
    keyword: str | None = Field(default=None, description="The keyword the items were filtered by.")
    top: list[TrendItem] = Field(default_factory=list)
    rising: list[TrendItem] = Field(default_factory=list)
    new: list[TrendItem] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    keywords: list[KeywordTrend] = Field(default_factory=list)
    watch: list[WatchGroupHits] = Field(default_factory=list)
    summary: str | None = Field(
        default=None, description="LLM summary, when a model is configured."
    )
