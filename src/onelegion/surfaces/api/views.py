"""JSON shapes of the HTTP API (also what OpenAPI documents)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from onelegion.core.runner import MAX_TIMEOUT_S
from onelegion.core.store import ArtifactRecord, RunRecord


class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong and how to fix it, on one line.")
    kind: str = Field(
        description="user | not_found | validation | auth | forbidden | conflict | bug"
    )


class ArtifactView(BaseModel):
    name: str
    path: str = Field(description="Absolute path on the server machine.")
    media_type: str
    description: str
    size: int
    url: str = Field(description="Where to download it from this API.")


class RunLinks(BaseModel):
    self: str
    events: str
    artifacts: str
    cancel: str


class RunView(BaseModel):
    id: str
    skill: str
    version: str
    params: dict[str, Any]
    status: str
    surface: str
    created_at: float
    started_at: float | None = None
    finished_at: float | None = None
    duration_ms: float | None = None
    output: dict[str, Any] | None = None
    error: str | None = None
    error_kind: str | None = None
    cached: bool = False
    cached_from: str | None = None
    artifacts: list[ArtifactView] = []
    links: RunLinks


class RunList(BaseModel):
    runs: list[RunView]
    limit: int
    offset: int


class RunRequest(BaseModel):
    """Body of ``POST /api/runs`` (JSON). Multipart: the same fields as form fields, ``params``
    as JSON text, plus one file field per file parameter of the skill."""

    skill: str = Field(description="Skill name, e.g. 'util.echo'.")
    params: dict[str, Any] = Field(default_factory=dict, description="The skill's parameters.")
    refresh: bool = Field(default=False, description="Ignore the cache and run again.")
    wait: bool = Field(default=False, description="Answer when the run has finished.")
    timeout: float | None = Field(
        default=None, gt=0, le=MAX_TIMEOUT_S, description="Stop the run after N seconds."
    )


class CancelView(BaseModel):
    run_id: str
    cancel_requested: Literal[True]
    status: str


def artifact_view(a: ArtifactRecord) -> ArtifactView:
    return ArtifactView(
        name=a.name,
        path=a.path,
        media_type=a.media_type,
        description=a.description,
        size=a.size,
        url=f"/api/runs/{a.run_id}/artifacts/{a.name}",
    )


def run_view(rec: RunRecord, artifacts: list[ArtifactRecord]) -> RunView:
    base = f"/api/runs/{rec.id}"
    data = rec.model_dump(exclude={"cache_key"})
    return RunView(
        **data,
        cached=rec.cached_from is not None,
        artifacts=[artifact_view(a) for a in artifacts],
        links=RunLinks(
            self=base,
            events=f"{base}/events",
            artifacts=f"{base}/artifacts",
            cancel=f"{base}/cancel",
        ),
    )
