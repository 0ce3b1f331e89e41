"""The radar's settings: the ``[radar]`` table of legion.toml (declared through the
``onelegion.settings`` entry points, so `legion config set radar.*` validates against it)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class SourceSettings(BaseModel):
    """``[radar.sources.<id>]``: override a built-in source or add an rss-/newsnow-/dailyhot- one."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, description="URL fetched instead of the default.")
    enabled: bool = Field(default=True, description="false: skip this source in scans.")
    timeout: float | None = Field(default=None, gt=0, le=600, description="Seconds per request.")
    name: str | None = Field(default=None, description="Display name.")
    kind: str | None = Field(default=None, description="rss, newsnow or dailyhot (custom sources).")
    cookie_url: str | None = Field(default=None, description="Page fetched first for cookies.")
    max_mb: float | None = Field(
        default=None, gt=0, le=1024, description="Largest response read, in MB (default 8)."
    )

    @field_validator("url", "cookie_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        from urllib.parse import urlsplit

        if value is None:
            return value
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            raise ValueError(f"{value!r} is not a URL") from None
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"must be an http(s) URL, got {parts.scheme or 'no'} scheme")
        if not host:
            raise ValueError("has no host")
        return value


class PushSettings(BaseModel):
    """``[radar.push]``: where digests go."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(
        default_factory=list, description="Apprise URLs (feishu://, tgram://…)."
    )


class RadarSettings(BaseModel):
    """``[radar]``."""

    model_config = ConfigDict(extra="forbid")

    store: str | None = Field(default=None, description="History file (default: HOME/radar/).")
    timezone: str = Field(default="Asia/Shanghai", description="IANA zone of digest times.")
    watchlist: str | None = Field(default=None, description="Default watchlist file.")
    watchlist_match: Literal["smart", "substring"] = Field(
        default="smart",
        description="smart: substrings where meant, tokens where a substring misleads; "
        "substring: exactly TrendRadar.",
    )
    llm: bool = Field(
        default=False, description="Let the configured model name and check events (as --llm)."
    )
    embed: str | None = Field(default=None, description='"package.module:function" for events.')
    sources: dict[str, SourceSettings] = Field(default_factory=dict)
    push: PushSettings = Field(default_factory=PushSettings)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a known time zone (e.g. Asia/Shanghai, UTC, Europe/Berlin)"
            ) from None
        return value
