"""A flagged cell or row of a table that was not changed: what readers and cleaning steps report."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Issue(BaseModel):
    """A flagged cell or row that was not changed (issues.csv)."""

    row: int | None
    column: str | None
    value: str | None
    kind: str = Field(description="e.g. 'outlier', 'unparseable_date', 'ragged_row'.")
    detail: str = ""
    line: int | None = Field(
        default=None, description="The input's own line (CSV) or sheet row (Excel), 1-based."
    )
