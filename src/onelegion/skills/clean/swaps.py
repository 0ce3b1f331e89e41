"""Two cells of a row written into each other's columns: the title in the authors column and the
authors in the title column.

Columns A and B are a candidate pair when they are both labels or text and share almost no
values (apart from the values swapped rows carried across, at most ``MAX_SHARED`` of the smaller
column's distinct values appear in the other), so a value's column tells what it is. A row is swapped when its A value is known in B (other rows
write it there) and unknown in A (no other row writes it in A), and its B value is known in A
and unknown in B. Such a row is put back; anything less certain is left (a value known in
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


def _swapped(df: pl.DataFrame, a: str, b: str) -> pl.Series:
    """Rows whose A value only B knows and whose B value only A knows."""
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
    return (
        va.is_not_null()
        & vb.is_not_null()
        & (va != vb)
        & (a_in_a == 1)  # only this row writes its A value in A
        & (a_in_b >= 1)  # other rows write it in B
        & (b_in_b == 1)
        & (b_in_a >= 1)
    ).fill_null(False)


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
            carried = set(df[a].filter(swapped).to_list()) | set(df[b].filter(swapped).to_list())
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
