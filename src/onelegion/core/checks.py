"""Health checks for `legion doctor`. Skill packages add their own through the
``onelegion.checks`` entry-point group: a callable ``(settings, http, offline) -> list[Check]``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Check(BaseModel):
    name: str
    status: str = Field(description="ok | warn | fail | skip")
    detail: str = ""
    fix: str = ""
