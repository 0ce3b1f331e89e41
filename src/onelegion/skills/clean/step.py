"""A recipe step, and what steps report: changed cells and flagged cells.

A recipe is an ordered list of steps. Each step is a pydantic model with a literal ``kind``
(the discriminator), the ``column`` it touches (or None for row-level steps), a ``confidence``
and ``apply``, which takes the table (all columns text: ``pl.Utf8``, missing = null) and returns
the new table plus the cells it changed, as a frame with :func:`change_schema` (so 1M-row
tables never build one Python object per changed cell). Steps never reorder or drop rows
(except the dedupe step, which only runs with ``--dedupe``).

:class:`ValueStep` is the base of steps that rewrite one column value by value: ``transform``
maps the column's distinct non-null values to their new text (same length, null for "becomes
empty"); the step maps the column with ``replace`` and reports the cells that changed.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from pydantic import BaseModel, Field

from onelegion.core.errors import UserError
from onelegion.tables.issues import Issue as Issue


class Change(BaseModel):
    """One changed cell: the audit trail (changes.csv)."""

    row: int = Field(description="0-based row index in the input (data rows, header excluded).")
    column: str
    before: str | None
    after: str | None
    step: str = Field(description="The step's kind, e.g. 'normalize_date'.")
    confidence: float = Field(ge=0, le=1)


class StepBase(BaseModel):
    """Base class of recipe steps. Subclasses set ``kind: Literal['...']``."""

    kind: str
    column: str | None = None
    confidence: float = Field(default=1.0, ge=0, le=1)
    enabled: bool = Field(default=True, description="False: proposed only; set true to apply it.")
    description: str = Field(default="", description="What the step does, for people.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Counts and examples.")

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """The new table and the cells that changed (a frame with :func:`change_schema`)."""
        raise NotImplementedError


def change_schema() -> dict[str, Any]:
    """Column names and dtypes of a change frame (the rows of changes.csv)."""

    return {
        "row": pl.Int64,
        "column": pl.Utf8,
        "before": pl.Utf8,
        "after": pl.Utf8,
        "step": pl.Utf8,
        "confidence": pl.Float64,
    }


def changes_to_frame(changes: list[Change]) -> pl.DataFrame:
    """A list of :class:`Change` as a frame with :func:`change_schema`."""

    return pl.DataFrame([c.model_dump() for c in changes], schema=change_schema(), orient="row")


def frame_to_changes(frame: pl.DataFrame) -> list[Change]:
    """A change frame as a list of :class:`Change` (for code that wants objects)."""
    return [Change.model_construct(**r) for r in frame.iter_rows(named=True)]


def diff_column(
    before: pl.DataFrame, after: pl.DataFrame, column: str, step: str, confidence: float
) -> pl.DataFrame:
    """The cells of ``column`` that differ between two frames of the same height, as changes."""

    b, a = before.get_column(column), after.get_column(column)
    mask = b.ne_missing(a)
    idx = pl.int_range(0, before.height, dtype=pl.Int64, eager=True).filter(mask)
    return pl.DataFrame(
        {
            "row": idx,
            "column": pl.repeat(column, idx.len(), dtype=pl.Utf8, eager=True),
            "before": b.filter(mask),
            "after": a.filter(mask),
            "step": pl.repeat(step, idx.len(), dtype=pl.Utf8, eager=True),
            "confidence": pl.repeat(confidence, idx.len(), dtype=pl.Float64, eager=True),
        },
        schema=change_schema(),
    )


class MissingColumn(UserError):
    """A recipe step names a column the table does not have."""


def empty_changes() -> pl.DataFrame:
    return pl.DataFrame(schema=change_schema())


class ValueStep(StepBase):
    """A step that maps each distinct value of ``column`` independently of its row."""

    def transform(self, values: pl.Series) -> pl.Series:
        raise NotImplementedError

    def mapping(self, col: pl.Series) -> tuple[pl.Series, pl.Series]:
        """(old values, new values) for the distinct values that change."""
        uniq = col.drop_nulls().unique(maintain_order=True)
        if uniq.len() == 0:
            return uniq, uniq
        new = self.transform(uniq).cast(pl.Utf8)
        changed = uniq.ne_missing(new)
        return uniq.filter(changed), new.filter(changed)

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Apply to ``column`` (or to every column when ``column`` is None)."""
        if self.column is None:
            frames = []
            for c in df.columns:
                df, ch = self._apply_one(df, c)
                if ch.height:
                    frames.append(ch)
            return df, (pl.concat(frames).sort("row", "column") if frames else empty_changes())
        if self.column not in df.columns:
            raise MissingColumn(
                f"column {self.column!r} is not in the table", hint="use --column-map old=new"
            )
        return self._apply_one(df, self.column)

    def _apply_one(self, df: pl.DataFrame, name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
        col = df.get_column(name)
        old, new = self.mapping(col)
        if old.len() == 0:
            return df, empty_changes()
        out = df.with_columns(col.replace(old, new).alias(name))
        return out, diff_column(df, out, name, self.kind, self.confidence)
