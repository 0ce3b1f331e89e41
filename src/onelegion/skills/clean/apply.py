"""Apply a saved recipe to a (new) table: columns matched by name, renamed with a column map."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from onelegion.core.errors import UserError
from onelegion.skills.clean.recipe import Recipe, step_columns
from onelegion.skills.clean.step import StepBase, change_schema


@dataclass
class Applied:
    df: pl.DataFrame
    change_frame: pl.DataFrame
    applied: list[StepBase] = field(default_factory=list)
    skipped: list[StepBase] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def check_columns(recipe: Recipe, columns: list[str]) -> list[str]:
    """The recipe's columns missing from the table; raises when too few match to make sense."""
    referenced = recipe.referenced_columns()
    have = set(columns)
    missing = [c for c in referenced if c not in have]
    if referenced and (len(missing) == len(referenced) or len(missing) * 2 > len(referenced)):
        shown = ", ".join(missing[:8]) + (" …" if len(missing) > 8 else "")
        example = f"{missing[0]}={columns[0]}" if columns else f"{missing[0]}=<column>"
        raise UserError(
            f"this recipe was made for another table: {len(missing)} of its {len(referenced)} columns are missing ({shown})",
            hint=f"map them with --column-map, e.g. --column-map {example} (the table has: {', '.join(columns[:10])})",
        )
    return missing


def apply_recipe(
    df: pl.DataFrame, recipe: Recipe, column_map: dict[str, str] | None = None
) -> Applied:
    recipe = recipe.renamed(column_map or {})
    df = df.with_columns(pl.col(c).cast(pl.Utf8) for c in df.columns)
    missing = check_columns(recipe, df.columns)
    out = Applied(df=df, change_frame=pl.DataFrame(schema=change_schema()), missing=missing)
    frames = []
    for step in recipe.steps:
        if not step.enabled:
            continue
        if any(c in missing for c in step_columns(step)):
            out.skipped.append(step)
            continue
        out.df, ch = step.apply(out.df)
        out.applied.append(step)
        if ch.height:
            frames.append(ch)
    if frames:
        out.change_frame = pl.concat(frames)
    return out
