"""The base of every recipe step and of the change log.

A recipe is an ordered list of steps. Each step is a pydantic model with a literal ``kind``
(the discriminator), the ``column`` it touches (or None for row-level steps), a ``confidence``
and ``apply``, which takes the table (all columns text: ``pl.Utf8``, missing = null) and returns
the new table plus the cell changes it made. Steps never reorder or drop rows (except the
dedupe step, which only runs with ``--dedupe``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    import polars as pl


class Change(BaseModel):
    """One changed cell: the audit trail (changes.csv)."""

    row: int = Field(description="0-based row index in the input (data rows, header excluded).")
    column: str
    before: str | None
    after: str | None
    step: str = Field(description="The step's kind, e.g. 'normalize_date'.")
    confidence: float = Field(ge=0, le=1)


class Issue(BaseModel):
    """A flagged cell or row that was not changed (issues.csv)."""

    row: int | None
    column: str | None
    value: str | None
    kind: str = Field(description="e.g. 'outlier', 'unparseable_date', 'ragged_row'.")
    detail: str = ""


class StepBase(BaseModel):
    """Base class of recipe steps. Subclasses set ``kind: Literal['...']``."""

    kind: str
    column: str | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    description: str = Field(default="", description="What the step does, for people.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Counts and examples.")

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, list[Change]]:
        raise NotImplementedError
