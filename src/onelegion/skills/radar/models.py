"""What the radar skills take and return: the input and output models of ``__init__.py``.

Their terminal renderings are in ``terminal.py``; the analysis result shapes they carry are in
``analysis_models.py`` and the hot-list items in ``items.py``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from onelegion.core.skill import Artifact, InputDir, InputFile, OutputFile
from onelegion.skills.radar.analysis_models import Analysis

_SOURCES_HELP = (
    "Source ids (repeat or comma-separate: weibo,zhihu,hackernews); default: the enabled set."
)
_WATCH_HELP = "A watchlist in TrendRadar's frequency_words.txt syntax (default: [radar] watchlist)."
_SINCE_HELP = "Window: a length back from its end (24h, 7d, 1y) or a start date (2024-03-01)."
_LLM_HELP = (
    "Let the configured model name the top events and confirm or split borderline merges "
    "(a few cached calls; default: [radar] llm)."
)
_UNTIL_HELP = (
    "End of the window: 'auto' (now, or the latest snapshot when nothing is that recent), 'now', "
    "'latest', or a date/time (2024-03-31, 2024-03-31T12:00+08:00)."
)


# --- inputs ------------------------------------------------------------------------------
class SourcesIn(BaseModel):
    pass


class ScanIn(BaseModel):
    sources: list[str] = Field(default_factory=list, description=_SOURCES_HELP)
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    llm: bool = Field(default=False, description=_LLM_HELP)
    since: str = Field(default="24h", description=_SINCE_HELP)
    push: bool = Field(
        default=False, description="Also push the digest to the configured channels."
    )


class WatchIn(BaseModel):
    every: str = Field(
        default="30m", description="Time between scans (90s, 30m, 2h); 0 = back to back."
    )
    sources: list[str] = Field(default_factory=list, description=_SOURCES_HELP)
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    llm: bool = Field(default=False, description=_LLM_HELP)
    since: str = Field(default="24h", description=_SINCE_HELP)
    push: bool = Field(
        default=True, description="Push new findings (each item once per channel per day)."
    )
    max_scans: int | None = Field(
        default=None, ge=1, description="Stop after this many scans (default: run until stopped)."
    )


class ImportIn(BaseModel):
    dir: InputDir = Field(description="The archive folder (or repository with --git-history).")
    format: Literal["justjavac", "trending-in-one", "jsonl"] = Field(
        default="justjavac",
        description="Layout: justjavac daily JSON, trending-in-one KIND/DATE.json, or JSON Lines.",
    )
    git_history: bool = Field(
        default=False, description="Replay every commit of the archive repository as a snapshot."
    )
    source: str | None = Field(
        default=None, description="Source id when the folder name does not say (weibo, zhihu)."
    )


class TrendsIn(BaseModel):
    since: str = Field(default="7d", description=_SINCE_HELP)
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )
    keyword: str | None = Field(
        default=None, description="Only titles containing this keyword (token match)."
    )
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    llm: bool = Field(default=False, description=_LLM_HELP)
    limit: int = Field(default=20, ge=1, le=500, description="Items per section.")


class DigestIn(BaseModel):
    since: str = Field(default="24h", description=_SINCE_HELP)
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )
    watch: InputFile | None = Field(default=None, description=_WATCH_HELP)
    llm: bool = Field(default=False, description=_LLM_HELP)
    push: bool = Field(
        default=False, description="Send to the channels of [radar.push] urls (new items only)."
    )
    limit: int = Field(default=15, ge=1, le=200, description="Items per section.")


class ExportIn(BaseModel):
    output: OutputFile = Field(description="Target file: .parquet, .csv or .jsonl (re-importable).")
    since: str = Field(default="30d", description=_SINCE_HELP)
    until: str | None = Field(default=None, description=_UNTIL_HELP)
    platform: list[str] = Field(
        default_factory=list, description="Only these platforms/sources (repeatable)."
    )

    @field_validator("output")
    @classmethod
    def _known_format(cls, value: Path) -> Path:  # refused before any work
        if value.suffix.lower() not in (".parquet", ".csv", ".jsonl"):
            raise ValueError(
                f"cannot export to {value.name}: end the file name with .parquet, .csv or .jsonl"
            )
        return value


class DemoIn(BaseModel):
    pass


# --- outputs -----------------------------------------------------------------------------
class SourceStatus(BaseModel):
    id: str
    name: str = ""
    url: str = ""
    enabled: bool = True
    kind: str = "platform"
    last_success: datetime | None = Field(default=None, description="Last stored snapshot (UTC).")
    last_fetch: datetime | None = Field(
        default=None, description="Last live fetch, ok or not (UTC)."
    )
    last_error: str | None = Field(
        default=None, description="Error of the last fetch, if it failed."
    )
    last_items: int = Field(default=0, description="Items in the last snapshot.")
    snapshots: int = 0
    items: int = Field(default=0, description="Distinct items ever stored.")


class SourcesOut(BaseModel):
    sources: list[SourceStatus]
    store: str = Field(description="The history file.")
    timezone: str | None = Field(
        default=None,
        description="Zone the terminal shows times in ([radar] timezone); JSON is UTC.",
    )

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import sources_view

        return sources_view(self)


class ImportOut(BaseModel):
    snapshots_added: int
    snapshots_skipped: int = Field(description="Already stored (same source and time): skipped.")
    rows_added: int
    new_items: int
    sources: dict[str, int] = Field(default_factory=dict, description="Rows added per source.")
    first: datetime | None = None
    last: datetime | None = None
    seconds: float = 0.0
    store: str = ""
    timezone: str | None = Field(
        default=None,
        description="Zone the terminal shows times in ([radar] timezone); JSON is UTC.",
    )
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import import_view

        return import_view(self)


class TrendsOut(BaseModel):
    analysis: Analysis
    note: str | None = None
    timezone: str | None = Field(
        default=None,
        description="Zone the terminal shows times in ([radar] timezone); JSON is UTC.",
    )
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import render_analysis, zone

        return render_analysis(self.analysis, self.note, tz=zone(self.timezone))


class PushOut(BaseModel):
    channel: str = Field(description="scheme:hash of the URL (the URL itself is secret).")
    messages: int
    items: int
    skipped_items: int = Field(description="Already sent to this channel today.")
    ok: bool
    error: str | None = None


class DigestOut(BaseModel):
    analysis: Analysis
    markdown: str
    note: str | None = None
    timezone: str | None = Field(
        default=None,
        description="Zone the terminal shows times in ([radar] timezone); JSON is UTC.",
    )
    pushed: list[PushOut] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import digest_view

        return digest_view(self)


class ScanSource(BaseModel):
    source: str
    ok: bool
    items: int
    error: str | None = None
    elapsed_ms: float = 0.0


class ScanOut(BaseModel):
    captured_at: datetime
    results: list[ScanSource]
    rows_added: int
    digest: DigestOut
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import scan_view

        return scan_view(self)


class WatchOut(BaseModel):
    scans: int
    rows_added: int
    failed_sources: int = Field(description="Source fetches that failed, over all scans.")
    messages_pushed: int
    items_pushed: int
    stopped: str = Field(description="'max_scans' or 'cancelled'.")

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import watch_view

        return watch_view(self)


class ExportOut(BaseModel):
    path: str
    rows: int
    artifacts: list[Artifact] = Field(default_factory=list)

    def __rich__(self) -> Any:
        from onelegion.skills.radar.terminal import export_view

        return export_view(self)
