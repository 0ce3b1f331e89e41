"""Functional dependencies discovered from the data, and majority-vote repairs.

A column B depends on a determinant A (zip -> city, provider id -> name, city -> province) when,
within each group of rows sharing A's value, nearly all rows share one B value. A typo in B that
no spelling rule can see ("birminghxm" or a wrong province) shows up as the minority inside its
group; it is replaced by the group's strong majority. The repair is stored as a mapping
(determinant value -> dependent value) so the recipe can be replayed on another table.

How a dependency is accepted (all on group counts, no row pairs):
- the determinant repeats (at most half as many distinct values as rows) and is not a
  measurement (decimal, money, date...);
- at least 30% of the rows sit in groups of two or more rows, and in those groups at least 90%
  of the rows agree with their group's majority;
- the frequent values of B other than its mode are themselves confirmed by their groups (>= 90%),
  so a near-constant B with an unrelated A ("yes"/"no" against anything) is not mistaken for a
  dependency;
- the dependent is a label or code, not a measurement (a price may differ within a product);
- when adding a third column C to the determinant removes at least a third of the remaining
  disagreements (city + measure -> state average), the composite determinant is used instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from onelegion.skills.clean.group_stats import (
    CONTINUOUS_TYPES,
    KEY_SEP,
    CodedSample,
    key_expr,
    strong_groups,
)
from onelegion.skills.clean.step import (
    Issue,
    StepBase,
    change_schema,
)

if TYPE_CHECKING:
    import polars as pl

MIN_AGREEMENT = 0.9
MIN_COVERAGE = 0.3
MIN_CONFIRMED = 0.9
MAX_DETERMINANTS_PER_COLUMN = 2
MAX_FULL_MAPPING = 5_000
# below this similarity to its group's value, a differing value is another entity's, not a typo
UNLIKE = 0.5
_NOT_DETERMINANT = CONTINUOUS_TYPES - {"integer"}


class FDRepair(StepBase):
    """Set ``column`` to the value its determinant's group agrees on."""

    kind: Literal["fd_repair"] = "fd_repair"
    determinant: list[str]
    mapping: dict[str, str]
    fill_missing: bool = True
    max_block_share: float = 0.1
    protect: dict[str, str] = Field(
        default_factory=dict,
        description="One-to-one links: a value of the column -> the determinant value its own "
        "rows agree on. A row pairing two such established values differently is ambiguous "
        "(either side may be the wrong one) and is left alone.",
    )
    witnessed: list[list[str]] = Field(
        default_factory=list,
        description="(determinant value, column value) pairs of such rows where another "
        "determinant of the column agrees with this one: the column's value is the odd one out.",
    )

    siblings: list[str] = Field(
        default_factory=list,
        description="Other columns that follow the same determinant. A row that differs from "
        "its group on two or more of them and the column, one with a value other rows use, is "
        "another entity sharing the determinant's value (two works with one title), not a "
        "typo: it is left alone.",
    )

    # A minority value shared by several rows of one group, making up more than
    # ``max_block_share`` of it, is a sub-entity (two makers with one name), not a typo: it is
    # left alone. A single disagreeing row is always repaired.

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        col = self.column
        none = pl.DataFrame(schema=change_schema())
        if (
            col is None
            or col not in df.columns
            or not all(c in df.columns for c in self.determinant)
        ):
            return df, none
        keys = pl.Series(list(self.mapping.keys()), dtype=pl.Utf8)
        vals = pl.Series(list(self.mapping.values()), dtype=pl.Utf8)
        frame = df.lazy().select(
            row=pl.int_range(pl.len(), dtype=pl.Int64),
            key=key_expr(self.determinant),
            before=pl.col(col),
        )
        frame = frame.with_columns(
            after=pl.col("key").replace_strict(keys, vals, default=None, return_dtype=pl.Utf8)
        )
        differs = pl.col("after").is_not_null() & (pl.col("before") != pl.col("after")).fill_null(
            self.fill_missing
        )
        cand = frame.filter(differs).collect()
        if cand.height == 0:
            return df, none
        # group sizes, counted only for the groups that have candidates
        sizes = (
            frame.filter(pl.col("key").is_in(cand["key"].unique().implode()))
            .group_by("key")
            .agg(size=pl.len())
            .collect()
        )
        cand = cand.join(sizes, on="key", how="left").with_columns(
            block=pl.len().over("key", pl.col("before").fill_null("\x00"))
        )
        keep = pl.col("block") == 1  # nulls too: a mostly empty group is not filled
        keep = keep | (pl.col("block") <= self.max_block_share * pl.col("size"))
        cand = cand.with_columns(keep=keep)
        if not cand["keep"].all():
            cand = _allow_misshapen(cand, df[col])
        if self.protect:
            pk = pl.Series(list(self.protect.keys()), dtype=pl.Utf8)
            pv = pl.Series(list(self.protect.values()), dtype=pl.Utf8)
            owner = pl.col("before").replace_strict(pk, pv, default=None, return_dtype=pl.Utf8)
            ambiguous = (owner.is_not_null() & (owner != pl.col("key"))).fill_null(False)
            if self.witnessed:
                pair = pl.concat_str([pl.col("key"), pl.col("before")], separator=KEY_SEP)
                seen = pl.Series([KEY_SEP.join(p) for p in self.witnessed], dtype=pl.Utf8)
                ambiguous = ambiguous & ~pair.is_in(seen.implode())
            cand = cand.with_columns(keep=pl.col("keep") & ~ambiguous)
        if self.siblings:
            other = _other_entity_rows(df, self.determinant, [col, *self.siblings], cand["row"])
            cand = cand.with_columns(keep=pl.col("keep") & ~pl.col("row").is_in(other.implode()))
        hit = cand.filter(pl.col("keep")).sort("row")
        if hit.height == 0:
            return df, none
        new_col = df[col].scatter(hit["row"], hit["after"])
        out = df.with_columns(new_col.alias(col))
        changes = hit.select(
            "row",
            pl.lit(col, dtype=pl.Utf8).alias("column"),
            "before",
            "after",
            pl.lit(self.kind, dtype=pl.Utf8).alias("step"),
            pl.lit(self.confidence, dtype=pl.Float64).alias("confidence"),
        )
        return out, changes


def _other_entity_rows(
    df: pl.DataFrame, determinant: list[str], columns: list[str], rows: pl.Series
) -> pl.Series:
    """Of ``rows``, those that differ from their determinant group's most common value in two
    or more of ``columns`` (the repaired column and its siblings), at least one of them with a
    value other rows of the table also use or one unlike the group's (a typo is unique and
    close to the right value): another entity sharing the determinant's value."""
    import polars as pl
    from rapidfuzz.distance import Indel

    present = [c for c in dict.fromkeys(columns) if c in df.columns]
    if len(present) < 2 or rows.len() == 0:
        return pl.Series("row", [], dtype=pl.Int64)
    frame = df.lazy().select(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
        key_expr(determinant).alias("key"),
        *(pl.col(c) for c in present),
    )
    exprs = []
    for i, c in enumerate(present):
        mode = pl.col(c).drop_nulls().mode().first().over("key")
        differ = (pl.col(c).is_not_null() & (pl.col(c) != mode)).fill_null(False)
        exprs += [
            differ.alias(f"d{i}"),
            (pl.len().over(c) >= 2).alias(f"k{i}"),
            mode.alias(f"m{i}"),
        ]
    cand = (
        frame.with_columns(exprs)
        .filter(pl.col("row").is_in(rows.implode()))
        .filter(
            pl.sum_horizontal([pl.col(f"d{i}").cast(pl.Int32) for i in range(len(present))]) >= 2
        )
        .collect()
    )
    out = []
    for r in cand.iter_rows(named=True):
        for i, c in enumerate(present):
            if not r[f"d{i}"]:
                continue
            unlike = Indel.normalized_similarity(str(r[c]), str(r[f"m{i}"])) < UNLIKE
            if r[f"k{i}"] or unlike:
                out.append(r["row"])
                break
    return pl.Series("row", out, dtype=pl.Int64)


def shape_expr(expr: pl.Expr) -> pl.Expr:
    """The character classes of a value: digits -> 9, letters -> a ('25x47' -> '99a99')."""
    return expr.str.replace_all(r"\d", "9").str.replace_all(r"[^\W\d_]", "a")


def _allow_misshapen(cand: pl.DataFrame, column: pl.Series) -> pl.DataFrame:
    """A repeated minority value is a sub-entity, unless it does not even look like the column's
    values (a phone number with letters in it) while the group's value does."""
    import polars as pl

    sample = column.drop_nulls().head(20_000)
    if sample.len() == 0:
        return cand
    shapes = sample.to_frame("v").select(shape_expr(pl.col("v")).alias("s"))["s"].value_counts()
    share = dict(
        zip(shapes["s"].to_list(), (shapes["count"] / sample.len()).to_list(), strict=True)
    )
    rows = cand.select(
        shape_expr(pl.col("before")).alias("sb"), shape_expr(pl.col("after")).alias("sa")
    )
    misshapen = [
        b is not None and share.get(b, 0.0) < 0.01 and share.get(a, 0.0) >= 0.5
        for b, a in zip(rows["sb"].to_list(), rows["sa"].to_list(), strict=True)
    ]
    return cand.with_columns(keep=pl.col("keep") | pl.Series(misshapen, dtype=pl.Boolean))


@dataclass(frozen=True)
class Dependency:
    """A discovered dependency ``determinant -> dependent`` with its statistics."""

    determinant: tuple[str, ...]
    dependent: str
    agreement: float
    coverage: float


def dependency_quality(
    sample: CodedSample, det: list[str], dep: str
) -> tuple[float, float, float, int]:
    """(agreement, coverage, confirmed share of frequent non-mode values, violations)."""
    import numpy as np

    pc = sample.pair_counts(det, dep)
    agreement, coverage, groups, violations = pc.agreement()
    if groups < 2 or agreement < MIN_AGREEMENT:
        return agreement, coverage, 0.0, violations
    rows, good = pc.confirmed_rows()
    order = np.argsort(-rows, kind="stable")
    nonmode = order[1:]
    nonmode = nonmode[rows[nonmode] >= 3]
    denom = float(rows[nonmode].sum())
    confirmed = 1.0 if denom == 0 else float(good[nonmode].sum()) / denom
    return agreement, coverage, confirmed, violations


def discover_dependencies(
    df: pl.DataFrame, types: dict[str, str], sample: CodedSample | None = None
) -> list[Dependency]:
    """Dependencies that hold in the data, best first (at most two determinants per column)."""
    cs = sample if sample is not None else CodedSample(df)
    dets = determinant_candidates(cs, types)
    # Measurements (prices, amounts, dates) legitimately vary within a group (a discount, another
    # day): they are never overwritten from a group's majority. Integer codes (zip) may be.
    deps = [
        c
        for c in df.columns
        if types.get(c, "text") not in _NOT_DETERMINANT
        and types.get(c) != "empty"
        and cs.n_distinct[c] >= 2
    ]
    low_card = [c for c in dets if cs.n_distinct[c] <= 1_000]
    found: list[Dependency] = []
    for b in deps:
        cands: list[tuple[float, float, str, int]] = []
        for a in dets:
            if a == b:
                continue
            agreement, coverage, confirmed, violations = dependency_quality(cs, [a], b)
            if (
                agreement >= MIN_AGREEMENT
                and coverage >= MIN_COVERAGE
                and confirmed >= MIN_CONFIRMED
            ):
                cands.append((agreement, coverage, a, violations))
        cands.sort(key=lambda t: (-t[0], -t[1], t[2]))
        for agreement, coverage, a, violations in cands[:MAX_DETERMINANTS_PER_COLUMN]:
            det = refine_determinant(cs, a, b, agreement, coverage, violations, low_card)
            found.append(Dependency(det, b, agreement, coverage))
    found.sort(key=lambda d: (-d.agreement, -d.coverage, d.dependent, d.determinant))
    return found


def determinant_candidates(cs: CodedSample, types: dict[str, str]) -> list[str]:
    """Columns that may determine others: repeated labels, not measurements."""
    return [
        c
        for c in cs.codes
        if types.get(c, "text") not in _NOT_DETERMINANT
        and types.get(c) != "empty"
        and 2 <= cs.n_distinct[c] <= cs.nonnull[c] // 2
    ]


def refine_determinant(
    cs: CodedSample,
    a: str,
    b: str,
    agreement: float,
    coverage: float,
    violations: int,
    cols: list[str],
) -> tuple[str, ...]:
    """Add a third column to the determinant when it explains most remaining disagreements."""
    if violations < 5:
        return (a,)
    rate = 1 - agreement
    best: tuple[float, str] | None = None
    for c in cols:
        if c in (a, b):
            continue
        agree2, cov2, confirmed2, _ = dependency_quality(cs, [a, c], b)
        if cov2 < 0.8 * coverage or confirmed2 < MIN_CONFIRMED:
            continue
        rate2 = 1 - agree2
        if rate2 <= rate * (2 / 3) and (best is None or rate2 < best[0]):
            best = (rate2, c)
    return (a,) if best is None else (a, best[1])


def _witnessed(
    df: pl.DataFrame,
    cs: CodedSample,
    types: dict[str, str],
    dep: Dependency,
    strong: pl.DataFrame,
    protect: dict[str, str],
) -> list[list[str]]:
    """Rows of a one-to-one link where the column disagrees with its determinant and another
    determinant of the column (zip and city, both -> state) says the same as the first one."""
    import polars as pl

    a, b = dep.determinant[0], dep.dependent
    others = [
        x
        for x in determinant_candidates(cs, types)
        if x not in (a, b) and dependency_quality(cs, [x], b)[0] >= MIN_AGREEMENT
    ]
    if not others:
        return []
    pk = pl.Series(list(protect.keys()), dtype=pl.Utf8)
    pv = pl.Series(list(protect.values()), dtype=pl.Utf8)
    rows = (
        df.lazy()
        .select(pl.col(a).alias("key"), pl.col(b).alias("before"), *(pl.col(x) for x in others))
        .join(strong.lazy().select("key", pl.col("top").alias("want")), on="key", how="inner")
        .filter(
            (pl.col("before") != pl.col("want"))
            & pl.col("before")
            .replace_strict(pk, pv, default=None, return_dtype=pl.Utf8)
            .ne(pl.col("key"))
            .fill_null(False)
        )
        .collect()
    )
    if rows.height == 0:
        return []
    ok = pl.Series([False] * rows.height)
    for x in others:
        sx = strong_groups(df, [x], b)
        ks = pl.Series(sx["key"].to_list(), dtype=pl.Utf8)
        vs = pl.Series(sx["top"].to_list(), dtype=pl.Utf8)
        pred = rows[x].replace_strict(ks, vs, default=None, return_dtype=pl.Utf8)
        ok = ok | (pred == rows["want"]).fill_null(False)
    hit = rows.filter(ok).select("key", "before").unique()
    return [[k, v] for k, v in hit.iter_rows()]


def one_to_one_conflicts(df: pl.DataFrame, step: FDRepair) -> list[Issue]:
    """Rows a one-to-one repair left alone because either side may be the wrong one (each value
    is established for another partner): flagged for a person, never guessed."""
    import polars as pl

    col = step.column
    if not step.protect or col is None or len(step.determinant) != 1 or col not in df.columns:
        return []
    a = step.determinant[0]
    pk = pl.Series(list(step.protect.keys()), dtype=pl.Utf8)
    pv = pl.Series(list(step.protect.values()), dtype=pl.Utf8)
    mk = pl.Series(list(step.mapping.keys()), dtype=pl.Utf8)
    mv = pl.Series(list(step.mapping.values()), dtype=pl.Utf8)
    rows = (
        df.lazy()
        .select(
            row=pl.int_range(pl.len(), dtype=pl.Int64),
            key=pl.col(a),
            value=pl.col(col),
            want=pl.col(a).replace_strict(mk, mv, default=None, return_dtype=pl.Utf8),
            owner=pl.col(col).replace_strict(pk, pv, default=None, return_dtype=pl.Utf8),
        )
        .filter(
            pl.col("want").is_not_null()
            & (pl.col("value") != pl.col("want"))
            & pl.col("owner").is_not_null()
            & (pl.col("owner") != pl.col("key"))
        )
        .head(1000)
        .collect()
    )
    return [
        Issue(
            row=r,
            column=col,
            value=v,
            kind="conflict",
            detail=f"{a} {k!r} goes with {w!r} elsewhere, and {v!r} with {a} {o!r}: one of the "
            "two cells is wrong and nothing else in the row tells which; left as it is",
        )
        for r, k, v, w, o in rows.select("row", "key", "value", "want", "owner").iter_rows()
    ]


def propose_fd_repairs(
    df: pl.DataFrame, types: dict[str, str], conflicts: list[Issue] | None = None
) -> list[FDRepair]:
    """Discover dependencies and build the majority-vote repairs, applied one after another.
    One-to-one conflicts left alone are added to ``conflicts`` when given."""

    work = df
    steps: list[FDRepair] = []
    cs = CodedSample(df)
    deps = discover_dependencies(df, types, cs)
    for dep in deps:
        det = list(dep.determinant)
        strong = strong_groups(work, det, dep.dependent)
        if strong.height == 0:
            continue
        protect: dict[str, str] = {}
        if len(det) == 1 and dependency_quality(cs, [dep.dependent], det[0])[0] >= MIN_AGREEMENT:
            back = strong_groups(work, [dep.dependent], det[0])
            protect = dict(zip(back["key"].to_list(), back["top"].to_list(), strict=True))
        step = FDRepair(
            siblings=[
                d.dependent
                for d in deps
                if d.determinant == dep.determinant and d.dependent != dep.dependent
            ],
            protect=protect,
            column=dep.dependent,
            determinant=det,
            mapping=dict(zip(strong["key"].to_list(), strong["top"].to_list(), strict=True)),
            confidence=round(dep.agreement, 4),
            description=(
                f"{dep.dependent} follows {' + '.join(det)}: within each {' + '.join(det)} group, "
                f"disagreeing values are set to the group's majority"
            ),
        )
        if protect:
            step.witnessed = _witnessed(work, cs, types, dep, strong, protect)
        new, changes = step.apply(work)
        if protect and conflicts is not None:
            conflicts.extend(one_to_one_conflicts(new, step))
        if changes.height == 0:
            continue
        if strong.height > MAX_FULL_MAPPING:
            used = set(
                work.select(key_expr(det).alias("k"))["k"].gather(changes["row"]).unique().to_list()
            )
            step.mapping = {k: v for k, v in step.mapping.items() if k in used}
        if len(step.protect) > MAX_FULL_MAPPING:
            seen = set(changes["before"].drop_nulls().to_list())
            step.protect = {k: v for k, v in step.protect.items() if k in seen}
        step.evidence = {
            "agreement": round(dep.agreement, 4),
            "coverage": round(dep.coverage, 4),
            "cells": changes.height,
            "examples": [
                {"row": r, "before": b, "after": a}
                for r, b, a in changes.select("row", "before", "after").head(5).iter_rows()
            ],
        }
        steps.append(step)
        work = new
    return steps


__all__ = [
    "Dependency",
    "FDRepair",
    "discover_dependencies",
    "one_to_one_conflicts",
    "propose_fd_repairs",
]
