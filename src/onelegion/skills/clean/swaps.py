"""Two cells of a row written into each other's columns: the title in the authors column and the
authors in the title column.

Columns A and B are a candidate pair when they are both labels or text and share almost no
values (apart from the values swapped rows carried across, at most ``MAX_SHARED`` of the smaller
column's distinct values appear in the other), so a value's column tells what it is. A row is
swapped when its A value belongs to B (other rows write it in B, and in A only this row does, or
B writes it at least three times as often), its B value belongs to A, and more rows write the
two values the other way round than this way. Such a row is put back; anything less certain is left (a value known in
neither column says nothing). The step stores the pair, not rows, so it replays on another
table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from onelegion.skills.clean.step import StepBase, change_schema, diff_column

if TYPE_CHECKING:
    import polars as pl

SWAP_TYPES = frozenset({"category", "text", "identifier"})
MAX_SHARED = 0.02
MIN_DISTINCT = 5
MAX_SWAP_SHARE = 0.05


class SwapRepair(StepBase):
    """Put back the cells of ``column`` and ``other`` that a row wrote into each other's
    columns (each value known only in the other column)."""

    kind: Literal["swap_repair"] = "swap_repair"
    other: str

    def apply(self, df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        import polars as pl

        a, b = self.column, self.other
        if a is None or a not in df.columns or b not in df.columns:
            return df, pl.DataFrame(schema=change_schema())
        swapped = _swapped(df, a, b)
        if not swapped.any():
            return df, pl.DataFrame(schema=change_schema())
        out = df.with_columns(
            pl.when(swapped).then(pl.col(b)).otherwise(pl.col(a)).alias(a),
            pl.when(swapped).then(pl.col(a)).otherwise(pl.col(b)).alias(b),
        )
        changes = pl.concat(
            [
                diff_column(df, out, a, self.kind, self.confidence),
                diff_column(df, out, b, self.kind, self.confidence),
            ]
        ).sort("row", maintain_order=True)
        return out, changes


def _swapped(df: pl.DataFrame, a: str, b: str, crossing: bool = False) -> pl.Series:
    """Rows whose A value belongs to B and whose B value belongs to A, and that more rows write
    the other way round (``crossing``: without that last condition)."""
    import polars as pl

    ca = df[a].value_counts(name="n")
    cb = df[b].value_counts(name="n")

    def count(values: pl.Series, counts: pl.DataFrame, col: str) -> pl.Series:
        return values.replace_strict(
            counts[col], counts["n"], default=0, return_dtype=pl.Int64
        ).fill_null(0)

    va, vb = df[a], df[b]
    a_in_a, a_in_b = count(va, ca, a), count(va, cb, b)
    b_in_b, b_in_a = count(vb, cb, b), count(vb, ca, a)
    # a value belongs to the other column when other rows write it there and, in its own
    # column, only this row does (or the other column writes it at least three times as often)
    a_belongs = (a_in_b >= 1) & ((a_in_a == 1) | (a_in_b >= 3 * a_in_a))
    b_belongs = (b_in_a >= 1) & ((b_in_b == 1) | (b_in_a >= 3 * b_in_b))
    cross = va.is_not_null() & vb.is_not_null() & (va != vb) & a_belongs & b_belongs
    if crossing:
        return cross.fill_null(False)
    # and more rows write the pair the other way round than this way (a work listed twice, once
    # swapped, is a tie: either row may be the swapped one, both are left)
    pairs = pl.DataFrame({"a": va, "b": vb})
    counts = pairs.group_by("a", "b").agg(n=pl.len())
    same = pairs.join(counts, on=["a", "b"], how="left", maintain_order="left")["n"]
    rev = pairs.join(
        counts.rename({"a": "b", "b": "a"}), on=["a", "b"], how="left", maintain_order="left"
    )["n"].fill_null(0)
    return (cross & (rev > same)).fill_null(False)


def propose_swap_repairs(df: pl.DataFrame, types: dict[str, str]) -> list[SwapRepair]:
    """One step per pair of label/text columns with rows that swapped their cells."""
    cols = [
        c for c in df.columns if types.get(c) in SWAP_TYPES and df[c].n_unique() >= MIN_DISTINCT
    ]
    uniq = {c: set(df[c].drop_nulls().unique().to_list()) for c in cols}
    steps: list[SwapRepair] = []
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            shared = uniq[a] & uniq[b]
            if not shared:
                continue  # no value crosses: nothing to find
            swapped = _swapped(df, a, b)
            rows = int(swapped.sum())
            if rows == 0 or rows > MAX_SWAP_SHARE * df.height:
                continue
            # the values the swapped rows carried across explain some of the overlap; columns
            # that share other values (origin and destination) are never swapped
            across = _swapped(df, a, b, crossing=True)
            carried = set(df[a].filter(across).to_list()) | set(df[b].filter(across).to_list())
            if len(shared - carried) > MAX_SHARED * min(len(uniq[a]), len(uniq[b])):
                continue
            steps.append(
                SwapRepair(
                    column=a,
                    other=b,
                    confidence=0.9,
                    description=(
                        f"{a} and {b}: rows that wrote each other's values (each known only in "
                        "the other column) are put back"
                    ),
                    evidence={"rows": rows, "other_shared_values": len(shared - carried)},
                )
            )
    return steps


__all__ = ["SwapRepair", "propose_swap_repairs"]
