"""The cleaning pipeline: propose a recipe from the data while applying it, step by step.

    from onelegion.skills.clean.pipeline import clean_frame, CleanOptions
    result = clean_frame(df, CleanOptions())
    result.df, result.recipe, result.changes, result.issues, result.duplicates, result.types

Order: text hygiene -> missing tokens -> type inference -> format normalisation per type ->
trailing-token splits -> cells swapped between two columns -> value clusters / synonyms ->
consensus of sources -> dependency repairs -> relation repairs ->
decimal-point slips shown by the series' neighbours ->
outliers (flagged) -> duplicates (flagged; removed only with ``dedupe``). The repair modules
are used when installed. A step below ``min_confidence`` goes into the recipe disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from onelegion.skills.clean import normalize
from onelegion.skills.clean.clusters import propose_clusters
from onelegion.skills.clean.consensus import propose_consensus
from onelegion.skills.clean.dependencies import propose_fd_repairs
from onelegion.skills.clean.duplicates import find_duplicates, propose_dedupe
from onelegion.skills.clean.flags import (
    invalid_values,
    negative_values,
    replacement_characters,
    summary_rows,
    unconverted_units,
)
from onelegion.skills.clean.outliers import find_outliers
from onelegion.skills.clean.propose import propose_format, propose_missing
from onelegion.skills.clean.recipe import Recipe
from onelegion.skills.clean.relations import propose_relation_repairs
from onelegion.skills.clean.slips import propose_slip_repairs
from onelegion.skills.clean.split import propose_splits
from onelegion.skills.clean.step import (
    Change,
    Issue,
    StepBase,
    change_schema,
    frame_to_changes,
)
from onelegion.skills.clean.swaps import propose_swap_repairs
from onelegion.skills.clean.types import ColumnType, infer_types

Progress = Callable[[int, int, str], None]
# value-changing repairs (not format steps): held for review above this share of a column
VALUE_REPAIRS = frozenset(
    {"map_values", "fd_repair", "relation_repair", "consensus_repair", "slip_repair", "swap_repair"}
)
MAX_REPAIR_SHARE = 0.25


@dataclass
class CleanOptions:
    dedupe: bool = False
    # False (default): each column keeps its own dominant representation; True: ISO dates,
    # 24-hour times, minimal plain numbers
    canonical: bool = False
    min_confidence: float = 0.8
    synonyms: dict[str, dict[str, str]] | None = None
    repairs: bool = True
    extra_steps: list[StepBase] = field(default_factory=list)  # e.g. LLM-proposed mappings
    # called after format normalisation with (df, types): more steps to run (the LLM hook)
    propose_extra: Callable[[pl.DataFrame, dict[str, str]], list[StepBase]] | None = None
    progress: Progress | None = None
    source: dict[str, Any] = field(default_factory=dict)


@dataclass
class CleanResult:
    df: pl.DataFrame
    recipe: Recipe
    change_frame: pl.DataFrame
    issues: list[Issue]
    duplicates: list[Any]
    types: dict[str, str]
    type_info: dict[str, ColumnType]
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Change]:
        return frame_to_changes(self.change_frame)

    @property
    def cells_changed(self) -> int:
        return (
            self.change_frame.select(pl.struct("row", "column").n_unique()).item()
            if self.change_frame.height
            else 0
        )


class _Run:
    def __init__(self, df: pl.DataFrame, opts: CleanOptions) -> None:
        self.df = df
        self.opts = opts
        self.steps: list[StepBase] = []
        self.changes: list[pl.DataFrame] = []
        self.notes: list[str] = []

    def run(self, step: StepBase, *, force: bool = False) -> int:
        """Record ``step``; apply it when enabled and confident enough. Returns cells changed."""
        if step.confidence < self.opts.min_confidence and not force:
            step = step.model_copy(update={"enabled": False})
        self.steps.append(step)
        if not step.enabled:
            return 0
        new, ch = step.apply(self.df)
        if step.kind in VALUE_REPAIRS and step.column and not force and ch.height:
            filled = (
                self.df.get_column(step.column).len() - self.df.get_column(step.column).null_count()
            )
            share = ch.height / max(1, filled)
            if share > MAX_REPAIR_SHARE:
                # a repair that would rewrite a large part of a column is more likely a wrong
                # rule than that many errors: held for review, not applied
                step.enabled = False
                step.evidence["held"] = (
                    f"would change {ch.height} of {filled} values ({share:.0%}); "
                    "held for review (set enabled to true to apply)"
                )
                self.notes.append(f"{step.column}: {step.kind} held for review ({share:.0%})")
                return 0
        self.df = new
        if ch.height:
            self.changes.append(ch)
            _add_evidence(step, ch)
        return ch.height


def _add_evidence(step: StepBase, ch: pl.DataFrame) -> None:
    """Record how many cells a step changed and a few distinct examples, in its evidence."""
    step.evidence.setdefault("cells_changed", ch.height)
    if "examples" not in step.evidence:
        ex = ch.unique(subset=["column", "before"], keep="first", maintain_order=True).head(5)
        multi = step.column is None
        step.evidence["examples"] = [
            (f"{r['column']}: " if multi else "")
            + f"{r['before']!s} → {r['after'] if r['after'] is not None else '(empty)'}"
            for r in ex.iter_rows(named=True)
        ]


def clean_frame(df: pl.DataFrame, opts: CleanOptions | None = None) -> CleanResult:
    opts = opts or CleanOptions()
    df = df.with_columns(pl.col(c).cast(pl.Utf8) for c in df.columns)
    r = _Run(df, opts)
    total = 8
    tick = opts.progress or (lambda done, total, msg: None)

    tick(0, total, "text hygiene")
    r.run(
        normalize.CleanText(
            column=None,
            description="trim, collapse spaces, drop zero-width, fix mojibake, full-width letters/digits to ASCII",
        )
    )
    tick(1, total, "missing tokens")
    for missing_step in propose_missing(r.df):
        r.run(missing_step)
    tick(2, total, "column types")
    info = infer_types(r.df)
    types = {c: t.type for c, t in info.items()}
    tick(3, total, "formats")
    for c, t in info.items():
        for step in propose_format(r.df.get_column(c), t, opts.canonical):
            r.run(step)
    tick(4, total, "split columns")
    for split_step in propose_splits(r.df, types):
        r.run(split_step)
    extra = list(opts.extra_steps)
    if opts.propose_extra is not None:
        extra.extend(opts.propose_extra(r.df, types))
    for step in extra:
        r.run(step, force=not step.enabled)
    duplicates: list[Any] = []
    issues: list[Issue] = []
    if opts.repairs:
        tick(5, total, "repairs")
        _repairs(r, types, issues, duplicates)
    tick(7, total, "issues")
    issues.extend(invalid_values(r.df, info))
    issues.extend(negative_values(r.df, info))
    issues.extend(replacement_characters(r.df))
    plain = [
        st.column
        for st in r.steps
        if isinstance(st, normalize.NormalizeNumber)
        and st.mode == "plain"
        and st.enabled
        and st.column
    ]
    issues.extend(unconverted_units(r.df, plain))
    issues.extend(summary_rows(r.df))
    recipe = Recipe(
        source=opts.source,
        columns=list(df.columns),
        types=types,
        representation="canonical" if opts.canonical else "column",
        steps=r.steps,
    )
    frame = pl.concat(r.changes) if r.changes else pl.DataFrame(schema=change_schema())
    tick(total, total, "done")
    return CleanResult(
        df=r.df,
        recipe=recipe,
        change_frame=frame,
        issues=issues,
        duplicates=duplicates,
        types=types,
        type_info=info,
        notes=r.notes,
    )


def _repairs(r: _Run, types: dict[str, str], issues: list[Issue], duplicates: list[Any]) -> None:
    # swaps first: a value in the wrong column would otherwise look like a rare spelling there
    for swap in propose_swap_repairs(r.df, types):
        r.run(swap)
    for step in propose_clusters(r.df, types, r.opts.synonyms):
        r.run(step)
    for cons in propose_consensus(r.df, types, issues):
        r.run(cons)
    for fd in propose_fd_repairs(r.df, types, issues):
        r.run(fd)
    for rel in propose_relation_repairs(r.df, types):
        r.run(rel)
    for slip in propose_slip_repairs(r.df, types):
        r.run(slip)
    issues.extend(find_outliers(r.df, types))
    duplicates.extend(find_duplicates(r.df, types))
    if r.opts.dedupe and duplicates:
        r.run(propose_dedupe(duplicates), force=True)


__all__ = [
    "CleanOptions",
    "CleanResult",
    "clean_frame",
    "invalid_values",
    "propose_format",
    "propose_missing",
    "unconverted_units",
]
