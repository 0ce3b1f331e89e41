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
    enabled: bool = Field(default=True, description="False: proposed only; set true to apply it.")
    description: str = Field(default="", description="What the step does, for people.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="Counts and examples.")

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, list[Change]]:
        raise NotImplementedError

    # --- fast path (added compatibly): changes as a polars frame --------------------------
    def apply_frame(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Like :meth:`apply` but the changes come back as a frame (see :data:`CHANGE_SCHEMA`).

        The pipeline calls this. The default wraps :meth:`apply`; vectorised steps override it
        (and implement :meth:`apply` with :func:`frame_to_changes`) so 1M-row tables never
        build one Python object per changed cell.
        """
        new, changes = self.apply(df)
        return new, changes_to_frame(changes)


def change_schema() -> dict[str, Any]:
    """Column names and dtypes of a change frame (the rows of changes.csv)."""
    import polars as pl

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
    import polars as pl

    return pl.DataFrame([c.model_dump() for c in changes], schema=change_schema(), orient="row")


def frame_to_changes(frame: pl.DataFrame) -> list[Change]:
    """A change frame as a list of :class:`Change` (for callers of :meth:`StepBase.apply`)."""
    return [Change.model_construct(**r) for r in frame.iter_rows(named=True)]


def diff_column(
    before: pl.DataFrame, after: pl.DataFrame, column: str, step: str, confidence: float
) -> pl.DataFrame:
    """The cells of ``column`` that differ between two frames of the same height, as changes."""
    import polars as pl

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
