"""Values that swallowed a neighbour: 'San Francisco CA' in the city column while the state
column is empty in that row and 'CA' is one of the state column's values -> split into both.

Decided from the data only: the target column must be a short-valued category, the trailing
token one of its frequent values, the target cell empty in the row, and (for confidence) the
remaining head a value the source column already holds elsewhere.
"""

from __future__ import annotations

from typing import Literal

import polars as pl
from pydantic import Field

from onelegion.skills.clean.step import (
    MissingColumn,
    StepBase,
    diff_column,
    empty_changes,
)

_SPLIT_RE = r"^(.*\S)[\s,，]+(\S+)$"


class SplitTrailingToken(StepBase):
    """Move a trailing token of ``column`` into the empty ``target`` cell of the same row."""

    kind: Literal["split_trailing_token"] = "split_trailing_token"
    target: str
    tokens: list[str] = Field(default_factory=list)
    tokens_from_target: bool = Field(
        default=True,
        description="Also accept any one-word value the target column holds in the table being cleaned.",
    )

    def _parts(self, df: pl.DataFrame) -> pl.DataFrame:
        src = df.get_column(self.column or "")
        g = src.str.extract_groups(_SPLIT_RE).struct.unnest()
        g.columns = ["head", "tail"]
        tokens = pl.Series(self.tokens, dtype=pl.Utf8)
        if self.tokens_from_target:
            tgt = df.get_column(self.target).drop_nulls().unique()
            tokens = pl.concat([tokens, tgt.filter(~tgt.str.contains(r"\s"))]).unique()
        hit = (
            g["tail"].is_in(tokens) & df.get_column(self.target).is_null() & g["head"].is_not_null()
        )
        return g.with_columns(hit=hit.fill_null(False))

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        for c in (self.column, self.target):
            if c not in df.columns:
                raise MissingColumn(
                    f"column {c!r} is not in the table", hint="use --column-map old=new"
                )
        assert self.column is not None
        p = self._parts(df)
        if not p["hit"].any():
            return df, empty_changes()
        out = df.with_columns(
            pl.when(p["hit"]).then(p["head"]).otherwise(pl.col(self.column)).alias(self.column),
            pl.when(p["hit"]).then(p["tail"]).otherwise(pl.col(self.target)).alias(self.target),
        )
        changes = pl.concat(
            [
                diff_column(df, out, self.column, self.kind, self.confidence),
                diff_column(df, out, self.target, self.kind, self.confidence),
            ]
        ).sort("row", maintain_order=True)
        return out, changes


def _mean_len(s: pl.Series) -> float:
    m = s.str.len_chars().cast(pl.Float64).mean()
    return float(m) if isinstance(m, (int, float)) else 99.0


def propose_splits(
    df: pl.DataFrame, types: dict[str, str], min_rows: int = 2
) -> list[SplitTrailingToken]:
    """Find (source, target) column pairs where values carry the target's token."""
    steps: list[SplitTrailingToken] = []
    n = df.height
    if n == 0:
        return steps
    targets = []
    for c in df.columns:
        if types.get(c) != "category":
            continue
        col = df.get_column(c)
        nulls = col.null_count()
        if nulls == 0 or nulls == n:
            continue
        vc = col.rename("v").drop_nulls().value_counts(name="n")
        tokens = vc.get_column("v")
        if tokens.len() == 0 or tokens.str.contains(r"\s").any() or _mean_len(tokens) > 12:
            continue
        targets.append((c, tokens))
    for src in df.columns:
        if types.get(src) not in ("category", "text"):
            continue
        s = df.get_column(src)
        g = s.str.extract_groups(_SPLIT_RE).struct.unnest()
        g.columns = ["head", "tail"]
        known_heads = set(s.drop_nulls().unique().to_list())
        for tgt, tokens in targets:
            if tgt == src:
                continue
            t_null = df.get_column(tgt).is_null()
            hit = (g["tail"].is_in(tokens) & t_null).fill_null(False)
            k = int(hit.sum())
            if k < min_rows:
                continue
            # Rows where the target is filled must rarely end in such a token: otherwise the
            # token is part of normal values of the source (e.g. 'Saint Paul MN' everywhere).
            filled_hits = int((g["tail"].is_in(tokens) & ~t_null).fill_null(False).sum())
            if filled_hits > max(1, 0.05 * int((~t_null).sum())):
                continue
            heads = g["head"].filter(hit)
            known = sum(1 for h in heads.to_list() if h in known_heads) / k
            share_of_nulls = k / max(1, int(t_null.sum()))
            conf = round(min(1.0, 0.6 + 0.25 * known + 0.15 * share_of_nulls), 3)
            used = sorted(set(g["tail"].filter(hit).to_list()))
            examples = [
                f"{v} -> {h} | {t}"
                for v, h, t in zip(
                    s.filter(hit).head(5).to_list(),
                    heads.head(5).to_list(),
                    g["tail"].filter(hit).head(5).to_list(),
                    strict=True,
                )
            ]
            steps.append(
                SplitTrailingToken(
                    column=src,
                    target=tgt,
                    tokens=used,
                    confidence=conf,
                    description=f"move a trailing {tgt} value out of {src} into the empty {tgt} cell",
                    evidence={"rows": k, "head_known_share": round(known, 3), "examples": examples},
                )
            )
    return steps
