"""Exact and near-duplicate rows, reported as clusters; merged only by the Dedupe step.

Rows are compared through per-column hashes (one pass over the table, no row pairs):
- exact: every compared column equal;
- near: all compared columns but one equal (blocking on the row hash with that column left
  out, once per column), for tables with at least four compared columns; when the differing
  column is a distinctive one (names: most values different), the two cells must also be
  spelling variants of each other (two products of one maker are not duplicates).
Row numbers (an index or order number: a code column different on every row) are left out of
the comparison; a name that differs on every row is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from onelegion.skills.clean.step import Change, StepBase, changes_to_frame, empty_changes

if TYPE_CHECKING:
    import polars as pl

MIN_NEAR_COLUMNS = 4
SIMILAR = 88  # rapidfuzz ratio (0-100), letters and digits only, of the one differing cell


class DuplicateCluster(BaseModel):
    """Rows that record the same thing; the first is the one kept by Dedupe."""

    rows: list[int]
    similarity: float = Field(ge=0, le=1)
    kind: Literal["exact", "near"]
    columns: list[str] = Field(
        default_factory=list, description="near: the column(s) whose values differ."
    )
    mergeable: bool = Field(
        default=True,
        description="The differing cells are spelling or format variants of one value, so Dedupe "
        "may merge the rows (12 oz vs 16 oz cans are reported, never merged).",
    )


def find_duplicates(
    df: pl.DataFrame, types: dict[str, str] | None = None
) -> list[DuplicateCluster]:
    """Clusters of duplicate rows (exact first, then near), rows in input order."""
    import polars as pl

    if df.height < 2:
        return []
    all_hashes = df.select(pl.col(c).hash(seed=i + 1).alias(c) for i, c in enumerate(df.columns))
    # Columns different on every row (a running index) say nothing about duplication.
    head = all_hashes.head(10_000)
    kinds = types or {}
    cols = [
        c
        for c in df.columns
        if df[c].null_count() > 0
        or head[c].n_unique() < head.height
        or not _is_row_id(df[c].head(10_000), kinds.get(c))
        or all_hashes[c].n_unique() < df.height
    ]
    if not cols:
        return []
    # Rows that are equal on all but one column are equal on one of two halves of the columns:
    # only rows whose half-hash repeats are compared further.
    by_card = sorted(cols, key=lambda c: -head[c].n_unique())
    distinctive = {c: head[c].n_unique() > 0.5 * head.height for c in cols}
    halves = [by_card[0::2], by_card[1::2]] if len(cols) >= MIN_NEAR_COLUMNS else [cols]
    cand = None
    for half in halves:
        dup = all_hashes.select(pl.sum_horizontal(half).is_duplicated().alias("d"))["d"]
        cand = dup if cand is None else cand | dup
    assert cand is not None
    row_ids = pl.int_range(df.height, dtype=pl.Int64, eager=True).filter(cand)
    if row_ids.len() < 2:
        return []
    id_list = row_ids.to_list()
    hashes = all_hashes.filter(cand).select(pl.col(c).alias(f"h{i}") for i, c in enumerate(cols))
    total = hashes.select(pl.sum_horizontal(pl.all()).alias("t"))["t"]
    parent: dict[int, int] = {}
    group_info: dict[int, tuple[list[str], list[bool]]] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    def union_groups(key: pl.Series) -> list[list[int]]:
        frame = pl.DataFrame({"k": key, "i": row_ids})
        frame = frame.filter(pl.col("k").is_duplicated())
        if frame.height == 0:
            return []
        groups = frame.group_by("k").agg(pl.col("i"))["i"].to_list()
        return [sorted(g) for g in groups]

    exact_groups = union_groups(total)
    exact_rows = {r for g in exact_groups for r in g}
    clusters: list[DuplicateCluster] = [
        DuplicateCluster(rows=g, similarity=1.0, kind="exact") for g in exact_groups
    ]
    if len(cols) >= MIN_NEAR_COLUMNS:
        for i in range(len(cols)):
            key = total - hashes[f"h{i}"]
            groups = union_groups(key)
            if not groups:
                continue
            value_of = dict(zip(id_list, df[cols[i]].gather(row_ids).to_list(), strict=True))
            for g in groups:
                values = [value_of[r] for r in g]
                if len(set(values)) == 1:
                    continue  # equal here too: an exact cluster, reported above
                similar = _similar(values)
                if distinctive[cols[i]] and not similar:
                    continue  # two names, not two spellings of one: different things
                root = min(find(r) for r in g)
                for r in g:
                    parent.setdefault(r, r)
                    parent[find(r)] = root
                info = group_info.setdefault(g[0], ([], []))
                info[0].append(cols[i])
                info[1].append(similar)
        comps: dict[int, list[int]] = {}
        for r in list(parent):
            comps.setdefault(find(r), []).append(r)
        merged: dict[int, tuple[set[str], bool]] = {}
        for first, (names, oks) in group_info.items():
            root = find(first)
            cur = merged.get(root, (set(), True))
            merged[root] = (cur[0] | set(names), cur[1] and all(oks))
        sim = round((len(cols) - 1) / len(cols), 4)
        for root, rows in comps.items():
            rows = sorted(set(rows))
            if len(rows) >= 2 and not set(rows) <= exact_rows:
                differ, ok = merged.get(root, (set(), False))
                clusters.append(
                    DuplicateCluster(
                        rows=rows,
                        similarity=sim,
                        kind="near",
                        columns=[c for c in cols if c in differ],
                        mergeable=ok,
                    )
                )
    clusters.sort(key=lambda c: c.rows[0])
    return clusters


def _is_row_id(values: pl.Series, kind: str | None) -> bool:
    """A code that numbers the rows (index, order number): typed as such, or shaped like one."""
    if kind is not None:
        return kind in ("identifier", "integer")
    return bool(values.str.contains(r"^[A-Za-z]{0,4}[-_]?\d+$").all())


def _similar(values: list[str | None]) -> bool:
    """Values of one cell in rows that agree everywhere else: a typo or format variant of one
    another (not two different names of one maker's two products)."""
    import re

    from rapidfuzz import fuzz

    def squeeze(v: str) -> str:
        return re.sub(r"[\W_]+", "", v.lower())

    first = values[0]
    if first is None:
        return False
    return all(
        v is not None and fuzz.ratio(squeeze(first), squeeze(v)) >= SIMILAR for v in values[1:]
    )


class Dedupe(StepBase):
    """Keep the first row of each duplicate cluster (only with --dedupe): exact duplicates, and
    near duplicates whose one differing cell is a spelling or format variant. Replayed on another
    table, the clusters are found again on that table."""

    kind: Literal["dedupe"] = "dedupe"
    include_near: bool = True
    clusters: list[DuplicateCluster] = Field(default_factory=list)

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        clusters = find_duplicates(df)
        drop: dict[int, int] = {}
        for cl in clusters:
            if cl.kind == "near" and not (self.include_near and cl.mergeable):
                continue
            for r in cl.rows[1:]:
                drop.setdefault(r, cl.rows[0])
        if not drop:
            return df, empty_changes()
        keep = pl.Series([i not in drop for i in range(df.height)])
        changes = [
            Change(
                row=r,
                column="*",
                before=f"duplicate of row {k}",
                after=None,
                step=self.kind,
                confidence=self.confidence,
            )
            for r, k in sorted(drop.items())
        ]
        return df.filter(keep), changes_to_frame(changes)


def propose_dedupe(clusters: list[DuplicateCluster]) -> Dedupe:
    """The Dedupe step for ``clusters`` (exact ones and near ones whose differences are variants)."""
    clusters = [c for c in clusters if c.kind == "exact" or c.mergeable]
    rows = sum(len(c.rows) - 1 for c in clusters)
    return Dedupe(
        clusters=clusters,
        confidence=0.9,
        description=f"{rows} duplicate row(s) in {len(clusters)} cluster(s) removed; the first row of each is kept",
        evidence={"clusters": len(clusters), "rows_removed": rows},
    )


__all__ = ["Dedupe", "DuplicateCluster", "find_duplicates", "propose_dedupe"]
