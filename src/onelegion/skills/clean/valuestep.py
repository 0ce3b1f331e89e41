"""Base class for steps that rewrite one column value by value.

``transform`` maps the column's distinct non-null values to their new text (same length, null
for "becomes empty"); the step then maps the column with ``replace`` and reports the changed
cells by comparing old and new columns. Per-cell Python never runs.
"""

from __future__ import annotations

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.clean.steps_base import (
    Change,
    StepBase,
    change_schema,
    diff_column,
    frame_to_changes,
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

    def apply_frame(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
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

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, list[Change]]:
        out, frame = self.apply_frame(df)
        return out, frame_to_changes(frame)
