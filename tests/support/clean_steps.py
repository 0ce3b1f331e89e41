"""Apply a Clean step and get its changes as objects (steps return them as a frame)."""

from __future__ import annotations

import polars as pl

from onelegion.skills.clean.step import Change, StepBase, frame_to_changes


def applied(step: StepBase, df: pl.DataFrame) -> tuple[pl.DataFrame, list[Change]]:
    out, frame = step.apply(df)
    return out, frame_to_changes(frame)
